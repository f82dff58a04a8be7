// Runs a batch: for each target, read (journalled), apply the intent, write conditionally on the
// revision read, with bounded concurrency. A 429 waits (Retry-After, else back-off) and tries the
// same write again (a 429 applies nothing). A conflict re-reads Server now and re-applies the
// intent there when the other writer changed nothing the intent writes; otherwise the target goes
// to the persistent conflict queue, grouped by the paths in conflict. Outcomes are the save's own:
// never "applied" unless the save was proven.
import { randomUUID } from 'node:crypto';
import type {
  ApiEvent,
  BatchPreview,
  BatchSummary,
  BatchTarget,
  ConflictGroup,
  PendingOutcome,
  ResourceRef,
  SaveResult,
} from '../../../shared/api/types';
import { decisionRefused } from '../../../shared/batch/decisions';
import { applyIntents, collidingPaths, type BatchIntent } from '../../../shared/batch/intent';
import {
  diffPaths,
  jsonEqual,
  parseJson,
  PRETTY,
  stringifyJson,
  type JsonValue,
} from '../../../shared/json';
import type { ResourceService } from '../resource-service';
import type { Store } from '../store';
import { csvCell } from '../team-store/csv';
import { summaryOf, type StoredBatch } from '../store/batches';

export type BatchDeps = {
  store: Store;
  resources: ResourceService;
  emit(event: ApiEvent): void;
  sleep?: (ms: number) => Promise<void>;
};

export type StartOptions = {
  connectionId: string;
  resourceIds: string[];
  intents: BatchIntent[];
  concurrency: number;
  maxAttempts: number;
  description: string;
};

const RATE_LIMIT_TRIES = 6;

type Stop = 'no' | 'pause' | 'cancel';
/** A run's controls. `halted` settles when pause or cancel is asked, so a wait (a 429's Retry-After) ends at once. */
type Control = { stop: Stop; done: Promise<void>; halted: Promise<void>; halt(stop: Stop): void };
function makeControl(): Control {
  let wake = () => {};
  const control: Control = {
    stop: 'no',
    done: Promise.resolve(),
    halted: new Promise<void>((resolve) => (wake = resolve)),
    halt(stop) {
      // A cancel is never turned back into a pause.
      if (control.stop !== 'cancel') control.stop = stop;
      wake();
    },
  };
  return control;
}

/** setTimeout's longest delay: a longer one fires at once (Node turns it into 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * Why a target whose change the server already holds is skipped. Not "someone else": the write
 * that made it may be the operator's own, from a tab or a merge by hand.
 */
const ALREADY_ON_SERVER = 'The server already holds this change: another write made it.';
/** The signature of a target queued because its intent no longer applies to Server now (no paths). */
const INTENT_GONE = 'the intent no longer applies';
/** Sleeps `ms`, however long (a Retry-After of weeks is waited, not retried at once). */
function longSleep(ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const step = (left: number) => {
      if (left <= MAX_TIMER_MS) setTimeout(resolve, left);
      else setTimeout(() => step(left - MAX_TIMER_MS), MAX_TIMER_MS);
    };
    step(ms);
  });
}

