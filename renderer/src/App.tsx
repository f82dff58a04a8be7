import { BatchView } from './components/BatchView';
import { useEffect, useState } from 'react';
import { api, hostKind } from './lib/api';
import { handleGlobalKey } from './lib/commands';
import { prepareEditorWhileIdle } from './lib/monaco';
import { applyEvent, useDesk } from './store';
import { inBackground } from './store/background';
import { ActivityPanel } from './components/ActivityPanel';
import { CommandPalette, ShortcutsDialog } from './components/CommandPalette';
import { ConnectionsDialog } from './components/ConnectionsDialog';
import { Sidebar } from './components/Sidebar';
import { Workspace } from './components/Tabs';
import { QuestionDialog } from './components/QuestionDialog';
import { Toasts } from './components/Toasts';
import { TeamStoreButton } from './team/TeamStoreButton';
import { TeamSync } from './team/TeamSync';

export function App() {
  const info = useDesk((s) => s.appInfo);
  const setAppInfo = useDesk((s) => s.setAppInfo);
  const loadConnections = useDesk((s) => s.loadConnections);
  const dialog = useDesk((s) => s.dialog);
  const openDialog = useDesk((s) => s.openDialog);
  const batchOpen = useDesk((s) => s.batchOpen);
  const activityOpen = useDesk((s) => s.activityOpen);
  const toggleActivity = useDesk((s) => s.toggleActivity);
  const activityFailures = useDesk(
    (s) => s.activity.filter((e) => e.status === null || e.status >= 400).length,
  );
  const pendingCount = useDesk((s) => s.pending.length);
  const [startupError, setStartupError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    const stop = api.onEvent(applyEvent);
    (async () => {
      try {
        setAppInfo(await api.appInfo({}));
        await loadConnections();
        const activity = await api.activity({});
        useDesk.getState().addActivity(activity.entries);
        inBackground(useDesk.getState().loadPending(), 'list the unknown outcomes');
        inBackground(useDesk.getState().loadUnfinishedBatch(), 'find an unfinished batch');
        // Tabs open before a reload or restart come back, with their drafts and merges.
        await useDesk.getState().reopenKeptTabs();
        setReady(true);
        prepareEditorWhileIdle();
      } catch (error) {
        setStartupError((error as Error).message);
        // The sidebar must not read an unread list as "no connection yet".
        if (!useDesk.getState().connectionsLoaded)
          useDesk.setState({ connectionsError: (error as Error).message });
      }
    })().catch((error: unknown) => setStartupError(String(error)));
    window.addEventListener('keydown', handleGlobalKey, true);
    // Nothing typed is lost: unsaved text is written down before the page goes away.
    const keep = () => useDesk.getState().keepEverything();
    const onHidden = () => document.visibilityState === 'hidden' && keep();
    window.addEventListener('pagehide', keep);
    window.addEventListener('beforeunload', keep);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      stop();
      window.removeEventListener('keydown', handleGlobalKey, true);
      window.removeEventListener('pagehide', keep);
      window.removeEventListener('beforeunload', keep);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [setAppInfo, loadConnections]);

  return (
    <div className="app" data-testid="app" data-ready={ready ? 'true' : 'false'}>
      <header className="top-bar">
        <h1>Conflict Desk</h1>
        {info ? (
          <span className="muted small" data-testid="host-kind">
            {hostKind === 'electron' ? 'Desktop' : 'Browser mode'} · v{info.version}
            {info.sandboxUrl ? (
              <span
                title={`Admin API: ${info.sandboxUrl}/_sandbox (reset, edit as someone else, faults) — see docs/sandbox.md`}
                data-testid="sandbox-url"
              >
                {' '}
                · sandbox at <span className="mono">{info.sandboxUrl}</span>
              </span>
            ) : null}
          </span>
        ) : null}
        <div className="top-actions">
          <button
            type="button"
            className="link"
            onClick={toggleActivity}
            data-testid="toggle-activity"
            title="This session's HTTP exchanges (Ctrl+J)"
          >
            Activity
            {/* Spaces: the chips would otherwise be read as one word with it ("Activity1…"). */}
            {activityFailures > 0 ? ' ' : null}
            {activityFailures > 0 ? (
              <span className="chip warn">{activityFailures} refused or failed</span>
            ) : null}
            {pendingCount > 0 ? ' ' : null}
            {pendingCount > 0 ? (
              <span className="chip warn" data-testid="pending-count">
                {pendingCount} unknown outcome{pendingCount === 1 ? '' : 's'}
              </span>
            ) : null}
          </button>
          {/* Team store (#11) */}
          <TeamStoreButton />
          <button
            type="button"
            className="link"
            onClick={() => openDialog('palette')}
            title="Ctrl+K"
          >
            Commands
          </button>
          <button type="button" className="link" onClick={() => openDialog('shortcuts')} title="F1">
            Shortcuts
          </button>
        </div>
      </header>
      {startupError ? (
        <div className="banner error" role="alert">
          The app could not reach its backend: {startupError}
        </div>
      ) : null}
      <div className="main">
        <Sidebar />
        <Workspace />
      </div>
      {activityOpen ? <ActivityPanel /> : null}
      {dialog === 'connections' ? <ConnectionsDialog /> : null}
      {dialog === 'palette' ? <CommandPalette /> : null}
      {dialog === 'shortcuts' ? <ShortcutsDialog /> : null}
      {batchOpen ? <BatchView /> : null}
      <QuestionDialog />
      <Toasts />
      <TeamSync />
    </div>
  );
}
