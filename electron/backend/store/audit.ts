// The audit log: every write the app sent, who sent it, against which revision, what changed,
// and — for an overwrite — what it replaced. A row is written *before* the request leaves
// (`in-flight`) and settled after, so a crash mid-write leaves a row to settle at the next start;
// a write whose outcome is unknown stays `pending` until the operator settles it.
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import type {
  AuditEntry,
  PendingOutcome,
  ServerHolds,
  UnknownOutcome,
} from '../../../shared/api/types';

/** A row of the audit table as SQLite returns it. */
export type AuditRow = {
  id: number;
  at: string;
  os_user: string;
  connection_id: string;
  resource_path: string;
  mode: string;
  from_revision: string | null;
  to_revision: string | null;
  outcome: string;
  paths_json: string;
  replaced_json: string | null;
  state: string;
  intent_json: string | null;
  cause: string | null;
  server_holds: string | null;
  server_revision: string | null;
  checked_at: string | null;
  message: string | null;
  batch_id: string | null;
  base_journal_id: number | null;
};

/** What the operator meant by a write: each changed path and the JSON text wanted there (null = absent). */
export type Intent = Record<string, string | null>;

export function osUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
  }
}

export type AuditBegin = Omit<
  AuditEntry,
  'id' | 'at' | 'osUser' | 'state' | 'outcome' | 'toRevision' | 'batchId'
> & { intent: Intent; batchId?: string | null; baseJournalId?: number | null };

export function createAudit(db: DatabaseSync) {
  const insert =
    db.prepare(`INSERT INTO audit (at, os_user, connection_id, resource_path, mode, from_revision, to_revision, outcome, paths_json, replaced_json, state, intent_json, batch_id, base_journal_id)
    VALUES (?, ?, ?, ?, ?, ?, NULL, 'in flight', ?, ?, 'in-flight', ?, ?, ?)`);
  const settle = db.prepare(
    'UPDATE audit SET state = ?, outcome = ?, to_revision = ? WHERE id = ?',
  );
  const markPending = db.prepare(
    `UPDATE audit SET state = 'pending', outcome = ?, cause = ?, server_holds = ?, server_revision = ?, checked_at = ?, message = ? WHERE id = ?`,
  );
  const checked = db.prepare(
    "UPDATE audit SET server_holds = ?, server_revision = ?, checked_at = ?, message = ? WHERE id = ? AND state = 'pending'",
  );
  const byResource = db.prepare(
    'SELECT * FROM audit WHERE connection_id = ? AND resource_path = ? ORDER BY id',
  );
  const byId = db.prepare('SELECT * FROM audit WHERE id = ?');
  const all = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT 500');
  const inState = db.prepare('SELECT * FROM audit WHERE state = ? ORDER BY id');
  const toEntry = (r: AuditRow): AuditEntry => ({
    id: r.id,
    at: r.at,
    state: r.state as AuditEntry['state'],
    osUser: r.os_user,
    connectionId: r.connection_id,
    resourceId: r.resource_path,
    mode: r.mode as AuditEntry['mode'],
    fromRevision: r.from_revision,
    toRevision: r.to_revision,
    outcome: r.outcome,
    paths: JSON.parse(r.paths_json) as string[],
    replaced: r.replaced_json === null ? null : (JSON.parse(r.replaced_json) as unknown),
    batchId: r.batch_id,
  });
  const toPending = (r: AuditRow): PendingOutcome => ({
    auditId: r.id,
    ref: { connectionId: r.connection_id, id: r.resource_path },
    at: r.at,
    cause: (r.cause ?? 'host-stopped') as UnknownOutcome['cause'],
    baseRevision: r.from_revision,
    changedPaths: JSON.parse(r.paths_json) as string[],
    serverHolds: (r.server_holds ?? 'unreadable') as ServerHolds,
    checkedAt: r.checked_at,
    serverRevision: r.server_revision,
    message: r.message ?? r.outcome,
  });
  return {
    /** Records a write as in flight, before its request is sent; returns the row's id. */
    begin(entry: AuditBegin): number {
      const info = insert.run(
        new Date().toISOString(),
        osUser(),
        entry.connectionId,
        entry.resourceId,
        entry.mode,
        entry.fromRevision,
        JSON.stringify(entry.paths),
        entry.replaced === null || entry.replaced === undefined
          ? null
          : JSON.stringify(entry.replaced, bigintToString),
        JSON.stringify(entry.intent),
        entry.batchId ?? null,
        entry.baseJournalId ?? null,
      );
      return Number(info.lastInsertRowid);
    },
    /** The write's outcome is known (saved, refused, not sent…). */
    settle(id: number, outcome: string, toRevision: string | null): void {
      settle.run('settled', outcome, toRevision, id);
    },
    /** The write's outcome is unknown: it stays pending with what the server held when last checked. */
    pending(
      id: number,
      outcome: string,
      cause: UnknownOutcome['cause'],
      holds: ServerHolds,
      serverRevision: string | null,
      message: string,
    ): void {
      markPending.run(outcome, cause, holds, serverRevision, new Date().toISOString(), message, id);
    },
    /**
     * Records what a check of a pending outcome found, dated when its read of the server began.
     * False, and nothing written, when the outcome is no longer pending.
     */
    checked(
      id: number,
      holds: ServerHolds,
      serverRevision: string | null,
      message: string,
      readAt: string,
    ): boolean {
      return checked.run(holds, serverRevision, readAt, message, id).changes > 0;
    },
    get(id: number): AuditEntry | null {
      const row = byId.get(id) as AuditRow | undefined;
      return row ? toEntry(row) : null;
    },
    intentOf(id: number): Intent | null {
      const row = byId.get(id) as AuditRow | undefined;
      return row?.intent_json ? (JSON.parse(row.intent_json) as Intent) : null;
    },
    /** The journal row the write was based on (null for a write recorded before it was kept). */
    baseJournalIdOf(id: number): number | null {
      const row = byId.get(id) as AuditRow | undefined;
      return row?.base_journal_id ?? null;
    },
    pendingOutcome(id: number): PendingOutcome | null {
      const row = byId.get(id) as AuditRow | undefined;
      return row && row.state === 'pending' ? toPending(row) : null;
    },
    /** Writes left in flight by a process that stopped mid-write. */
    inFlight(): AuditEntry[] {
      return (inState.all('in-flight') as AuditRow[]).map(toEntry);
    },
    pendingOutcomes(connectionId?: string, resourceId?: string): PendingOutcome[] {
      return (inState.all('pending') as AuditRow[])
        .filter(
          (r) =>
            (connectionId === undefined || r.connection_id === connectionId) &&
            (resourceId === undefined || r.resource_path === resourceId),
        )
        .map(toPending);
    },
    list(connectionId?: string, resourceId?: string): AuditEntry[] {
      const rows =
        connectionId && resourceId ? byResource.all(connectionId, resourceId) : all.all();
      return (rows as AuditRow[]).map(toEntry);
    },
  };
}

const bigintToString = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export type Audit = ReturnType<typeof createAudit>;
