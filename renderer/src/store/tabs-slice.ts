// Open resources, one tab each: the snapshot the edit is based on, the operator's text, autosaved
// drafts (a merge in progress included), the server moving underneath, saves and the merge that
// follows a rejected save. Nothing the operator types is dropped: text typed while a save is under
// way is kept on top of the result, and a failed call never leaves the tab stuck.
import type { StateCreator } from 'zustand';
import type { ResourceRef, SaveResult, Snapshot } from '../../../shared/api/types';
import { decodeWire, encodeWire } from '../../../shared/api/wire';
import { parseJson } from '../../../shared/json';
import { api } from '../lib/api';
import {
  createMergeSession,
  rebaseSession,
  restoreMergeSession,
  resultText,
  saveBlocker,
  savedMergeOf,
  unresolved,
  type MergeSession,
  type SavedMerge,
} from '../merge/merge-session';
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
  saving: boolean;
  watchId: string | null;
  restoredDraftAt: string | null;
  draftSavedAt: string | null;
  serverMoved: ServerMoved | null;
  /** A move seen while a save was under way; it applies if the save does not settle it. */
  deferredMoved: ServerMoved | null;
  /** The outcome of the last action, in plain words. */
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
  noteServerMoved(key: string, moved: ServerMoved): void;
};

export const tabKey = (ref: ResourceRef) => `${ref.connectionId}\u0000${ref.id}`;

const DRAFT_DELAY_MS = 400;
const draftTimers = new Map<string, ReturnType<typeof setTimeout>>();
const opening = new Set<string>();

export const isDirty = (tab: Tab) => tab.text !== tab.base.text;

const failed = (error: unknown) => ({ tone: 'error' as const, text: `The app could not reach its backend: ${(error as Error)?.message ?? String(error)}. Your edit is kept.` });

