import { useState, type FormEvent } from 'react';
import type { FetchErrorKind, GetResourceResult } from '../../../shared/api/types';
import { api } from '../lib/api';
import { useDesk } from '../store';
import { inBackground } from '../store/background';
import { JsonEditor } from './JsonEditor';

const ERROR_TITLES: Record<FetchErrorKind, string> = {
  'invalid-input': 'That address cannot be opened',
  network: 'The server could not be reached',
  timeout: 'The server took too long',
  http: 'The server refused',
  'invalid-json': 'The answer is not JSON',
  'too-large': 'The answer is too large',
};

/** Quick look: GET any JSON URL (through the backend) and see its body, status and ETag, read-only. */
export function QuickLook() {
  const suggested = useDesk((s) => s.appInfo?.suggestedUrl ?? '');
  const [address, setAddress] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [result, setResult] = useState<GetResourceResult | null>(null);
  const [hostError, setHostError] = useState<string | null>(null);
  const value = address ?? suggested;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) {
      setResult({
        kind: 'error',
        reason: 'invalid-input',
        message: 'Type the address of a JSON resource first.',
        url: '',
      });
      return;
    }
    setLoading(true);
    setHostError(null);
    try {
      setResult(await api.getResource({ url: value.trim() }));
    } catch (error) {
      // The call never reached the server: say so, and drop the previous answer rather than show it as this one.
      setResult(null);
      setHostError((error as Error)?.message ?? String(error));
    } finally {
      setLoading(false);
    }
  };

  return (
    <div className="quick-look">
      <form
        className="address-bar"
        onSubmit={(e) => inBackground(submit(e), 'open the address')}
        role="search"
        aria-label="Quick look"
      >
        <input
          data-testid="address"
          aria-label="Resource address"
          spellCheck={false}
          autoComplete="off"
          placeholder="https://api.example.com/v1/items/42"
          value={value}
          onChange={(e) => setAddress(e.target.value)}
        />
        <button type="submit" disabled={loading}>
          {loading ? 'Opening…' : 'Open'}
        </button>
      </form>
      {hostError ? (
        <div className="banner error" role="alert" data-testid="error">
          <div>
            <strong>The app could not reach its backend</strong> — {hostError}. Nothing was fetched.
          </div>
        </div>
      ) : null}
      {result?.kind === 'error' ? (
        <div className="banner error" role="alert" data-testid="error">
          <div>
            <strong>{ERROR_TITLES[result.reason]}</strong> — {result.message}
            {result.bodyExcerpt ? <pre className="excerpt">{result.bodyExcerpt}</pre> : null}
          </div>
        </div>
      ) : null}
      {result?.kind === 'ok' ? (
        <div className="quick-result">
          <div className="meta-bar">
            <span className="badge status" data-testid="http-status">
              HTTP {result.status}
            </span>
            <span className="badge revision" data-testid="quick-revision">
              {result.revision === null
                ? 'No revision — writes would be unguarded'
                : `${result.revisionSource === 'etag' ? 'ETag' : 'Revision'} ${result.revision}`}
            </span>
            <span className="muted small">{result.durationMs} ms</span>
            <span className="muted small ellipsis mono" title={result.url}>
              {result.url}
            </span>
          </div>
          <JsonEditor
            path={`quick/${result.url}`}
            value={JSON.stringify(result.body, null, 2)}
            readOnly
            testId="json-view"
            ariaLabel="Response body"
          />
        </div>
      ) : null}
    </div>
  );
}
