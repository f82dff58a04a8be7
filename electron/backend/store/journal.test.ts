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

describe('the revision seen last', () => {
  it('is the one seen latest, and a revision recorded as seen earlier than it last was keeps its later time', () => {
    const db = new DatabaseSync(':memory:');
    migrate(db);
    const journal = createJournal(db);
    const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 12, 0, s)).toISOString();
    const a = journal.record('c', 'r', '1', '{"v":1}', 'opened', undefined, at(1));
    const b = journal.record('c', 'r', '2', '{"v":2}', 'saved', undefined, at(3));
    expect(journal.latest('c', 'r')?.journalId).toBe(b.journalId);
    // A read of revision 1 sent before revision 2 was seen, answered after it: 2 stays the latest.
    const late = journal.record('c', 'r', '1', '{"v":1}', 'opened', undefined, at(2));
    expect(late).toMatchObject({ journalId: a.journalId, lastSeenAt: at(2), seenAgain: true });
    expect(journal.latest('c', 'r')?.journalId).toBe(b.journalId);
    // Revision 1 read again later (the server went back to it): it is the latest.
    journal.record('c', 'r', '1', '{"v":1}', 'watch', undefined, at(5));
    expect(journal.latest('c', 'r')?.journalId).toBe(a.journalId);
    // An answer sent before that, arriving after it, leaves its time where it is.
    const older = journal.record('c', 'r', '1', '{"v":1}', 'watch', undefined, at(4));
    expect(older.lastSeenAt).toBe(at(5));
    expect(journal.history('c', 'r').find((e) => e.journalId === a.journalId)?.lastSeenAt).toBe(
      at(5),
    );
    db.close();
  });
});
