// Keeps the team store's view current: listens for its events, re-reads presence of the active
// connection (a teammate's expired heartbeat disappears without an event), and tells the backend
// which resources this window has open and since when each has unsaved changes.
import { useEffect, useRef } from 'react';
import type { OpenResourceInput } from '../../../shared/api/types';
import { api } from '../lib/api';
import { useDesk } from '../store';
import { isDirty } from '../store/tabs-slice';
import { applyTeamEvent, loadPresence, loadTeamStatus, useTeam } from './team-state';

const PRESENCE_REFRESH_MS = 3000;

export function TeamSync() {
  const connectionId = useDesk((s) => s.activeConnectionId);
  const configured = useTeam((s) => s.status?.configured === true);
  const tabs = useDesk((s) => s.tabs);
  const dirtySince = useRef(new Map<string, string>());
  const announced = useRef('');

  useEffect(() => {
    void loadTeamStatus();
    return api.onEvent(applyTeamEvent);
  }, []);

  useEffect(() => {
    if (!configured) return;
    void loadPresence(connectionId);
    const timer = setInterval(() => void loadPresence(connectionId), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [connectionId, configured]);

  useEffect(() => {
    if (!configured) return;
    const now = new Date().toISOString();
    const open: OpenResourceInput[] = tabs.map((tab) => {
      if (!isDirty(tab)) dirtySince.current.delete(tab.key);
      else if (!dirtySince.current.has(tab.key)) dirtySince.current.set(tab.key, tab.draftSavedAt ?? now);
      return { ref: tab.ref, editingSince: dirtySince.current.get(tab.key) ?? null };
    });
    const signature = JSON.stringify(open);
    if (signature === announced.current) return;
    announced.current = signature;
    void api.announcePresence({ open });
  }, [tabs, configured]);

  return null;
}
