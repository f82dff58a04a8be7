// Batch edits: the browser's multi-selection, and the batch screen's state (preview, the run's
// progress from `batch-progress` events, its conflict queue, the report). The run itself is in the
// backend; this slice only asks and shows.
import type { StateCreator } from 'zustand';
import type { BatchPreview, BatchSummary, ConflictGroup } from '../../../shared/api/types';
import type { BatchIntent } from '../../../shared/batch/intent';
import { api } from '../lib/api';
import type { DeskState } from '.';

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
  batchGroups: ConflictGroup[];
  batchPreviews: BatchPreview[] | null;
  batchError: string | null;
  toggleSelected(id: string): void;
  clearSelected(): void;
  openBatch(scope: 'selected' | 'matching'): Promise<void>;
  closeBatch(): void;
  /** Shows the last batch again (it keeps running while the view is closed). */
  reopenBatch(): void;
  previewBatch(intents: BatchIntent[], id?: string): Promise<void>;
  startBatch(intents: BatchIntent[], concurrency: number, description: string): Promise<void>;
  pauseBatch(): Promise<void>;
  resumeBatch(): Promise<void>;
  cancelBatch(): Promise<void>;
  /** A pushed `batch-progress` event. */
  batchProgress(summary: BatchSummary): void;
  loadBatchQueue(): Promise<void>;
  settleBatchGroup(signature: string, decision: 'mine' | 'theirs'): Promise<void>;
  batchReportText(format: 'csv' | 'json'): Promise<string | null>;
};

export const createBatchSlice: StateCreator<DeskState, [], [], BatchSlice> = (set, get) => {
  const failed = (error: unknown) => set({ batchError: `The batch could not be reached: ${(error as Error).message}` });
  const control = async (call: (args: { batchId: string }) => Promise<{ kind: 'ok'; batch: BatchSummary } | { kind: 'error'; message: string }>) => {
    const batch = get().batch;
    if (!batch) return;
    try {
      const result = await call({ batchId: batch.batchId });
      if (result.kind === 'ok') set({ batch: result.batch, batchError: null });
      else set({ batchError: result.message });
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
    batchGroups: [],
    batchPreviews: null,
    batchError: null,
    toggleSelected(id) {
      const selected = get().selected;
      set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id] });
    },
    clearSelected: () => set({ selected: [] }),
    async openBatch(scope) {
      set({ batchOpen: true, batch: null, batchGroups: [], batchPreviews: null, batchError: null, batchScope: null });
      if (scope === 'selected') {
        set({ batchScope: { kind: 'ids', ids: get().selected } });
        return;
      }
      const { activeConnectionId, filters, search } = get();
      if (!activeConnectionId) return;
      set({ batchCounting: true });
      try {
        // Every page, so the count shown before anything runs is the count that will run.
        const all = await api.countMatching({ connectionId: activeConnectionId, ...(Object.keys(filters).length ? { filters } : {}), ...(search ? { search } : {}) });
        if (all.kind === 'ok') set({ batchScope: { kind: 'matching', ids: all.ids, filters, search } });
        else set({ batchError: all.message });
      } catch (error) {
        failed(error);
      } finally {
        set({ batchCounting: false });
      }
    },
    closeBatch: () => set({ batchOpen: false }),
    reopenBatch: () => set({ batchOpen: true }),
    async previewBatch(intents, id) {
      const { activeConnectionId, batchScope } = get();
      if (!activeConnectionId || !batchScope) return;
      const sample = id ? [id] : batchScope.ids.slice(0, 3);
      try {
        const result = await api.previewBatch({ connectionId: activeConnectionId, resourceIds: sample, intents });
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
        const result = await api.startBatch({ connectionId: activeConnectionId, resourceIds: batchScope.ids, intents, concurrency, description });
        if (result.kind === 'ok') set({ batch: result.batch, batchError: null, batchGroups: [] });
        else set({ batchError: result.message });
      } catch (error) {
        failed(error);
      }
    },
    pauseBatch: () => control(api.pauseBatch),
    resumeBatch: () => control(api.resumeBatch),
    cancelBatch: () => control(api.cancelBatch),
    batchProgress(summary) {
      if (get().batch?.batchId !== summary.batchId) return;
      set({ batch: summary });
      if (summary.state !== 'running') void get().loadBatchQueue();
    },
    async loadBatchQueue() {
      const batch = get().batch;
      if (!batch) return;
      try {
        const queue = await api.batchQueue({ batchId: batch.batchId });
        if (queue.kind === 'ok') set({ batchGroups: queue.groups });
      } catch (error) {
        failed(error);
      }
    },
    async settleBatchGroup(signature, decision) {
      await control((args) => api.settleBatchGroup({ ...args, signature, decision }));
      await get().loadBatchQueue();
    },
    async batchReportText(format) {
      const batch = get().batch;
      if (!batch) return null;
      const report = await api.batchReport({ batchId: batch.batchId, format });
      return report.kind === 'ok' ? report.text : null;
    },
  };
};
