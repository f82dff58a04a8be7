import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../shared/api/types';
import { latestSeen, newestPair } from './history-latest';

const entry = (journalId: number, seenAt: string, lastSeenAt = seenAt): HistoryEntry => ({
  journalId,
  revision: String(journalId),
  source: 'refreshed',
  seenAt: `2026-01-01T00:00:0${seenAt}.000Z`,
  lastSeenAt: `2026-01-01T00:00:0${lastSeenAt}.000Z`,
  bodyHash: `h${journalId}`,
});

describe('the latest revision of a history', () => {
  it('is the one seen last: A → B → A is A again, though B was listed after it', () => {
    // A seen at 1 and again at 3; B seen at 2. The server holds A.
    const entries = [entry(1, '1', '3'), entry(2, '2')];
    expect(latestSeen(entries)?.journalId).toBe(1);
    expect(newestPair(entries)).toEqual({ before: 2, last: 1 });
  });

  it('is the last row when each was seen once, and the later row on a tie', () => {
    expect(newestPair([entry(1, '1'), entry(2, '2'), entry(3, '3')])).toEqual({
      before: 2,
      last: 3,
    });
    expect(latestSeen([entry(4, '5'), entry(5, '5')])?.journalId).toBe(5);
    expect(newestPair([entry(7, '1')])).toEqual({ before: 7, last: 7 });
    expect(newestPair([])).toEqual({ before: null, last: null });
    expect(latestSeen(null)).toBeUndefined();
  });
});
