import type { Tab } from '../store/tabs-slice';

export function MessageBar({
  message,
  onDismiss,
}: {
  message: NonNullable<Tab['message']>;
  onDismiss: () => void;
}) {
  return (
    <div
      className={`banner ${message.tone}`}
      role={message.tone === 'error' ? 'alert' : 'status'}
      data-testid="message"
    >
      <div className="grow">
        <span data-testid="message-text">{message.text}</span>
        {message.detail ? (
          <details>
            <summary>What the server said</summary>
            <pre className="excerpt">{message.detail}</pre>
          </details>
        ) : null}
      </div>
      <button type="button" className="link" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
