// Where the team store is and who the operator is. The app's setting lives in the data directory
// (team-store.json, 0600) with the URL's password sealed by the host's SecretBox; the command line
// (--team-store) or the environment (CONFLICT_DESK_TEAM_STORE) wins over it for browser mode.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TeamStatus } from '../../../shared/api/types';
import type { SecretBox } from '../secrets';
import { osUser } from '../store/audit';

export const TEAM_STORE_ENV = 'CONFLICT_DESK_TEAM_STORE';
export const OPERATOR_ENV = 'CONFLICT_DESK_OPERATOR';

export type TeamSetting = { url: string; operator: string; source: TeamStatus['source'] };

/** A PostgreSQL connection string, or why not. */
export function checkTeamStoreUrl(
  raw: string,
): { ok: true; url: string } | { ok: false; error: string } {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    return {
      ok: false,
      error:
        'The team store must be a PostgreSQL address such as postgres://user@host:5432/database.',
    };
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    return {
      ok: false,
      error: `The team store must be a postgres:// address, not ${parsed.protocol}//.`,
    };
  if (!parsed.hostname) return { ok: false, error: 'The team store address names no host.' };
  // The user name and password are percent-decoded when sealed (writeTeamSetting) and by the
  // driver: a bare % (a password such as 50%off typed as is) would make both throw "URI malformed"
  // long after this check said yes. Refused here, with the fix, and without echoing the password.
  for (const [part, value] of [
    ['user name', parsed.username],
    ['password', parsed.password],
  ] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      return {
        ok: false,
        error: `The team store address's ${part} holds a % that is not percent-encoding: write a literal % as %25.`,
      };
    }
  }
  return { ok: true, url: parsed.toString() };
}

export function checkOperatorName(
  raw: string,
): { ok: true; name: string } | { ok: false; error: string } {
  const name = raw.trim();
  if (!name) return { ok: false, error: 'The operator name is empty.' };
  if (name.length > 100)
    return { ok: false, error: 'The operator name is longer than 100 characters.' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name))
    return { ok: false, error: 'The operator name contains control characters.' };
  return { ok: true, name };
}

/**
 * Query parameters of a PostgreSQL address that carry a secret (libpq and node-postgres take
 * `?password=` as well as the user-info password): sealed at rest and never shown.
 */
export const SECRET_QUERY_PARAMS = ['password', 'sslpassword'] as const;

/** The address with its secret query parameters cut out, and those parameters as a query string. */
export function splitSecretQuery(url: URL): { url: URL; secretQuery: string } {
  const out = new URL(url.toString());
  const secret = new URLSearchParams();
  for (const name of SECRET_QUERY_PARAMS) {
    for (const value of out.searchParams.getAll(name)) secret.append(name, value);
    out.searchParams.delete(name);
  }
  return { url: out, secretQuery: secret.toString() };
}

type Stored = {
  url: string;
  sealedPassword: string | null;
  /** The secret query parameters (`password=…`), sealed; absent in files written before them. */
  sealedQuery?: string | null;
  operator: string;
};
const file = (dataDir: string) => path.join(dataDir, 'team-store.json');

export function readTeamSetting(dataDir: string, box: SecretBox): TeamSetting | null {
  if (!existsSync(file(dataDir))) return null;
  try {
    const stored = JSON.parse(readFileSync(file(dataDir), 'utf8')) as Stored;
    const url = new URL(stored.url);
    if (stored.sealedPassword)
      url.password = encodeURIComponent(box.decrypt(Buffer.from(stored.sealedPassword, 'base64')));
    if (stored.sealedQuery)
      for (const [name, value] of new URLSearchParams(
        box.decrypt(Buffer.from(stored.sealedQuery, 'base64')),
      ))
        url.searchParams.append(name, value);
    return { url: url.toString(), operator: stored.operator, source: 'settings' };
  } catch {
    return null;
  }
}

/** Saves the app's setting; null removes it. The password never lands in the file in the clear. */
export function writeTeamSetting(
  dataDir: string,
  box: SecretBox,
  setting: { url: string; operator: string } | null,
): void {
  if (setting === null) {
    writeFileSync(file(dataDir), JSON.stringify({ url: '', sealedPassword: null, operator: '' }), {
      mode: 0o600,
    });
    return;
  }
  const { url, secretQuery } = splitSecretQuery(new URL(setting.url));
  const password = url.password ? decodeURIComponent(url.password) : null;
  url.password = '';
  const stored: Stored = {
    url: url.toString(),
    sealedPassword: password ? Buffer.from(box.encrypt(password)).toString('base64') : null,
    sealedQuery: secretQuery ? Buffer.from(box.encrypt(secretQuery)).toString('base64') : null,
    operator: setting.operator,
  };
  writeFileSync(file(dataDir), JSON.stringify(stored, null, 2), { mode: 0o600 });
}

/** The setting in force: an explicit one (command line), else the environment, else the app's. */
export function resolveTeamSetting(
  explicit: { url: string; operator?: string } | null | undefined,
  dataDir: string,
  box: SecretBox,
  env = process.env,
): TeamSetting | null {
  const operator = (given?: string) => given ?? env[OPERATOR_ENV] ?? osUser();
  if (explicit)
    return { url: explicit.url, operator: operator(explicit.operator), source: 'command-line' };
  const fromEnv = env[TEAM_STORE_ENV];
  if (fromEnv) return { url: fromEnv, operator: operator(), source: 'environment' };
  return readTeamSetting(dataDir, box);
}
