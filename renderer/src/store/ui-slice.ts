// App-wide UI state: panels, dialogs, toasts, and this session's HTTP activity.
import type { StateCreator } from 'zustand';
import type { ActivityEntry, AppInfo, PendingOutcome } from '../../../shared/api/types';
import { api } from '../lib/api';
import type { DeskState } from '.';
import { failureAdded, failureText, toastDismissed } from './failures';

/** `sticky` toasts (failures) stay until dismissed; `repeats` counts the same failure seen again. */
export type Toast = {
  id: number;
  tone: 'ok' | 'error' | 'info';
  text: string;
  sticky?: boolean;
  repeats?: number;
};
export type Dialog = null | 'connections' | 'palette' | 'shortcuts';

/** An in-app confirmation (instead of the browser's window.confirm), answered through `resolve`. */
export type Question = {
  title: string;
  body: string;
  /** Lines listed under the body, e.g. every change the action would revert. */
  items?: string[];
  /** A line after the items. */
  note?: string;
  confirm: string;
  danger?: boolean;
};
type OpenQuestion = Question & { resolve: (yes: boolean) => void };

const ACTIVITY_LIMIT = 500;

export type UiSlice = {
  appInfo: AppInfo | null;
  dialog: Dialog;
  activityOpen: boolean;
  activity: ActivityEntry[];
  toasts: Toast[];
  question: OpenQuestion | null;
  /** Writes whose outcome is unknown, across every resource, until settled. */
  pending: PendingOutcome[];
  /** Asks the operator in an in-app dialog; resolves with their answer. */
  ask(question: Question): Promise<boolean>;
  answer(yes: boolean): void;
  loadPending(): Promise<void>;
  updatePending(pending: PendingOutcome): void;
  setAppInfo(info: AppInfo): void;
  openDialog(dialog: Dialog): void;
  toggleActivity(): void;
  addActivity(entries: ActivityEntry[]): void;
  notify(toast: Omit<Toast, 'id'>): void;
  /** Tells the operator that `what` (a verb phrase: "load the history") failed, until dismissed. */
  reportFailure(what: string, error: unknown): void;
  /** Shows a failure already in words (the page-wide handler's), until dismissed. */
  showFailure(text: string): void;
  dismissToast(id: number): void;
  dismissAllToasts(): void;
  /**
   * While the pointer or the keyboard is in the toasts, none goes by itself (WCAG 2.2.1: an
   * operator reading one, or about to press its ×, does not have it pulled away); `false` gives
   * each its full time again.
   */
  holdToasts(held: boolean): void;
};

let nextToast = 1;
/**
 * The list of unknown outcomes is read whole and kept current by events: each read asked and each
 * event told takes the next number, so an answer is judged against what came after it was asked.
 */
let pendingNews = 0;
/** The number of the read of the list whose answer stands. */
let pendingListAsked = 0;
/** By outcome, the number of the last event told of it. */
const pendingTold = new Map<number, number>();
/** How long an info (4 s) or error (8 s) toast stays, and its timer while one runs. */
const toastTimers = new Map<number, { ms: number; timer?: ReturnType<typeof setTimeout> }>();
let toastsHeld = false;

export const createUiSlice: StateCreator<DeskState, [], [], UiSlice> = (set, get) => {
  /** Starts a toast's own time (again, in full). */
  const expireLater = (id: number) => {
    const expiry = toastTimers.get(id);
    if (expiry) expiry.timer = setTimeout(() => get().dismissToast(id), expiry.ms);
  };
  return {
    appInfo: null,
    dialog: null,
    activityOpen: false,
    activity: [],
    toasts: [],
    question: null,
    pending: [],
    ask(question) {
      // A second question answers the first with "no" rather than leaving it hanging.
      get().question?.resolve(false);
      return new Promise<boolean>((resolve) => set({ question: { ...question, resolve } }));
    },
    answer(yes) {
      const q = get().question;
      set({ question: null });
      q?.resolve(yes);
    },
    async loadPending() {
      // A failure is the caller's to report (they all do, as a message that stays): the list of
      // writes whose outcome is unknown must not look current when it could not be read.
      const asked = ++pendingNews;
      const answer = await api.pendingOutcomes({});
      // A read asked after this one has answered already: it stands.
      if (asked < pendingListAsked) return;
      pendingListAsked = asked;
      // An outcome-checked event that came after this read was asked is newer than what it lists.
      const newer = new Map(
        get()
          .pending.filter((p) => (pendingTold.get(p.auditId) ?? 0) > asked)
          .map((p) => [p.auditId, p]),
      );
      set({ pending: answer.pending.map((p) => newer.get(p.auditId) ?? p) });
    },
    updatePending(pending) {
      pendingTold.set(pending.auditId, ++pendingNews);
      const others = get().pending.filter((p) => p.auditId !== pending.auditId);
      set({ pending: [...others, pending].sort((a, b) => a.auditId - b.auditId) });
    },
    setAppInfo: (appInfo) => set({ appInfo }),
    openDialog: (dialog) => set({ dialog }),
    toggleActivity: () => set({ activityOpen: !get().activityOpen }),
    addActivity(entries) {
      const known = new Set(get().activity.map((e) => e.id));
      const fresh = entries.filter((e) => !known.has(e.id));
      if (fresh.length === 0) return;
      // In id order: entries read again after a dropped stream can arrive after newer ones the new
      // stream brought, and the oldest are the ones dropped at the limit.
      const all = [...get().activity, ...fresh].sort((a, b) => a.id - b.id);
      set({ activity: all.slice(-ACTIVITY_LIMIT) });
    },
    notify(toast) {
      const id = nextToast++;
      set({ toasts: [...get().toasts, { ...toast, id }] });
      const expiry = { ms: toast.tone === 'error' ? 8000 : 4000 };
      toastTimers.set(id, expiry);
      if (!toastsHeld) expireLater(id);
    },
    reportFailure(what, error) {
      get().showFailure(failureText(what, error));
    },
    showFailure(text) {
      set({ toasts: failureAdded(get().toasts, text, nextToast++) });
    },
    dismissToast(id) {
      clearTimeout(toastTimers.get(id)?.timer);
      toastTimers.delete(id);
      set({ toasts: toastDismissed(get().toasts, id) });
    },
    dismissAllToasts() {
      for (const { timer } of toastTimers.values()) clearTimeout(timer);
      toastTimers.clear();
      set({ toasts: [] });
    },
    holdToasts(held) {
      if (held === toastsHeld) return;
      toastsHeld = held;
      for (const [id, expiry] of toastTimers) {
        clearTimeout(expiry.timer);
        delete expiry.timer;
        if (!held) expireLater(id);
      }
    },
  };
};