export function createBatchRunner(deps: BatchDeps) {
  const { store, resources } = deps;
  const sleep = deps.sleep ?? longSleep;
  /** Batches whose workers run in this process. */
  const running = new Map<string, Control>();
  /** The decision being applied to each batch's queue (decisions on one batch go one at a time). */
  const settling = new Map<string, Promise<void>>();
  /**
   * The group decision under way on each batch, stopped between two members (stopDecision); its
   * group is in the batch's summary, so every window (and a reloaded one) can show and stop it.
   */
  const deciding = new Map<string, { control: Control; signature: string }>();
  /** Bumped by stopDecision: a decision that arrived before the stop and still waits is dropped. */
  const decisionStops = new Map<string, number>();
  /** Closed (the host is stopping): nothing starts any more; a batch asked to run waits for the next start. */
  let closed = false;
  let lastEmit = 0;

  const summary = (batch: StoredBatch): BatchSummary => {
    const ctx = resources.context(batch.connectionId);
    const under = deciding.get(batch.id);
    return {
      ...summaryOf(
        batch,
        store.batches.counts(batch.id),
        ctx.ok && ctx.value.spec.idKeys ? { idKeys: ctx.value.spec.idKeys } : {},
      ),
      ...(under
        ? { deciding: { signature: under.signature, stopping: under.control.stop !== 'no' } }
        : {}),
    };
  };
  function progress(id: string, force = false): void {
    const now = Date.now();
    if (!force && now - lastEmit < 200) return;
    lastEmit = now;
    const batch = store.batches.get(id);
    if (batch) deps.emit({ type: 'batch-progress', batch: summary(batch) });
  }

  // A previous process may have stopped mid-batch: its run is interrupted, its queue kept.
  for (const batch of store.batches.list()) {
    if (batch.state === 'running' || batch.state === 'paused') {
      store.batches.recoverInterrupted(batch.id);
      if (batch.state === 'running') store.batches.setState(batch.id, 'interrupted');
    }
  }
  // A group decision's write left in flight (the member stays queued while it is written): it may
  // have landed, so the member is no longer offered for a decision over a Server now it may have
  // changed; its audit row is checked at this start like any write left in flight.
  for (const entry of store.audit.inFlight()) {
    if (entry.batchId === null) continue;
    const target = store.batches.target(entry.batchId, entry.resourceId);
    // A run's write left in flight (made unknown just above): the target names its audit entry,
    // so the check of it at this start (afterCheck) says in the report what the server holds.
    if (target?.status === 'unknown' && target.auditId === null) {
      store.batches.update(entry.batchId, entry.resourceId, { auditId: entry.id });
      continue;
    }
    if (target?.status !== 'queued') continue;
    store.batches.update(entry.batchId, entry.resourceId, {
      status: 'unknown',
      sent: true,
      auditId: entry.id,
      reason:
        'The host stopped while your decision’s write of it was in flight: it may or may not have landed; check the server.',
    });
  }

  function launch(id: string): void {
    const batch = store.batches.get(id)!;
    // Started or resumed while the host stops (a call under way when it began to): left to be
    // resumed at the next start, rather than writing to a store about to close.
    if (closed) {
      if (batch.state !== 'paused') store.batches.setState(id, 'interrupted');
      return;
    }
    store.batches.setState(id, 'running');
    const control = makeControl();
    running.set(id, control);
    const queue = store.batches.targets(id, 'pending').map((t) => t.resourceId);
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (control.stop !== 'no') return;
        await runTarget(batch, next, control);
        progress(id);
      }
    };
    control.done = Promise.all(Array.from({ length: Math.max(1, batch.concurrency) }, worker)).then(
      () => {
        running.delete(id);
        if (control.stop === 'cancel') {
          cancelPending(id);
          store.batches.setState(id, 'cancelled');
        } else if (control.stop === 'pause') {
          store.batches.setState(id, 'paused');
        } else {
          store.batches.setState(id, 'done');
        }
        progress(id, true);
      },
    );
  }

  /**
   * Stops the group decisions under way on a batch and drops any waiting for one: `done` settles
   * when they have stopped (the write in flight recorded); `underWay`, whether there was any.
   */
  function haltDecisions(id: string): { underWay: boolean; done: Promise<void> } {
    const underWay = deciding.has(id) || settling.has(id);
    decisionStops.set(id, (decisionStops.get(id) ?? 0) + 1);
    const under = deciding.get(id);
    if (under) {
      under.control.halt('pause');
      progress(id, true);
    }
    return { underWay, done: settling.get(id) ?? Promise.resolve() };
  }

  /** Targets not yet written become cancelled; the reason says whether a refused (429) write went out. */
  function cancelPending(id: string): void {
    for (const t of store.batches.targets(id, 'pending'))
      store.batches.update(id, t.resourceId, {
        status: 'cancelled',
        reason: t.sent
          ? 'The batch was cancelled before this target was written again; its earlier write was refused with 429 (nothing applied).'
          : 'The batch was cancelled before this target was read; nothing was sent.',
      });
  }

  async function runTarget(
    batch: StoredBatch,
    resourceId: string,
    control: Control,
  ): Promise<void> {
    const ref: ResourceRef = { connectionId: batch.connectionId, id: resourceId };
    const set = (update: Partial<BatchTarget>) =>
      store.batches.update(batch.id, resourceId, update);
    set({ status: 'running' });
    const opened = await resources.open(ref);
    if ('kind' in opened)
      return set({ status: 'failed', reason: `Reading it failed: ${opened.message}` });
    const applied = applyIntents(opened.editable, batch.intents);
    if (!applied.ok)
      return set({
        status: 'failed',
        reason: applied.error,
        fromRevision: opened.snapshot.revision,
      });
    if (applied.touched.length === 0 || jsonEqual(applied.value, opened.editable))
      return set({
        status: 'skipped',
        reason: 'The change is already there.',
        fromRevision: opened.snapshot.revision,
      });
    await writeTarget(
      batch,
      ref,
      {
        journalId: opened.snapshot.journalId,
        revision: opened.snapshot.revision,
        editable: opened.editable,
      },
      applied.value,
      1,
      control,
    );
  }

  type Base = { journalId: number; revision: string | null; editable: JsonValue };

  /** Writes `mine` against `base`; after an ordinary conflict re-applies the intent to Server now when nothing collides. */
  async function writeTarget(
    batch: StoredBatch,
    ref: ResourceRef,
    base: Base,
    mine: JsonValue,
    attempt: number,
    control: Control,
  ): Promise<void> {
    const set = (update: Partial<BatchTarget>) => store.batches.update(batch.id, ref.id, update);
    set({ attempts: attempt, fromRevision: base.revision, baseJournalId: base.journalId });
    let result: SaveResult;
    // Each write is recorded (sent, in flight, counted) before it leaves: a host killed while it
    // is in flight must find the target as (possibly) written — unknown at the next start, never
    // read and written again. An answer proving nothing left takes the write back.
    let sent = store.batches.target(batch.id, ref.id)?.sent ?? false;
    for (let tries = 1; ; tries++) {
      store.batches.writeLeaving(batch.id, ref.id);
      result = await resources.save(
        ref,
        stringifyJson(mine, PRETTY),
        base.journalId,
        false,
        batch.id,
      );
      const left = result.kind !== 'error' || result.status !== undefined;
      if (left) sent = true;
      // Never left, or a 429 (applied nothing): no longer in flight, so a host killed from here
      // (waiting, or re-reading after a pause) finds a target simply to retry.
      if (!left || (result.kind === 'error' && result.status === 429))
        store.batches.writeAnswered(batch.id, ref.id, left);
      if (!(result.kind === 'error' && result.status === 429) || tries >= RATE_LIMIT_TRIES) break;
      const waited = await Promise.race([
        sleep(result.retryAfterMs ?? Math.min(250 * 2 ** (tries - 1), 8000)).then(() => true),
        control.halted.then(() => false),
      ]);
      // Paused or cancelled while the server asked to wait: a 429 applied nothing, so the target
      // is as it was — read afresh on resume, or cancelled (the report says the write was refused).
      if (!waited)
        return control.stop === 'cancel'
          ? set({
              status: 'cancelled',
              reason:
                'The batch was cancelled while the server asked to wait (429); the write it refused applied nothing and was not sent again.',
            })
          : set({ status: 'pending' });
    }
    if (!sent) set({ sent: false });
    switch (result.kind) {
      case 'saved':
        return set({
          status: attempt === 1 ? 'applied' : 'reapplied',
          toRevision: result.savedRevision,
          auditId: result.auditId,
          reason: result.movedSince
            ? `Another writer changed it since (now ${result.movedSince.revision ?? 'unknown'}).`
            : null,
        });
      case 'partly-applied':
        return set({
          status: 'failed',
          reason: batchWords(result.message),
          auditId: result.auditId,
          toRevision: result.savedRevision,
        });
      case 'unknown-outcome':
        return set({
          status: 'unknown',
          reason: batchWords(result.message),
          auditId: result.auditId,
        });
      case 'error':
        // Refused as stale, yet the server holds exactly this target's change: another writer
        // made the same change first. Nothing is missing, so nothing failed.
        if (result.reason === 'already-on-server')
          return set({ status: 'skipped', reason: ALREADY_ON_SERVER });
        return set({ status: 'failed', reason: batchWords(result.message) });
      case 'conflict': {
        // Refused as stale (a 412 applies nothing): retried, or read afresh after a restart.
        if (!result.afterLostAnswer) store.batches.writeAnswered(batch.id, ref.id, true);
        if (result.afterLostAnswer)
          return set({
            status: 'unknown',
            reason:
              'The answer was lost and the server has moved since: this write may have landed before the other change.',
            auditId: result.auditId,
          });
        const theirs = parseJson(result.theirs.text);
        if (!theirs.ok)
          return set({ status: 'failed', reason: 'Server now could not be read as JSON.' });
        const colliding = collidingPaths(batch.intents, base.editable, theirs.value);
        const again = applyIntents(theirs.value, batch.intents);
        if (colliding.length > 0 || !again.ok) {
          // A collision on the whole document (an intent that sets "") has the signature "".
          return set({
            status: 'queued',
            signature: colliding.length > 0 ? colliding.join(' · ') : INTENT_GONE,
            theirsJournalId: result.theirs.journalId,
            reason: again.ok
              ? `${changedWords(colliding)} changed on the server since it was read.`
              : `On Server now: ${again.error}`,
          });
        }
        if (again.touched.length === 0 || jsonEqual(again.value, theirs.value))
          return set({
            status: 'skipped',
            reason: ALREADY_ON_SERVER,
            theirsJournalId: result.theirs.journalId,
          });
        if (attempt >= batch.maxAttempts)
          return set({
            status: 'queued',
            signature: 'kept moving',
            theirsJournalId: result.theirs.journalId,
            reason: `The server moved ${attempt} times while this target was written.`,
          });
        // Paused, cancelled or stopped while this write was under way: it was refused (nothing
        // applied), and re-applying it would send another write after the stop said none goes.
        if (control.stop === 'cancel')
          return set({
            status: 'cancelled',
            reason:
              'The batch was cancelled while this write was under way; the server refused it (another writer had changed the resource), so it applied nothing and was not sent again.',
          });
        if (control.stop === 'pause') return set({ status: 'pending' });
        return writeTarget(
          batch,
          ref,
          {
            journalId: result.theirs.journalId,
            revision: result.theirs.revision,
            editable: theirs.value,
          },
          again.value,
          attempt + 1,
          control,
        );
      }
    }
  }

  /**
   * One queued target settled by the operator's decision for its group. Answers false when a stop
   * left it as it was (back in its group), true when the decision reached it.
   */
  async function settleOne(
    batch: StoredBatch,
    target: BatchTarget,
    decision: 'mine' | 'theirs',
    control: Control,
  ): Promise<boolean> {
    const set = (update: Partial<BatchTarget>): true => {
      store.batches.update(batch.id, target.resourceId, update);
      return true;
    };
    if (decision === 'theirs')
      return set({
        status: 'kept-theirs',
        reason: 'The operator kept the server\u2019s version for this group.',
      });
    const ref = { connectionId: batch.connectionId, id: target.resourceId };
    // The decision was made over the Server now the queue showed (theirsJournalId): the write
    // is conditional on that revision, so a member changed again since is not overwritten
    // unseen. If the new change collides, it stays queued; if not, the intent is re-applied.
    const base = decidedOver(batch.connectionId, target) ?? (await resources.open(ref));
    if ('kind' in base) return set({ reason: `Reading it failed: ${base.message}` });
    const applied = applyIntents(base.editable, batch.intents);
    if (!applied.ok) return set({ status: 'failed', reason: applied.error });
    if (applied.touched.length === 0 || jsonEqual(applied.value, base.editable))
      return set({ status: 'skipped', reason: 'The change is already there.' });
    await writeTarget(
      { ...batch, maxAttempts: target.attempts + batch.maxAttempts },
      ref,
      {
        journalId: base.snapshot.journalId,
        revision: base.snapshot.revision,
        editable: base.editable,
      },
      applied.value,
      target.attempts + 1,
      control,
    );
    const after = store.batches.target(batch.id, target.resourceId);
    // Stopped while the server asked to wait (429), or after a write the server refused because
    // another writer had moved it: nothing was applied, so the member is back in its group as the
    // operator saw it (the write's attempt had moved its base to that Server now: the three-way
    // view would have shown no conflict), with why it was queued after what became of the decision.
    if (control.stop !== 'no' && after?.status === 'pending') {
      const stoppedNote =
        'Your decision was stopped before this resource’s write landed (the server refused it: it asked to wait, 429, or another writer had changed the resource); nothing of it was written, so it stays queued.';
      set({
        status: 'queued',
        signature: target.signature,
        theirsJournalId: target.theirsJournalId,
        baseJournalId: target.baseJournalId,
        fromRevision: target.fromRevision,
        attempts: target.attempts,
        reason: target.reason ? `${stoppedNote} ${target.reason}` : stoppedNote,
      });
      return false;
    }
    if (after?.status === 'queued' && after.signature !== 'kept moving') {
      const gone = after.signature === INTENT_GONE;
      const again = `${gone ? 'It' : changedWords(after.signature?.split(' · ') ?? [])} changed on the server again after your decision was asked; it stays queued with what the server holds now.`;
      // Where nothing the batch writes collides, why its change no longer applies is the news.
      set({ reason: gone && after.reason ? `${again} ${after.reason}` : again });
    }
    return true;
  }

  /** The revision a queued target showed as Server now, as the operator's document. */
  function decidedOver(connectionId: string, target: BatchTarget) {
    if (target.theirsJournalId === null) return null;
    const ctx = resources.context(connectionId);
    const row = store.journal.get(connectionId, target.resourceId, target.theirsJournalId);
    if (!ctx.ok || !row) return null;
    const seen = resources.fromJournal(ctx.value, { connectionId, id: target.resourceId }, row);
    return 'kind' in seen ? null : seen;
  }

  return {
    /**
     * A save of `ref` landed (the operator's, from the editor or the three-way view): a target of
     * it waiting in a conflict queue, or whose write had an unknown outcome, is settled as merged
     * by hand when the saved document holds the batch's change (it is then on the server, proven);
     * one saved without it stays as it was (the change is still not there).
     */
    afterSave(
      ref: ResourceRef,
      saved: { revision: string | null; editable: () => JsonValue | undefined },
    ): void {
      // Read (parsed) only when a target waits: most saves have none, and a large one costs.
      let editable: JsonValue | undefined | null = null;
      for (const { batchId, target } of store.batches.ofResource(ref.connectionId, ref.id)) {
        if (target.status !== 'queued' && target.status !== 'unknown') continue;
        const batch = store.batches.get(batchId);
        if (!batch) continue;
        if (editable === null) editable = saved.editable();
        if (editable === undefined) return;
        const applied = applyIntents(editable, batch.intents);
        if (!applied.ok || !jsonEqual(applied.value, editable)) continue;
        store.batches.update(batchId, ref.id, {
          status: 'merged',
          toRevision: saved.revision,
          reason:
            target.status === 'queued'
              ? `Merged by hand and saved as revision ${saved.revision ?? '(none)'}, with the batch’s change in it.`
              : `Saved by hand as revision ${saved.revision ?? '(none)'}, with the batch’s change in it; whether the batch’s own write had landed was never proven.`,
        });
        progress(batchId, true);
      }
    },

    /**
     * A later check of a write whose outcome was unknown: the target keeps its status (nothing is
     * proven) but its reason says what the server holds now, not what it held when written.
     */
    afterCheck(pending: PendingOutcome): void {
      const { ref } = pending;
      for (const { batchId, target } of store.batches.ofResource(ref.connectionId, ref.id)) {
        if (target.status !== 'unknown' || target.auditId !== pending.auditId) continue;
        store.batches.update(batchId, ref.id, {
          reason: batchWords(
            `${pending.message}${pending.checkedAt ? ` (checked ${pending.checkedAt})` : ''}`,
          ),
        });
        progress(batchId, true);
      }
    },

    start(options: StartOptions): BatchSummary {
      const id = randomUUID();
      const ids = [...new Set(options.resourceIds)];
      store.batches.create(
        {
          id,
          connectionId: options.connectionId,
          intents: options.intents,
          concurrency: options.concurrency,
          maxAttempts: options.maxAttempts,
          description: options.description,
        },
        ids,
      );
      launch(id);
      return summary(store.batches.get(id)!);
    },
    status(id: string): BatchSummary | null {
      const batch = store.batches.get(id);
      return batch ? summary(batch) : null;
    },
    list(): BatchSummary[] {
      return store.batches.list().map(summary);
    },
    targets(id: string): BatchTarget[] {
      return store.batches.targets(id);
    },
    async pause(id: string): Promise<BatchSummary | null> {
      const control = running.get(id);
      if (control) {
        control.halt('pause');
        // Paused, the batch sends nothing more: a group decision under way stops too (its write
        // in flight finishes; the members not reached stay queued).
        const decisions = haltDecisions(id).done;
        await control.done;
        await decisions;
      }
      return this.status(id);
    },
    async resume(id: string): Promise<BatchSummary | null> {
      // A pause still waiting for its writes in flight: the resume comes after it, not lost in it.
      const stopping = running.get(id);
      if (stopping && stopping.stop === 'pause') await stopping.done;
      const batch = store.batches.get(id);
      // Only a stopped run goes on: a finished or cancelled batch stays as it ended.
      if (!batch || running.has(id) || (batch.state !== 'paused' && batch.state !== 'interrupted'))
        return batch ? summary(batch) : null;
      launch(id);
      return this.status(id);
    },
    async cancel(id: string): Promise<BatchSummary | null> {
      const control = running.get(id);
      if (control) {
        control.halt('cancel');
        await control.done;
      } else if (
        // A finished batch stays as it ended: only a stopped run is cancelled.
        store.batches.get(id)?.state === 'paused' ||
        store.batches.get(id)?.state === 'interrupted'
      ) {
        cancelPending(id);
        store.batches.setState(id, 'cancelled');
      } else return this.status(id);
      // Cancelled, the batch sends nothing more: a group decision under way stops too (its write
      // in flight finishes), so the answer's writesSent says every write that went out.
      await haltDecisions(id).done;
      return this.status(id);
    },
    /** Waits for a batch's workers (tests, the CLI). */
    async settled(id: string): Promise<void> {
      await running.get(id)?.done;
    },
    queue(id: string): ConflictGroup[] {
      const groups = new Map<string, BatchTarget[]>();
      // Pushed, not copied per member: 50,000 queued on one conflict took 10 s to list.
      for (const t of store.batches.targets(id, 'queued')) {
        const group = groups.get(t.signature ?? '');
        if (group) group.push(t);
        else groups.set(t.signature ?? '', [t]);
      }
      return [...groups]
        .map(([signature, targets]) => ({
          signature,
          paths: signature.split(' · ').filter((p) => p.startsWith('/') || p === ''),
          targets,
        }))
        .sort((a, b) => b.targets.length - a.targets.length);
    },
    /**
     * One decision for a whole group: `theirs` keeps the server's version (nothing written);
     * `mine` re-applies the intent over the Server now the queue showed, conditionally on it,
     * overriding the other writer on the paths in conflict — a target whose paths moved again
     * meanwhile stays queued; one that moved elsewhere gets the intent re-applied.
     */
    async settleGroup(
      id: string,
      signature: string,
      decision: 'mine' | 'theirs',
    ): Promise<{ batch: BatchSummary; stopped: boolean } | { refused: string } | null> {
      const batch = store.batches.get(id);
      if (!batch) return null;
      if (closed) return { refused: 'The app is stopping: decide again once it has started.' };
      const refused = decisionRefused(batch.state, running.get(id)?.stop ?? 'no');
      if (refused) return { refused };
      // The group as it is when the decision arrives. Decisions on one batch are taken one after
      // another, and each acts only on members still queued as they were then: a second click
      // (or a second caller) finds them settled, and a member re-queued with a newer Server now
      // waits for a decision made over that one.
      const inGroup = (t: BatchTarget) =>
        t.status === 'queued' && (t.signature ?? '') === signature;
      const asSeen = new Map(
        store.batches
          .targets(id, 'queued')
          .filter(inGroup)
          .map((t) => [t.resourceId, t.theirsJournalId]),
      );
      const previous = settling.get(id) ?? Promise.resolve();
      let release = () => {};
      const mine = new Promise<void>((resolve) => (release = resolve));
      settling.set(id, mine);
      const stopsBefore = decisionStops.get(id) ?? 0;
      await previous;
      const control = makeControl();
      deciding.set(id, { control, signature });
      progress(id, true);
      // Whether a stop (from any caller) left members of the group unreached: the answer says
      // so, or the caller (a window whose decision another stopped) could not tell.
      let stopped = false;
      try {
        for (const [resourceId, theirsJournalId] of asSeen) {
          const target = store.batches.target(id, resourceId);
          if (!target || !inGroup(target) || target.theirsJournalId !== theirsJournalId) continue;
          // Stopped: the write in flight finished; the members not reached stay queued.
          if (control.stop !== 'no' || (decisionStops.get(id) ?? 0) !== stopsBefore) {
            stopped = true;
            break;
          }
          if (!(await settleOne(batch, target, decision, control))) stopped = true;
          progress(id);
        }
      } finally {
        if (deciding.get(id)?.control === control) deciding.delete(id);
        release();
        if (settling.get(id) === mine) settling.delete(id);
      }
      progress(id, true);
      const summary = this.status(id);
      return summary && { batch: summary, stopped };
    },
    /**
     * Stops the group decisions under way on a batch, and any still waiting for one: the write in
     * flight finishes (its outcome is recorded as usual), the members not reached stay queued.
     */
    async stopDecision(id: string): Promise<{ batch: BatchSummary; stopped: boolean } | null> {
      if (!store.batches.get(id)) return null;
      const { underWay, done } = haltDecisions(id);
      await done;
      progress(id, true);
      const batch = this.status(id);
      return batch && { batch, stopped: underWay };
    },
    /** The diff the intent would make on each of the sample targets (each read is journalled). */
    async preview(
      connectionId: string,
      resourceIds: string[],
      intents: BatchIntent[],
    ): Promise<BatchPreview[]> {
      return Promise.all(
        resourceIds.map(async (resourceId): Promise<BatchPreview> => {
          const opened = await resources.open({ connectionId, id: resourceId });
          if ('kind' in opened) return { resourceId, kind: 'error', message: opened.message };
          const applied = applyIntents(opened.editable, intents);
          if (!applied.ok) return { resourceId, kind: 'error', message: applied.error };
          const changed = diffPaths(opened.editable, applied.value).map((c) => c.path);
          if (changed.length === 0) return { resourceId, kind: 'no-change' };
          return {
            resourceId,
            kind: 'change',
            revision: opened.snapshot.revision,
            changedPaths: changed,
            before: opened.snapshot.text,
            after: stringifyJson(applied.value, PRETTY),
          };
        }),
      );
    },
    async close(): Promise<void> {
      closed = true;
      for (const control of running.values()) control.halt('pause');
      // A group decision stops as stopDecision stops it: its write in flight is recorded before
      // the store closes (else the member stayed queued while the write landed).
      const decisions = [...settling.keys()].map((id) => haltDecisions(id).done);
      await Promise.all([...running.values()].map((c) => c.done));
      await Promise.all(decisions);
    },
  };
}

