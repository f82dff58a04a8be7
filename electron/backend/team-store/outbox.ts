// The local side of the team store: a queue in the operator's own node:sqlite file. Every local
// journal or audit row meant for the team is queued by pointer (kind + local id) in the same
// process step that wrote it; the drain reads the row as it is *now* and upserts it under an
// idempotent key, so a row queued twice, or drained twice after a crash, lands once.
// These tables live outside the local schema's numbered migrations on purpose: they belong to
// this optional module and are created only when a team store is configured.
import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { transaction } from '../store/database';

export type OutboxKind = 'journal' | 'audit' | 'connection' | 'batch';
/** `operator`: who was at the desk when the row was written (null: queued by a backfill). */
export type OutboxItem = {
  kind: OutboxKind;
  localId: string;
  seq: number;
  operator: string | null;
};

export function createOutbox(db: DatabaseSync) {
  db.exec(`
    CREATE TABLE IF NOT EXISTS team_outbox (
      kind TEXT NOT NULL,
      local_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      queued_at TEXT NOT NULL,
      PRIMARY KEY (kind, local_id)
    );
    CREATE TABLE IF NOT EXISTS team_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS team_imported (journal_id INTEGER PRIMARY KEY, saved_by TEXT);
  `);
  // The operator's name is taken when the row is written, not when it reaches the team store: a
  // rename (or another operator taking over the desk) while rows wait must not credit them to the
  // new name. Outboxes made before this column get it here; their rows fall back to the name in force.
  const columns = db.prepare('PRAGMA table_info(team_outbox)').all() as Array<{ name: string }>;
  if (!columns.some((c) => c.name === 'operator'))
    db.exec('ALTER TABLE team_outbox ADD COLUMN operator TEXT');
  const getMeta = db.prepare('SELECT value FROM team_meta WHERE key = ?');
  const setMeta = db.prepare(
    'INSERT INTO team_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING',
  );
  // seq grows with every (re)queue: a row settled while its earlier state was being drained is
  // queued again, and the drain deletes only the seq it actually sent.
  const nextSeq = db.prepare('SELECT coalesce(max(seq), 0) + 1 AS seq FROM team_outbox');
  // Queued again before it drained: an audit row or a batch keeps the name of whoever began it
  // (a settle is the same write); a journal row is queued again only when it becomes "saved", and
  // then the saver is the one to name.
  const enqueue =
    db.prepare(`INSERT INTO team_outbox (kind, local_id, seq, queued_at, operator) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (kind, local_id) DO UPDATE SET seq = excluded.seq, queued_at = excluded.queued_at,
      operator = CASE WHEN excluded.kind = 'journal' THEN excluded.operator ELSE coalesce(team_outbox.operator, excluded.operator) END`);
  const head = db.prepare(
    'SELECT kind, local_id, seq, operator FROM team_outbox ORDER BY seq LIMIT ?',
  );
  const done = db.prepare('DELETE FROM team_outbox WHERE kind = ? AND local_id = ? AND seq = ?');
  const size = db.prepare('SELECT count(*) AS n FROM team_outbox');
  // The highest journal and audit ids ever queued: rows above them were written while no team
  // store was in force (turned off, then on again) and are queued when it is back (catchUp).
  const raiseMark = db.prepare(`INSERT INTO team_meta (key, value) VALUES (?, ?)
    ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`);
  const markOf = (kind: 'journal' | 'audit') =>
    Number((getMeta.get(`queued-up-to-${kind}`) as { value: string } | undefined)?.value ?? 0);
  const maxId = (table: 'journal' | 'audit') =>
    (db.prepare(`SELECT coalesce(max(id), 0) AS n FROM ${table}`).get() as { n: number }).n;
  let counter = 0;

  /**
   * Batch reports joined the team store later (schema 2): a copy that joined before has its
   * batches (and its batches' audit rows) queued once too, whether or not the journal backfill ran.
   */
  function backfillBatchesOnce(): void {
    if (getMeta.get('backfilled-batches')) return;
    transaction(db, () => {
      const now = new Date().toISOString();
      const base = (nextSeq.get() as { seq: number }).seq;
      db.prepare(
        `INSERT INTO team_outbox (kind, local_id, seq, queued_at) SELECT 'batch', id, ? + rowid, ? FROM batches WHERE true
        ON CONFLICT (kind, local_id) DO NOTHING`,
      ).run(base, now);
      // A batch's audit rows drained under schema 1 lack their batch id: send them again.
      const after = (nextSeq.get() as { seq: number }).seq;
      db.prepare(
        `INSERT INTO team_outbox (kind, local_id, seq, queued_at) SELECT 'audit', CAST(id AS TEXT), ? + rowid, ? FROM audit WHERE batch_id IS NOT NULL
        ON CONFLICT (kind, local_id) DO NOTHING`,
      ).run(after, now);
      setMeta.run('backfilled-batches', now);
    });
    counter = (nextSeq.get() as { seq: number }).seq;
  }

  return {
    /** This data directory's identity in the team store (stable across restarts). */
    hostId(): string {
      const existing = getMeta.get('host_id') as { value: string } | undefined;
      if (existing) return existing.value;
      setMeta.run('host_id', randomUUID());
      return (getMeta.get('host_id') as { value: string }).value;
    },
    /** A new identity for this data directory (it turned out to be shared with a copy of it). */
    renewHostId(): string {
      const id = randomUUID();
      db.prepare(`UPDATE team_meta SET value = ? WHERE key = 'host_id'`).run(id);
      return id;
    },
    /**
     * The first time this data directory joins a team store, what it already holds (journal,
     * audit, connections) is queued too, so history from before the team store is shared.
     */
    backfillOnce(): void {
      backfillBatchesOnce();
      if (getMeta.get('backfilled')) return;
      transaction(db, () => {
        const now = new Date().toISOString();
        const base = (nextSeq.get() as { seq: number }).seq;
        for (const [kind, table] of [
          ['connection', 'connections'],
          ['journal', 'journal'],
          ['audit', 'audit'],
        ] as const) {
          db.prepare(
            `INSERT INTO team_outbox (kind, local_id, seq, queued_at) SELECT ?, CAST(id AS TEXT), ? + rowid, ? FROM ${table} WHERE true
            ON CONFLICT (kind, local_id) DO NOTHING`,
          ).run(kind, base, now);
        }
        setMeta.run('backfilled', now);
        raiseMark.run('queued-up-to-journal', maxId('journal'));
        raiseMark.run('queued-up-to-audit', maxId('audit'));
      });
      counter = (nextSeq.get() as { seq: number }).seq;
    },
    /**
     * Journal and audit rows written since the last one queued (this copy ran without its team
     * store for a while): queued now, credited like the first join's backfill to the operator who
     * connects. Rows imported from teammates are theirs and are not sent back. A copy that joined
     * before the marks existed starts them here, at what it holds now.
     */
    catchUp(): void {
      transaction(db, () => {
        const now = new Date().toISOString();
        for (const kind of ['journal', 'audit'] as const) {
          if (!getMeta.get(`queued-up-to-${kind}`)) {
            raiseMark.run(`queued-up-to-${kind}`, maxId(kind));
            continue;
          }
          const base = (nextSeq.get() as { seq: number }).seq;
          db.prepare(
            `INSERT INTO team_outbox (kind, local_id, seq, queued_at) SELECT ?, CAST(id AS TEXT), ? + rowid, ? FROM ${kind}
             WHERE id > ? ${kind === 'journal' ? 'AND id NOT IN (SELECT journal_id FROM team_imported)' : ''}
            ON CONFLICT (kind, local_id) DO NOTHING`,
          ).run(kind, base, now, markOf(kind));
          raiseMark.run(`queued-up-to-${kind}`, maxId(kind));
        }
      });
      counter = Math.max(counter, (nextSeq.get() as { seq: number }).seq);
    },
    enqueue(kind: OutboxKind, localId: string | number, operator: string): void {
      const seq = Math.max((nextSeq.get() as { seq: number }).seq, ++counter);
      counter = seq;
      enqueue.run(kind, String(localId), seq, new Date().toISOString(), operator);
      if (kind === 'journal' || kind === 'audit') raiseMark.run(`queued-up-to-${kind}`, localId);
    },
    head(limit: number): OutboxItem[] {
      return (
        head.all(limit) as Array<{
          kind: OutboxKind;
          local_id: string;
          seq: number;
          operator: string | null;
        }>
      ).map((r) => ({ kind: r.kind, localId: r.local_id, seq: r.seq, operator: r.operator }));
    },
    done(item: OutboxItem): void {
      done.run(item.kind, item.localId, item.seq);
    },
    size: (): number => (size.get() as { n: number }).n,
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
