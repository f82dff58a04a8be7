// The team store's pieces that need no database: its setting (password sealed at rest, command
// line over environment over the app), the connection scope, the CSV export and the migrations.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SharedAuditEntry } from '../../../shared/api/types';
import pg from 'pg';
import { parseWebArgs } from '../../web/args';
import { keyFileSecretBox } from '../secrets';
import type { StoredConnection } from '../store/connections';
import { auditCsv, csvCell } from './csv';
import { loadMigrations } from './schema';
import { connectionScope } from './scope';
import {
  checkTeamStoreUrl,
  OPERATOR_ENV,
  readTeamSetting,
  resolveTeamSetting,
  TEAM_STORE_ENV,
  writeTeamSetting,
} from './settings';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-team-settings-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('team store setting', () => {
  it('keeps the password sealed at rest, in a file only the user can read', () => {
    const dir = tempDir();
    const box = keyFileSecretBox(dir);
    writeTeamSetting(dir, box, {
      url: 'postgres://desk:s3cr%40t-pw@db.example:5432/team',
      operator: 'Alice',
    });
    const file = path.join(dir, 'team-store.json');
    expect(readFileSync(file, 'utf8')).not.toContain('s3cr');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const read = readTeamSetting(dir, box);
    expect(read).toMatchObject({ operator: 'Alice', source: 'settings' });
    expect(decodeURIComponent(new URL(read!.url).password)).toBe('s3cr@t-pw');
    writeTeamSetting(dir, box, null);
    expect(readTeamSetting(dir, box)).toBeNull();
  });

  it('gives back a password holding a literal percent sign as the driver will read it', () => {
    const dir = tempDir();
    const box = keyFileSecretBox(dir);
    // The password is p%41ss (a literal %41, not "A"): typed percent-encoded as %2541.
    writeTeamSetting(dir, box, {
      url: 'postgres://desk:p%2541ss@db.example:5432/team',
      operator: 'Alice',
    });
    const read = readTeamSetting(dir, box)!;
    expect(new pg.Client({ connectionString: read.url }).password).toBe('p%41ss');
    expect(decodeURIComponent(new URL(read.url).password)).toBe('p%41ss');
  });

  it('refuses, with a reason and without echoing it, a password whose % is not percent-encoding', () => {
    // Typed as is, "50%off" is not a valid percent-encoding: sealing it (decodeURIComponent) and
    // the driver (which decodes it too) would both throw "URI malformed" instead of connecting.
    const checked = checkTeamStoreUrl('postgres://desk:50%off@db.example:5432/team');
    expect(checked).toEqual({
      ok: false,
      error: expect.stringMatching(/%25/) as unknown as string,
    });
    expect(!checked.ok && checked.error).not.toContain('50%off');
    expect(checkTeamStoreUrl('postgres://desk%zz@db.example:5432/team').ok).toBe(false);
    expect(checkTeamStoreUrl('postgres://desk:50%25off@db.example:5432/team').ok).toBe(true);
  });

  it('seals a password given in the query (?password=, ?sslpassword=) and gives it back', () => {
    const dir = tempDir();
    const box = keyFileSecretBox(dir);
    writeTeamSetting(dir, box, {
      url: 'postgres://desk@db.example:5432/team?password=q%26pw&sslpassword=k3y&sslmode=require',
      operator: 'Alice',
    });
    const text = readFileSync(path.join(dir, 'team-store.json'), 'utf8');
    expect(text).not.toContain('q%26pw');
    expect(text).not.toContain('k3y');
    expect(text).toContain('sslmode=require');
    const read = new URL(readTeamSetting(dir, box)!.url);
    expect(read.searchParams.get('password')).toBe('q&pw');
    expect(read.searchParams.get('sslpassword')).toBe('k3y');
    expect(read.searchParams.get('sslmode')).toBe('require');
  });

  it('takes the command line over the environment over the app setting', () => {
    const dir = tempDir();
    const box = keyFileSecretBox(dir);
    writeTeamSetting(dir, box, { url: 'postgres://app@h/db', operator: 'from-app' });
    const env = { [TEAM_STORE_ENV]: 'postgres://env@h/db', [OPERATOR_ENV]: 'from-env' };
    expect(
      resolveTeamSetting({ url: 'postgres://cli@h/db', operator: 'from-cli' }, dir, box, env),
    ).toEqual({ url: 'postgres://cli@h/db', operator: 'from-cli', source: 'command-line' });
    expect(resolveTeamSetting(null, dir, box, env)).toEqual({
      url: 'postgres://env@h/db',
      operator: 'from-env',
      source: 'environment',
    });
    expect(resolveTeamSetting(null, dir, box, {})).toMatchObject({
      operator: 'from-app',
      source: 'settings',
    });
  });

  it('accepts postgres:// addresses only, and says why not', () => {
    expect(checkTeamStoreUrl('postgresql://u@localhost/db').ok).toBe(true);
    expect(checkTeamStoreUrl('mysql://u@localhost/db')).toEqual({
      ok: false,
      error: 'The team store must be a postgres:// address, not mysql://.',
    });
    expect(checkTeamStoreUrl('not a url').ok).toBe(false);
  });

  it('browser mode takes --team-store and --operator, and refuses bad values by name', () => {
    expect(
      parseWebArgs(['--team-store', 'postgres://u@127.0.0.1:5432/team', '--operator', 'Alice']),
    ).toEqual({
      ok: true,
      value: {
        port: 0,
        dataDir: null,
        sandbox: true,
        writeTimeoutMs: null,
        teamStore: 'postgres://u@127.0.0.1:5432/team',
        operator: 'Alice',
      },
    });
    expect(parseWebArgs(['--team-store', 'http://x'])).toEqual({
      ok: false,
      error: '--team-store: The team store must be a postgres:// address, not http://.',
    });
    expect(parseWebArgs(['--team-store'])).toEqual({
      ok: false,
      error: '--team-store needs a postgres:// address',
    });
    expect(parseWebArgs(['--operator', '  '])).toEqual({
      ok: false,
      error: '--operator: The operator name is empty.',
    });
  });
});

