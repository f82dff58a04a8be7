// Open resources, one tab each: the snapshot the edit is based on, the operator's text, autosaved
// drafts, the server moving underneath, saves and the merge that follows a rejected save.
import type { StateCreator } from 'zustand';
import type { ResourceRef, SaveResult, Snapshot } from '../../../shared/api/types';
import { api } from '../lib/api';
import { createMergeSession, rebaseSession, resultText, saveBlocker, unresolved, type MergeSession } from '../merge/merge-session';
import type { DeskState } from '.';

export type ServerMoved = { revision: string | null; journalId: number; changedPaths: string[] };

export type TabView = 'edit' | 'merge' | 'history';

export type Tab = {
  key: string;
  ref: ResourceRef;
  title: string;
  connectionName: string;
  /** The revision the operator's text is based on ("When you opened it"). */
  base: Snapshot;
  text: string;
  view: TabView;
  loading: boolean;
  saving: boolean;
  watchId: string | null;
  restoredDraftAt: string | null;
  draftSavedAt: string | null;
  serverMoved: ServerMoved | null;
  /** The outcome of the last save, in plain words. */
  message: { tone: 'ok' | 'error' | 'info'; text: string; detail?: string } | null;
  merge: MergeSession | null;
};

export type TabsSlice = {
  tabs: Tab[];
  activeTabKey: string | null;
  openTab(ref: ResourceRef, title: string): Promise<void>;
  activateTab(key: string): void;
  closeTab(key: string, force?: boolean): Promise<boolean>;
  setText(key: string, text: string): void;
  setView(key: string, view: TabView): void;
  save(key: string, options?: { unconditional?: boolean }): Promise<void>;
  refresh(key: string): Promise<void>;
  takeServerVersion(key: string): Promise<void>;
  discardDraft(key: string): Promise<void>;
  updateMerge(key: string, update: (session: MergeSession) => MergeSession): void;
  saveMerge(key: string): Promise<void>;
  overwriteWithMine(key: string): Promise<void>;
  cancelMerge(key: string): void;
  restoreRevision(key: string, snapshot: Snapshot): Promise<void>;
  dismissMessage(key: string): void;
};

export const tabKey = (ref: ResourceRef) => `${ref.connectionId}\u0000${ref.id}`;

const DRAFT_DELAY_MS = 400;
const draftTimers = new Map<string, ReturnType<typeof setTimeout>>();

export const isDirty = (tab: Tab) => tab.text !== tab.base.text;

