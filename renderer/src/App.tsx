import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/api/types';
import { api } from './lib/api';
import { useDesk } from './store';
import { AddressBar } from './components/AddressBar';
import { ResourcePanel } from './components/ResourcePanel';

export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [startupError, setStartupError] = useState<string | null>(null);
  const setAddress = useDesk((s) => s.setAddress);

  useEffect(() => {
    api
      .appInfo({})
      .then((appInfo) => {
        setInfo(appInfo);
        if (appInfo.suggestedUrl && useDesk.getState().address === '') setAddress(appInfo.suggestedUrl);
      })
      .catch((error: Error) => setStartupError(error.message));
  }, [setAddress]);

  return (
    <div className="app" data-testid="app" data-ready={info ? 'true' : 'false'}>
      <header className="top-bar">
        <h1>Conflict Desk</h1>
        {info ? (
          <span className="muted host" data-testid="host-kind">
            {info.host === 'electron' ? 'Desktop' : 'Browser mode'} · v{info.version}
            {info.sandboxUrl ? ` · sandbox at ${info.sandboxUrl}` : ''}
          </span>
        ) : null}
      </header>
      {startupError ? (
        <div className="error-panel" role="alert">
          <h2>The app could not start</h2>
          <p>{startupError}</p>
        </div>
      ) : null}
      <AddressBar />
      <main className="content">
        <ResourcePanel />
      </main>
    </div>
  );
}