export const createTabsSlice: StateCreator<DeskState, [], [], TabsSlice> = (set, get) => {
  const patch = (key: string, change: Partial<Tab> | ((tab: Tab) => Partial<Tab>)) => {
    set({ tabs: get().tabs.map((tab) => (tab.key === key ? { ...tab, ...(typeof change === 'function' ? change(tab) : change) } : tab)) });
    // A new base is the server's latest state: its list row follows.
    const t = get().tabs.find((x) => x.key === key);
    if (t && typeof change === 'object' && change.base && t.ref.connectionId === get().activeConnectionId) get().updateRow(t.ref.id, change.base.summary);
  };
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
    try {
      if (!isDirty(t) && !t.merge) {
        await api.discardDraft({ ref: t.ref });
        patch(key, { draftSavedAt: null });
        void get().loadDrafts();
        return;
      }
      const result = await api.saveDraft({
        ref: t.ref,
        text: t.text,
        baseRevision: t.base.revision,
        baseJournalId: t.base.journalId,
        merge: t.merge ? encodeWire(savedMergeOf(t.merge)) : null,
      });
      if (result.kind === 'ok') {
        patch(key, { draftSavedAt: result.updatedAt });
        if (!get().drafts[t.ref.id] || get().drafts[t.ref.id]!.hasMerge !== (t.merge !== null)) void get().loadDrafts();
      }
    } catch (error) {
      patch(key, { message: { tone: 'error', text: `Your draft could not be kept: ${(error as Error).message}. Keep this tab open.` } });
    }
  }

  /** Flushes a pending draft write now (before a save or a close). */
  async function flushDraft(key: string): Promise<void> {
    if (!draftTimers.has(key)) return;
    clearTimeout(draftTimers.get(key));
    draftTimers.delete(key);
    await persistDraft(key);
  }

  function onSaveResult(key: string, result: SaveResult, sentText: string, fromMerge: boolean): void {
    const t = tab(key);
    if (!t) return;
    switch (result.kind) {
      case 'saved': {
        const revision = result.snapshot.revision ?? 'new revision';
        // Typing during the save carries on as a new edit on top of the saved revision.
        const typedDuring = !fromMerge && t.text !== sentText;
        const text = typedDuring ? t.text : result.snapshot.text;
        const what = result.movedSince
          ? `Saved as revision ${result.movedSince.savedRevision ?? '(unnamed)'}; someone else has changed it since (now revision ${revision}: ${result.movedSince.changedPaths.join(', ') || 'no field you see'}).`
          : `Saved as revision ${revision}.`;
        patch(key, {
          base: result.snapshot,
          text,
          saving: false,
          view: 'edit',
          merge: null,
          serverMoved: null,
          deferredMoved: null,
          draftSavedAt: null,
          restoredDraftAt: null,
          message: { tone: 'ok', text: typedDuring ? `${what} What you typed meanwhile is kept as an unsaved edit.` : what },
        });
        // Keeps the typing as a draft, or clears a draft the save settled (a merge's, say).
        scheduleDraft(key);
        return;
      }
      case 'conflict': {
        let merge: MergeSession;
        if (fromMerge && t.merge) {
          merge = rebaseSession(t.merge, result);
        } else {
          // Merge what the editor holds now (it may have moved on since the save was sent).
          const mine = parseJson(t.text).ok ? t.text : sentText;
          merge = createMergeSession({ ...result, mine });
        }
        patch(key, { saving: false, view: 'merge', merge, serverMoved: null, deferredMoved: null, message: null });
        scheduleDraft(key);
        return;
      }
      case 'partly-applied':
        // The server moved to a new revision without every change: the edit stays, over the new base.
        patch(key, {
          base: result.snapshot,
          saving: false,
          view: 'edit',
          merge: null,
          serverMoved: null,
          deferredMoved: null,
          message: { tone: 'error', text: result.message },
        });
        scheduleDraft(key);
        return;
      case 'unknown-outcome':
        patch(key, { saving: false, serverMoved: null, deferredMoved: null, message: { tone: 'error', text: result.message } });
        scheduleDraft(key);
        return;
      case 'error':
        patch(key, {
          saving: false,
          serverMoved: t.deferredMoved && t.deferredMoved.journalId !== t.base.journalId ? t.deferredMoved : t.serverMoved,
          deferredMoved: null,
          message: { tone: 'error', text: result.message, ...(result.bodyExcerpt ? { detail: result.bodyExcerpt } : {}) },
        });
        return;
    }
  }

  /** Runs a save-like call; a thrown error (the backend unreachable) still ends the "saving" state. */
  async function runSave(key: string, sentText: string, fromMerge: boolean, call: () => Promise<SaveResult>): Promise<void> {
    performance.mark(`cd:save:${key}`);
    patch(key, { saving: true, message: null });
    try {
      // The pending draft goes out alongside the save, not before it: it is a safety net, and
      // the backend clears it only if it holds what was saved.
      void flushDraft(key);
      const result = await call();
      performance.mark(`cd:save-answered:${key}`);
      onSaveResult(key, result, sentText, fromMerge);
    } catch (error) {
      patch(key, { saving: false, message: failed(error) });
    }
  }

  async function restoreMerge(ref: ResourceRef, saved: string): Promise<MergeSession | null> {
    try {
      const state = decodeWire(saved) as SavedMerge;
      const [base, theirs] = await Promise.all([api.revision({ ref, journalId: state.baseJournalId }), api.revision({ ref, journalId: state.theirsJournalId })]);
      if (base.kind !== 'ok' || theirs.kind !== 'ok') return null;
      return restoreMergeSession(state, base.snapshot, theirs.snapshot);
    } catch {
      return null;
    }
  }

  return {
    tabs: [],
    activeTabKey: null,

    async openTab(ref, title) {
      const key = tabKey(ref);
      if (tab(key)) {
        set({ activeTabKey: key });
        return;
      }
      if (opening.has(key)) return;
      opening.add(key);
      performance.mark(`cd:open:${key}`);
      try {
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
        const merge = draft?.merge ? await restoreMerge(ref, draft.merge) : null;
        const newTab: Tab = {
          key,
          ref,
          title,
          connectionName,
          base,
          text: draft?.text ?? base.text,
          view: merge ? 'merge' : 'edit',
          saving: false,
          watchId: null,
          restoredDraftAt: draft?.updatedAt ?? null,
          draftSavedAt: draft?.updatedAt ?? null,
          serverMoved: base.journalId !== snapshot.journalId ? { revision: snapshot.revision, journalId: snapshot.journalId, changedPaths: [] } : null,
          deferredMoved: null,
          message: merge ? { tone: 'info', text: 'Your merge in progress was restored, with the decisions you had made.' } : null,
          merge,
        };
        set({ tabs: [...get().tabs, newTab], activeTabKey: key });
      } catch (error) {
        get().notify({ tone: 'error', text: `Could not open ${title}: ${(error as Error).message}` });
        return;
      } finally {
        opening.delete(key);
      }
      const watch = await api.watch({ ref, intervalMs: 3000 }).catch(() => null);
      if (watch?.kind !== 'ok') return;
      // The tab may have closed while the watch was being set up.
      if (tab(key)) patch(key, { watchId: watch.watchId });
      else void api.unwatch({ watchId: watch.watchId });
    },

    activateTab(key) {
      set({ activeTabKey: key });
    },

    async closeTab(key, force = false) {
      const t = tab(key);
      if (!t) return true;
      const pending = t.merge ? unresolved(t.merge).length : 0;
      if (!force && pending > 0 && !window.confirm(`${t.title}: ${pending} conflict${pending === 1 ? ' is' : 's are'} not settled. Close anyway? Your edit and the decisions made so far stay saved as a draft.`)) {
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
      const sent = t.text;
      await runSave(key, sent, false, () =>
        api.saveResource({ ref: t.ref, text: sent, baseJournalId: t.base.journalId, ...(options.unconditional ? { unconditional: true } : {}) }),
      );
    },

    async refresh(key) {
      const t = tab(key);
      if (!t) return;
      try {
        const result = await api.refreshResource({ ref: t.ref });
        if (result.kind !== 'ok') {
          patch(key, { message: { tone: 'error', text: result.message } });
          return;
        }
        // Compare with what this tab is based on (a watch may already have journalled the change).
        const current = tab(key)!;
        if (result.snapshot.journalId === current.base.journalId) {
          patch(key, { message: { tone: 'info', text: `Up to date: the server still has revision ${current.base.revision ?? '(none)'}.` }, serverMoved: null });
        } else if (!isDirty(current)) {
          patch(key, { base: result.snapshot, text: result.snapshot.text, serverMoved: null, message: { tone: 'info', text: `Refreshed to revision ${result.snapshot.revision ?? '(none)'}.` } });
        } else {
          patch(key, { serverMoved: { revision: result.snapshot.revision, journalId: result.snapshot.journalId, changedPaths: current.serverMoved?.changedPaths ?? [] } });
        }
      } catch (error) {
        patch(key, { message: failed(error) });
      }
    },

    async takeServerVersion(key) {
      const t = tab(key);
      if (!t?.serverMoved) return;
      const latest = await api.revision({ ref: t.ref, journalId: t.serverMoved.journalId });
      if (latest.kind !== 'ok') return;
      patch(key, { base: latest.snapshot, text: latest.snapshot.text, serverMoved: null, message: { tone: 'info', text: `Now showing revision ${latest.snapshot.revision ?? '(none)'}.` } });
      await api.discardDraft({ ref: t.ref });
    },

    async discardDraft(key) {
      const t = tab(key);
      if (!t) return;
      clearTimeout(draftTimers.get(key));
      draftTimers.delete(key);
      await api.discardDraft({ ref: t.ref });
      void get().loadDrafts();
      const opened = await api.openResource({ ref: t.ref });
      if (opened.kind === 'ok') patch(key, { base: opened.snapshot, text: opened.snapshot.text, restoredDraftAt: null, draftSavedAt: null, serverMoved: null, message: null, merge: null, view: 'edit' });
    },

    updateMerge(key, update) {
      patch(key, (t) => (t.merge ? { merge: update(t.merge) } : {}));
      scheduleDraft(key);
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
      const theirsJournalId = t.merge.theirs.journalId;
      await runSave(key, text, true, () => api.saveResource({ ref: t.ref, text, baseJournalId: theirsJournalId }));
    },

    async overwriteWithMine(key) {
      const t = tab(key);
      if (!t?.merge || t.saving) return;
      const { mineText, theirs } = t.merge;
      await runSave(key, mineText, true, () => api.forceSave({ ref: t.ref, text: mineText, overJournalId: theirs.journalId }));
    },

    cancelMerge(key) {
      patch(key, { view: 'edit', merge: null, message: { tone: 'info', text: 'Merge closed. Your edit is kept; saving again will compare it with the server once more.' } });
      scheduleDraft(key);
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

    noteServerMoved(key, moved) {
      const t = tab(key);
      if (!t || moved.journalId === t.base.journalId) return;
      patch(key, t.saving ? { deferredMoved: moved } : { serverMoved: moved });
    },
  };
};
