// The resource browser: pages of the active connection, with its filters and search.
import { errorWords } from '../session/error-words';
import type { StateCreator } from 'zustand';
import type { DraftSummary, ResourceSummary } from '../../../shared/api/types';
import { api } from '../lib/api';
import type { DeskState } from '.';

export const PAGE_SIZE = 200;

export type BrowserSlice = {
  items: ResourceSummary[];
  nextPageToken: string | null;
  total: number | null;
  /** Rows the backend left out of the pages loaded: their id holds the connection's credential. */
  leftOut: number;
  listLoading: boolean;
  listError: string | null;
  filters: Record<string, string>;
  search: string;
  /** Bumped on every first-page load so a slow older answer cannot overwrite a newer one. */
  listGeneration: number;
  /** Resources of the active connection with unsaved work, by id. */
  drafts: Record<string, DraftSummary>;
  loadDrafts(): Promise<void>;
  /** Shows a resource's fresh state in its row (after a save or a refresh). */
  updateRow(refId: string, summary: ResourceSummary | null): void;
  setFilter(name: string, value: string): void;
  setSearch(search: string): void;
  loadFirstPage(): Promise<void>;
  loadMore(): Promise<void>;
};

export const createBrowserSlice: StateCreator<DeskState, [], [], BrowserSlice> = (set, get) => {
  async function load(first: boolean): Promise<void> {
    const { activeConnectionId, filters, search, nextPageToken } = get();
    if (!activeConnectionId) return;
    if (!first && (!nextPageToken || get().listLoading)) return;
    const generation = first ? get().listGeneration + 1 : get().listGeneration;
    set({ listLoading: true, listGeneration: generation, ...(first ? { listError: null } : {}) });
    try {
      const page = await api.listResources({
        connectionId: activeConnectionId,
        pageSize: PAGE_SIZE,
        ...(first ? {} : { pageToken: nextPageToken! }),
        ...(Object.keys(filters).length ? { filters } : {}),
        ...(search.trim() ? { search: search.trim() } : {}),
      });
      if (get().listGeneration !== generation) return;
      if (page.kind !== 'ok') {
        set({
          listError: errorWords(page),
          listLoading: false,
          ...(first ? { items: [], nextPageToken: null, total: null, leftOut: 0 } : {}),
        });
        return;
      }
      set({
        items: first ? page.items : [...get().items, ...page.items],
        nextPageToken: page.nextPageToken,
        total: page.total,
        leftOut: (first ? 0 : get().leftOut) + (page.leftOut ?? 0),
        listLoading: false,
      });
    } catch (error) {
      if (get().listGeneration === generation)
        set({ listError: (error as Error).message, listLoading: false });
    }
  }
  return {
    items: [],
    nextPageToken: null,
    total: null,
    leftOut: 0,
    listLoading: false,
    listError: null,
    filters: {},
    search: '',
    listGeneration: 0,
    drafts: draftsById([]),
    updateRow(refId, summary) {
      if (!summary) return;
      const items = get().items;
      const index = items.findIndex((item) => item.id === summary.id || item.id === refId);
      if (index < 0) return;
      const next = items.slice();
      next[index] = { ...summary, id: items[index]!.id };
      set({ items: next });
    },
    async loadDrafts() {
      const connectionId = get().activeConnectionId;
      if (!connectionId) return;
      // A failure is the caller's to report: the list works without its draft markers, but the
      // operator is told they may be out of date.
      const result = await api.listDrafts({ connectionId });
      if (get().activeConnectionId === connectionId) set({ drafts: draftsById(result.drafts) });
    },
    setFilter(name, value) {
      const filters = { ...get().filters };
      if (value) filters[name] = value;
      else delete filters[name];
      set({ filters });
      load(true).catch((error: unknown) => get().reportFailure('load the list', error));
    },
    setSearch(search) {
      set({ search });
    },
    loadFirstPage: async () => {
      const drafts = get()
        .loadDrafts()
        .then(
          () => null,
          (error: unknown) => ({ error }),
        );
      await load(true);
      const failed = await drafts;
      // When the list itself could not be read, it says so in its place; the markers' failure (the
      // same cause, as a rule: the host gone) is news only beside a list that loaded.
      if (failed !== null && get().listError === null)
        get().reportFailure('mark the resources with drafts', failed.error);
    },
    loadMore: () => load(false),
  };
};

/**
 * The drafts by resource id, on an object without a prototype: an id such as "constructor" or
 * "toString" must find no draft where it has none (a plain object's would be its own method).
 */
function draftsById(drafts: readonly DraftSummary[]): Record<string, DraftSummary> {
  const byId = Object.create(null) as Record<string, DraftSummary>;
  for (const d of drafts) byId[d.id] = d;
  return byId;
}
