// Batches and their targets, persisted so a run's progress and its conflict queue survive a restart.
import type { DatabaseSync } from 'node:sqlite';
import type {
  BatchCounts,
  BatchState,
  BatchSummary,
  BatchTarget,
  BatchTargetStatus,
  MergeOptionsWire,
  ResourceBatch,
} from '../../../shared/api/types';
import type { BatchIntent } from '../../../shared/batch/intent';
import { parseJson, stringifyJson, type JsonValue } from '../../../shared/json';
import { transaction } from './database';

export const TARGET_STATUSES: readonly BatchTargetStatus[] = [
  'pending',
  'running',
  'applied',
  'reapplied',
  'queued',
  'skipped',
  'failed',
  'unknown',
  'kept-theirs',
  'merged',
  'cancelled',
];

type BatchRow = {
  id: string;
  connection_id: string;
  created_at: string;
  intents_json: string;
  concurrency: number;
  max_attempts: number;
  state: string;
  started_at: string | null;
  finished_at: string | null;
  description: string;
};
type TargetRow = {
  batch_id: string;
  seq: number;
  resource_id: string;
  status: string;
  attempts: number;
  sent: number;
  reason: string | null;
  signature: string | null;
  base_journal_id: number | null;
  theirs_journal_id: number | null;
  from_revision: string | null;
  to_revision: string | null;
  audit_id: number | null;
  updated_at: string;
};

export type StoredBatch = {
  id: string;
  connectionId: string;
  intents: BatchIntent[];
  concurrency: number;
  maxAttempts: number;
  state: BatchState;
  description: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};
export type TargetUpdate = Partial<Omit<BatchTarget, 'resourceId'>> & {
  /** Whether the target's latest write may still be in flight (see writeLeaving). */
  inFlight?: boolean;
};

const toTarget = (r: TargetRow): BatchTarget => ({
  resourceId: r.resource_id,
  status: r.status as BatchTargetStatus,
  attempts: r.attempts,
  sent: r.sent === 1,
  reason: r.reason,
  signature: r.signature,
  fromRevision: r.from_revision,
  toRevision: r.to_revision,
  baseJournalId: r.base_journal_id,
  theirsJournalId: r.theirs_journal_id,
  auditId: r.audit_id,
});

