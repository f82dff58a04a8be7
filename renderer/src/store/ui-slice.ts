// App-wide UI state: panels, dialogs, toasts, and this session's HTTP activity.
import type { StateCreator } from 'zustand';
import type { ActivityEntry, AppInfo } from '../../../shared/api/types';
import type { DeskState } from '.';

export type Toast = { id: number; tone: 'ok' | 'error' | 'info'; text: string };
export type Dialog = null | 'connections' | 'palette' | 'shortcuts';

const ACTIVITY_LIMIT = 500;

export type UiSlice = {
  appInfo: AppInfo | null;
  dialog: Dialog;
  activityOpen: boolean;
  activity: ActivityEntry[];
  toasts: Toast[];
  setAppInfo(info: AppInfo): void;
  openDialog(dialog: Dialog): void;
  toggleActivity(): void;
  addActivity(entries: ActivityEntry[]): void;
  notify(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
};

let nextToast = 1;

export const createUiSlice: StateCreator<DeskState, [], [], UiSlice> = (set, get) => ({
  appInfo: null,
  dialog: null,
  activityOpen: false,
  activity: [],
  toasts: [],
  setAppInfo: (appInfo) => set({ appInfo }),
  openDialog: (dialog) => set({ dialog }),
  toggleActivity: () => set({ activityOpen: !get().activityOpen }),
  addActivity(entries) {
    const known = new Set(get().activity.map((e) => e.id));
    const fresh = entries.filter((e) => !known.has(e.id));
    if (fresh.length === 0) return;
    set({ activity: [...get().activity, ...fresh].slice(-ACTIVITY_LIMIT) });
  },
  notify(toast) {
    const id = nextToast++;
    set({ toasts: [...get().toasts, { ...toast, id }] });
    setTimeout(() => get().dismissToast(id), toast.tone === 'error' ? 8000 : 4000);
  },
  dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
});
