import { useState } from 'react';

/** The resource's id (a task SID, say) in full, with a copy button: operators paste it into tickets. */
export function ResourceId({ id }: { id: string }) {
  const [copied, setCopied] = useState<null | 'copied' | { failed: string }>(null);
  const copy = () => {
    const show = (state: typeof copied) => {
      setCopied(state);
      setTimeout(() => setCopied(null), state === 'copied' ? 1500 : 4000);
    };
    // The clipboard may be refused (no permission, page not focused): say so, the id stays selectable.
    navigator.clipboard.writeText(id).then(
      () => show('copied'),
      (error: unknown) => show({ failed: error instanceof Error ? error.message : String(error) }),
    );
  };
  return (
    <span className="resource-id">
      <span className="mono small" data-testid="resource-id">
        {id}
      </span>
      <button
        type="button"
        className="link small"
        onClick={copy}
        title={
          copied !== null && copied !== 'copied' ? `Not copied: ${copied.failed}` : 'Copy the id'
        }
      >
        {copied === null ? 'Copy' : copied === 'copied' ? 'Copied' : 'Not copied — select it'}
      </button>
      {copied !== null && copied !== 'copied' ? (
        <span className="visually-hidden" role="status">
          The id was not copied: {copied.failed}
        </span>
      ) : null}
    </span>
  );
}
