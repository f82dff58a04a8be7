// The team store's schema: numbered SQL files in ./migrations, applied in order at connect under an
// advisory lock (two hosts starting together apply each file once), each in its own transaction
// with its version recorded in `team_schema`. A database newer than this app is refused, not used.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'pg';

export type Migration = { version: number; name: string; sql: string };

/** Any number below 2^31 that identifies "Conflict Desk migrating" among advisory locks. */
const MIGRATION_LOCK = 0x43_44_31_31;

/** Source tree: ./migrations beside this file; built app: copied next to the bundle (see electron.vite.config.ts). */
export function migrationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Bundled code may sit in out/main/chunks/: look one folder up too.
  const candidates = [
    path.join(here, 'migrations'),
    path.join(here, 'team-store-migrations'),
    path.join(here, '..', 'team-store-migrations'),
  ];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found)
    throw new Error(`team store migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{3}-[a-z0-9-]+\.sql$/.test(file))
    .sort()
    .map((file, index) => {
      const version = Number(file.slice(0, 3));
      if (version !== index + 1)
        throw new Error(
          `team store migration ${file} is out of sequence (expected ${String(index + 1).padStart(3, '0')})`,
        );
      return { version, name: file, sql: readFileSync(path.join(dir, file), 'utf8') };
    });
}

export type MigrateResult =
  { ok: true; version: number; applied: string[] } | { ok: false; error: string };

export async function migrate(
  pool: Pool,
  migrations: Migration[] = loadMigrations(),
): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS team_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const current = Number(
      (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM team_schema'))
        .rows[0]?.v ?? 0,
    );
    const known = migrations.length;
    if (current > known) {
      return {
        ok: false,
        error: `The team store's schema is version ${current}, newer than this app knows (${known}). Update Conflict Desk before connecting to it; nothing was written.`,
      };
    }
    const applied: string[] = [];
    for (const migration of migrations.slice(current)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO team_schema (version, name) VALUES ($1, $2)', [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (error) {
        await client.query('ROLLBACK');
        return {
          ok: false,
          error: `Team store migration ${migration.name} failed: ${(error as Error).message}`,
        };
      }
    }
    return { ok: true, version: known, applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
