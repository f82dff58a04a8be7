// What the renderer knows of the team store: its status, who has which resource of the active
// connection open, and a counter that moves when a teammate's row touches a resource (history
// views reload on it). Its own small store, so the desk's slices need no change.
import { create } from 'zustand';
import type { ApiEvent, TeamPresence, TeamStatus } from '../../../shared/api/types';
import { api } from '../lib/api';

type TeamState = {
  status: TeamStatus | null;
  connectionId: string | null;
  /** resourceId → teammates who have it open. */
  presence: Record<string, TeamPresence[]>;
  /** Bumped per resource key (connectionId NUL id) when the team store reports a change to it. */
  changes: Record<string, number>;
};

export const useTeam = create<TeamState>()(() => ({ status: null, connectionId: null, presence: {}, changes: {} }));

export async function loadTeamStatus(): Promise<void> {
  useTeam.setState({ status: await api.teamStatus({}) });
}

export async function loadPresence(connectionId: string | null): Promise<void> {
  if (!connectionId || useTeam.getState().status?.configured !== true) {
    useTeam.setState({ connectionId, presence: {} });
    return;
  }
  const result = await api.teamPresence({ connectionId });
  const presence: Record<string, TeamPresence[]> = {};
  if (result.kind === 'ok') for (const p of result.presence) (presence[p.resourceId] ??= []).push(p);
  useTeam.setState({ connectionId, presence });
}

export function applyTeamEvent(event: ApiEvent): void {
  if (event.type === 'team-presence') {
    void loadPresence(useTeam.getState().connectionId);
  } else if (event.type === 'team-changed') {
    const key = `${event.ref.connectionId}\u0000${event.ref.id}`;
    useTeam.setState((s) => ({ changes: { ...s.changes, [key]: (s.changes[key] ?? 0) + 1 } }));
  }
}
