// One zustand store built from slices; components read it through selectors.
import { create } from 'zustand';
import type { ApiEvent } from '../../../shared/api/types';
import { createBatchSlice, type BatchSlice } from './batch-slice';
import { createBrowserSlice, type BrowserSlice } from './browser-slice';
import { createConnectionsSlice, type ConnectionsSlice } from './connections-slice';
import { createTabsSlice, tabKey, type TabsSlice } from './tabs-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type DeskState = ConnectionsSlice & BrowserSlice & TabsSlice & UiSlice & BatchSlice;

export const useDesk = create<DeskState>()((...a) => ({
  ...createConnectionsSlice(...a),
  ...createBrowserSlice(...a),
  ...createTabsSlice(...a),
  ...createUiSlice(...a),
  ...createBatchSlice(...a),
}));

/** Applies a pushed backend event to the store. */
export function applyEvent(event: ApiEvent): void {
  const state = useDesk.getState();
  switch (event.type) {
    case 'activity':
      state.addActivity([event.entry]);
      return;
    case 'resource-changed':
      state.noteServerMoved(tabKey(event.ref), {
        revision: event.revision,
        journalId: event.journalId,
        changedPaths: event.changedPaths,
      });
      return;
    case 'outcome-checked':
      state.noteOutcomeChecked(event.pending);
      return;
    case 'watch-error':
      return;
    case 'batch-progress':
      state.batchProgress(event.batch);
      return;
    case 'team-changed':
    case 'team-presence':
      return; // the team's own state takes these (team/team-state.ts)
    case 'journal-recorded':
      return; // a history on show takes these (components/HistoryView.tsx)
  }
}

export const activeTab = (s: DeskState) => s.tabs.find((t) => t.key === s.activeTabKey) ?? null;
