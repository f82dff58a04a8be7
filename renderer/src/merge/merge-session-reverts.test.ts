// Reverting an automatic change against the rest of the merge: a rebase, a hand-edited Result,
// changes in lists.
import { describe, expect, it } from 'vitest';
import { docSnapshot as snap, sessionOf as session } from './merge-session.fixture';
import {
  autoChanges,
  editResult,
  rebaseSession,
  restoreChange,
  revertible,
  resultText,
  revertChange,
  type MergeSession,
} from './merge-session';

const result = (s: MergeSession) => JSON.parse(resultText(s)) as unknown;
const moved = (journalId: number, doc: unknown) => ({
  theirs: snap(journalId, doc),
  status: 412,
  afterLostAnswer: false,
  mergeOptions: {},
});

describe('a reverted automatic change when the server moves again', () => {
  it('is dropped when the server changed that field again: its new value was never seen', () => {
    let s = session({ st: 'open', p: 1 }, { st: 'open', p: 5 }, { st: 'closed', p: 1 });
    s = revertChange(s, '/st');
    expect(result(s)).toEqual({ st: 'open', p: 5 });
    const next = rebaseSession(s, moved(3, { st: 'archived', p: 1 }));
    // Kept, the revert wrote "open" over "archived", which the operator never saw.
    expect(next.reverted).toEqual([]);
    expect(result(next)).toEqual({ st: 'archived', p: 5 });
    expect(next.notice).toMatch(/revert/i);
  });

  it('is kept when that field did not change again', () => {
    let s = session(
      { st: 'open', p: 1, o: 'a' },
      { st: 'open', p: 5, o: 'a' },
      { st: 'closed', p: 1, o: 'a' },
    );
    s = revertChange(s, '/st');
    const next = rebaseSession(s, moved(3, { st: 'closed', p: 1, o: 'b' }));
    expect(next.reverted).toEqual(['/st']);
    expect(result(next)).toEqual({ st: 'open', p: 5, o: 'b' });
  });
});

describe('reverting while the Result is hand-edited', () => {
  it('does not claim a revert the Result does not hold', () => {
    let s = session({ st: 'open', p: 1 }, { st: 'open', p: 5 }, { st: 'closed', p: 1 });
    s = editResult(s, JSON.stringify({ st: 'closed', p: 6 }, null, 2));
    const after = revertChange(s, '/st');
    // Either the revert is in the Result that is saved, or it is not recorded as made.
    const holds = (result(after) as { st: string }).st === 'open';
    expect(holds || !after.reverted.includes('/st')).toBe(true);
    const restored = restoreChange({ ...s, reverted: ['/st'] }, '/st');
    expect(restored.reverted).toEqual(['/st']);
  });
});

describe('reverting a change in a list', () => {
  it('is not offered: the base’s element at that index is another one (it wrote over the next)', () => {
    const s = session(
      { xs: [1, 2, 3, 4], p: 1 },
      { xs: [1, 2, 3, 4], p: 2 },
      { xs: [1, 3, 4], p: 1 },
    );
    const removal = autoChanges(s).find((c) => c.op === 'remove')!;
    expect(revertible(s, removal)).toBe(false);
    const after = revertChange(s, removal.path);
    expect(after.reverted).toEqual([]);
    // Before: {"xs":[1,2,4]}, the server's 3 gone and nothing said.
    expect(result(after)).toEqual({ xs: [1, 3, 4], p: 2 });
  });

  it('an addition in a list, and a field of a list’s element, are not offered either', () => {
    const s = session(
      {
        xs: [1, 2, 3],
        ys: [
          { id: 1, n: 'a' },
          { id: 2, n: 'b' },
        ],
      },
      { xs: [0, 1, 2, 3], ys: [{ id: 2, n: 'b' }] },
      {
        xs: [1, 2, 3],
        ys: [
          { id: 1, n: 'a' },
          { id: 2, n: 'c' },
        ],
      },
    );
    for (const change of autoChanges(s)) expect(revertible(s, change)).toBe(false);
    for (const change of autoChanges(s)) expect(revertChange(s, change.path)).toBe(s);
  });

  it('a field of an object still is', () => {
    const s = session({ a: { b: 1 } }, { a: { b: 1 }, p: 2 }, { a: { b: 2 } });
    const change = autoChanges(s).find((c) => c.path === '/a/b')!;
    expect(revertible(s, change)).toBe(true);
    expect(result(revertChange(s, '/a/b'))).toEqual({ a: { b: 1 }, p: 2 });
  });
});
