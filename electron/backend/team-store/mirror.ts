// The one seam between the local store and the team store: journal, audit, connection and batch writes
// go to node:sqlite exactly as before, then their row is queued for the team store (if any).
// Wrapping the store object keeps resource-service and desk-service unaware of the team.
import type { Store } from '../store';
import type { TeamStore } from './team-store';

export function mirrorToTeam(store: Store, team: () => TeamStore | null): Store {
  const { journal, audit, connections, batches } = store;
  return {
    ...store,
    journal: {
      ...journal,
      record(...args: Parameters<typeof journal.record>) {
        const row = journal.record(...args);
        // A new row (seen == last seen) or one that just became "saved": worth telling the team.
        // A re-read of a known revision only moves last_seen_at locally.
        if (row.seenAt === row.lastSeenAt || args[4] === 'saved')
          team()?.queue('journal', row.journalId);
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
    // Batch reports (schema 2): the whole report is queued when the batch changes state (created,
    // running, paused, done, cancelled, interrupted) and when a target changes while no worker runs
    // (a queue group settled, a stopped batch cancelled). Progress mid-run is not sent row by row:
    // the next state change carries it. Queuing twice is one outbox row (see outbox.ts).
    batches: {
      ...batches,
      create(...args: Parameters<typeof batches.create>) {
        batches.create(...args);
        team()?.queue('batch', args[0].id);
      },
      setState(...args: Parameters<typeof batches.setState>) {
        batches.setState(...args);
        team()?.queue('batch', args[0]);
      },
      update(...args: Parameters<typeof batches.update>) {
        batches.update(...args);
        const [id, , change] = args;
        const shared = change.status !== undefined ? team() : null;
        if (shared && batches.get(id)?.state !== 'running') shared.queue('batch', id);
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
