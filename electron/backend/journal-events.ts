// Every snapshot the journal records is announced to the windows: a history on show then lists a
// revision read, saved or noticed after it opened. A revision only seen again (a watch's every
// poll) is announced as such, with its new "last seen": the history moves that in place instead of
// reading itself again at every poll. Wrapping the store's journal keeps the services unaware.
import type { ApiEvent } from '../../shared/api/types';
import type { Store } from './store';

export function announceJournal(store: Store, emit: (event: ApiEvent) => void): Store {
  const { journal } = store;
  return {
    ...store,
    journal: {
      ...journal,
      record(...args: Parameters<typeof journal.record>) {
        const row = journal.record(...args);
        const [connectionId, id] = args;
        emit({
          type: 'journal-recorded',
          ref: { connectionId, id },
          journalId: row.journalId,
          seenAgain: row.seenAgain,
          lastSeenAt: row.lastSeenAt,
        });
        return row;
      },
    },
  };
}
