// What the renderer knows of the team store: its status, who has which resource of the active
// connection open, and a counter that moves when a teammate's row touches a resource (history
// views reload on it). Its own small store, so the desk's slices need no change.
import { create } from 'zustand';
import type { ApiEvent, TeamPresence, TeamStatus } from '../../../shared/api/types';
import { api } from '../lib/api';
import { reasonOf } from '../store/failures';

type TeamState = {
  status: TeamStatus | null;
  /** Why the last status read failed (the host unreachable): the status shown is then not current. */
  statusError: string | null;
  connectionId: string | null;
  /** resourceId → teammates who have it open. */
  presence: Record<string, TeamPresence[]>;
  /** Why presence could not be read or told; the presence shown is then empty, never stale. */
  presenceError: string | null;
  /** Bumped per resource key (connectionId NUL id) when the team store reports a change to it. */
  changes: Record<string, number>;
};

export const useTeam = create<TeamState>()(() => ({
  status: null,
  statusError: null,
  connectionId: null,
  presence: {},
  presenceError: null,
  changes: {},
}));

/** Reads the team store's status; a failure is kept in `statusError` (shown by the top bar), never thrown. */
export async function loadTeamStatus(): Promise<void> {
  try {
    useTeam.setState({ status: await api.teamStatus({}), statusError: null });
  } catch (error) {
    useTeam.setState({
      statusError: `The team store's state could not be read: ${reasonOf(error)}`,
    });
  }
}

/** Reads who has what open; a failure empties the presence (never shows it stale) and says why. */
export async function loadPresence(connectionId: string | null): Promise<void> {
  if (!connectionId || useTeam.getState().status?.configured !== true) {
    useTeam.setState({ connectionId, presence: {}, presenceError: null });
    return;
  }
  let result;
  try {
    result = await api.teamPresence({ connectionId });
  } catch (error) {
    useTeam.setState({
      connectionId,
      presence: {},
      presenceError: `Who has what open could not be read: ${reasonOf(error)}`,
    });
    return;
  }
  const presence: Record<string, TeamPresence[]> = {};
  if (result.kind === 'ok')
    for (const p of result.presence) (presence[p.resourceId] ??= []).push(p);
  useTeam.setState({
    connectionId,
    presence,
    presenceError:
      result.kind === 'ok' ? null : `Who has what open could not be read: ${result.message}`,
  });
}

/** This window's open resources could not be told to the team (they will be at the next change). */
export function presenceNotTold(error: unknown): void {
  useTeam.setState({
    presenceError: `Your open resources could not be told to the team: ${reasonOf(error)}`,
  });
}

export function applyTeamEvent(event: ApiEvent): void {
  // After events were lost (the page's stream dropped), presence is read again like after a
  // presence event; a history on show reads itself again (components/HistoryView.tsx).
  if (event.type === 'team-presence' || event.type === 'events-missed') {
    // loadPresence keeps its own failure in the state; anything else it throws is said there too.
    loadPresence(useTeam.getState().connectionId).catch((error: unknown) =>
      useTeam.setState({ presenceError: reasonOf(error) }),
    );
  } else if (event.type === 'team-changed') {
    const key = `${event.ref.connectionId}\u0000${event.ref.id}`;
    useTeam.setState((s) => ({ changes: { ...s.changes, [key]: (s.changes[key] ?? 0) + 1 } }));
  }
}