const toBatch = (r: BatchRow): StoredBatch => ({
  id: r.id,
  connectionId: r.connection_id,
  // Lossless: an intent's value may be an integer beyond 2^53 (a bigint), kept exactly.
  intents: intentsOf(r.intents_json),
  concurrency: r.concurrency,
  maxAttempts: r.max_attempts,
  state: r.state as BatchState,
  description: r.description,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

function intentsOf(text: string): BatchIntent[] {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new Error(`A stored batch's intents do not parse: ${parsed.error.message}`);
  return parsed.value as unknown as BatchIntent[];
}

export function createBatchStore(db: DatabaseSync) {
  const insertBatch = db.prepare(
    'INSERT INTO batches (id, connection_id, created_at, intents_json, concurrency, max_attempts, state, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTarget = db.prepare(
    `INSERT INTO batch_targets (batch_id, seq, resource_id, status, updated_at) VALUES (?, ?, ?, 'pending', ?)`,
  );
  const getBatch = db.prepare('SELECT * FROM batches WHERE id = ?');
  const allBatches = db.prepare('SELECT * FROM batches ORDER BY created_at DESC LIMIT 100');
  const setState = db.prepare(
    'UPDATE batches SET state = ?, started_at = COALESCE(started_at, ?), finished_at = ? WHERE id = ?',
  );
  const targets = db.prepare('SELECT * FROM batch_targets WHERE batch_id = ? ORDER BY seq');
  const targetsIn = db.prepare(
    'SELECT * FROM batch_targets WHERE batch_id = ? AND status = ? ORDER BY seq',
  );
  const target = db.prepare('SELECT * FROM batch_targets WHERE batch_id = ? AND resource_id = ?');
  const counts = db.prepare(
    'SELECT status, COUNT(*) AS n, SUM(writes) AS writes FROM batch_targets WHERE batch_id = ? GROUP BY status',
  );
  const byResource = db.prepare(
    'SELECT * FROM batch_targets WHERE resource_id = ? ORDER BY batch_id',
  );
  const resetRunning = db.prepare(
    `UPDATE batch_targets SET status = 'unknown', reason = 'The host stopped while this target was being written; check the server.', updated_at = ? WHERE batch_id = ? AND status = 'running' AND in_flight = 1`,
  );
  const updates = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const requeueRunning = db.prepare(
    `UPDATE batch_targets SET status = 'pending', updated_at = ? WHERE batch_id = ? AND status = 'running' AND in_flight = 0`,
  );
  const leaving = db.prepare(
    'UPDATE batch_targets SET sent = 1, in_flight = 1, writes = writes + 1, updated_at = ? WHERE batch_id = ? AND resource_id = ?',
  );
  const answered = db.prepare(
    'UPDATE batch_targets SET in_flight = 0, writes = MAX(writes - ?, 0), updated_at = ? WHERE batch_id = ? AND resource_id = ?',
  );

  return {
    create(
      batch: Omit<StoredBatch, 'state' | 'createdAt' | 'startedAt' | 'finishedAt'>,
      resourceIds: readonly string[],
    ): void {
      const now = new Date().toISOString();
      transaction(db, () => {
        insertBatch.run(
          batch.id,
          batch.connectionId,
          now,
          stringifyJson(batch.intents as unknown as JsonValue),
          batch.concurrency,
          batch.maxAttempts,
          'running',
          batch.description,
        );
        resourceIds.forEach((id, seq) => insertTarget.run(batch.id, seq, id, now));
      });
    },
    get(id: string): StoredBatch | null {
      const row = getBatch.get(id) as BatchRow | undefined;
      return row ? toBatch(row) : null;
    },
    list(): StoredBatch[] {
      return (allBatches.all() as BatchRow[]).map(toBatch);
    },
    setState(id: string, state: BatchState): void {
      const now = new Date().toISOString();
      setState.run(
        state,
        state === 'running' ? now : null,
        state === 'done' || state === 'cancelled' ? now : null,
        id,
      );
    },
    targets(id: string, status?: BatchTargetStatus): BatchTarget[] {
      return ((status ? targetsIn.all(id, status) : targets.all(id)) as TargetRow[]).map(toTarget);
    },
    target(id: string, resourceId: string): BatchTarget | null {
      const row = target.get(id, resourceId) as TargetRow | undefined;
      return row ? toTarget(row) : null;
    },
    update(id: string, resourceId: string, update: TargetUpdate): void {
      const columns: Record<keyof TargetUpdate, string> = {
        status: 'status',
        attempts: 'attempts',
        sent: 'sent',
        reason: 'reason',
        signature: 'signature',
        fromRevision: 'from_revision',
        toRevision: 'to_revision',
        baseJournalId: 'base_journal_id',
        theirsJournalId: 'theirs_journal_id',
        auditId: 'audit_id',
        inFlight: 'in_flight',
      };
      const entries = Object.entries(update).filter(([, v]) => v !== undefined) as Array<
        [keyof TargetUpdate, unknown]
      >;
      if (entries.length === 0) return;
      const sql = `UPDATE batch_targets SET ${entries.map(([k]) => `${columns[k]} = ?`).join(', ')}, updated_at = ? WHERE batch_id = ? AND resource_id = ?`;
      const values = entries.map(([, v]) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)) as Array<
        string | number | null
      >;
      let statement = updates.get(sql);
      if (!statement) updates.set(sql, (statement = db.prepare(sql)));
      statement.run(...values, new Date().toISOString(), id, resourceId);
    },
    /**
     * A write of the target is about to leave: recorded first, so a host killed while it is in
     * flight finds it (possibly) written — unknown at the next start, never sent again.
     */
    writeLeaving(id: string, resourceId: string): void {
      leaving.run(new Date().toISOString(), id, resourceId);
    },
    /**
     * The write's answer proves it applied nothing (a 429, a refusal as stale) or that it never
     * left (`left` false: not counted): a host killed from here on reads the target afresh.
     */
    writeAnswered(id: string, resourceId: string, left: boolean): void {
      answered.run(left ? 0 : 1, new Date().toISOString(), id, resourceId);
    },
    /** Targets by status, and `writes`: every write that left the app (each attempt of each target). */
    counts(id: string): { counts: BatchCounts; writes: number; total: number } {
      const out = Object.fromEntries(TARGET_STATUSES.map((s) => [s, 0])) as BatchCounts;
      let writes = 0;
      let total = 0;
      for (const row of counts.all(id) as Array<{
        status: BatchTargetStatus;
        n: number;
        writes: number | null;
      }>) {
        out[row.status] = row.n;
        writes += row.writes ?? 0;
        total += row.n;
      }
      return { counts: out, writes, total };
    },
    /** The batches that touched one resource, with what became of it (for its history). */
    ofResource(connectionId: string, resourceId: string): ResourceBatch[] {
      return (byResource.all(resourceId) as TargetRow[]).flatMap((r) => {
        const batch = getBatch.get(r.batch_id) as BatchRow | undefined;
        if (!batch || batch.connection_id !== connectionId) return [];
        return [
          {
            batchId: batch.id,
            description: batch.description,
            state: batch.state as BatchState,
            createdAt: batch.created_at,
            target: toTarget(r),
          },
        ];
      });
    },
    /**
     * After a restart: a target whose write may be in flight is unknown; one not written, or whose
     * last write's answer proved nothing applied (mid-read or waiting after a 429), goes back to pending.
     */
    recoverInterrupted(id: string): void {
      const now = new Date().toISOString();
      resetRunning.run(now, id);
      requeueRunning.run(now, id);
    },
  };
}

export type BatchStore = ReturnType<typeof createBatchStore>;

export function summaryOf(
  batch: StoredBatch,
  tally: { counts: BatchCounts; writes: number; total: number },
  mergeOptions: MergeOptionsWire = {},
): BatchSummary {
  const settled = tally.total - tally.counts.pending - tally.counts.running;
  const started = batch.startedAt ? Date.parse(batch.startedAt) : Date.now();
  const until = batch.finishedAt ? Date.parse(batch.finishedAt) : Date.now();
  const seconds = Math.max((until - started) / 1000, 0.001);
  return {
    batchId: batch.id,
    connectionId: batch.connectionId,
    description: batch.description,
    state: batch.state,
    createdAt: batch.createdAt,
    intents: batch.intents,
    mergeOptions,
    startedAt: batch.startedAt,
    finishedAt: batch.finishedAt,
    total: tally.total,
    counts: tally.counts,
    writesSent: tally.writes,
    rate: Math.round((settled / seconds) * 10) / 10,
    concurrency: batch.concurrency,
    observedAt: observedNow(),
  };
}

let lastObserved = 0;
/** A clock that never goes back, not even when the wall clock does: summaries read later are later. */
function observedNow(): number {
  lastObserved = Math.max(lastObserved + 0.001, performance.timeOrigin + performance.now());
  return lastObserved;
}
