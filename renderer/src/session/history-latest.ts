// Which revision in a history is the server's latest: the one seen last, as the journal's latest
// is. Content that went A → B → A is A again, though B's row was made after A's.
import type { HistoryEntry } from '../../../shared/api/types';

const seenLater = (a: HistoryEntry, b: HistoryEntry) =>
  a.lastSeenAt.localeCompare(b.lastSeenAt) || a.journalId - b.journalId;

/** The entries by when each was last seen, latest last (a tie: the later row). */
function bySeen(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return entries.slice().sort(seenLater);
}

/** The revision the server was last seen holding (undefined: no entries). */
export function latestSeen(entries: readonly HistoryEntry[] | null): HistoryEntry | undefined {
  return entries ? bySeen(entries).at(-1) : undefined;
}

/** The pair a history compares at first: the revision seen before the latest, and the latest. */
export function newestPair(entries: readonly HistoryEntry[]): {
  before: number | null;
  last: number | null;
} {
  const seen = bySeen(entries);
  const last = seen.at(-1)?.journalId ?? null;
  return { before: seen.at(-2)?.journalId ?? last, last };
}
