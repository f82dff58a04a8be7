// Keeps the team store's view current: listens for its events, re-reads presence of the active
// connection (a teammate's expired heartbeat disappears without an event), and tells the backend
// which resources this window has open and since when each has unsaved changes.
import { useEffect, useRef } from 'react';
import type { OpenResourceInput } from '../../../shared/api/types';
import { api } from '../lib/api';
import { useDesk } from '../store';
import { reasonOf } from '../store/failures';
import { isDirty } from '../store/tabs-slice';
import {
  applyTeamEvent,
  loadPresence,
  loadTeamStatus,
  presenceNotTold,
  useTeam,
} from './team-state';

// Both loads keep their failures in the team state (shown by TeamStoreButton) and do not reject;
// should one all the same, its reason goes there too, never into the void.
const keepFailure = (field: 'statusError' | 'presenceError') => (error: unknown) =>
  useTeam.setState({ [field]: reasonOf(error) });
const loadStatusNow = (): void => {
  loadTeamStatus().catch(keepFailure('statusError'));
};
const loadPresenceNow = (connectionId: string | null): void => {
  loadPresence(connectionId).catch(keepFailure('presenceError'));
};

const PRESENCE_REFRESH_MS = 3000;

export function TeamSync() {
  const connectionId = useDesk((s) => s.activeConnectionId);
  const configured = useTeam((s) => s.status?.configured === true);
  const tabs = useDesk((s) => s.tabs);
  const dirtySince = useRef(new Map<string, string>());
  const announced = useRef('');

  useEffect(() => {
    loadStatusNow();
    return api.onEvent(applyTeamEvent);
  }, []);

  useEffect(() => {
    if (!configured) return;
    loadPresenceNow(connectionId);
    const timer = setInterval(() => loadPresenceNow(connectionId), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [connectionId, configured]);

  useEffect(() => {
    if (!configured) return;
    const now = new Date().toISOString();
    const open: OpenResourceInput[] = tabs.map((tab) => {
      if (!isDirty(tab)) dirtySince.current.delete(tab.key);
      else if (!dirtySince.current.has(tab.key))
        dirtySince.current.set(tab.key, tab.draftSavedAt ?? now);
      return { ref: tab.ref, editingSince: dirtySince.current.get(tab.key) ?? null };
    });
    const signature = JSON.stringify(open);
    if (signature === announced.current) return;
    announced.current = signature;
    const retell = (error: unknown) => {
      // Told again at the next change of tabs; until then the team store's dialog says why.
      if (announced.current === signature) announced.current = '';
      presenceNotTold(error);
    };
    api
      .announcePresence({ open })
      .then((result) => (result.kind === 'ok' ? undefined : retell(result.message)), retell);
  }, [tabs, configured]);

  return null;
}
