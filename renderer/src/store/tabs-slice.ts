// Open resources, one tab each: thin wiring between the API and the editing-session model
// (session/editing-session.ts holds every rule, unit-tested without a UI). This file only calls the
// API, feeds the answers into the model's transitions, times the draft writes, and keeps what must
// survive a reload (session/keep-on-leave.ts).
import type { StateCreator } from 'zustand';
import type { PendingOutcome, ResourceRef, SaveResult, Snapshot } from '../../../shared/api/types';
import { decodeWire, encodeWire } from '../../../shared/api/wire';
import { api } from '../lib/api';
import { saveSent } from '../merge/save-watch';
import {
  chooseAllRemaining,
  restoreMergeSession,
  resultText,
  saveBlocker,
  keepsSameDraft,
  savedMergeOf,
  unresolved,
  type MergeSession,
  type SavedMerge,
} from '../merge/merge-session';
import * as session from '../session/editing-session';
import { clause } from '../session/error-words';
import {
  forgetRescue,
  keepOpenTabs,
  keptTabs,
  newerDraft,
  rescueDraft,
  rescuedDraft,
} from '../session/keep-on-leave';
import type { DeskState } from '.';

export type { ServerMoved, Tab, TabView } from '../session/editing-session';
export { isDirty, tabKey } from '../session/editing-session';
type Tab = session.Tab;

export type TabsSlice = {
  tabs: Tab[];
  activeTabKey: string | null;
  openTab(ref: ResourceRef, title: string, options?: { activate?: boolean }): Promise<void>;
  /** Reopens the tabs that were open before a reload or restart. */
  reopenKeptTabs(): Promise<void>;
  activateTab(key: string): void;
  closeTab(key: string, force?: boolean): Promise<boolean>;
  setText(key: string, text: string): void;
  setView(key: string, view: session.TabView): void;
  save(key: string, options?: { unconditional?: boolean }): Promise<void>;
  refresh(key: string): Promise<void>;
  takeServerVersion(key: string): Promise<void>;
  discardDraft(key: string): Promise<void>;
  updateMerge(key: string, update: (session: MergeSession) => MergeSession): void;
  /** Settles every open conflict with one side (the merge view's *Take … for all remaining*). */
  takeAllRemaining(key: string, side: 'mine' | 'theirs'): string | null;
  saveMerge(key: string): Promise<void>;
  /** Re-merges against the revision the watch saw, keeping the decisions made. */
  redoMerge(key: string): Promise<void>;
  overwriteWithMine(key: string): Promise<void>;
  cancelMerge(key: string): void;
  /** `seenLatest`: the latest revision the history listed, the one the restore was confirmed against. */
  restoreRevision(key: string, snapshot: Snapshot, seenLatest: Snapshot | null): Promise<void>;
  dismissMessage(key: string): void;
  noteServerMoved(key: string, moved: session.ServerMoved): void;
  /** Watches every tab again from the newest revision it knows (after events were missed). */
  resumeWatches(): Promise<void>;
  /** *Check again* on the tab's unknown outcome. */
  checkOutcome(key: string): Promise<void>;
  /** *Accept what the server holds*: settles the unknown outcome and takes Server now as the base. */
  acceptServerOutcome(key: string): Promise<void>;
  /** *Dismiss*: closes the unknown outcome without a claim (audited); the edit stays. */
  dismissOutcome(key: string): Promise<void>;
  /** *Reopen*: reads the resource afresh, keeping the edit as a draft and the outcome pending. */
  reopenTab(key: string): Promise<void>;
  /** Applies a pending outcome checked elsewhere (the watch, the start, another tab). */
  noteOutcomeChecked(pending: PendingOutcome, serverNow?: Snapshot | null): void;
  /** Writes every unsaved tab down synchronously (pagehide) and sends the draft writes. */
  keepEverything(): void;
};

const DRAFT_DELAY_MS = 400;
/** After a failed draft write, the next tries (the last delay repeats while it keeps failing). */
const DRAFT_RETRY_MS = [2_000, 5_000, 15_000, 30_000];

/** A settle answered "no such pending outcome": another window settled it; the banner can go. */
const settledAlready = (answer: { kind: 'error'; reason?: string }) =>
  answer.reason === 'not-found';
const draftTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Failed draft writes in a row, per tab: how long the next retry waits. */
const draftRetries = new Map<string, number>();
/** Each tab's draft write in flight (or the last one), which the next waits for. */
const draftWrites = new Map<string, Promise<void>>();
const opening = new Set<string>();
/** Copies made on pagehide, per tab: a draft write sent before the latest one may not forget it. */
const rescuesMade = new Map<string, number>();

/**
 * Stops a closed tab's watch without waiting. Deliberately not reported: a failure loses nothing
 * the operator did (the backend's watch only journals revisions, and ends with the host).
 */
function unwatchQuietly(watchId: string): void {
  api.unwatch({ watchId }).catch(() => undefined);
}
const storage = (): Storage | null => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
};

export const createTabsSlice: StateCreator<DeskState, [], [], TabsSlice> = (set, get) => {
  const tab = (key: string) => get().tabs.find((t) => t.key === key);

  /** How many times the tabs' watches were begun again after missed events (resumeWatches). */
  let watchResumes = 0;
  /** The newest revision a tab was told of: what was journalled after it is news to the tab. */
  const toldJournalId = (t: Tab) => t.serverMoved?.journalId ?? t.base.journalId;

  /**
   * Watches the tab's resource since `sinceJournalId` (a revision the tab holds: anything
   * journalled after it is news to the tab), in place of the watch it had. A revision the journal
   * no longer knows (its data directory was replaced) is watched from now.
   */
  const watchTab = async (key: string, sinceJournalId: number | undefined): Promise<void> => {
    const t = tab(key);
    if (!t) return;
    const { ref } = t;
    const resumesBefore = watchResumes;
    const watchFrom = (since?: number) =>
      api
        .watch({ ref, intervalMs: 3000, ...(since ? { sinceJournalId: since } : {}) })
        .catch((error: unknown) => ({
          kind: 'error' as const,
          message: (error as Error)?.message ?? String(error),
        }));
    let watch = await watchFrom(sinceJournalId);
    if ('reason' in watch && watch.reason === 'invalid-input' && sinceJournalId)
      watch = await watchFrom();
    if (watch.kind !== 'ok') {
      // The tab works without it, but must not let the operator believe the server is watched.
      step(key, (t) =>
        t.message
          ? t
          : {
              ...t,
              message: {
                tone: 'info',
                text: `Changes on the server are not being watched for this resource (${watch.message}); use Refresh before saving.`,
              },
            },
      );
      return;
    }
    // The tab may have closed while the watch was being set up.
    const previous = tab(key)?.watchId;
    if (!tab(key)) return unwatchQuietly(watch.watchId);
    step(key, (t) => ({ ...t, watchId: watch.watchId }));
    if (previous && previous !== watch.watchId) unwatchQuietly(previous);
    // Events were missed while it was being set up (resumeWatches ran, and passed this tab by, as
    // it had no watch yet): what this watch told meanwhile may be lost, so it begins again from
    // the newest revision the tab was told of.
    const now = tab(key);
    if (now && watchResumes !== resumesBefore) await watchTab(key, toldJournalId(now));
  };

  /** Replaces a tab by a transition of it; a new base moves its list row too. */
  const step = (key: string, transition: (t: Tab) => Tab) => {
    const before = tab(key);
    if (!before) return;
    const after = transition(before);
    if (after === before) return;
    set({ tabs: get().tabs.map((t) => (t.key === key ? after : t)) });
    if (after.base !== before.base && after.ref.connectionId === get().activeConnectionId)
      get().updateRow(after.ref.id, after.base.summary);
  };

  /** Says on the tab's own message bar that something failed (the edit itself is never touched). */
  const failed = (key: string, text: string) =>
    step(key, (x) => ({ ...x, message: { tone: 'error', text } }));
  /** A call nobody awaits: a failure it did not handle itself is still shown (see ui-slice). */
  const background = (task: Promise<unknown>, what: string) => {
    task.catch((error: unknown) => get().reportFailure(what, error));
  };

  const remember = () => {
    const store = storage();
    const active = tab(get().activeTabKey ?? '');
    if (store) keepOpenTabs(store, get().tabs, active?.ref ?? null);
  };

  function scheduleDraft(key: string): void {
    // New text starts the retries' wait over: the write follows the typing, as it did before.
    draftRetries.delete(key);
    draftWriteIn(key, DRAFT_DELAY_MS);
  }

  /** Sends the tab's draft write after `ms`, in place of one already waiting. */
  function draftWriteIn(key: string, ms: number): void {
    stopDraftWrite(key);
    draftTimers.set(
      key,
      setTimeout(() => {
        draftTimers.delete(key);
        background(persistDraft(key), 'keep your draft');
      }, ms),
    );
  }

  /** Drops the tab's waiting draft write, if any. */
  function stopDraftWrite(key: string): void {
    clearTimeout(draftTimers.get(key));
    draftTimers.delete(key);
  }

  /**
   * Writes the tab's draft down (or drops it when nothing needs keeping); false when it failed.
   * One write per tab at a time, each after the last has answered: every write names the draft the
   * one before it kept, which the backend checks (another window's draft is never written over).
   */
  function persistDraft(key: string): Promise<boolean> {
    return afterDraftWrites(key, () => persistDraftNow(key));
  }

  /**
   * Runs `work` once the tab's draft writes under way have answered (a discard too: it must name
   * the draft the last write kept, or the backend keeps that one as another window's).
   */
  function afterDraftWrites<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (draftWrites.get(key) ?? Promise.resolve()).then(work);
    // Settles either way (the work reports its own failures) and forgets itself if last.
    const settled: Promise<void> = next
      .catch(() => undefined)
      .then(() => {
        if (draftWrites.get(key) === settled) draftWrites.delete(key);
      });
    draftWrites.set(key, settled);
    return next;
  }

  /** The draft the tab last kept, read when a call is sent (after the writes before it). */
  const keptVersion = (key: string, t: Tab) => (tab(key) ?? t).draftVersion;

  async function persistDraftNow(key: string): Promise<boolean> {
    const t = tab(key);
    if (!t) return true;
    const rescueBefore = rescuesMade.get(key);
    try {
      if (!session.needsDraft(t)) {
        await api.discardDraft({ ref: t.ref, expected: t.draftVersion, writer: t.draftWriter });
        draftRetries.delete(key);
        step(key, (x) => session.draftStored(x, null));
      } else {
        const draftBase = session.draftBaseOf(t);
        const result = await api.saveDraft({
          ref: t.ref,
          text: t.text,
          baseRevision: draftBase.revision,
          baseJournalId: draftBase.journalId,
          merge: t.merge ? encodeWire(savedMergeOf(t.merge, t.text)) : null,
          expected: t.draftVersion,
          writer: t.draftWriter,
        });
        if (result.kind !== 'ok') {
          draftWriteFailed(key, result.message);
          return false;
        }
        draftRetries.delete(key);
        step(key, (x) => session.draftStored(x, result.updatedAt));
      }
      // The backend holds it now: the synchronous copy made on pagehide is no longer needed,
      // unless it was made after this write was sent (it holds newer text).
      const store = storage();
      if (store && rescuesMade.get(key) === rescueBefore) forgetRescue(store, t.ref);
      const listed = get().drafts[t.ref.id];
      if (
        Boolean(listed) !== session.needsDraft(t) ||
        (listed && listed.hasMerge !== (t.merge !== null))
      )
        background(get().loadDrafts(), 'refresh the list of drafts');
    } catch (error) {
      // The transport's words (api.ts) already say the host could not be reached.
      draftWriteFailed(key, (error as Error).message);
      return false;
    }
    return true;
  }

  /**
   * The text on screen is kept nowhere but this tab: say so, and try again by itself (the host may
   * be back, the disk may have room) without waiting for the next key press. The retry takes the
   * pending draft write's place, so a save or a close sends it at once, and typing replaces it.
   */
  function draftWriteFailed(key: string, reason: string): void {
    step(key, (x) => session.draftFailed(x, reason));
    const attempt = draftRetries.get(key) ?? 0;
    draftRetries.set(key, attempt + 1);
    draftWriteIn(key, DRAFT_RETRY_MS[Math.min(attempt, DRAFT_RETRY_MS.length - 1)]!);
  }

  /** Sends a pending draft write now (before a save or a close). */
  async function flushDraft(key: string): Promise<void> {
    if (!draftTimers.has(key)) return;
    stopDraftWrite(key);
    await persistDraft(key);
  }

  /** Waits for the tab's newest draft write (one on a timer goes now); failures show themselves. */
  async function draftKept(key: string): Promise<void> {
    await flushDraft(key).catch(() => undefined);
    await afterDraftWrites(key, async () => undefined);
  }

  /** Runs a save-like call; a thrown error (the backend unreachable) still ends the "saving" state. */
  async function runSave(
    key: string,
    ctx: session.SaveContext,
    call: () => Promise<SaveResult>,
  ): Promise<void> {
    performance.mark(`cd:save:${key}`);
    step(key, session.saveStarted);
    try {
      // The draft is kept first: a save reaching the host is marked in flight there (an unknown
      // outcome if the host dies), and only the draft holds the edit and a merge's decisions.
      await draftKept(key);
      const answer = call();
      const settle = ctx.fromMerge
        ? null
        : saveSent({ key, sentText: ctx.sentText, baseText: ctx.sentBase.text });
      const result = await answer.catch((error: unknown) => {
        settle?.('error');
        throw error;
      });
      settle?.(result.kind);
      performance.mark(`cd:save-answered:${key}`);
      step(key, (t) => session.saveAnswered(t, result, ctx));
      if (result.kind === 'unknown-outcome')
        background(get().loadPending(), 'list the unknown outcomes');
    } catch (error) {
      step(key, (t) => session.saveCutOff(t, (error as Error)?.message ?? String(error)));
      return;
    }
    // Keeps what is still unsaved as a draft, or clears a draft the save settled.
    scheduleDraft(key);
  }

  /** The merge kept with a draft, or why it could not be brought back (the tab then says so). */
  async function restoreMerge(
    ref: ResourceRef,
    saved: string,
    draftText: string,
  ): Promise<MergeSession | { lost: string }> {
    try {
      const state = decodeWire(saved) as SavedMerge;
      const [base, theirs] = await Promise.all([
        api.revision({ ref, journalId: state.baseJournalId }),
        api.revision({ ref, journalId: state.theirsJournalId }),
      ]);
      if (base.kind !== 'ok') return { lost: base.message };
      if (theirs.kind !== 'ok') return { lost: theirs.message };
      return restoreMergeSession(state, base.snapshot, theirs.snapshot, draftText);
    } catch (error) {
      return { lost: (error as Error)?.message ?? String(error) };
    }
  }

  return {
    tabs: [],
    activeTabKey: null,

    async openTab(ref, title, options = {}) {
      const key = session.tabKey(ref);
      const activate = options.activate ?? true;
      if (tab(key)) {
        if (activate) set({ activeTabKey: key });
        remember();
        return;
      }
      if (opening.has(key)) return;
      opening.add(key);
      performance.mark(`cd:open:${key}`);
      try {
        const connectionName = get().connections.find((c) => c.id === ref.connectionId)?.name ?? '';
        const answer = await api.openResource({ ref });
        if (answer.kind !== 'ok') {
          get().notify({ tone: 'error', text: `Could not open ${title}: ${answer.message}` });
          return;
        }
        // Text typed just before a reload may be newer than the backend's draft.
        const store = storage();
        const rescue = store ? rescuedDraft(store, ref) : null;
        const which = newerDraft(answer.draft, rescue);
        const draft =
          which === 'rescue' && rescue
            ? {
                text: rescue.text,
                baseJournalId: rescue.baseJournalId,
                merge: rescue.merge,
                updatedAt: rescue.at,
                // Written over the draft this window had kept (an older copy: whatever is there).
                version:
                  typeof rescue.draftVersion === 'string' || rescue.draftVersion === null
                    ? rescue.draftVersion
                    : (answer.draft?.updatedAt ?? null),
                ...(typeof rescue.writer === 'string' ? { writer: rescue.writer } : {}),
              }
            : which === 'backend' && answer.draft
              ? {
                  text: answer.draft.text,
                  baseJournalId: answer.draft.baseJournalId,
                  merge: answer.draft.merge,
                  updatedAt: answer.draft.updatedAt,
                }
              : null;
        let draftBase: Snapshot | null = null;
        let draftBaseLost: { journalId: number; reason: string } | null = null;
        if (
          draft &&
          draft.baseJournalId !== null &&
          draft.baseJournalId !== answer.snapshot.journalId
        ) {
          // The draft was typed against an older revision: keep that as its base, so saving merges.
          // Unreadable, the draft is shown against the server's revision, flagged: saving it as
          // if made from that revision would silently undo what others changed since.
          const older = await api.revision({ ref, journalId: draft.baseJournalId });
          if (older.kind === 'ok') draftBase = older.snapshot;
          else draftBaseLost = { journalId: draft.baseJournalId, reason: older.message };
        }
        const restored = draft?.merge ? await restoreMerge(ref, draft.merge, draft.text) : null;
        const merge = restored && !('lost' in restored) ? restored : null;
        const opened = session.opened({
          ref,
          title,
          connectionName,
          snapshot: answer.snapshot,
          draftBase,
          draftBaseLost,
          draft,
          merge,
          pending: answer.pending,
        });
        const newTab: Tab =
          restored && 'lost' in restored
            ? {
                ...opened,
                message: {
                  tone: 'error',
                  text: `Your merge in progress could not be restored (${restored.lost}). Your own edit is kept; the merge's decisions will have to be made again.${draftBaseLost ? ' ' + session.unreadBaseWords(draftBaseLost) : ''}`,
                },
              }
            : opened;
        if (tab(key)) return;
        set({
          tabs: [...get().tabs, newTab],
          ...(activate || get().activeTabKey === null ? { activeTabKey: key } : {}),
        });
        remember();
        // A rescued text goes to the backend at once, so the next start finds it there.
        if (which === 'rescue') scheduleDraft(key);
      } catch (error) {
        get().notify({
          tone: 'error',
          text: `Could not open ${title}: ${(error as Error).message}`,
        });
        return;
      } finally {
        opening.delete(key);
      }
      await watchTab(key, tab(key)?.base.journalId);
    },

    async resumeWatches() {
      // Each tab is watched again from the newest revision it was told of: what was journalled
      // after it (told while the page missed it) is news at the next poll.
      watchResumes++;
      await Promise.all(
        get()
          .tabs.filter((t) => t.watchId)
          .map((t) => watchTab(t.key, toldJournalId(t))),
      );
    },

    async reopenKeptTabs() {
      const store = storage();
      if (!store) return;
      const { tabs, active } = keptTabs(store);
      const known = new Set(get().connections.map((c) => c.id));
      for (const kept of tabs.filter((t) => known.has(t.ref.connectionId))) {
        await get().openTab(kept.ref, kept.title, { activate: false });
      }
      const activeKey = active ? session.tabKey(active) : null;
      if (activeKey && tab(activeKey)) set({ activeTabKey: activeKey });
      remember();
    },

    activateTab(key) {
      set({ activeTabKey: key });
      remember();
    },

    async closeTab(key, force = false) {
      const t = tab(key);
      if (!t) return true;
      const pending = t.merge ? unresolved(t.merge).length : 0;
      if (!force && pending > 0) {
        const ok = await get().ask({
          title: `Close “${t.title}”?`,
          body: `${pending} conflict${pending === 1 ? ' is' : 's are'} not settled. Your edit and the decisions made so far stay saved as a draft; reopening the resource brings them back.`,
          confirm: 'Close the tab',
        });
        if (!ok) return false;
      }
      // Unsaved work is written down before the tab goes, unless the draft already holds it (a
      // write waiting on its timer or on a retry is sent now). When the backend cannot take it,
      // closing would lose the edit: the operator is asked, and Cancel keeps the tab. (A forced
      // close, when its connection is removed or the tab is reopened, does not wait.) A write
      // already under way is waited for: it may fail, and the draft kept before is older text.
      if (!force) await afterDraftWrites(key, async () => undefined);
      const now = tab(key) ?? t;
      let lost = false;
      if (
        !force &&
        session.needsDraft(now) &&
        (draftTimers.has(key) || now.draftSavedAt === null || now.draftError !== null)
      ) {
        stopDraftWrite(key);
        if (!(await persistDraft(key))) {
          const reason = tab(key)?.draftError ?? 'the backend did not take it';
          const ok = await get().ask({
            title: `Close “${t.title}” and lose your edit?`,
            body: `Your edit could not be kept as a draft: ${clause(reason)}. Closing the tab loses it; save it, or copy it somewhere, first.`,
            confirm: 'Close and lose the edit',
            danger: true,
          });
          if (!ok) return false;
          lost = true;
        }
      } else await flushDraft(key);
      stopDraftWrite(key);
      draftRetries.delete(key);
      if (t.watchId) unwatchQuietly(t.watchId);
      const closing = tab(key) ?? t;
      const index = get().tabs.findIndex((x) => x.key === key);
      const tabs = get().tabs.filter((x) => x.key !== key);
      const activeTabKey =
        get().activeTabKey === key
          ? (tabs[Math.min(index, tabs.length - 1)]?.key ?? null)
          : get().activeTabKey;
      set({ tabs, activeTabKey });
      remember();
      // Closed with unsaved work (no question was asked): say where it went. An edit the operator
      // chose to lose went nowhere, and is not said to be kept.
      if (!force && !lost && pending === 0 && session.needsDraft(closing))
        get().notify({
          tone: 'info',
          text: `“${t.title}” closed. Your unsaved edit is kept as a draft: open it again from the list to go on.`,
        });
      return true;
    },

    setText(key, text) {
      step(key, (t) => session.typed(t, text));
      scheduleDraft(key);
    },

    setView(key, view) {
      step(key, (t) => ({ ...t, view }));
    },

    async save(key, options = {}) {
      const t = tab(key);
      if (!t || t.saving) return;
      const sent = t.text;
      await runSave(key, { sentText: sent, sentBase: t.base, fromMerge: false }, () =>
        api.saveResource({
          ref: t.ref,
          text: sent,
          baseJournalId: t.base.journalId,
          ...(options.unconditional ? { unconditional: true } : {}),
        }),
      );
    },

    async refresh(key) {
      const t = tab(key);
      if (!t) return;
      try {
        const result = await api.refreshResource({ ref: t.ref });
        if (result.kind !== 'ok')
          step(key, (x) => ({ ...x, message: { tone: 'error', text: result.message } }));
        // Compared with what this tab is based on (a watch may already have journalled the change).
        else step(key, (x) => session.refreshed(x, result.snapshot));
      } catch (error) {
        step(key, (x) => session.saveFailed(x, (error as Error).message));
      }
    },

    async takeServerVersion(key) {
      const t = tab(key);
      if (!t?.serverMoved) return;
      let latest;
      try {
        latest = await api.revision({ ref: t.ref, journalId: t.serverMoved.journalId });
      } catch (error) {
        failed(
          key,
          `The server's revision was not loaded: ${clause((error as Error).message)}. Your edit is kept.`,
        );
        return;
      }
      if (latest.kind !== 'ok') {
        failed(
          key,
          `The server's revision was not loaded: ${clause(latest.message)}. Your edit is kept.`,
        );
        return;
      }
      step(key, (x) => session.tookServer(x, latest.snapshot));
      try {
        await afterDraftWrites(key, () =>
          api.discardDraft({ ref: t.ref, expected: keptVersion(key, t), writer: t.draftWriter }),
        );
      } catch (error) {
        failed(
          key,
          `The server's revision is loaded, but your old draft could not be discarded (${(error as Error).message}): it may come back when the resource is reopened.`,
        );
      }
    },

    async discardDraft(key) {
      const t = tab(key);
      if (!t) return;
      stopDraftWrite(key);
      const discarded = await afterDraftWrites(key, () =>
        api.discardDraft({ ref: t.ref, expected: keptVersion(key, t), writer: t.draftWriter }),
      ).catch((error: unknown) => {
        failed(
          key,
          `Your draft was not discarded: ${clause((error as Error).message)}. It is still here.`,
        );
        return null;
      });
      if (discarded === null) return;
      const keptNewer = discarded.keptNewer === true;
      // A retry a failed write under way scheduled would put the draft back.
      stopDraftWrite(key);
      const store = storage();
      if (store) forgetRescue(store, t.ref);
      background(get().loadDrafts(), 'refresh the list of drafts');
      const answer = await api.openResource({ ref: t.ref }).catch((error: unknown) => ({
        kind: 'error' as const,
        message: (error as Error)?.message ?? String(error),
      }));
      if (answer.kind === 'ok') {
        step(key, (x) => session.draftDiscarded(x, answer.snapshot));
        // The draft marker stays in the list: say whose it is, rather than nothing.
        if (keptNewer)
          step(key, (x) => ({
            ...x,
            message: {
              tone: 'info',
              text: 'Your draft is discarded. Another window keeps a newer draft of this resource; it is left as it is.',
            },
          }));
      } else
        failed(
          key,
          `Your draft is discarded, but the resource could not be read again: ${clause(answer.message)}. Use Refresh.`,
        );
    },

    updateMerge(key, update) {
      const before = tab(key)?.merge;
      step(key, (t) => session.mergeUpdated(t, update));
      const after = tab(key)?.merge;
      if (before && after && keepsSameDraft(before, after)) return;
      scheduleDraft(key);
    },

    takeAllRemaining(key, side) {
      const t = tab(key);
      if (!t?.merge) return null;
      const next = chooseAllRemaining(t.merge, side);
      if (!next.ok) return next.error;
      get().updateMerge(key, () => next.session);
      return null;
    },

    async saveMerge(key) {
      const t = tab(key);
      if (!t?.merge || t.saving) return;
      const blocker = saveBlocker(t.merge);
      if (blocker) {
        step(key, (x) => ({ ...x, message: { tone: 'error', text: blocker } }));
        return;
      }
      if (session.mergeNeedsNoWrite(t)) {
        step(key, session.mergeMatchedServer);
        // Clears the draft (and its merge): the tab holds what the server does.
        scheduleDraft(key);
        return;
      }
      const text = resultText(t.merge);
      const theirs = t.merge.theirs;
      await runSave(key, { sentText: text, sentBase: theirs, fromMerge: true }, () =>
        api.saveResource({ ref: t.ref, text, baseJournalId: theirs.journalId }),
      );
    },

    async redoMerge(key) {
      const t = tab(key);
      if (!t?.merge || !t.serverMoved) return;
      const latest = await api
        .revision({ ref: t.ref, journalId: t.serverMoved.journalId })
        .catch((error: unknown) => ({
          kind: 'error' as const,
          message: `The merge was not redone: ${(error as Error)?.message ?? String(error)}`,
        }));
      if (latest.kind !== 'ok') {
        step(key, (x) => ({ ...x, message: { tone: 'error', text: latest.message } }));
        return;
      }
      step(key, (x) => session.mergeRedone(x, latest.snapshot));
      scheduleDraft(key);
    },

    async overwriteWithMine(key) {
      const t = tab(key);
      if (!t?.merge || t.saving) return;
      const { mineText, theirs } = t.merge;
      await runSave(key, { sentText: mineText, sentBase: theirs, fromMerge: true }, () =>
        api.forceSave({ ref: t.ref, text: mineText, overJournalId: theirs.journalId }),
      );
    },

    cancelMerge(key) {
      step(key, session.mergeClosed);
      scheduleDraft(key);
    },

    async restoreRevision(key, snapshot, seenLatest) {
      const t = tab(key);
      if (!t) return;
      let latest;
      try {
        latest = await api.refreshResource({ ref: t.ref });
      } catch (error) {
        failed(
          key,
          `The revision was not restored: the app could not reach its backend (${(error as Error).message}).`,
        );
        return;
      }
      step(key, (x) =>
        latest.kind === 'ok'
          ? session.revisionRestored(x, snapshot, seenLatest, latest.snapshot)
          : session.revisionRestored(x, snapshot, seenLatest, null, latest.message),
      );
      scheduleDraft(key);
    },

    dismissMessage(key) {
      step(key, session.messageDismissed);
    },

    noteServerMoved(key, moved) {
      step(key, (t) => session.serverMoved(t, moved));
    },

    async checkOutcome(key) {
      const t = tab(key);
      if (!t?.unknown) return;
      step(key, session.outcomeChecking);
      try {
        const answer = await api.checkOutcome({ auditId: t.unknown.auditId });
        if (answer.kind !== 'ok' && settledAlready(answer)) {
          step(key, (x) => ({
            ...session.outcomeDismissed(x),
            message: { tone: 'info', text: `${answer.message} Nothing is pending here now.` },
          }));
          return;
        }
        if (answer.kind !== 'ok') {
          step(key, (x) => ({
            ...x,
            unknown: x.unknown ? { ...x.unknown, checking: false } : null,
            message: { tone: 'error', text: answer.message },
          }));
          return;
        }
        get().noteOutcomeChecked(answer.pending, answer.serverNow);
      } catch (error) {
        step(key, (x) =>
          session.saveFailed(
            { ...x, unknown: x.unknown ? { ...x.unknown, checking: false } : null },
            (error as Error).message,
          ),
        );
      }
    },

    async acceptServerOutcome(key) {
      const t = tab(key);
      if (!t?.unknown) return;
      const { auditId } = t.unknown;
      // Accept what the server holds *now*: read it again rather than trust an older check.
      const checked = await api.checkOutcome({ auditId }).catch(() => null);
      // Settled already (in another window): what the server holds is read all the same.
      const elsewhere = checked?.kind === 'error' && settledAlready(checked);
      const latest = elsewhere ? await api.refreshResource({ ref: t.ref }).catch(() => null) : null;
      const serverNow =
        checked?.kind === 'ok'
          ? checked.serverNow
          : latest?.kind === 'ok'
            ? latest.snapshot
            : t.unknown.serverNow;
      if (!serverNow) {
        step(key, (x) => ({
          ...x,
          message: {
            tone: 'error',
            text: 'The server could not be read, so there is nothing to accept yet. Check again later.',
          },
        }));
        return;
      }
      const settled = await api
        .settleOutcome({ auditId, decision: 'accept-server' })
        .catch((error: unknown) => ({
          kind: 'error' as const,
          message: `Nothing was settled: ${(error as Error)?.message ?? String(error)}`,
        }));
      if (settled.kind !== 'ok' && !settledAlready(settled)) {
        step(key, (x) => ({ ...x, message: { tone: 'error', text: settled.message } }));
        return;
      }
      step(key, (x) => session.outcomeAccepted(x, serverNow));
      scheduleDraft(key);
      background(get().loadPending(), 'list the unknown outcomes');
    },

    async dismissOutcome(key) {
      const t = tab(key);
      if (!t?.unknown) return;
      const settled = await api
        .settleOutcome({ auditId: t.unknown.auditId, decision: 'dismiss' })
        .catch((error: unknown) => ({
          kind: 'error' as const,
          message: `Nothing was dismissed: ${(error as Error)?.message ?? String(error)}`,
        }));
      if (settled.kind !== 'ok' && !settledAlready(settled))
        step(key, (x) => ({ ...x, message: { tone: 'error', text: settled.message } }));
      else step(key, session.outcomeDismissed);
      background(get().loadPending(), 'list the unknown outcomes');
    },

    async reopenTab(key) {
      const t = tab(key);
      if (!t) return;
      await flushDraft(key);
      if (session.needsDraft(t) && !t.draftSavedAt) await persistDraft(key);
      // A draft write still under way lands before the tab opens again: the new tab (another
      // writer) starts from the draft it kept, not one that moves on after it.
      await afterDraftWrites(key, async () => undefined);
      if (!(await get().closeTab(key, true))) return;
      await get().openTab(t.ref, t.title);
    },

    noteOutcomeChecked(pending, serverNow) {
      get().updatePending(pending);
      const key = session.tabKey(pending.ref);
      step(key, (t) => session.outcomeChecked(t, pending, serverNow));
    },

    keepEverything() {
      const store = storage();
      for (const t of get().tabs) {
        const waiting = draftTimers.has(t.key);
        // A write under way may never arrive once the page is gone (it is cut off): its text
        // needs the copy too, though it need not be sent again.
        if (!waiting && !draftWrites.has(t.key)) continue;
        if (waiting) stopDraftWrite(t.key);
        // The synchronous copy first (it survives even if the request below is cut off)…
        if (store && session.needsDraft(t)) {
          const draftBase = session.draftBaseOf(t);
          rescueDraft(store, t.ref, {
            text: t.text,
            merge: t.merge ? encodeWire(savedMergeOf(t.merge, t.text)) : null,
            baseJournalId: draftBase.journalId,
            baseRevision: draftBase.revision,
            at: new Date().toISOString(),
            draftVersion: t.draftVersion,
            writer: t.draftWriter,
          });
          rescuesMade.set(t.key, (rescuesMade.get(t.key) ?? 0) + 1);
        }
        // …then the backend's draft, which may or may not finish before the page goes: sent now,
        // not after a draft write still under way (the page may be gone by then). The backend
        // takes it whichever of the two lands first, both being this tab's.
        if (waiting) background(persistDraftNow(t.key), 'keep your draft');
      }
      remember();
    },
  };
};
