import type { Snapshot } from '../../../shared/api/types';
import { dateTimeOf } from '../lib/format';

/** The revision the edit is based on: the ETag or body version, or a warning when there is none. */
export function RevisionBadge({ snapshot }: { snapshot: Snapshot }) {
  if (!snapshot.guarded) {
    return (
      <span
        className="badge unguarded"
        data-testid="revision"
        title={snapshot.unguardedReason ?? ''}
      >
        Unguarded{snapshot.revision ? ` · ${snapshot.revision}` : ''}
      </span>
    );
  }
  return (
    <span
      className="badge revision"
      data-testid="revision"
      title={`Seen ${dateTimeOf(snapshot.seenAt)}`}
    >
      Revision {snapshot.revision}
    </span>
  );
}
