import { timeOf } from '../lib/format';
import { pathWords } from '../session/outcome-words';
import { unknownSummary, type Tab } from '../session/editing-session';
import { useDesk } from '../store';
import { inBackground } from '../store/background';

/** A save whose outcome is unknown: what the server holds now, the edit kept, and what to do. */
export function UnknownOutcomeBanner({ tab }: { tab: Tab }) {
  const check = useDesk((s) => s.checkOutcome);
  const accept = useDesk((s) => s.acceptServerOutcome);
  const reopen = useDesk((s) => s.reopenTab);
  const dismiss = useDesk((s) => s.dismissOutcome);
  const u = tab.unknown!;
  const words = unknownSummary(u);
  return (
    <div
      className="banner warn unknown-outcome"
      role="alert"
      data-testid="unknown-outcome"
      data-holds={u.serverHolds}
    >
      <div className="grow">
        <strong>
          {u.cause === 'unverified'
            ? 'Your save was accepted but not checked.'
            : 'Not known whether your save was applied.'}
        </strong>{' '}
        <span data-testid="unknown-headline">{words.headline}</span>
        <div data-testid="unknown-holds">
          {words.holds}
          {u.checkedAt ? (
            <span className="muted small"> (checked {timeOf(u.checkedAt)})</span>
          ) : null}
        </div>
        {u.changedPaths.length > 0 ? (
          <div className="muted small">
            Your save changed: {u.changedPaths.map(pathWords).join(', ')}.
          </div>
        ) : null}
        {u.serverNow ? (
          <details data-testid="unknown-server-now">
            <summary>What the server holds now (revision {u.serverNow.revision ?? '?'})</summary>
            <pre className="excerpt">{u.serverNow.text}</pre>
          </details>
        ) : null}
      </div>
      <div className="banner-actions column">
        <button
          type="button"
          onClick={() => inBackground(check(tab.key), 'check the outcome again')}
          disabled={u.checking}
          data-testid="check-again"
        >
          {u.checking ? 'Checking…' : 'Check again'}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => inBackground(accept(tab.key), 'accept what the server holds')}
          disabled={u.checking || u.serverHolds === 'unreadable'}
          data-testid="accept-server"
          title="Settle on what the server holds; what your edit has that it lacks stays as an edit, merged with any change of theirs when you save"
        >
          Accept what the server holds
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => inBackground(reopen(tab.key), 'reopen the resource')}
          data-testid="reopen"
          title="Read the resource afresh; your edit stays as a draft"
        >
          Reopen
        </button>
        <button
          type="button"
          className="link small"
          onClick={() => inBackground(dismiss(tab.key), 'dismiss the unknown outcome')}
          data-testid="dismiss-outcome"
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}
