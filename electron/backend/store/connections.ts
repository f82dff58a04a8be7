// Saved connections. Secrets are stored encrypted by the host's SecretBox and never leave this
// module in a view; sandbox connections store a placeholder URL resolved at start-up.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { AuthInput } from '../../../shared/api/types';
import type { SecretBox } from '../secrets';

export const SANDBOX_BASE_URL = 'sandbox:';

export type StoredAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string | null }
  | { kind: 'bearer'; token: string | null }
  | { kind: 'api-key-header'; header: string; key: string | null }
  /** The query-string credential without its leading `?` (encrypted at rest like every secret). */
  | { kind: 'query'; query: string | null };

export type ConnectionSaveInput = {
  id?: string;
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  auth: AuthInput;
  customProfile: unknown | null;
  isSandbox?: boolean;
};

/** The credentials a form means: a secret left out keeps the saved one (for the same kind of auth). */
export function resolveAuth(input: AuthInput, previous: StoredConnection | null): StoredAuth {
  const given = inputSecret(input);
  const kept = previous && previous.auth.kind === input.kind ? secretOf(previous.auth) : null;
  const secret = given !== undefined ? given : kept;
  switch (input.kind) {
    case 'none':
      return { kind: 'none' };
    case 'basic':
      return { kind: 'basic', username: input.username, password: secret };
    case 'bearer':
      return { kind: 'bearer', token: secret };
    case 'api-key-header':
      return { kind: 'api-key-header', header: input.header, key: secret };
    case 'query':
      return { kind: 'query', query: secret };
  }
}

export type StoredConnection = {
  id: string;
  name: string;
  profileId: string;
  baseUrl: string;
  params: Record<string, string>;
  auth: StoredAuth;
  customProfile: unknown | null;
  isSandbox: boolean;
  /**
   * The stored secret did not decrypt (the key changed, or the database was damaged): the
   * connection is listed, but sends nothing until the secret is typed again.
   */
  secretUnreadable?: true;
};

type Row = {
  id: string;
  name: string;
  profile_id: string;
  base_url: string;
  params_json: string;
  auth_kind: string;
  auth_user: string | null;
  auth_header: string | null;
  secret: Uint8Array | null;
  custom_profile_json: string | null;
  is_sandbox: number;
};

export function createConnections(db: DatabaseSync, box: SecretBox) {
  const all = db.prepare('SELECT * FROM connections ORDER BY is_sandbox DESC, rowid');
  const one = db.prepare('SELECT * FROM connections WHERE id = ?');
  const upsert =
    db.prepare(`INSERT INTO connections (id, name, profile_id, base_url, params_json, auth_kind, auth_user, auth_header, secret, custom_profile_json, is_sandbox, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, profile_id = excluded.profile_id, base_url = excluded.base_url, params_json = excluded.params_json,
      auth_kind = excluded.auth_kind, auth_user = excluded.auth_user, auth_header = excluded.auth_header, secret = excluded.secret,
      custom_profile_json = excluded.custom_profile_json, updated_at = excluded.updated_at`);
  const remove = db.prepare('DELETE FROM connections WHERE id = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM connections');

  const decode = (row: Row): StoredConnection => {
    let secret: string | null = null;
    let unreadable = false;
    try {
      secret = row.secret ? box.decrypt(row.secret) : null;
    } catch {
      unreadable = true;
    }
    const auth: StoredAuth =
      row.auth_kind === 'basic'
        ? { kind: 'basic', username: row.auth_user ?? '', password: secret }
        : row.auth_kind === 'bearer'
          ? { kind: 'bearer', token: secret }
          : row.auth_kind === 'api-key-header'
            ? { kind: 'api-key-header', header: row.auth_header ?? '', key: secret }
            : row.auth_kind === 'query'
              ? { kind: 'query', query: secret }
              : { kind: 'none' };
    return {
      id: row.id,
      name: row.name,
      profileId: row.profile_id,
      baseUrl: row.base_url,
      params: JSON.parse(row.params_json) as Record<string, string>,
      auth,
      customProfile: row.custom_profile_json
        ? (JSON.parse(row.custom_profile_json) as unknown)
        : null,
      isSandbox: row.is_sandbox === 1,
      ...(unreadable ? { secretUnreadable: true as const } : {}),
    };
  };

  return {
    list: (): StoredConnection[] => (all.all() as Row[]).map(decode),
    get(id: string): StoredConnection | null {
      const row = one.get(id) as Row | undefined;
      return row ? decode(row) : null;
    },
    isEmpty: () => (count.get() as { n: number }).n === 0,
    /** Saves a connection; a secret left out of `auth` keeps the one already stored. */
    save(input: ConnectionSaveInput): StoredConnection {
      const id = input.id ?? randomUUID();
      const previous = input.id ? this.get(input.id) : null;
      const secret = secretOf(resolveAuth(input.auth, previous));
      const now = new Date().toISOString();
      upsert.run(
        id,
        input.name,
        input.profileId,
        input.baseUrl,
        JSON.stringify(input.params),
        input.auth.kind,
        input.auth.kind === 'basic' ? input.auth.username : null,
        input.auth.kind === 'api-key-header' ? input.auth.header : null,
        secret ? box.encrypt(secret) : null,
        input.customProfile === null ? null : JSON.stringify(input.customProfile),
        (input.isSandbox ?? previous?.isSandbox ?? false) ? 1 : 0,
        now,
        now,
      );
      return this.get(id)!;
    },
    remove(id: string): boolean {
      return remove.run(id).changes > 0;
    },
  };
}

export function secretOf(auth: StoredAuth): string | null {
  switch (auth.kind) {
    case 'basic':
      return auth.password;
    case 'bearer':
      return auth.token;
    case 'api-key-header':
      return auth.key;
    case 'query':
      return auth.query;
    case 'none':
      return null;
  }
}

/** undefined = not given (keep); '' clears it. */
function inputSecret(auth: AuthInput): string | null | undefined {
  switch (auth.kind) {
    case 'basic':
      return auth.password === undefined ? undefined : auth.password || null;
    case 'bearer':
      return auth.token === undefined ? undefined : auth.token || null;
    case 'api-key-header':
      return auth.key === undefined ? undefined : auth.key || null;
    case 'query':
      return auth.query === undefined ? undefined : auth.query.replace(/^\?/, '') || null;
    case 'none':
      return null;
  }
}

export type Connections = ReturnType<typeof createConnections>;
