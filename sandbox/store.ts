// All sandbox state lives in one node:sqlite database (a file or ':memory:'). Every resource of
// every family is a row of `resources`; every write also appends to `history`, so the admin API can
// show a resource's server-side revisions. Handlers run synchronously inside `transaction`, so a
// read-compare-write against one revision is atomic: concurrent conditional writes have one winner.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';

export type Row = {
  kind: string;
  scope: string;
  id: string;
  body: unknown;
  version: number;
  created: string;
  updated: string;
  ord: number;
};

export type HistoryEntry = {
  seq: number;
  version: number;
  op: 'create' | 'update' | 'delete' | 'edit';
  actor: string;
  at: string;
  body: unknown;
};

export type WriteMeta = { op?: HistoryEntry['op']; actor?: string; at?: string };

type RawRow = {
  kind: string;
  scope: string;
  id: string;
  body: string;
  version: number;
  created: string;
  updated: string;
  ord: number;
};

const SCHEMA = `
CREATE TABLE IF NOT EXISTS resources (
  ord INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL,
  body TEXT NOT NULL, version INTEGER NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL,
  UNIQUE (kind, scope, id)
);
CREATE TABLE IF NOT EXISTS history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL, scope TEXT NOT NULL, id TEXT NOT NULL,
  version INTEGER NOT NULL, op TEXT NOT NULL, actor TEXT NOT NULL, at TEXT NOT NULL, body TEXT
);
-- A scope's resources in order (list, page) without sorting the scope at every read.
CREATE INDEX IF NOT EXISTS resources_in_order ON resources (kind, scope, ord);
CREATE INDEX IF NOT EXISTS history_by_resource ON history (kind, scope, id, seq);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export type Store = ReturnType<typeof openStore>;

// A row's body is parsed when first read, not when the row is: answering a GET or checking a
// precondition only needs the stored text (a megabyte document was parsed, then serialised twice,
// per request). The text stands for the body until the body is read: after that it may have been
// changed in place, so `storedText` answers undefined and callers serialise the body itself.
const unreadTexts = new WeakMap<Row, string>();

function toRow(raw: RawRow): Row {
  let text: string | undefined = raw.body;
  let body: unknown;
  const row = { ...raw } as unknown as Row;
  const forget = () => {
    text = undefined;
    unreadTexts.delete(row);
  };
  Object.defineProperty(row, 'body', {
    enumerable: true,
    configurable: true,
    get() {
      if (text !== undefined) {
        body = JSON.parse(text) as unknown;
        forget();
      }
      return body;
    },
    set(value: unknown) {
      forget();
      body = value;
    },
  });
  unreadTexts.set(row, raw.body);
  return row;
}

/** The JSON text a row was stored as (`JSON.stringify` of its body), while its body is unread. */
export function storedText(row: Row): string | undefined {
  return unreadTexts.get(row);
}

/** The row's body as JSON text: the stored text when the body was never read, else serialised. */
export function bodyText(row: Row): string {
  return storedText(row) ?? JSON.stringify(row.body);
}

export function openStore(path: string) {
  // Readable by the user alone: created 0600 before SQLite opens it (its -wal and -shm take the
  // main file's mode), and all of them tightened after, for a file an older version created.
  if (path !== ':memory:') closeSync(openSync(path, 'a', 0o600));
  const db = new DatabaseSync(path);
  // WAL lets a file database be read while written; busy_timeout covers a second process.
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;');
  db.exec(SCHEMA);
  if (path !== ':memory:') {
    for (const name of [path, `${path}-wal`, `${path}-shm`])
      if (existsSync(name)) chmodSync(name, 0o600);
  }

  const getStmt = db.prepare('SELECT * FROM resources WHERE kind = ? AND scope = ? AND id = ?');
  const listStmt = db.prepare('SELECT * FROM resources WHERE kind = ? AND scope = ? ORDER BY ord');
  const insertStmt = db.prepare(
    'INSERT INTO resources (kind, scope, id, body, version, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const updateStmt = db.prepare(
    'UPDATE resources SET body = ?, version = ?, updated = ? WHERE kind = ? AND scope = ? AND id = ?',
  );
  const deleteStmt = db.prepare('DELETE FROM resources WHERE kind = ? AND scope = ? AND id = ?');
  const deleteScopeStmt = db.prepare('DELETE FROM resources WHERE kind = ? AND scope = ?');
  const historyStmt = db.prepare(
    'INSERT INTO history (kind, scope, id, version, op, actor, at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const historyListStmt = db.prepare(
    'SELECT * FROM history WHERE kind = ? AND scope = ? AND id = ? ORDER BY seq',
  );
  const pageStmt = db.prepare(
    'SELECT * FROM resources WHERE kind = ? AND scope = ? ORDER BY ord LIMIT ? OFFSET ?',
  );
  const scopeCountStmt = db.prepare(
    'SELECT COUNT(*) AS n FROM resources WHERE kind = ? AND scope = ?',
  );
  const scopesStmt = db.prepare(
    'SELECT DISTINCT scope FROM resources WHERE kind = ? ORDER BY scope',
  );
  const countStmt = db.prepare(
    'SELECT kind, COUNT(*) AS n FROM resources GROUP BY kind ORDER BY kind',
  );
  const getSetting = db.prepare('SELECT value FROM settings WHERE key = ?');
  const putSetting = db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  let depth = 0;

  function record(
    kind: string,
    scope: string,
    id: string,
    version: number,
    body: unknown,
    meta: WriteMeta,
    fallback: HistoryEntry['op'],
  ): void {
    historyStmt.run(
      kind,
      scope,
      id,
      version,
      meta.op ?? fallback,
      meta.actor ?? 'api',
      meta.at ?? new Date().toISOString(),
      body === undefined ? null : JSON.stringify(body),
    );
  }

  return {
    /** Runs `fn` in one IMMEDIATE transaction (nested calls join the outer one). */
    transaction<T>(fn: () => T): T {
      if (depth > 0) return fn();
      db.exec('BEGIN IMMEDIATE');
      depth++;
      try {
        const result = fn();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      } finally {
        depth--;
      }
    },
    get(kind: string, scope: string, id: string): Row | undefined {
      const raw = getStmt.get(kind, scope, id) as RawRow | undefined;
      return raw === undefined ? undefined : toRow(raw);
    },
    list(kind: string, scope: string): Row[] {
      return (listStmt.all(kind, scope) as RawRow[]).map(toRow);
    },
    /**
     * `list(kind, scope).slice(offset, offset + limit)`, read by SQLite: a page of a large scope
     * without a row object for every resource in it (paging through 80,000 took minutes).
     */
    page(kind: string, scope: string, offset: number, limit: number): Row[] {
      return (pageStmt.all(kind, scope, limit, offset) as RawRow[]).map(toRow);
    },
    /** `list(kind, scope).length`, counted by SQLite. */
    count(kind: string, scope: string): number {
      return (scopeCountStmt.get(kind, scope) as { n: number }).n;
    },
    insert(
      kind: string,
      scope: string,
      id: string,
      body: unknown,
      version: number,
      meta: WriteMeta = {},
    ): Row {
      const at = meta.at ?? new Date().toISOString();
      insertStmt.run(kind, scope, id, JSON.stringify(body), version, at, at);
      record(kind, scope, id, version, body, { ...meta, at }, 'create');
      return this.get(kind, scope, id) as Row;
    },
    update(
      kind: string,
      scope: string,
      id: string,
      body: unknown,
      version: number,
      meta: WriteMeta = {},
    ): Row {
      const at = meta.at ?? new Date().toISOString();
      updateStmt.run(JSON.stringify(body), version, at, kind, scope, id);
      record(kind, scope, id, version, body, { ...meta, at }, 'update');
      return this.get(kind, scope, id) as Row;
    },
    remove(kind: string, scope: string, id: string, version: number, meta: WriteMeta = {}): void {
      deleteStmt.run(kind, scope, id);
      record(kind, scope, id, version, undefined, meta, 'delete');
    },
    removeScope(kind: string, scope: string): void {
      deleteScopeStmt.run(kind, scope);
    },
    history(kind: string, scope: string, id: string): HistoryEntry[] {
      return (
        historyListStmt.all(kind, scope, id) as Array<
          Omit<HistoryEntry, 'body'> & { body: string | null }
        >
      ).map((h) => ({
        seq: h.seq,
        version: h.version,
        op: h.op,
        actor: h.actor,
        at: h.at,
        body: h.body === null ? null : (JSON.parse(h.body) as unknown),
      }));
    },
    /** Distinct scopes of a kind (e.g. the REST collection names). */
    collections(kind: string): string[] {
      return (scopesStmt.all(kind) as Array<{ scope: string }>).map((r) => r.scope);
    },
    counts(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const r of countStmt.all() as Array<{ kind: string; n: number }>) out[r.kind] = r.n;
      return out;
    },
    setting(key: string): unknown {
      const raw = getSetting.get(key) as { value: string } | undefined;
      return raw === undefined ? undefined : (JSON.parse(raw.value) as unknown);
    },
    setSetting(key: string, value: unknown): void {
      putSetting.run(key, JSON.stringify(value));
    },
    /** Drops every resource, the history and the settings (admin reset). */
    wipe(): void {
      db.exec('DELETE FROM resources; DELETE FROM history; DELETE FROM settings;');
    },
    close(): void {
      if (db.isOpen) db.close();
    },
  };
}
