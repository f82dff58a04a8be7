// The optional team store: PostgreSQL shared by a team of operators. Local first: every row is
// written to the operator's node:sqlite store, queued (outbox.ts), and drained here when the
// database is reachable, under idempotent keys. LISTEN/NOTIFY carries ids only ("journal:42");
// listeners read the rows they care about. Presence is a heartbeat row with an expiry judged by
// the database's own clock, so a host killed mid-session disappears without saying goodbye.
import type { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type {
  BatchCounts,
  BatchState,
  BatchTargetStatus,
  HistoryEntry,
  OpenResourceInput,
  ResourceRef,
  SharedAuditEntry,
  SharedBatchReport,
  SharedConnection,
  TeamPresence,
  TeamStatus,
} from '../../../shared/api/types';
import type { AuditRow } from '../store/audit';
import { createBatchStore } from '../store/batches';
import { DEFAULT_MAX_BYTES } from '../http-client';
import type { StoredConnection } from '../store/connections';
import { migrate } from './schema';
import { createOutbox, type OutboxItem } from './outbox';
import { connectionScope } from './scope';
import { splitSecretQuery } from './settings';
import { stringifyJson, type JsonValue } from '../../../shared/json';

export const NOTIFY_CHANNEL = 'conflict_desk';
const NEVER_SEEN = '1970-01-01T00:00:00.000Z';
export const DEFAULT_HEARTBEAT_MS = 3000;
export const DEFAULT_PRESENCE_TTL_MS = 9000;

export type TeamStoreOptions = {
  url: string;
  operator: string;
  source: TeamStatus['source'];
  /** The local database the outbox lives in (the same file as the journal and audit). */
  db: DatabaseSync;
  connections: () => StoredConnection[];
  sandboxUrl: () => string | null;
  heartbeatMs?: number;
  presenceTtlMs?: number;
  /** A teammate's row touched a resource this host knows (ids only travel; this is after reading the row). */
  onChange(change: { ref: ResourceRef; savedBy: string | null; savedByTeammate: boolean }): void;
  onPresence(): void;
};

export type TeamBatchFilter = { scope?: string; resourceId?: string; limit?: number };
export type TeamAuditFilter = {
  operator?: string;
  scope?: string;
  resourceId?: string;
  since?: string;
  until?: string;
  limit?: number;
};

type JournalPgRow = {
  id: string;
  revision: string | null;
  body_hash: string;
  body: string;
  source: string;
  first_seen_at: Date;
  first_operator: string;
  saved_by: string | null;
};

export function openTeamStore(options: TeamStoreOptions) {
  const outbox = createOutbox(options.db);
  // `let`: a data directory copied to a second desk shares its host id; the one that finds out
  // takes a new one (see the audit upsert in sendItem).
  let hostId = outbox.hostId();
  outbox.backfillOnce();
  outbox.catchUp();
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const ttlMs = options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 4,
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    application_name: `conflict-desk ${options.operator}`,
  });
  // An idle client losing its server must not crash the host: the next query reports it.
  // A checked-out client losing its server emits too (besides failing its query): same answer.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));

  let state: TeamStatus['state'] = 'connecting';
  let refused = 0;
  let lastRefusal: string | null = null;
  let lastError: string | null = null;
  let closed = false;
  let migrated = false;
  let open: Array<{ scope: string; path: string; openedAt: string; editingSince: string | null }> =
    [];
  let listener: pg.Client | null = null;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const localJournal = options.db.prepare(
    'SELECT id, connection_id, resource_path, revision, body_hash, body, source, seen_at FROM journal WHERE id = ?',
  );
  const localAudit = options.db.prepare('SELECT * FROM audit WHERE id = ?');
  const localConnection = options.db.prepare('SELECT id FROM connections WHERE id = ?');
  const localBatches = createBatchStore(options.db);
  // Rows only a teammate's copy saw are imported so they can be opened and compared like any other;
  // last_seen_at stays at the epoch so they never count as what *this* copy last saw of the server.
  const importRow = options.db
    .prepare(`INSERT INTO journal (connection_id, resource_path, revision, body_hash, body, source, seen_at, last_seen_at)
    SELECT ?, ?, ?, ?, ?, ?, ?, '${NEVER_SEEN}'
    WHERE NOT EXISTS (SELECT 1 FROM journal WHERE connection_id = ? AND resource_path = ? AND revision IS ? AND body_hash = ?)`);
  // Who saved an imported row, as the team store said: an imported save is a teammate's, so with
  // the store unreachable it must not be taken for one of this operator's own (source 'saved').
  options.db.exec(
    'CREATE TABLE IF NOT EXISTS team_imported (journal_id INTEGER PRIMARY KEY, saved_by TEXT)',
  );
  const markImported = options.db.prepare(
    'INSERT OR REPLACE INTO team_imported (journal_id, saved_by) VALUES (?, ?)',
  );
  const importedBy = options.db.prepare('SELECT saved_by FROM team_imported WHERE journal_id = ?');
  // Who this copy's own journal rows were written by, kept locally when they are queued (in the
  // same transaction, see mirror.ts): with the store unreachable, or a row not yet drained, history
  // names the operator at the desk then, not whoever holds the name now.
  options.db.exec(
    'CREATE TABLE IF NOT EXISTS team_journal_by (journal_id INTEGER PRIMARY KEY, first_operator TEXT NOT NULL, saved_by TEXT)',
  );
  const localSource = options.db.prepare('SELECT source FROM journal WHERE id = ?');
  const noteAuthor = options.db
    .prepare(`INSERT INTO team_journal_by (journal_id, first_operator, saved_by) VALUES (?, ?, ?)
    ON CONFLICT (journal_id) DO UPDATE SET saved_by = coalesce(team_journal_by.saved_by, excluded.saved_by)`);
  const authorOf = options.db.prepare(
    'SELECT first_operator, saved_by FROM team_journal_by WHERE journal_id = ?',
  );

  const connectionsById = () => new Map(options.connections().map((c) => [c.id, c]));
  const scopeOf = (connectionId: string): string | null => {
    const connection = connectionsById().get(connectionId);
    return connection ? connectionScope(connection, options.sandboxUrl()) : null;
  };
  const localRefs = (scope: string, resourcePath: string): ResourceRef[] =>
    options
      .connections()
      .filter((c) => connectionScope(c, options.sandboxUrl()) === scope)
      .map((c) => ({ connectionId: c.id, id: resourcePath }));

  const describeError = (error: unknown) =>
    (error instanceof Error ? error.message : String(error)) || 'the team store is unreachable';
  const wentOffline = (error: unknown) => {
    if (state !== 'refused') state = 'offline';
    lastError = describeError(error);
  };

  async function ensureSchema(): Promise<boolean> {
    if (migrated) return true;
    const result = await migrate(pool);
    if (!result.ok) {
      state = 'refused';
      lastError = result.error;
      return false;
    }
    migrated = true;
    return true;
  }

  // ---- drain: the outbox to PostgreSQL ----
  let draining = false;
  let drainAgain = false;
  let retryMs = 250;
  function kick(): void {
    if (closed) return;
    if (draining) {
      drainAgain = true;
      return;
    }
    drain().catch(wentOffline);
  }
  async function drain(): Promise<void> {
    draining = true;
    try {
      if (!(await ensureSchema())) return;
      for (;;) {
        const batch = outbox.head(100);
        if (batch.length === 0) break;
        try {
          await sendBatch(batch);
        } catch (error) {
          // Rolled back, and this copy has a new host id now: send the same rows again under it.
          if (error instanceof HostIdCollision) continue;
          throw error;
        }
        for (const item of batch) outbox.done(item);
      }
      state = 'connected';
      lastError = null;
      retryMs = 250;
    } catch (error) {
      wentOffline(error);
      later(retryMs, kick);
      retryMs = Math.min(retryMs * 2, 5000);
    } finally {
      draining = false;
      if (drainAgain && !closed) {
        drainAgain = false;
        kick();
      }
    }
  }

  /**
   * Runs `work` on one client inside a transaction opened with `begin`: committed when it returns,
   * rolled back when it throws (the error goes on to the caller).
   */
  async function inTransaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function sendBatch(batch: OutboxItem[]): Promise<void> {
    // NOTIFY is delivered at commit, so a listener never reads a row that is not there yet.
    await inTransaction(async (client) => {
      for (const item of batch) {
        // One row the database refuses (bad data, not a lost connection) must not hold up the
        // queue behind it: it stays in the local store, is reported, and is not sent again.
        await client.query('SAVEPOINT item');
        try {
          const notice = await sendItem(client, item);
          if (notice) await client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, notice]);
          await client.query('RELEASE SAVEPOINT item');
        } catch (error) {
          if (!isRefusedData(error)) throw error;
          await client.query('ROLLBACK TO SAVEPOINT item');
          refused++;
          lastRefusal = `The team store refused ${item.kind} row ${item.localId}: ${describeError(error)}. It stays in this copy's store only.`;
        }
      }
    });
  }

  async function sendItem(client: pg.PoolClient, item: OutboxItem): Promise<string | null> {
    // Who wrote the row, as queued at the time (see outbox.ts); rows queued by the first-join
    // backfill carry none and are credited to the operator who joined.
    const operator = item.operator ?? options.operator;
    // Teammates' desk clocks disagree: a row's time travels as its age by this desk's clock and
    // lands as database time, so the shared audit and history order desks' rows as they happened
    // (a desk an hour slow would otherwise put its writes an hour before everyone else's).
    // clock_timestamp(), not now(): now() is when the drain's transaction began, earlier than
    // the moment the age was measured, and would place a row before the time it was written.
    const sentAt = Date.now();
    const ageMs = (iso: string) => Math.max(0, sentAt - Date.parse(iso));
    switch (item.kind) {
      case 'journal': {
        const row = localJournal.get(Number(item.localId)) as
          | {
              connection_id: string;
              resource_path: string;
              revision: string | null;
              body_hash: string;
              body: string;
              source: string;
              seen_at: string;
            }
          | undefined;
        const scope = row ? scopeOf(row.connection_id) : null;
        if (!row || !scope) return null;
        const saved = row.source === 'saved';
        const result = await client.query<{ id: string }>(
          `INSERT INTO journal (scope, resource_path, revision, body_hash, body, source, first_seen_at, first_operator, saved_by, saved_host)
           VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp() - make_interval(secs => $7::double precision / 1000), $8, $9, $10)
           ON CONFLICT (scope, resource_path, coalesce(revision, ''), body_hash) DO UPDATE
             SET saved_by = coalesce(journal.saved_by, excluded.saved_by), saved_host = coalesce(journal.saved_host, excluded.saved_host)
             WHERE journal.saved_by IS NULL AND excluded.saved_by IS NOT NULL
           RETURNING id`,
          [
            scope,
            row.resource_path,
            row.revision,
            row.body_hash,
            row.body,
            row.source,
            ageMs(row.seen_at),
            operator,
            saved ? operator : null,
            saved ? hostId : null,
          ],
        );
        // No row returned: it was there already with nothing new to say; nobody needs waking.
        return result.rows[0] ? `journal:${result.rows[0].id}` : null;
      }
      case 'audit': {
        const row = localAudit.get(Number(item.localId)) as AuditRow | undefined;
        const connection = row ? connectionsById().get(row.connection_id) : undefined;
        if (!row || !connection) return null;
        const result = await client.query<{ id: string }>(
          `INSERT INTO audit (host_id, local_id, operator, os_user, scope, connection_name, resource_path, mode, from_revision, to_revision, state, outcome, paths, replaced, at, batch_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, clock_timestamp() - make_interval(secs => $15::double precision / 1000), $16)
           ON CONFLICT (host_id, local_id) DO UPDATE
             SET to_revision = excluded.to_revision, state = excluded.state, outcome = excluded.outcome, batch_id = excluded.batch_id, updated_at = now()
             WHERE (audit.resource_path, audit.mode, audit.from_revision, audit.paths, audit.os_user)
               IS NOT DISTINCT FROM (excluded.resource_path, excluded.mode, excluded.from_revision, excluded.paths, excluded.os_user)
           RETURNING id`,
          [
            hostId,
            row.id,
            operator,
            row.os_user,
            connectionScope(connection, options.sandboxUrl()),
            connection.name,
            row.resource_path,
            row.mode,
            row.from_revision,
            row.to_revision,
            row.state,
            row.outcome,
            row.paths_json,
            row.replaced_json,
            ageMs(row.at),
            row.batch_id,
          ],
        );
        if (!result.rows[0]) {
          // (Compared: the row's fields that never change locally; not the scope, which follows
          // an edited connection.)
          // Under this host id and local id the store holds a different write: another desk runs
          // a copy of this data directory. Overwriting would rewrite that desk's audit row (and
          // lose this one); instead this copy takes a new host id and the whole batch is sent again.
          hostId = outbox.renewHostId();
          lastRefusal =
            'This data directory was copied to another desk (both had the same team identity): this copy now has its own and sent its rows again under it.';
          throw new HostIdCollision();
        }
        return `audit:${result.rows[0].id}`;
      }
      case 'batch': {
        // The whole report as it is now: the batch row, then every target, each under its key.
        const batch = localBatches.get(item.localId);
        const connection = batch ? connectionsById().get(batch.connectionId) : undefined;
        if (!batch || !connection) return null;
        // The counts and the targets are read together, before anything is awaited: a decision
        // landing while the batch row is written must not give the team targets newer than counts.
        const tally = localBatches.counts(batch.id);
        const targets = localBatches.targets(batch.id).map((t, seq) => ({
          seq,
          resource_path: t.resourceId,
          status: t.status,
          attempts: t.attempts,
          sent: t.sent,
          reason: t.reason,
          signature: t.signature,
          from_revision: t.fromRevision,
          to_revision: t.toRevision,
          audit_local_id: t.auditId,
        }));
        const report = await client.query(
          `INSERT INTO batch_reports (batch_id, host_id, operator, scope, connection_name, description, intents, state, total, writes_sent, counts, created_at, started_at, finished_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,
                   clock_timestamp() - make_interval(secs => $12::double precision / 1000),
                   clock_timestamp() - make_interval(secs => $13::double precision / 1000),
                   clock_timestamp() - make_interval(secs => $14::double precision / 1000))
           ON CONFLICT (batch_id) DO UPDATE
             SET state = excluded.state, total = excluded.total, writes_sent = excluded.writes_sent, counts = excluded.counts,
                 started_at = excluded.started_at, finished_at = excluded.finished_at, updated_at = now()
             WHERE batch_reports.host_id = excluded.host_id`,
          [
            batch.id,
            hostId,
            operator,
            connectionScope(connection, options.sandboxUrl()),
            connection.name,
            batch.description,
            // Lossless: an intent's integer beyond 2^53 is a bigint, which JSON.stringify refuses.
            stringifyJson(batch.intents as unknown as JsonValue),
            batch.state,
            tally.total,
            tally.writes,
            JSON.stringify(tally.counts),
            // As ages, like every time this desk sends (see ageMs above).
            ageMs(batch.createdAt),
            batch.startedAt === null ? null : ageMs(batch.startedAt),
            batch.finishedAt === null ? null : ageMs(batch.finishedAt),
          ],
        );
        // Another host's batch under the same id (not expected of a random UUID): leave its targets alone.
        if (report.rowCount === 0) return null;
        await client.query(
          `INSERT INTO batch_report_targets (batch_id, seq, resource_path, status, attempts, sent, reason, signature, from_revision, to_revision, audit_local_id)
           SELECT $1, t.seq, t.resource_path, t.status, t.attempts, t.sent, t.reason, t.signature, t.from_revision, t.to_revision, t.audit_local_id
             FROM jsonb_to_recordset($2::jsonb) AS t(seq integer, resource_path text, status text, attempts integer, sent boolean, reason text, signature text, from_revision text, to_revision text, audit_local_id bigint)
           ON CONFLICT (batch_id, resource_path) DO UPDATE
             SET status = excluded.status, attempts = excluded.attempts, sent = excluded.sent, reason = excluded.reason, signature = excluded.signature,
                 from_revision = excluded.from_revision, to_revision = excluded.to_revision, audit_local_id = excluded.audit_local_id, updated_at = now()
             WHERE (batch_report_targets.status, batch_report_targets.attempts, batch_report_targets.sent, batch_report_targets.reason, batch_report_targets.signature,
                    batch_report_targets.from_revision, batch_report_targets.to_revision, batch_report_targets.audit_local_id)
               IS DISTINCT FROM (excluded.status, excluded.attempts, excluded.sent, excluded.reason, excluded.signature, excluded.from_revision, excluded.to_revision, excluded.audit_local_id)`,
          [batch.id, JSON.stringify(targets)],
        );
        return null;
      }
      case 'connection': {
        const exists = localConnection.get(item.localId);
        const connection = exists ? connectionsById().get(item.localId) : undefined;
        // Sandbox connections point at each operator's own embedded sandbox: nothing to share.
        if (!connection || connection.isSandbox) return null;
        const auth = connection.auth;
        await client.query(
          `INSERT INTO connections (scope, name, profile_id, base_url, params, auth_kind, auth_user, auth_header, custom_profile, shared_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (scope) DO UPDATE SET name = excluded.name, auth_kind = excluded.auth_kind, auth_user = excluded.auth_user,
             auth_header = excluded.auth_header, custom_profile = excluded.custom_profile, shared_by = excluded.shared_by, updated_at = now()`,
          [
            connectionScope(connection, null),
            connection.name,
            connection.profileId,
            connection.baseUrl,
            JSON.stringify(connection.params),
            auth.kind,
            auth.kind === 'basic' ? auth.username : null,
            auth.kind === 'api-key-header' ? auth.header : null,
            connection.customProfile === null ? null : JSON.stringify(connection.customProfile),
            operator,
          ],
        );
        return null;
      }
    }
  }

  // ---- listen: ids only, then read the row ----
  let listenRetryMs = 250;
  async function listen(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: 3000,
      application_name: `conflict-desk listen ${options.operator}`,
    });
    const reconnect = () => {
      if (listener !== client) return;
      listener = null;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined); // the connection is being dropped anyway
      later(listenRetryMs, () => listen().catch(wentOffline));
      listenRetryMs = Math.min(listenRetryMs * 2, 5000);
    };
    client.on('error', reconnect);
    client.on('end', reconnect);
    client.on('notification', (message) =>
      onNotification(message.payload ?? '').catch(wentOffline),
    );
    listener = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      listenRetryMs = 250;
      // Back after a gap: whatever was announced meanwhile is read by the next fetch of each view.
      options.onPresence();
      kick();
    } catch (error) {
      wentOffline(error);
      reconnect();
    }
  }

  async function onNotification(payload: string): Promise<void> {
    const [kind, id] = payload.split(':', 2);
    if (!id || closed) return;
    try {
      if (kind === 'presence') {
        if (id !== hostId) options.onPresence();
      } else if (kind === 'journal') {
        const row = (
          await pool.query<{
            scope: string;
            resource_path: string;
            saved_by: string | null;
            saved_host: string | null;
          }>('SELECT scope, resource_path, saved_by, saved_host FROM journal WHERE id = $1', [id])
        ).rows[0];
        if (!row) return;
        const byTeammate = row.saved_host !== null && row.saved_host !== hostId;
        for (const ref of localRefs(row.scope, row.resource_path))
          options.onChange({ ref, savedBy: row.saved_by, savedByTeammate: byTeammate });
      } else if (kind === 'audit') {
        const row = (
          await pool.query<{
            scope: string;
            resource_path: string;
            host_id: string;
            operator: string;
          }>('SELECT scope, resource_path, host_id, operator FROM audit WHERE id = $1', [id])
        ).rows[0];
        if (!row || row.host_id === hostId) return;
        for (const ref of localRefs(row.scope, row.resource_path))
          options.onChange({ ref, savedBy: null, savedByTeammate: false });
      }
    } catch (error) {
      wentOffline(error);
    }
  }

  // ---- presence: heartbeats with an expiry ----
  let beating = false;
  let lastAnnounced = '';
  async function heartbeat(): Promise<void> {
    if (closed || beating) return;
    beating = true;
    const current = open;
    try {
      if (!(await ensureSchema())) return;
      const signature = JSON.stringify(
        current.map((item) => [item.scope, item.path, item.editingSince]),
      );
      await inTransaction(async (client) => {
        // This desk's clock may disagree with a teammate's: its times travel as ages ("opened 12 s
        // ago") and the database turns them into its own time, the clock every reader measures with.
        const nowMs = Date.now();
        const ageMs = (iso: string) => Math.max(0, nowMs - Date.parse(iso));
        for (const item of current) {
          await client.query(
            `INSERT INTO presence (host_id, operator, scope, resource_path, opened_at, editing_since, heartbeat_at, expires_at)
             VALUES ($1, $2, $3, $4, clock_timestamp() - make_interval(secs => $5::double precision / 1000),
                     clock_timestamp() - make_interval(secs => $6::double precision / 1000),
                     now(), now() + make_interval(secs => $7::double precision / 1000))
             ON CONFLICT (host_id, scope, resource_path) DO UPDATE
               SET operator = excluded.operator, editing_since = excluded.editing_since, heartbeat_at = now(), expires_at = excluded.expires_at`,
            [
              hostId,
              options.operator,
              item.scope,
              item.path,
              ageMs(item.openedAt),
              item.editingSince === null ? null : ageMs(item.editingSince),
              ttlMs,
            ],
          );
        }
        await client.query(
          'DELETE FROM presence WHERE host_id = $1 AND (scope, resource_path) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]))',
          [hostId, current.map((item) => item.scope), current.map((item) => item.path)],
        );
        if (signature !== lastAnnounced)
          await client.query('SELECT pg_notify($1, $2)', [NOTIFY_CHANNEL, `presence:${hostId}`]);
      });
      lastAnnounced = signature;
    } catch (error) {
      wentOffline(error);
    } finally {
      beating = false;
    }
  }
  const beat = setInterval(() => heartbeat().catch(wentOffline), heartbeatMs);

  listen().catch(wentOffline);
  kick();

  return {
    get hostId(): string {
      return hostId;
    },
    operator: options.operator,
    queue(kind: OutboxItem['kind'], localId: number | string): void {
      if (kind === 'journal') {
        const row = localSource.get(Number(localId)) as { source: string } | undefined;
        if (row)
          noteAuthor.run(
            Number(localId),
            options.operator,
            row.source === 'saved' ? options.operator : null,
          );
      }
      outbox.enqueue(kind, localId, options.operator);
      kick();
    },
    status(): TeamStatus {
      return {
        configured: true,
        state,
        operator: options.operator,
        where: describeWhere(options.url),
        queued: outbox.size(),
        lastError: lastError ?? lastRefusal,
        source: options.source,
        refused,
      };
    },
    /** Everything queued has reached the team store (tests and the status line use it). */
    async flush(): Promise<boolean> {
      kick();
      while (draining) await new Promise((resolve) => setTimeout(resolve, 10));
      return outbox.size() === 0;
    },
    /** The resources this host has open now (replaces the previous set) and since when each is being edited. */
    setOpen(items: OpenResourceInput[]): void {
      const before = new Map(open.map((o) => [`${o.scope}\u0000${o.path}`, o]));
      const now = new Date().toISOString();
      open = items.flatMap(({ ref, editingSince }) => {
        const scope = scopeOf(ref.connectionId);
        if (!scope) return [];
        const previous = before.get(`${scope}\u0000${ref.id}`);
        return [{ scope, path: ref.id, openedAt: previous?.openedAt ?? now, editingSince }];
      });
      heartbeat().catch(wentOffline);
    },
    async presence(connectionId: string): Promise<TeamPresence[] | { error: string }> {
      const scope = scopeOf(connectionId);
      if (!scope) return [];
      try {
        const rows = (
          await pool.query<{
            resource_path: string;
            operator: string;
            open_ms: number;
            editing_ms: number | null;
          }>(
            `SELECT resource_path, operator,
                  (extract(epoch FROM now() - opened_at) * 1000)::float8 AS open_ms,
                  (extract(epoch FROM now() - editing_since) * 1000)::float8 AS editing_ms
             FROM presence WHERE scope = $1 AND host_id <> $2 AND expires_at > now() ORDER BY resource_path, operator`,
            [scope, hostId],
          )
        ).rows;
        return rows.map((r) => ({
          resourceId: r.resource_path,
          operator: r.operator,
          openForMs: Math.max(0, Math.round(r.open_ms)),
          editingForMs: r.editing_ms === null ? null : Math.max(0, Math.round(r.editing_ms)),
        }));
      } catch (error) {
        wentOffline(error);
        return { error: describeError(error) };
      }
    },
    /**
     * History reads the union: the local journal plus what teammates' copies recorded, each entry
     * with who saved it. Unreachable store: the local entries, attributed from what this copy knows.
     */
    async annotateHistory(
      ref: ResourceRef,
      local: () => HistoryEntry[],
    ): Promise<{ entries: HistoryEntry[]; online: boolean }> {
      const scope = scopeOf(ref.connectionId);
      let rows: JournalPgRow[] | null = null;
      if (scope) {
        try {
          rows =
            // A body larger than any server answer a desk reads (http-client's cap; decoded, each
            // undecodable byte becomes U+FFFD, three bytes of UTF-8) cannot be one a teammate's copy
            // saw: it was written into the shared store some other way, and is neither read (every
            // desk would pull it on each history view) nor imported.
            (
              await pool.query<JournalPgRow>(
                'SELECT id, revision, body_hash, body, source, first_seen_at, first_operator, saved_by FROM journal WHERE scope = $1 AND resource_path = $2 AND octet_length(body) <= $3 ORDER BY id',
                [scope, ref.id, 3 * DEFAULT_MAX_BYTES],
              )
            ).rows;
        } catch (error) {
          wentOffline(error);
        }
      }
      const key = (revision: string | null, hash: string) => `${revision ?? ''}\u0000${hash}`;
      const known = new Set(local().map((e) => key(e.revision, e.bodyHash)));
      for (const row of rows ?? []) {
        if (known.has(key(row.revision, row.body_hash))) continue;
        const source = row.saved_by ? 'saved' : row.source;
        const imported = importRow.run(
          ref.connectionId,
          ref.id,
          row.revision,
          row.body_hash,
          row.body,
          source,
          row.first_seen_at.toISOString(),
          ref.connectionId,
          ref.id,
          row.revision,
          row.body_hash,
        );
        if (imported.changes > 0) markImported.run(imported.lastInsertRowid, row.saved_by);
      }
      const team = new Map((rows ?? []).map((r) => [key(r.revision, r.body_hash), r]));
      const entries = local().map((entry): HistoryEntry => {
        const shared = team.get(key(entry.revision, entry.bodyHash));
        const imported = shared
          ? undefined
          : (importedBy.get(entry.journalId) as { saved_by: string | null } | undefined);
        const author = shared
          ? undefined
          : (authorOf.get(entry.journalId) as
              { first_operator: string; saved_by: string | null } | undefined);
        // Rows journalled before this copy joined (or while the store was off) have no author
        // noted: the operator in force is the best this copy knows.
        const savedBy = shared
          ? shared.saved_by
          : imported
            ? imported.saved_by
            : author?.saved_by
              ? author.saved_by
              : entry.source === 'saved'
                ? options.operator
                : null;
        // An imported row's epoch last_seen_at is bookkeeping (see importRow), not a time to show.
        const lastSeenAt = entry.lastSeenAt === NEVER_SEEN ? entry.seenAt : entry.lastSeenAt;
        return {
          ...entry,
          lastSeenAt,
          team: {
            savedBy,
            firstSeenBy: shared?.first_operator ?? author?.first_operator ?? options.operator,
            teamOnly: entry.lastSeenAt === NEVER_SEEN,
          },
        };
      });
      entries.sort((a, b) => a.seenAt.localeCompare(b.seenAt) || a.journalId - b.journalId);
      return { entries, online: rows !== null };
    },
    async audit(filter: TeamAuditFilter): Promise<SharedAuditEntry[] | { error: string }> {
      const where: string[] = [];
      const values: unknown[] = [];
      const add = (sql: string, value: unknown) => {
        values.push(value);
        where.push(sql.replace('?', `$${values.length}`));
      };
      if (filter.operator) add('operator = ?', filter.operator);
      if (filter.scope) add('scope = ?', filter.scope);
      if (filter.resourceId) add('resource_path = ?', filter.resourceId);
      if (filter.since) add('at >= ?', filter.since);
      if (filter.until) add('at < ?', filter.until);
      values.push(filter.limit ?? 1000);
      try {
        const rows = (
          await pool.query<{
            host_id: string;
            local_id: string;
            at: Date;
            operator: string;
            connection_name: string;
            resource_path: string;
            mode: string;
            state: string;
            outcome: string;
            from_revision: string | null;
            to_revision: string | null;
            paths: unknown;
            batch_id: string | null;
          }>(
            `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at, id LIMIT $${values.length}`,
            values,
          )
        ).rows;
        return rows.map((r) => ({
          key: `${r.host_id}:${r.local_id}`,
          at: r.at.toISOString(),
          operator: r.operator,
          connectionName: r.connection_name,
          resourceId: r.resource_path,
          mode: r.mode as SharedAuditEntry['mode'],
          state: r.state as SharedAuditEntry['state'],
          outcome: r.outcome,
          fromRevision: r.from_revision,
          toRevision: r.to_revision,
          paths: pathList(r.paths),
          batchId: r.batch_id,
        }));
      } catch (error) {
        wentOffline(error);
        return { error: describeError(error) };
      }
    },
    /** The team's batch reports, newest first; with a resource, only the batches that touched it (and only its target). */
    async batches(filter: TeamBatchFilter): Promise<SharedBatchReport[] | { error: string }> {
      const where: string[] = [];
      const values: unknown[] = [];
      if (filter.scope) {
        values.push(filter.scope);
        where.push(`r.scope = $${values.length}`);
      }
      if (filter.resourceId) {
        values.push(filter.resourceId);
        where.push(
          `EXISTS (SELECT 1 FROM batch_report_targets x WHERE x.batch_id = r.batch_id AND x.resource_path = $${values.length})`,
        );
      }
      values.push(filter.limit ?? 100);
      try {
        // One snapshot for the reports and their targets: a push committed between two reads
        // would pair a report's old counts with its new targets.
        const { reports, targets } = await inTransaction(async (client) => {
          const reports = (
            await client.query<{
              batch_id: string;
              host_id: string;
              operator: string;
              connection_name: string;
              description: string;
              state: string;
              total: number;
              writes_sent: number;
              counts: BatchCounts;
              created_at: Date;
              started_at: Date | null;
              finished_at: Date | null;
            }>(
              `SELECT * FROM batch_reports r ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, batch_id LIMIT $${values.length}`,
              values,
            )
          ).rows;
          const ids = reports.map((r) => r.batch_id);
          const targets = (
            await client.query<{
              batch_id: string;
              resource_path: string;
              status: string;
              attempts: number;
              sent: boolean;
              reason: string | null;
              signature: string | null;
              from_revision: string | null;
              to_revision: string | null;
              audit_local_id: string | null;
            }>(
              `SELECT * FROM batch_report_targets WHERE batch_id = ANY($1::text[]) ${filter.resourceId ? 'AND resource_path = $2' : ''} ORDER BY batch_id, seq`,
              filter.resourceId ? [ids, filter.resourceId] : [ids],
            )
          ).rows;
          return { reports, targets };
        }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const hostOf = new Map(reports.map((r) => [r.batch_id, r.host_id]));
        const byBatch = new Map<string, SharedBatchReport['targets']>();
        for (const t of targets) {
          // Pushed, not copied per target: a batch of 100,000 targets took minutes to read.
          let list = byBatch.get(t.batch_id);
          if (list === undefined) byBatch.set(t.batch_id, (list = []));
          list.push({
            resourceId: t.resource_path,
            status: t.status as BatchTargetStatus,
            attempts: t.attempts,
            sent: t.sent,
            reason: t.reason,
            signature: t.signature,
            fromRevision: t.from_revision,
            toRevision: t.to_revision,
            auditKey:
              t.audit_local_id === null ? null : `${hostOf.get(t.batch_id)}:${t.audit_local_id}`,
          });
        }
        return reports.map((r) => ({
          batchId: r.batch_id,
          operator: r.operator,
          connectionName: r.connection_name,
          description: r.description,
          state: r.state as BatchState,
          createdAt: r.created_at.toISOString(),
          startedAt: r.started_at?.toISOString() ?? null,
          finishedAt: r.finished_at?.toISOString() ?? null,
          total: r.total,
          writesSent: r.writes_sent,
          counts: r.counts,
          targets: byBatch.get(r.batch_id) ?? [],
        }));
      } catch (error) {
        wentOffline(error);
        return { error: describeError(error) };
      }
    },
    async sharedConnections(): Promise<SharedConnection[] | { error: string }> {
      try {
        const rows = (
          await pool.query<{
            scope: string;
            name: string;
            profile_id: string;
            base_url: string;
            params: Record<string, string>;
            auth_kind: string;
            auth_user: string | null;
            auth_header: string | null;
            custom_profile: unknown;
            shared_by: string;
            updated_at: Date;
          }>('SELECT * FROM connections ORDER BY name')
        ).rows;
        const here = new Set(
          options
            .connections()
            .filter((c) => !c.isSandbox)
            .map((c) => connectionScope(c, null)),
        );
        return rows.map((r) => ({
          name: r.name,
          profileId: r.profile_id,
          baseUrl: r.base_url,
          params: r.params,
          auth: {
            kind: r.auth_kind as SharedConnection['auth']['kind'],
            ...(r.auth_user !== null ? { username: r.auth_user } : {}),
            ...(r.auth_header !== null ? { header: r.auth_header } : {}),
          },
          customProfile: r.custom_profile ?? null,
          sharedBy: r.shared_by,
          updatedAt: r.updated_at.toISOString(),
          alreadyHere: here.has(r.scope),
        }));
      } catch (error) {
        wentOffline(error);
        return { error: describeError(error) };
      }
    },
    scopeOf,
    async close(): Promise<void> {
      closed = true;
      clearInterval(beat);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (draining || beating) await new Promise((resolve) => setTimeout(resolve, 10));
      // Leaving on purpose: say so at once rather than waiting for the expiry.
      await pool
        .query(
          'WITH gone AS (DELETE FROM presence WHERE host_id = $1 RETURNING 1) SELECT pg_notify($2, $3) FROM (SELECT count(*) FROM gone) g',
          [hostId, NOTIFY_CHANNEL, `presence:${hostId}`],
        )
        .catch(() => undefined);
      const client = listener;
      listener = null;
      await client?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}

export type TeamStore = ReturnType<typeof openTeamStore>;

/**
 * An audit row's paths as the contract promises them (a list of strings). Any team member can
 * write the shared store: a row whose jsonb is not such a list is shown for what it holds, not
 * allowed to break the whole audit (the view and the CSV export join the list).
 */
function pathList(paths: unknown): string[] {
  const text = (p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p));
  return Array.isArray(paths) ? paths.map(text) : [text(paths)];
}

/** Thrown inside a drain's transaction to roll it back and send it again under a new host id. */
class HostIdCollision extends Error {}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the row, not the connection, is at fault. */
function isRefusedData(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** The store's address for display: user, host, port and database, never the password. */
export function describeWhere(url: string): string {
  try {
    const { url: parsed } = splitSecretQuery(new URL(url));
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'an invalid PostgreSQL address';
  }
}
