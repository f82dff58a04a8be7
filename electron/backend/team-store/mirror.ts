// The one seam between the local store and the team store: journal, audit and connection writes
// go to node:sqlite exactly as before, then their row is queued for the team store (if any).
// Wrapping the store object keeps resource-service and desk-service unaware of the team.
import type { Store } from '../store';
import type { TeamStore } from './team-store';

export function mirrorToTeam(store: Store, team: () => TeamStore | null): Store {
  const { journal, audit, connections } = store;
  return {
    ...store,
    journal: {
      ...journal,
      record(...args: Parameters<typeof journal.record>) {
        const row = journal.record(...args);
        // A new row (seen == last seen) or one that just became "saved": worth telling the team.
        // A re-read of a known revision only moves last_seen_at locally.
        if (row.seenAt === row.lastSeenAt || args[4] === 'saved') team()?.queue('journal', row.journalId);
        return row;
      },
    },
    audit: {
      ...audit,
      begin(...args: Parameters<typeof audit.begin>) {
        const id = audit.begin(...args);
        team()?.queue('audit', id);
        return id;
      },
      settle(...args: Parameters<typeof audit.settle>) {
        audit.settle(...args);
        team()?.queue('audit', args[0]);
      },
      pending(...args: Parameters<typeof audit.pending>) {
        audit.pending(...args);
        team()?.queue('audit', args[0]);
      },
    },
    connections: {
      ...connections,
      save(...args: Parameters<typeof connections.save>) {
        const saved = connections.save(...args);
        team()?.queue('connection', saved.id);
        return saved;
      },
    },
  };
}
