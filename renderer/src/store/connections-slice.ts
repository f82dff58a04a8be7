// Connections and profiles as the backend reports them (never a secret), and which one is active.
import type { StateCreator } from 'zustand';
import type { ConnectionInput, ConnectionView, ProfileInfo } from '../../../shared/api/types';
import { api } from '../lib/api';
import type { DeskState } from '.';

export type ConnectionsSlice = {
  profiles: ProfileInfo[];
  connections: ConnectionView[];
  activeConnectionId: string | null;
  connectionsError: string | null;
  /** Whether the list has been read once: until then, no list is not "no connection yet". */
  connectionsLoaded: boolean;
  loadConnections(): Promise<void>;
  selectConnection(id: string): void;
  saveConnection(
    input: ConnectionInput,
  ): Promise<{ ok: true; connection: ConnectionView } | { ok: false; error: string }>;
  removeConnection(id: string): Promise<string | null>;
};

export const createConnectionsSlice: StateCreator<DeskState, [], [], ConnectionsSlice> = (
  set,
  get,
) => ({
  profiles: [],
  connections: [],
  activeConnectionId: null,
  connectionsError: null,
  connectionsLoaded: false,
  async loadConnections() {
    try {
      const [profiles, connections] = await Promise.all([
        api.listProfiles({}),
        api.listConnections({}),
      ]);
      const active = get().activeConnectionId;
      set({
        profiles,
        connections,
        connectionsError: null,
        connectionsLoaded: true,
        activeConnectionId:
          active && connections.some((c) => c.id === active)
            ? active
            : (connections[0]?.id ?? null),
      });
    } catch (error) {
      set({ connectionsError: (error as Error).message });
    }
  },
  selectConnection(id) {
    if (get().activeConnectionId === id) return;
    set({
      activeConnectionId: id,
      filters: {},
      search: '',
      items: [],
      nextPageToken: null,
      total: null,
      leftOut: 0,
      selected: [],
    });
    get()
      .loadFirstPage()
      .catch((error: unknown) => get().reportFailure('load the list', error));
  },
  async saveConnection(input) {
    try {
      const result = await api.saveConnection({ connection: input });
      if (result.kind !== 'ok') return { ok: false, error: result.message };
      await get().loadConnections();
      return { ok: true, connection: result.connection };
    } catch (error) {
      return { ok: false, error: `The connection could not be saved: ${(error as Error).message}` };
    }
  },
  async removeConnection(id) {
    let result;
    try {
      result = await api.removeConnection({ id });
    } catch (error) {
      return `The connection was not removed: ${(error as Error).message}`;
    }
    if (result.kind !== 'ok') return result.message;
    for (const tab of get().tabs.filter((t) => t.ref.connectionId === id))
      await get().closeTab(tab.key, true);
    await get().loadConnections();
    get()
      .loadFirstPage()
      .catch((error: unknown) => get().reportFailure('load the list', error));
    return null;
  },
});