describe('connection scope', () => {
  const connection = (over: Partial<StoredConnection>): StoredConnection => ({
    id: 'local-1',
    name: 'Tasks',
    profileId: 'twilio-taskrouter-task',
    baseUrl: 'https://taskrouter.twilio.com',
    params: { workspaceSid: 'WS1' },
    auth: { kind: 'basic', username: 'AC1', password: 'token-1' },
    customProfile: null,
    isSandbox: false,
    ...over,
  });
  it('is the same for two operators with different ids and credentials, and never holds a secret', () => {
    const alice = connectionScope(connection({}), null);
    const bob = connectionScope(
      connection({
        id: 'local-2',
        name: 'Our tasks',
        auth: { kind: 'basic', username: 'AC1', password: 'token-2' },
      }),
      null,
    );
    expect(alice).toBe(bob);
    expect(alice).not.toContain('token');
    expect(
      connectionScope(connection({ baseUrl: 'https://user:pw@taskrouter.twilio.com/' }), null),
    ).toBe(alice);
  });
  it('differs when the workspace differs', () => {
    expect(connectionScope(connection({ params: { workspaceSid: 'WS2' } }), null)).not.toBe(
      connectionScope(connection({}), null),
    );
  });
});

describe('audit CSV', () => {
  const entry: SharedAuditEntry = {
    key: 'h:1',
    at: '2026-11-29T14:00:00.000Z',
    operator: 'Alice',
    connectionName: 'Tasks, "prod"',
    resourceId: 'WT1',
    mode: 'conditional',
    state: 'settled',
    outcome: 'saved',
    fromRevision: '1',
    toRevision: '2',
    paths: ['/priority', '/attributes/x'],
    batchId: null,
  };
  it('quotes commas and quotes, one CRLF row per entry', () => {
    expect(auditCsv([entry])).toBe(
      'at,operator,connection,resource,mode,state,outcome,from_revision,to_revision,paths,key\r\n2026-11-29T14:00:00.000Z,Alice,"Tasks, ""prod""",WT1,conditional,settled,saved,1,2,/priority /attributes/x,h:1\r\n',
    );
  });
  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
  });
});

describe('team store migrations', () => {
  it('are numbered files in sequence, starting at 001', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations[0]!.name).toBe('001-team-store.sql');
    // No table may hold a secret or a draft.
    expect(migrations.map((m) => m.sql).join('\n')).not.toMatch(
      /\b(secret|password|token|draft)\s+(text|bytea)/i,
    );
  });
});
