import { describe, expect, it } from 'vitest';
import { checkChoice, valueForChoice } from './choice-value';
import { merge3 } from './merge3';
import type { Choice, Conflict } from './merge-types';
import { getAt } from './pointer';
import type { JsonValue } from './types';

const member: Conflict = {
  id: '/a',
  path: '/a',
  kind: 'both-modified',
  base: 1,
  mine: 2,
  theirs: 3,
};

describe('valueForChoice', () => {
  it('gives each side’s value, the base, or the custom value (undefined = absent)', () => {
    expect(valueForChoice(member, 'mine')).toEqual({ ok: true, value: 2 });
    expect(valueForChoice(member, 'theirs')).toEqual({ ok: true, value: 3 });
    expect(valueForChoice(member, 'base')).toEqual({ ok: true, value: 1 });
    expect(valueForChoice(member, { custom: { x: [1] } })).toEqual({ ok: true, value: { x: [1] } });
    expect(
      valueForChoice({ ...member, kind: 'theirs-deleted', theirs: undefined }, 'theirs'),
    ).toEqual({ ok: true, value: undefined });
    expect(valueForChoice(member, { custom: undefined })).toEqual({ ok: true, value: undefined });
  });

  it('"both" joins arrays: mine, then theirs’ elements mine lacks, compared as JSON values', () => {
    const arrays: Conflict = {
      ...member,
      base: [],
      mine: [{ a: 1, b: 2 }, 12345678901234567890n],
      theirs: [{ b: 2, a: 1 }, 12345678901234567890n, 'x'],
    };
    expect(valueForChoice(arrays, 'both')).toEqual({
      ok: true,
      value: [{ a: 1, b: 2 }, 12345678901234567890n, 'x'],
    });
  });

  it('refuses choices that do not fit, saying why', () => {
    expect(valueForChoice(member, 'both')).toEqual({
      ok: false,
      error: '"both" needs arrays on both sides',
    });
    const order: Conflict = {
      id: '/l/$order',
      path: '/l',
      kind: 'both-reordered',
      base: [1, 2],
      mine: [2, 1],
      theirs: [1, 2],
    };
    expect(valueForChoice(order, 'theirs')).toEqual({ ok: true, value: [1, 2] });
    for (const choice of ['base', 'both', { custom: [2, 1] }] satisfies Choice[]) {
      expect(valueForChoice(order, choice)).toEqual({
        ok: false,
        error: 'an order conflict takes mine or theirs',
      });
    }
    const run: Conflict = {
      id: '/l/@1..2',
      path: '/l',
      kind: 'both-modified',
      base: ['b'],
      mine: ['m'],
      theirs: ['t', 'u'],
      slice: { at: 1, length: 1 },
    };
    expect(valueForChoice(run, { custom: 'x' })).toEqual({
      ok: false,
      error: 'a custom value for a run of array elements must be an array of elements',
    });
    expect(valueForChoice(run, { custom: ['x'] })).toEqual({ ok: true, value: ['x'] });
    expect(valueForChoice(run, 'both')).toEqual({ ok: true, value: ['m', 't', 'u'] });
    // checkChoice is the same verdict without building the value.
    expect(checkChoice(run, { custom: 'x' })).toBe(
      'a custom value for a run of array elements must be an array of elements',
    );
    expect(checkChoice(run, 'both')).toBeUndefined();
  });
});

describe('the merge takes exactly valueForChoice', () => {
  // One conflict of each shape: a member, a run of elements, an order, a deletion, and arrays.
  const base = {
    a: 1,
    gone: { x: 1 },
    run: ['p', 'b1', 'b2', 'q'],
    list: [{ id: 1 }, { id: 2 }, { id: 3 }],
    tags: null,
  };
  const mine = {
    a: 2,
    gone: { x: 2 },
    run: ['p', 'm1', 'q'],
    list: [{ id: 3 }, { id: 1 }, { id: 2 }],
    tags: [{ k: 1, v: 2 }, 'm'],
  };
  const theirs = {
    a: 3,
    run: ['p', 't1', 't2', 't3', 'q'],
    list: [{ id: 2 }, { id: 1 }, { id: 3 }],
    tags: [{ v: 2, k: 1 }, 't'],
  };
  const conflicts = merge3(base, mine, theirs).conflicts;
  const choices: Choice[] = [
    'mine',
    'theirs',
    'base',
    'both',
    { custom: ['c'] },
    { custom: 'c' },
    { custom: undefined },
  ];

  it('finds one conflict of each shape', () => {
    expect(conflicts.map((c) => [c.id, c.kind])).toEqual([
      ['/a', 'both-modified'],
      ['/gone', 'theirs-deleted'],
      ['/run/@1..3', 'both-modified'],
      ['/list/$order', 'both-reordered'],
      ['/tags', 'both-modified'],
    ]);
  });

  for (const conflict of conflicts) {
    for (const choice of choices) {
      it(`${conflict.id} with ${JSON.stringify(choice)}`, () => {
        const expected = valueForChoice(conflict, choice);
        const result = merge3(base, mine, theirs, { choices: { [conflict.id]: choice } });
        const still = result.conflicts.some((c) => c.id === conflict.id);
        // A choice that does not fit leaves the conflict open; one that fits settles it with its value.
        expect(still).toBe(!expected.ok);
        if (!expected.ok) return;
        const at = getAt(result.merged, conflict.path);
        let placed: JsonValue | undefined = at;
        if (conflict.slice)
          placed = (at as JsonValue[]).slice(
            conflict.slice.at,
            conflict.slice.at + (expected.value as JsonValue[]).length,
          );
        if (conflict.kind === 'both-reordered')
          placed = (at as { id: number }[]).map((item) => item.id);
        expect(placed).toEqual(expected.value);
      });
    }
  }
});
