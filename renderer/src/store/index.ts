// One zustand store built from slices; components read it through selectors.
import { create } from 'zustand';
import type { ApiEvent } from '../../../shared/api/types';
import { api } from '../lib/api';
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
    case 'events-missed':
      catchUp();
      return;
  }
}

/**
 * Reads again what pushed events keep current, after the page's event stream dropped and some may
 * be lost (lib/event-stream's followEvents): the activity since the last entry shown, the unknown
 * outcomes, the batch on show and the batches waiting, and each tab's watch (a server that moved
 * meanwhile is told at the next poll). A failure is said, as any background load's.
 */
function catchUp(): void {
  const state = useDesk.getState();
  const failed = (what: string) => (error: unknown) =>
    useDesk.getState().reportFailure(what, error);
  const lastId = state.activity.at(-1)?.id;
  api
    .activity(lastId === undefined ? {} : { afterId: lastId })
    .then((answer) => useDesk.getState().addActivity(answer.entries))
    .catch(failed('read the activity again'));
  state.loadPending().catch(failed('list the unknown outcomes'));
  state.loadWaitingBatches().catch(failed('list the waiting batches again'));
  const batch = state.batch;
  if (batch)
    api
      .batchStatus({ batchId: batch.batchId })
      .then((answer) => {
        if (answer.kind === 'ok') useDesk.getState().batchProgress(answer.batch);
      })
      .catch(failed('read the batch again'));
  state.resumeWatches().catch(failed('watch the open resources again'));
}

export const activeTab = (s: DeskState) => s.tabs.find((t) => t.key === s.activeTabKey) ?? null;
