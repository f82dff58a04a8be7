import { describe, expect, it } from 'vitest';
import {
  applyChoices,
  choose,
  createResolution,
  pendingConflicts,
  preview,
  rebase,
  unchoose,
} from './resolve';
import type { Resolution } from './resolve';

const base = {
  title: 'a',
  n: 1,
  tags: ['x', 'y'],
  tasks: [
    { sid: 'A', p: 1 },
    { sid: 'B', p: 1 },
  ],
};
const mine = { title: 'mine', n: 2, tags: ['x', 'm'], tasks: [{ sid: 'A', p: 2 }] };
const theirs = {
  title: 'theirs',
  n: 1,
  tags: ['x', 't', 'u'],
  tasks: [
    { sid: 'A', p: 3 },
    { sid: 'B', p: 5 },
  ],
};

function must(result: { ok: true; value: Resolution } | { ok: false; error: string }): Resolution {
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('resolution', () => {
  const start = createResolution(base, mine, theirs);
  const ids = start.result.conflicts.map((c) => c.id);

  it('lists the conflicts to answer, keyed by stable ids', () => {
    expect(ids).toEqual(['/title', '/tags/@1..2', '/tasks/[sid="A"]/p', '/tasks/[sid="B"]']);
    expect(pendingConflicts(start)).toHaveLength(4);
  });

  it('applies mine, theirs, base, both and custom choices', () => {
    let r = must(choose(start, '/title', { custom: 'agreed' }));
    r = must(choose(r, '/tags/@1..2', 'both'));
    r = must(choose(r, '/tasks/[sid="A"]/p', 'base'));
    expect(applyChoices(r)).toMatchObject({
      ok: false,
      error: { pending: [{ id: '/tasks/[sid="B"]' }] },
    });
    r = must(choose(r, '/tasks/[sid="B"]', 'theirs'));
    expect(applyChoices(r)).toEqual({
      ok: true,
      value: {
        title: 'agreed',
        n: 2,
        tags: ['x', 'm', 't', 'u'],
        tasks: [
          { sid: 'A', p: 1 },
          { sid: 'B', p: 5 },
        ],
      },
    });
    const deleted = must(choose(r, '/tasks/[sid="B"]', 'mine'));
    expect(applyChoices(deleted)).toMatchObject({
      ok: true,
      value: { tasks: [{ sid: 'A', p: 1 }] },
    });
  });

  it('is immutable: transitions return new values', () => {
    const r = must(choose(start, '/title', 'mine'));
    expect(start.choices).toEqual({});
    expect(unchoose(r, '/title').choices).toEqual({});
    expect(preview(r).conflicts).toHaveLength(3);
  });

  it('refuses choices that do not fit', () => {
    expect(choose(start, '/nope', 'mine')).toMatchObject({ ok: false });
    expect(choose(start, '/title', 'both')).toMatchObject({ ok: false });
    expect(choose(start, '/tags/@1..2', { custom: 'x' })).toMatchObject({ ok: false });
  });

  it('rebase keeps choices where the server did not move again and reopens the others', () => {
    let r = must(choose(start, '/title', 'mine'));
    r = must(choose(r, '/tasks/[sid="A"]/p', 'theirs'));
    const newTheirs = {
      ...theirs,
      tasks: [
        { sid: 'A', p: 4 },
        { sid: 'B', p: 5 },
      ],
      extra: true,
    };
    const moved = rebase(r, newTheirs);
    expect(moved.choices).toEqual({ '/title': 'mine' });
    expect(moved.reopened).toEqual(['/tasks/[sid="A"]/p']);
    expect(pendingConflicts(moved).map((c) => [c.id, c.theirs])).toEqual([
      ['/tags/@1..2', ['t', 'u']],
      ['/tasks/[sid="A"]/p', 4],
      ['/tasks/[sid="B"]', { sid: 'B', p: 5 }],
    ]);
    expect(preview(moved).merged).toMatchObject({ title: 'mine', extra: true });
  });
});

describe('rebase, twice', () => {
  it('keeps a conflict reopened by an earlier rebase marked while it is still unanswered', () => {
    let r = createResolution({ a: 1, b: 1 }, { a: 2, b: 2 }, { a: 3, b: 3 });
    const idA = r.result.conflicts.find((c) => c.path === '/a')!.id;
    const idB = r.result.conflicts.find((c) => c.path === '/b')!.id;
    const chosen = choose(r, idB, 'mine');
    if (!chosen.ok) throw new Error(chosen.error);
    r = rebase(chosen.value, { a: 3, b: 4 });
    expect(r.reopened).toEqual([idB]);
    const chosenA = choose(r, idA, 'theirs');
    if (!chosenA.ok) throw new Error(chosenA.error);
    r = rebase(chosenA.value, { a: 5, b: 4 });
    expect([...r.reopened].sort()).toEqual([idA, idB].sort());
  });
});

describe('rebase of many decisions', () => {
  it('keeps 150,000 decisions without looking each up in both lists of conflicts', () => {
    // Each decision was looked up in the old and the new conflicts by a search of each list:
    // minutes. The test's time limit is the guard; speed is measured in the bench.
    const n = 150_000;
    const doc = (v: number) => ({ items: Array.from({ length: n }, (_, i) => ({ id: i, v })) });
    const r = createResolution(doc(0), doc(1), doc(2));
    const [first, second] = r.result.conflicts;
    const choices: Record<string, 'mine'> = {};
    for (const conflict of r.result.conflicts)
      if (conflict !== second) choices[conflict.id] = 'mine';
    const newTheirs = doc(2);
    newTheirs.items[0]!.v = 3;
    const moved = rebase({ ...r, choices, reopened: [second!.id] }, newTheirs);
    expect(Object.keys(moved.choices)).toHaveLength(n - 2);
    expect(moved.choices[first!.id]).toBeUndefined();
    expect(moved.reopened).toEqual([first!.id, second!.id]);
  }, 20_000);
});
