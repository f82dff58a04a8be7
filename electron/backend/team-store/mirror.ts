// The one seam between the local store and the team store: journal, audit, connection and batch writes
// go to node:sqlite exactly as before, then their row is queued for the team store (if any).
// Wrapping the store object keeps resource-service and desk-service unaware of the team.
import type { DatabaseSync } from 'node:sqlite';
import type { Store } from '../store';
import { transaction } from '../store/database';
import type { TeamStore } from './team-store';

/**
 * The local write and its outbox row in one SQLite transaction: a crash (or a failed insert)
 * between the two steps would otherwise leave a local row the team store never hears of (the
 * first-join backfill runs once). Inside a caller's transaction the work is already atomic with it.
 */
function together<T>(db: DatabaseSync, work: () => T): T {
  // A runtime whose node:sqlite cannot say (isTransaction undefined: older than Node 22.16) might
  // be inside a caller's transaction, where BEGIN would throw: the two steps run as they are.
  return db.isTransaction !== false ? work() : transaction(db, work);
}

export function mirrorToTeam(store: Store, team: () => TeamStore | null): Store {
  const { journal, audit, connections, batches, db } = store;
  return {
    ...store,
    journal: {
      ...journal,
      record(...args: Parameters<typeof journal.record>) {
        return together(db, () => {
          const row = journal.record(...args);
          // A new row or one that just became "saved": worth telling the team. A re-read of a
          // known revision only moves last_seen_at locally.
          if (!row.seenAgain || args[4] === 'saved') team()?.queue('journal', row.journalId);
          return row;
        });
      },
    },
    audit: {
      ...audit,
      begin(...args: Parameters<typeof audit.begin>) {
        return together(db, () => {
          const id = audit.begin(...args);
          team()?.queue('audit', id);
          return id;
        });
      },
      settle(...args: Parameters<typeof audit.settle>) {
        together(db, () => {
          audit.settle(...args);
          team()?.queue('audit', args[0]);
        });
      },
      pending(...args: Parameters<typeof audit.pending>) {
        together(db, () => {
          audit.pending(...args);
          team()?.queue('audit', args[0]);
        });
      },
    },
    // Batch reports (schema 2): the whole report is queued when the batch changes state (created,
    // running, paused, done, cancelled, interrupted) and when a target changes while no worker runs
    // (a queue group settled, a stopped batch cancelled). Progress mid-run is not sent row by row:
    // the next state change carries it. Queuing twice is one outbox row (see outbox.ts).
    batches: {
      ...batches,
      create(...args: Parameters<typeof batches.create>) {
        // create() runs its own transaction, so the outbox row goes first: a crash between the
        // two leaves a pointer to no batch, which the drain skips, never a batch the team misses.
        team()?.queue('batch', args[0].id);
        batches.create(...args);
      },
      setState(...args: Parameters<typeof batches.setState>) {
        together(db, () => {
          batches.setState(...args);
          team()?.queue('batch', args[0]);
        });
      },
      update(...args: Parameters<typeof batches.update>) {
        together(db, () => {
          batches.update(...args);
          const [id, , change] = args;
          const shared = change.status !== undefined ? team() : null;
          if (shared && batches.get(id)?.state !== 'running') shared.queue('batch', id);
        });
      },
    },
    connections: {
      ...connections,
      save(...args: Parameters<typeof connections.save>) {
        return together(db, () => {
          const saved = connections.save(...args);
          team()?.queue('connection', saved.id);
          return saved;
        });
      },
    },
  };
}
