// Every snapshot the journal records is announced to the windows: a history on show then reads
// itself again, so a revision read, saved or noticed after it opened is listed (and a revision
// seen again says when it was last seen). Wrapping the store's journal keeps the services unaware.
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
        emit({ type: 'journal-recorded', ref: { connectionId, id }, journalId: row.journalId });
        return row;
      },
    },
  };
}
