import { useEffect } from 'react';
import { useDesk } from '../store';
import { focusToReturn, returnFocus } from '../lib/return-focus';
import { timeOf } from '../lib/format';
import { pathWords, pendingWords } from '../session/outcome-words';

/** This session's HTTP exchanges, and every write whose outcome is still unknown. */
export function ActivityPanel() {
  const entries = useDesk((s) => s.activity);
  const pending = useDesk((s) => s.pending);
  const toggle = useDesk((s) => s.toggleActivity);
  // Hidden with its own Hide button, the panel takes the control that had the keyboard off the
  // page, leaving it on <body>: it goes back to where it was when the panel opened (the editor,
  // for Ctrl+J), else to the Activity button that shows the panel again.
  useEffect(() => {
    const opener = focusToReturn();
    return () =>
      returnFocus(
        opener?.isConnected
          ? opener
          : document.querySelector<HTMLElement>('[data-testid="toggle-activity"]'),
      );
  }, []);
  return (
    <section className="activity-panel" aria-label="Activity" data-testid="activity-panel">
      <div className="row between pane-title">
        <span>
          Activity{' '}
          <span className="muted small">
            — this session’s HTTP exchanges (credentials never shown)
          </span>
        </span>
        <button type="button" className="link" onClick={toggle}>
          Hide
        </button>
      </div>
      {pending.length > 0 ? (
        <div className="pending-outcomes" data-testid="pending-outcomes">
          <strong>Writes with an unknown outcome ({pending.length})</strong>{' '}
          <span className="muted small">— open the resource to check again or settle</span>
          <ul>
            {pending.map((p) => (
              <li key={p.auditId} data-testid="pending-outcome" data-holds={p.serverHolds}>
                <span className="mono">{p.ref.id}</span> · {timeOf(p.at)} ·{' '}
                {p.changedPaths.map(pathWords).join(', ') || 'no field'} — {pendingWords(p)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="activity-scroll">
        <table>
          <thead>
            <tr>
              <th>Time</th>
              <th>Method</th>
              <th>URL</th>
              <th>Status</th>
              <th>If-Match</th>
              <th>ETag</th>
              <th>ms</th>
            </tr>
          </thead>
          <tbody>
            {entries
              .slice()
              .reverse()
              .map((e) => (
                <tr
                  key={e.id}
                  className={e.status !== null && e.status >= 400 ? 'failed' : ''}
                  data-testid="activity-row"
                >
                  <td>{timeOf(e.at)}</td>
                  <td className="mono">{e.method}</td>
                  <td className="mono ellipsis url-cell" title={e.url}>
                    {e.url}
                  </td>
                  <td
                    className="mono ellipsis status-cell"
                    title={e.status === null ? e.outcome : undefined}
                  >
                    {e.status ?? e.outcome}
                  </td>
                  <td className="mono">{e.ifMatch ?? ''}</td>
                  <td className="mono">{e.etag ?? ''}</td>
                  <td className="mono">{e.durationMs}</td>
                </tr>
              ))}
          </tbody>
        </table>
        {entries.length === 0 ? <p className="muted pad">No requests yet.</p> : null}
      </div>
    </section>
  );
}
