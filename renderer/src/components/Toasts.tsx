import { useDesk } from '../store';

export function Toasts() {
  const toasts = useDesk((s) => s.toasts);
  const dismiss = useDesk((s) => s.dismissToast);
  const dismissAll = useDesk((s) => s.dismissAllToasts);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.length > 2 ? (
        <button type="button" className="link small toasts-clear" onClick={dismissAll}>
          Dismiss all {toasts.length}
        </button>
      ) : null}
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.tone}`}
          role={t.tone === 'error' ? 'alert' : 'status'}
          data-testid={t.sticky ? 'failure' : 'toast'}
        >
          <span>
            {t.text}
            {t.repeats && t.repeats > 1 ? (
              <span className="small"> ({t.repeats} times)</span>
            ) : null}
          </span>
          <button
            type="button"
            className="link"
            aria-label={`Dismiss: ${t.text}`}
            onClick={() => dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
