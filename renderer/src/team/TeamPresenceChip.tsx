// "alice has this task open · editing for 2 min", on a list row (compact) or in the editor.
import { useDesk } from '../store';
import { nounFor, presenceWords } from './presence-words';
import { useTeam } from './team-state';

const NONE: never[] = [];

export function TeamPresenceChip({
  connectionId,
  resourceId,
  compact = false,
}: {
  connectionId: string;
  resourceId: string;
  compact?: boolean;
}) {
  const people = useTeam((s) =>
    s.connectionId === connectionId ? (s.presence[resourceId] ?? NONE) : NONE,
  );
  const profileId = useDesk((s) => s.connections.find((c) => c.id === connectionId)?.profileId);
  if (people.length === 0) return null;
  const words = presenceWords(people, nounFor(profileId));
  const editing = people.some((p) => p.editingForMs !== null);
  return compact ? (
    <span
      className={`chip presence${editing ? ' editing' : ''}`}
      data-testid="presence-chip"
      title={words}
    >
      <span className="presence-dot" aria-hidden="true" />
      {[...new Set(people.map((p) => p.operator))].join(', ')}
      {editing ? ' · editing' : ''}
    </span>
  ) : (
    <div
      className={`banner presence${editing ? ' editing' : ''}`}
      data-testid="presence-banner"
      role="status"
    >
      <span className="presence-dot" aria-hidden="true" />
      {words}
    </div>
  );
}
