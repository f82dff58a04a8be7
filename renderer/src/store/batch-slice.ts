// Batch edits: the browser's multi-selection, and the batch screen's state (preview, the run's
// progress from `batch-progress` events, its conflict queue, the report). The run itself is in the
// backend; this slice only asks and shows.
import type { StateCreator } from 'zustand';
import type {
  BatchPreview,
  BatchSummary,
  BatchTarget,
  ConflictGroup,
} from '../../../shared/api/types';
import { encodeWire } from '../../../shared/api/wire';
import { applyIntents } from '../../../shared/batch/intent';
import { parseJson, PRETTY, stringifyJson } from '../../../shared/json';
import type { SavedMerge } from '../merge/merge-session';
import type { BatchIntent } from '../../../shared/batch/intent';
import { api } from '../lib/api';
import { needsDraft, tabKey } from '../session/editing-session';
import type { DeskState } from '.';

/** How many targets *Preview* shows when no id is given: the first ones. */
export const BATCH_PREVIEW_SAMPLE = 3;

/** What a batch will change: the rows picked by hand, or everything matching the filter and search. */
export type BatchScope =
  | { kind: 'ids'; ids: string[] }
  | { kind: 'matching'; ids: string[]; filters: Record<string, string>; search: string };

export type BatchSlice = {
  /** Ids ticked in the browser (the active connection's). */
  selected: string[];
  batchOpen: boolean;
  batchScope: BatchScope | null;
  batchCounting: boolean;
  batch: BatchSummary | null;
  /**
   * Every batch still running, stopped (paused, interrupted) or holding a conflict queue, newest
   * first: each stays within reach of the list, not only the one on show.
   */
  batchesWaiting: BatchSummary[];
  batchGroups: ConflictGroup[];
  /** Targets that ended failed or with an unknown outcome, each with its reason (read with the queue). */
  batchAttention: BatchTarget[];
  batchPreviews: BatchPreview[] | null;
  batchError: string | null;
  toggleSelected(id: string): void;
  clearSelected(): void;
  openBatch(scope: 'selected' | 'matching'): Promise<void>;
  closeBatch(): void;
  /** Shows the last batch again (it keeps running while the view is closed), with its queue read afresh. */
  reopenBatch(): void;
  /**
   * At start: the newest batch that is still running, stopped (paused, interrupted by a restart)
   * or holding a conflict queue, so a reload or a host restart does not lose the way back to it.
   */
  loadUnfinishedBatch(): Promise<void>;
  /** Lists `batchesWaiting` again (after events about them may have been lost). */
  loadWaitingBatches(): Promise<void>;
  /** Shows one of `batchesWaiting`, with its queue read afresh. */
  showWaitingBatch(batchId: string): void;
  previewBatch(intents: BatchIntent[], id?: string): Promise<void>;
  startBatch(intents: BatchIntent[], concurrency: number, description: string): Promise<void>;
  pauseBatch(): Promise<void>;
  resumeBatch(): Promise<void>;
  cancelBatch(): Promise<void>;
  /** A pushed `batch-progress` event. */
  batchProgress(summary: BatchSummary): void;
  loadBatchQueue(): Promise<void>;
  settleBatchGroup(signature: string, decision: 'mine' | 'theirs'): Promise<void>;
  /** The group decision this window sent and is waiting for, until it answers (`stopping`: this window asked it to stop). */
  batchDeciding: { batchId: string; signature: string; stopping: boolean } | null;
  /**
   * How this window's last group decision ended: gone through the group, or `stopped` (by this
   * window, `stoppedHere`, or from elsewhere: another window, a script, the app closing).
   */
  batchDecided: {
    batchId: string;
    signature: string;
    stopped: boolean;
    stoppedHere: boolean;
  } | null;
  /** Stops the decision under way after its write in flight; the members not reached stay queued. */
  stopBatchDecision(): Promise<void>;
  batchReportText(format: 'csv' | 'json'): Promise<string | null>;
  /**
   * Opens a queued target in the three-way view: When the batch read it | the batch's change on
   * that revision | Server now. Kept as a merge in progress (a draft), like any other; an edit
   * already waiting on that resource is never overwritten.
   */
  openQueuedTarget(target: BatchTarget): Promise<void>;
};

