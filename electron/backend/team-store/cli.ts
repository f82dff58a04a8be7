// `npm run team-store -- migrate postgres://user@host:5432/db`: creates or upgrades the team
// store's schema (the app also does this at connect; this is for whoever sets the database up).
// `status` prints the schema version and row counts. Runs on Node >= 20.
import pg from 'pg';
import { loadMigrations, migrate } from './schema';
import { checkTeamStoreUrl, TEAM_STORE_ENV } from './settings';
import { describeWhere } from './team-store';

async function main(): Promise<number> {
  const [command, rawUrl = process.env[TEAM_STORE_ENV]] = process.argv.slice(2);
  if (command !== 'migrate' && command !== 'status') {
    console.error(
      'usage: npm run team-store -- migrate|status postgres://user@host:5432/database (or set CONFLICT_DESK_TEAM_STORE)',
    );
    return 2;
  }
  if (!rawUrl) {
    console.error(`team-store ${command}: give a postgres:// address or set ${TEAM_STORE_ENV}`);
    return 2;
  }
  const url = checkTeamStoreUrl(rawUrl);
  if (!url.ok) {
    console.error(`team-store ${command}: ${url.error}`);
    return 2;
  }
  const pool = new pg.Pool({ connectionString: url.url, max: 1, connectionTimeoutMillis: 5000 });
  try {
    if (command === 'migrate') {
      const result = await migrate(pool);
      if (!result.ok) {
        console.error(`team-store migrate: ${result.error}`);
        return 1;
      }
      console.log(
        result.applied.length
          ? `Applied ${result.applied.join(', ')} to ${describeWhere(url.url)}; schema version ${result.version}.`
          : `${describeWhere(url.url)} is up to date (schema version ${result.version}).`,
      );
      return 0;
    }
    const version =
      (await pool.query<{ v: number | null }>('SELECT max(version) AS v FROM team_schema')).rows[0]
        ?.v ?? 0;
    // Batch reports exist from schema version 2 on.
    const batches =
      Number(version) >= 2 ? ` UNION ALL SELECT 'batch reports', count(*) FROM batch_reports` : '';
    const counts = await pool.query<{ t: string; n: string }>(
      `SELECT 'journal' AS t, count(*) AS n FROM journal UNION ALL SELECT 'audit', count(*) FROM audit UNION ALL SELECT 'presence (live)', count(*) FROM presence WHERE expires_at > now()${batches}`,
    );
    console.log(
      `${describeWhere(url.url)}: schema version ${version} (this app knows ${loadMigrations().length}); ${counts.rows.map((r) => `${r.t} ${r.n}`).join(', ')}`,
    );
    return 0;
  } catch (error) {
    console.error(`team-store ${command}: ${(error as Error).message}`);
    return 1;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
