import { useDesk } from '../store';
import { JsonView } from './JsonView';
import type { FetchErrorKind } from '../../../shared/api/types';

const ERROR_TITLES: Record<FetchErrorKind, string> = {
  'invalid-input': 'That address cannot be opened',
  network: 'The server could not be reached',
  timeout: 'The server took too long',
  http: 'The server refused',
  'invalid-json': 'The answer is not JSON',
  'too-large': 'The answer is too large',
};

export function ResourcePanel() {
  const result = useDesk((s) => s.result);
  if (!result) {
    return (
      <div className="empty" data-testid="empty">
        <p>Type the address of a JSON resource and press <kbd>Enter</kbd>.</p>
        <p className="muted">Its body, HTTP status and revision (ETag or version) appear here.</p>
      </div>
    );
  }
  if (result.kind === 'error') {
    return (
      <div className="error-panel" role="alert" data-testid="error">
        <h2>{ERROR_TITLES[result.reason]}</h2>
        <p>{result.message}</p>
        {result.bodyExcerpt ? <pre className="excerpt">{result.bodyExcerpt}</pre> : null}
      </div>
    );
  }
  const pretty = JSON.stringify(result.body, null, 2);
  return (
    <section className="resource" aria-label="Resource">
      <div className="meta-bar">
        <span className="badge status" data-testid="http-status" title="HTTP status">HTTP {result.status}</span>
        <span className="badge revision" data-testid="revision" title={result.revisionSource === 'etag' ? 'ETag response header' : 'Revision field in the body'}>
          {result.revision === null ? 'No revision — writes would be unguarded' : `${result.revisionSource === 'etag' ? 'ETag' : 'Revision'} ${result.revision}`}
        </span>
        <span className="muted" data-testid="timing">{result.durationMs} ms · {new Date(result.receivedAt).toLocaleTimeString()}</span>
        <span className="url muted" title={result.url}>{result.url}</span>
      </div>
      <JsonView text={pretty} path={result.url} />
    </section>
  );
}