export const createBatchSlice: StateCreator<DeskState, [], [], BatchSlice> = (set, get) => {
  const failed = (error: unknown) =>
    set({ batchError: `The batch could not be reached: ${(error as Error).message}` });
  /**
   * Takes a summary of the batch on show unless the page already holds a later one of it: the
   * answer to Resume could otherwise arrive after the progress events of the run it started and
   * put "Running, 5 of 8" back over "Done, 8 of 8".
   */
  const showBatch = (next: BatchSummary): void => {
    const current = get().batch;
    if (current && current.batchId === next.batchId && current.observedAt > next.observedAt) return;
    set({ batch: next, batchesWaiting: withWaiting(get().batchesWaiting, next) });
  };
  const control = async (
    call: (args: {
      batchId: string;
    }) => Promise<{ kind: 'ok'; batch: BatchSummary } | { kind: 'error'; message: string }>,
  ) => {
    const batch = get().batch;
    if (!batch) return;
    try {
      const result = await call({ batchId: batch.batchId });
      if (result.kind === 'ok') {
        showBatch(result.batch);
        set({ batchError: null });
      } else set({ batchError: result.message });
    } catch (error) {
      failed(error);
    }
  };
  return {
    selected: [],
    batchOpen: false,
    batchScope: null,
    batchCounting: false,
    batch: null,
    batchesWaiting: [],
    batchGroups: [],
    batchAttention: [],
    batchPreviews: null,
    batchError: null,
    toggleSelected(id) {
      const selected = get().selected;
      set({
        selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id],
      });
    },
    clearSelected: () => set({ selected: [] }),
    async openBatch(scope) {
      set({
        batchOpen: true,
        batch: null,
        batchGroups: [],
        batchAttention: [],
        batchPreviews: null,
        batchError: null,
        batchScope: null,
      });
      if (scope === 'selected') {
        set({ batchScope: { kind: 'ids', ids: get().selected } });
        return;
      }
      const { activeConnectionId, filters, search } = get();
      if (!activeConnectionId) return;
      set({ batchCounting: true });
      try {
        // Every page, so the count shown before anything runs is the count that will run.
        const all = await api.countMatching({
          connectionId: activeConnectionId,
          ...(Object.keys(filters).length ? { filters } : {}),
          ...(search ? { search } : {}),
        });
        if (all.kind !== 'ok') set({ batchError: all.message });
        // Counting stops at the batch's limit: "All N matching" would then name only some.
        else if (all.truncated)
          set({
            batchError: `More than ${all.count.toLocaleString('en')} resources match: a batch takes at most ${all.count.toLocaleString('en')}. Narrow the filter or search, or tick rows.`,
          });
        else set({ batchScope: { kind: 'matching', ids: all.ids, filters, search } });
      } catch (error) {
        failed(error);
      } finally {
        set({ batchCounting: false });
      }
    },
    closeBatch: () => set({ batchOpen: false }),
    reopenBatch() {
      set({ batchOpen: true });
      get().loadBatchQueue().catch(failed);
    },
    async loadUnfinishedBatch() {
      await get().loadWaitingBatches();
      const waiting = get().batchesWaiting;
      // A batch started in this page meanwhile is the one to show.
      if (waiting[0] && !get().batch)
        set({ batch: waiting[0], batchScope: null, batchGroups: [], batchAttention: [] });
    },
    async loadWaitingBatches() {
      const listed = await api.listBatches({});
      set({ batchesWaiting: listed.batches.filter(isWaiting) });
    },
    showWaitingBatch(batchId) {
      const next = get().batchesWaiting.find((b) => b.batchId === batchId);
      if (!next) return;
      set({
        batch: next,
        batchOpen: true,
        batchScope: null,
        batchGroups: [],
        batchAttention: [],
        batchPreviews: null,
        batchError: null,
      });
      get().loadBatchQueue().catch(failed);
    },
    async previewBatch(intents, id) {
      const { activeConnectionId, batchScope } = get();
      if (!activeConnectionId || !batchScope) return;
      const sample = id ? [id] : batchScope.ids.slice(0, BATCH_PREVIEW_SAMPLE);
      try {
        const result = await api.previewBatch({
          connectionId: activeConnectionId,
          resourceIds: sample,
          intents,
        });
        if (result.kind === 'ok') set({ batchPreviews: result.previews, batchError: null });
        else set({ batchError: result.message });
      } catch (error) {
        failed(error);
      }
    },
    async startBatch(intents, concurrency, description) {
      const { activeConnectionId, batchScope } = get();
      if (!activeConnectionId || !batchScope) return;
      try {
        const result = await api.startBatch({
          connectionId: activeConnectionId,
          resourceIds: batchScope.ids,
          intents,
          concurrency,
          description,
        });
        if (result.kind === 'ok')
          set({ batch: result.batch, batchError: null, batchGroups: [], batchAttention: [] });
        else set({ batchError: result.message });
      } catch (error) {
        failed(error);
      }
    },
    pauseBatch: () => control(api.pauseBatch),
    resumeBatch: () => control(api.resumeBatch),
    async cancelBatch() {
      // A cancel stops this window's decision under way too (the backend waits for it): its
      // words then say the operator stopped it, not that it was stopped from elsewhere.
      const deciding = get().batchDeciding;
      if (deciding && deciding.batchId === get().batch?.batchId)
        set({ batchDeciding: { ...deciding, stopping: true } });
      await control(api.cancelBatch);
    },
    batchProgress(summary) {
      // The batch on show takes it through showBatch, which keeps the waiting list too.
      if (get().batch?.batchId !== summary.batchId) {
        set({ batchesWaiting: withWaiting(get().batchesWaiting, summary) });
        return;
      }
      showBatch(summary);
      if (get().batch?.state !== 'running') get().loadBatchQueue().catch(failed);
    },
    async loadBatchQueue() {
      const batch = get().batch;
      if (!batch) return;
      try {
        const [queue, report] = await Promise.all([
          api.batchQueue({ batchId: batch.batchId }),
          api.batchReport({ batchId: batch.batchId, format: 'rows' }),
        ]);
        if (queue.kind === 'ok') set({ batchGroups: queue.groups });
        else set({ batchError: `The conflict queue could not be read: ${queue.message}` });
        if (report.kind === 'ok')
          set({
            batchAttention: report.targets.filter(
              (t) => t.status === 'failed' || t.status === 'unknown',
            ),
          });
      } catch (error) {
        failed(error);
      }
    },
    batchDeciding: null,
    batchDecided: null,
    async settleBatchGroup(signature, decision) {
      const batchId = get().batch?.batchId;
      if (batchId === undefined) return;
      set({ batchDeciding: { batchId, signature, stopping: false }, batchDecided: null });
      const answer: { stopped?: boolean } = {};
      try {
        await control(async (args) => {
          const result = await api.settleBatchGroup({ ...args, signature, decision });
          if (result.kind === 'ok') answer.stopped = result.stopped;
          return result;
        });
        // The bar stays until the queue shows how the decision ended: the keyboard then goes to
        // what is on the screen after it (see BatchRun), not to a group about to go.
        await get().loadBatchQueue();
      } finally {
        const deciding = get().batchDeciding;
        if (deciding?.batchId === batchId && deciding.signature === signature)
          set({
            batchDeciding: null,
            ...(answer.stopped === undefined
              ? {}
              : {
                  batchDecided: {
                    batchId,
                    signature,
                    stopped: answer.stopped,
                    stoppedHere: deciding.stopping,
                  },
                }),
          });
      }
    },
    async stopBatchDecision() {
      // The batch on show: the decision may be this window's or one made elsewhere (another
      // window, a script, this window before a reload).
      const batchId = get().batch?.batchId;
      if (batchId === undefined) return;
      const deciding = get().batchDeciding;
      // Said at once: the write under way may take a while to finish.
      if (deciding?.batchId === batchId) set({ batchDeciding: { ...deciding, stopping: true } });
      try {
        const result = await api.stopBatchDecision({ batchId });
        if (result.kind === 'ok') {
          if (get().batch?.batchId === batchId) showBatch(result.batch);
        } else set({ batchError: result.message });
      } catch (error) {
        failed(error);
      }
      await get().loadBatchQueue();
    },
    async openQueuedTarget(target) {
      const { batch } = get();
      if (!batch || target.baseJournalId === null || target.theirsJournalId === null) return;
      // The batch's own connection, whichever the list shows now (after a reload it is the first).
      if (get().activeConnectionId !== batch.connectionId)
        get().selectConnection(batch.connectionId);
      const { drafts } = get();
      const ref = { connectionId: batch.connectionId, id: target.resourceId };
      set({ batchOpen: false });
      const asItIs = async (where: string) => {
        get().notify({
          tone: 'info',
          text: `${target.resourceId} already has unsaved work${where}; it is opened as it is, the batch’s change is not put over it.`,
        });
        await get().openTab(ref, target.resourceId);
      };
      // This window's tab of the resource, whose draft (if any) the batch's would replace.
      const open = get().tabs.find((t) => t.key === tabKey(ref));
      if (drafts[target.resourceId] || (open && needsDraft(open))) {
        await asItIs('');
        return;
      }
      try {
        const base = await api.revision({ ref, journalId: target.baseJournalId });
        if (base.kind !== 'ok') throw new Error(base.message);
        const parsed = parseJson(base.snapshot.text);
        const mine = parsed.ok ? applyIntents(parsed.value, batch.intents) : null;
        if (!mine?.ok)
          throw new Error(mine ? mine.error : 'the revision the batch read is not JSON');
        const mineText = stringifyJson(mine.value, PRETTY);
        const merge: SavedMerge = {
          v: 1,
          status: 412,
          baseJournalId: target.baseJournalId,
          theirsJournalId: target.theirsJournalId,
          mineText,
          choices: {},
          reverted: [],
          manualText: null,
          setAside: null,
          ...(batch.mergeOptions.idKeys ? { idKeys: batch.mergeOptions.idKeys } : {}),
        };
        // Written only where this window knows of no draft: another window may have kept one since.
        const written = await api.saveDraft({
          ref,
          text: mineText,
          baseRevision: base.snapshot.revision,
          baseJournalId: target.baseJournalId,
          merge: encodeWire(merge),
          expected: open?.draftVersion ?? null,
        });
        if (written.kind !== 'ok' && written.reason === 'draft-conflict') {
          await asItIs(' in another window');
          return;
        }
        if (written.kind !== 'ok') throw new Error(written.message);
        // A tab already open shows the server's text: it is opened again on the batch's merge.
        if (open) await get().closeTab(open.key, true);
        await get().openTab(ref, target.resourceId);
      } catch (error) {
        get().notify({
          tone: 'error',
          text: `Could not open ${target.resourceId} in the three-way view: ${(error as Error).message}`,
        });
      }
    },
    async batchReportText(format) {
      const batch = get().batch;
      if (!batch) return null;
      try {
        const report = await api.batchReport({ batchId: batch.batchId, format });
        if (report.kind === 'ok') return report.text;
        set({ batchError: `The report could not be made: ${report.message}` });
      } catch (error) {
        failed(error);
      }
      return null;
    },
  };
};

/** A batch still running, stopped (paused, interrupted by a restart) or holding a conflict queue. */
export function isWaiting(batch: BatchSummary): boolean {
  return (batch.state !== 'done' && batch.state !== 'cancelled') || batch.counts.queued > 0;
}

/** The waiting batches with `summary` taken in (a later read of one replaces it), newest first. */
function withWaiting(list: BatchSummary[], summary: BatchSummary): BatchSummary[] {
  const known = list.find((b) => b.batchId === summary.batchId);
  if (known && known.observedAt > summary.observedAt) return list;
  const others = list.filter((b) => b.batchId !== summary.batchId);
  if (!isWaiting(summary)) return known ? others : list;
  return [...others, summary].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