export const createTabsSlice: StateCreator<DeskState, [], [], TabsSlice> = (set, get) => {
  const patch = (key: string, change: Partial<Tab> | ((tab: Tab) => Partial<Tab>)) =>
    set({ tabs: get().tabs.map((tab) => (tab.key === key ? { ...tab, ...(typeof change === 'function' ? change(tab) : change) } : tab)) });
  const tab = (key: string) => get().tabs.find((t) => t.key === key);

  function scheduleDraft(key: string): void {
    clearTimeout(draftTimers.get(key));
    draftTimers.set(
      key,
      setTimeout(() => {
        draftTimers.delete(key);
        void persistDraft(key);
      }, DRAFT_DELAY_MS),
    );
  }

  async function persistDraft(key: string): Promise<void> {
    const t = tab(key);
    if (!t) return;
    if (!isDirty(t)) {
      await api.discardDraft({ ref: t.ref });
      patch(key, { draftSavedAt: null });
      return;
    }
    const result = await api.saveDraft({ ref: t.ref, text: t.text, baseRevision: t.base.revision, baseJournalId: t.base.journalId });
    if (result.kind === 'ok') patch(key, { draftSavedAt: result.updatedAt });
  }

  /** Flushes a pending draft write now (before a save or a close). */
  async function flushDraft(key: string): Promise<void> {
    if (!draftTimers.has(key)) return;
    clearTimeout(draftTimers.get(key));
    draftTimers.delete(key);
    await persistDraft(key);
  }

  function onSaveResult(key: string, result: SaveResult, fromMerge: boolean): void {
    const t = tab(key);
    if (!t) return;
    switch (result.kind) {
      case 'saved': {
        const moved = result.snapshot.revision ?? 'new revision';
        patch(key, {
          base: result.snapshot,
          text: result.snapshot.text,
          saving: false,
          view: 'edit',
          merge: null,
          serverMoved: null,
          draftSavedAt: null,
          restoredDraftAt: null,
          message: {
            tone: 'ok',
            text: result.recoveredAfterLostResponse
              ? `Saved — the connection dropped before the server answered, and a re-read shows your change landed (revision ${moved}). Nothing was sent twice.`
              : `Saved as revision ${moved}.`,
          },
        });
        return;
      }
      case 'conflict': {
        const merge = fromMerge && t.merge ? rebaseSession(t.merge, result) : createMergeSession(result);
        patch(key, { saving: false, view: 'merge', merge, serverMoved: null, message: null });
        return;
      }
      case 'error':
        patch(key, { saving: false, message: { tone: 'error', text: result.message, ...(result.bodyExcerpt ? { detail: result.bodyExcerpt } : {}) } });
        return;
    }
  }

  return {
    tabs: [],
    activeTabKey: null,

    async openTab(ref, title) {
      const key = tabKey(ref);
      performance.mark(`cd:open:${key}`);
      if (tab(key)) {
        set({ activeTabKey: key });
        return;
      }
      const connectionName = get().connections.find((c) => c.id === ref.connectionId)?.name ?? '';
      const opened = await api.openResource({ ref });
      if (opened.kind !== 'ok') {
        get().notify({ tone: 'error', text: `Could not open ${title}: ${opened.message}` });
        return;
      }
      const { snapshot, draft } = opened;
      let base = snapshot;
      if (draft && draft.baseJournalId !== null && draft.baseJournalId !== snapshot.journalId) {
        // The draft was typed against an older revision: keep that as its base, so saving merges.
        const older = await api.revision({ ref, journalId: draft.baseJournalId });
        if (older.kind === 'ok') base = older.snapshot;
      }
      const newTab: Tab = {
        key,
        ref,
        title,
        connectionName,
        base,
        text: draft?.text ?? base.text,
        view: 'edit',
        loading: false,
        saving: false,
        watchId: null,
        restoredDraftAt: draft?.updatedAt ?? null,
        draftSavedAt: draft?.updatedAt ?? null,
        serverMoved: base.journalId !== snapshot.journalId ? { revision: snapshot.revision, journalId: snapshot.journalId, changedPaths: [] } : null,
        message: null,
        merge: null,
      };
      set({ tabs: [...get().tabs, newTab], activeTabKey: key });
      const watch = await api.watch({ ref, intervalMs: 3000 });
      if (watch.kind === 'ok') patch(key, { watchId: watch.watchId });
    },

    activateTab(key) {
      set({ activeTabKey: key });
    },

    async closeTab(key, force = false) {
      const t = tab(key);
      if (!t) return true;
      const pending = t.merge ? unresolved(t.merge).length : 0;
      if (!force && pending > 0 && !window.confirm(`${t.title}: ${pending} conflict${pending === 1 ? ' is' : 's are'} not settled. Close anyway? Your edit stays saved as a draft.`)) {
        return false;
      }
      await flushDraft(key);
      if (t.watchId) void api.unwatch({ watchId: t.watchId });
      const index = get().tabs.findIndex((x) => x.key === key);
      const tabs = get().tabs.filter((x) => x.key !== key);
      const activeTabKey = get().activeTabKey === key ? (tabs[Math.min(index, tabs.length - 1)]?.key ?? null) : get().activeTabKey;
      set({ tabs, activeTabKey });
      return true;
    },

    setText(key, text) {
      patch(key, { text });
      scheduleDraft(key);
    },

    setView(key, view) {
      patch(key, { view });
    },

    async save(key, options = {}) {
      const t = tab(key);
      if (!t || t.saving) return;
      performance.mark(`cd:save:${key}`);
      patch(key, { saving: true, message: null });
      await flushDraft(key);
      const result = await api.saveResource({ ref: t.ref, text: t.text, baseJournalId: t.base.journalId, ...(options.unconditional ? { unconditional: true } : {}) });
      performance.mark(`cd:save-answered:${key}`);
      onSaveResult(key, result, false);
    },

    async refresh(key) {
      const t = tab(key);
      if (!t) return;
      const result = await api.refreshResource({ ref: t.ref });
      if (result.kind !== 'ok') {
        patch(key, { message: { tone: 'error', text: result.message } });
        return;
      }
      if (result.snapshot.journalId === t.base.journalId || !result.changed) {
        patch(key, { message: { tone: 'info', text: `Up to date: the server still has revision ${t.base.revision ?? '(none)'}.` }, serverMoved: null });
        return;
      }
      if (!isDirty(t)) {
        patch(key, { base: result.snapshot, text: result.snapshot.text, serverMoved: null, message: { tone: 'info', text: `Refreshed to revision ${result.snapshot.revision ?? '(none)'}.` } });
      } else {
        patch(key, { serverMoved: { revision: result.snapshot.revision, journalId: result.snapshot.journalId, changedPaths: t.serverMoved?.changedPaths ?? [] } });
      }
    },

    async takeServerVersion(key) {
      const t = tab(key);
      if (!t?.serverMoved) return;
      const latest = await api.revision({ ref: t.ref, journalId: t.serverMoved.journalId });
      if (latest.kind !== 'ok') return;
      patch(key, { base: latest.snapshot, text: latest.snapshot.text, serverMoved: null, message: { tone: 'info', text: `Now showing revision ${latest.snapshot.revision ?? '(none)'}; your unsaved edit was discarded.` } });
      await api.discardDraft({ ref: t.ref });
    },

    async discardDraft(key) {
      const t = tab(key);
      if (!t) return;
      clearTimeout(draftTimers.get(key));
      draftTimers.delete(key);
      await api.discardDraft({ ref: t.ref });
      const opened = await api.openResource({ ref: t.ref });
      if (opened.kind === 'ok') patch(key, { base: opened.snapshot, text: opened.snapshot.text, restoredDraftAt: null, draftSavedAt: null, serverMoved: null, message: null, merge: null, view: 'edit' });
    },

    updateMerge(key, update) {
      patch(key, (t) => (t.merge ? { merge: update(t.merge) } : {}));
    },

    async saveMerge(key) {
      const t = tab(key);
      if (!t?.merge || t.saving) return;
      const blocker = saveBlocker(t.merge);
      if (blocker) {
        patch(key, { message: { tone: 'error', text: blocker } });
        return;
      }
      const text = resultText(t.merge);
      // The merged result becomes the operator's text: if this save fails, nothing is lost.
      patch(key, { saving: true, message: null, text });
      scheduleDraft(key);
      await flushDraft(key);
      const result = await api.saveResource({ ref: t.ref, text, baseJournalId: t.merge.theirs.journalId });
      onSaveResult(key, result, true);
    },

    async overwriteWithMine(key) {
      const t = tab(key);
      if (!t?.merge || t.saving) return;
      patch(key, { saving: true, message: null });
      const result = await api.forceSave({ ref: t.ref, text: t.merge.mineText, overJournalId: t.merge.theirs.journalId });
      onSaveResult(key, result, true);
    },

    cancelMerge(key) {
      patch(key, { view: 'edit', merge: null, message: { tone: 'info', text: 'Merge closed. Your edit is kept; saving again will compare it with the server once more.' } });
    },

    async restoreRevision(key, snapshot) {
      const t = tab(key);
      if (!t) return;
      // Restore = a new edit on top of the latest revision, saved like any other edit.
      const latest = await api.refreshResource({ ref: t.ref });
      const base = latest.kind === 'ok' ? latest.snapshot : t.base;
      patch(key, { base, text: snapshot.text, view: 'edit', serverMoved: null, message: { tone: 'info', text: `Revision ${snapshot.revision ?? '(none)'} restored as an unsaved edit on top of revision ${base.revision ?? '(none)'}. Review and save.` } });
      scheduleDraft(key);
    },

    dismissMessage(key) {
      patch(key, { message: null });
    },
  };
};
