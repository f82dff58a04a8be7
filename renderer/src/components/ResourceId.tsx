import { useState } from 'react';

/** The resource's id (a task SID, say) in full, with a copy button: operators paste it into tickets. */
export function ResourceId({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard.writeText(id).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <span className="resource-id">
      <span className="mono small" data-testid="resource-id">{id}</span>
      <button type="button" className="link small" onClick={copy} title="Copy the id">{copied ? 'Copied' : 'Copy'}</button>
    </span>
  );
}
