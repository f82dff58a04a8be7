// The revision journal on its own, over a real node:sqlite database.
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { migrate } from './database';
import { createJournal } from './journal';

describe('listing a huge history', () => {
  it('reads no revision’s body: a history of many large revisions lists in a moment', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db);
    const journal = createJournal(db);
    const big = 'x'.repeat(4 * 1024 * 1024);
    for (let i = 0; i < 25; i++)
      journal.record('c', 'r', String(i), `{"n":${i},"pad":"${big}"}`, 'watch');
    journal.record('c', 'other', '1', '{}', 'opened');
    // Listing reads every row on each new revision the history view hears of: 25 × 4 MB of
    // bodies read (twice with a team store) only to be dropped. Only the entry's fields are read.
    const entries = journal.history('c', 'r');
    expect(entries.map((e) => e.revision)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
    expect(entries.every((e) => !('body' in e))).toBe(true);
    // One revision's body is read when it is asked for.
    expect(journal.get('c', 'r', entries[3]!.journalId)?.body).toContain('"n":3');
    db.close();
  });
});
