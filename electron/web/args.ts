// Command-line flags of browser mode, parsed into a value or a clear error.
import { checkOperatorName, checkTeamStoreUrl } from '../backend/team-store/settings';

export type WebArgs = {
  port: number;
  dataDir: string | null;
  sandbox: boolean;
  writeTimeoutMs: number | null;
  teamStore?: string;
  operator?: string;
};

export function parseWebArgs(
  argv: string[],
): { ok: true; value: WebArgs } | { ok: false; error: string } {
  const value: WebArgs = { port: 0, dataDir: null, sandbox: true, writeTimeoutMs: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => argv[++i];
    if (arg === '--port') {
      const raw = next();
      const port = Number(raw);
      if (raw === undefined || !Number.isInteger(port) || port < 0 || port > 65535)
        return {
          ok: false,
          error: `--port needs a number from 0 to 65535, got ${raw ?? 'nothing'}`,
        };
      value.port = port;
    } else if (arg === '--data') {
      const raw = next();
      if (!raw) return { ok: false, error: '--data needs a directory' };
      value.dataDir = raw;
    } else if (arg === '--write-timeout-ms') {
      const raw = next();
      const ms = Number(raw);
      if (raw === undefined || !Number.isInteger(ms) || ms < 100 || ms > 600_000)
        return {
          ok: false,
          error: `--write-timeout-ms needs a number from 100 to 600000, got ${raw ?? 'nothing'}`,
        };
      value.writeTimeoutMs = ms;
    } else if (arg === '--team-store' || arg === '--operator') {
      // Team store (#11): a postgres:// address (or CONFLICT_DESK_TEAM_STORE) and the name teammates see.
      const raw = next();
      if (!raw)
        return {
          ok: false,
          error:
            arg === '--team-store'
              ? '--team-store needs a postgres:// address'
              : '--operator needs a name',
        };
      if (arg === '--team-store') {
        const checked = checkTeamStoreUrl(raw);
        if (!checked.ok) return { ok: false, error: `--team-store: ${checked.error}` };
        value.teamStore = checked.url;
      } else {
        const checked = checkOperatorName(raw);
        if (!checked.ok) return { ok: false, error: `--operator: ${checked.error}` };
        value.operator = checked.name;
      }
    } else if (arg === '--no-sandbox') {
      value.sandbox = false;
    } else {
      return {
        ok: false,
        error: `unknown option ${arg} (known: --port N, --data DIR, --no-sandbox, --write-timeout-ms N, --team-store postgres://…, --operator NAME)`,
      };
    }
  }
  return { ok: true, value };
}
