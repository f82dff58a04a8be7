import { useDesk } from '../store';
import { timeOf } from '../lib/format';

/** This session's HTTP exchanges: what was sent, with which precondition, and what came back. */
export function ActivityPanel() {
  const entries = useDesk((s) => s.activity);
  const toggle = useDesk((s) => s.toggleActivity);
  return (
    <section className="activity-panel" aria-label="Activity" data-testid="activity-panel">
      <div className="row between pane-title">
        <span>Activity <span className="muted small">— this session’s HTTP exchanges (credentials never shown)</span></span>
        <button type="button" className="link" onClick={toggle}>Hide</button>
      </div>
      <div className="activity-scroll">
        <table>
          <thead>
            <tr><th>Time</th><th>Method</th><th>URL</th><th>Status</th><th>If-Match</th><th>ETag</th><th>ms</th></tr>
          </thead>
          <tbody>
            {entries.slice().reverse().map((e) => (
              <tr key={e.id} className={e.status !== null && e.status >= 400 ? 'failed' : ''} data-testid="activity-row">
                <td>{timeOf(e.at)}</td>
                <td className="mono">{e.method}</td>
                <td className="mono ellipsis url-cell" title={e.url}>{e.url}</td>
                <td className="mono">{e.status ?? e.outcome}</td>
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