export type BatchRunner = ReturnType<typeof createBatchRunner>;

/**
 * A save's message in a batch's report: the save speaks to an operator whose edit stays in the
 * editor ("your edit is kept"); a batch keeps no edit, so those words would send them looking for one.
 */
export function batchWords(message: string): string {
  return message
    .replace(/; your edit is kept(?: — save again in a moment)?\./g, '.')
    .replace(/ Your edit is kept(?: as a draft)?\./g, '');
}

/** Paths in conflict as words: "" (the root) is the whole document. */
const pathWords = (paths: readonly string[]): string =>
  paths.map((p) => (p === '' ? 'the whole document' : p)).join(', ');

/** Paths as the start of a sentence saying they changed ("/priority", "The whole document"). */
const changedWords = (paths: readonly string[]): string => {
  const words = pathWords(paths);
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The report as CSV: one row per target (RFC 4180 quoting, formula cells defused). */
export function reportCsv(targets: BatchTarget[]): string {
  const cells = [
    'resourceId',
    'status',
    'attempts',
    'sent',
    'fromRevision',
    'toRevision',
    'signature',
    'reason',
    'auditId',
  ] as const;
  // Ids, revisions and reasons come from servers and colleagues: a cell a spreadsheet would run
  // as a formula is defused, as in the audit's export.
  const quote = (v: unknown) => csvCell(v === null || v === undefined ? null : String(v));
  return (
    [cells.join(','), ...targets.map((t) => cells.map((c) => quote(t[c])).join(','))].join('\r\n') +
    '\r\n'
  );
}
