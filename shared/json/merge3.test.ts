import { describe, expect, it } from 'vitest';
import { merge3 } from './merge3';
import { mergeText } from './merge-text';
import type { JsonValue } from './types';

describe('merge3: objects', () => {
  it('applies edits to different keys from both sides and records who made them', () => {
    const r = merge3({ a: 1, b: 1, c: 1 }, { a: 2, b: 1, c: 1 }, { a: 1, b: 3, c: 1 });
    expect(r.merged).toEqual({ a: 2, b: 3, c: 1 });
    expect(r.conflicts).toEqual([]);
    expect(r.changes).toEqual([
      { path: '/a', side: 'mine', op: 'replace' },
      { path: '/b', side: 'theirs', op: 'replace' },
    ]);
  });

  it('accepts equal additions and equal edits (side "both")', () => {
    const r = merge3({ a: 1 }, { a: 2, n: { x: 1 } }, { a: 2, n: { x: 1 } });
    expect(r.merged).toEqual({ a: 2, n: { x: 1 } });
    expect(r.conflicts).toEqual([]);
    expect(r.changes.map((c) => c.side)).toEqual(['both', 'both']);
  });

  it('reports both sides modifying a key differently, with the three values', () => {
    const r = merge3({ a: 1 }, { a: 2 }, { a: 3 });
    expect(r.conflicts).toEqual([
      { id: '/a', path: '/a', kind: 'both-modified', base: 1, mine: 2, theirs: 3 },
    ]);
    expect(r.merged).toEqual({ a: 2 });
  });

  it('reports modify/delete both ways; the modified value stays in the merged document', () => {
    const r = merge3({ a: 1, b: 1 }, { b: 2 }, { a: 5 });
    expect(r.conflicts.map((c) => [c.path, c.kind, c.base, c.mine, c.theirs])).toEqual([
      ['/b', 'theirs-deleted', 1, 2, undefined],
      ['/a', 'mine-deleted', 1, undefined, 5],
    ]);
    expect(r.merged).toEqual({ b: 2, a: 5 });
  });

  it('deletes a key that one side removed and the other left alone', () => {
    expect(merge3({ a: 1, b: 1 }, { b: 1 }, { a: 1, b: 2 }).merged).toEqual({ b: 2 });
  });

  it('reports different additions of the same key', () => {
    expect(merge3({}, { n: 1 }, { n: 2 }).conflicts).toMatchObject([
      { path: '/n', kind: 'both-added' },
    ]);
  });

  it("keeps mine's key order, then theirs' new keys", () => {
    const r = merge3({ a: 1, b: 1, c: 1 }, { c: 1, a: 1, b: 1, m: 1 }, { a: 1, t: 1, b: 2, c: 1 });
    expect(Object.keys(r.merged as object)).toEqual(['c', 'a', 'b', 'm', 't']);
  });

  it('without the list of changes, takes a value only one side changed as that side has it', () => {
    const base = { a: 1, b: { x: 1, y: 2 } };
    // Mine changes a and keeps base's own b; theirs reorders b and adds to it.
    const mine = { a: 2, b: base.b };
    const theirs = { a: 1, b: { y: 2, x: 1, z: 3 } };
    const listed = merge3(base, mine, theirs);
    expect(Object.keys((listed.merged as { b: object }).b)).toEqual(['x', 'y', 'z']);
    const unlisted = merge3(base, mine, theirs, { changes: false });
    expect(unlisted.merged).toEqual({ a: 2, b: theirs.b });
    expect((unlisted.merged as { b: object }).b).toBe(theirs.b);
    expect(unlisted.changes).toEqual([]);
    expect(unlisted.conflicts).toEqual(listed.conflicts);
  });

  it('merges nested objects and reports the deepest path', () => {
    const r = merge3(
      { x: { y: { z: 1, w: 1 } } },
      { x: { y: { z: 2, w: 1 } } },
      { x: { y: { z: 1, w: 2 } } },
    );
    expect(r.merged).toEqual({ x: { y: { z: 2, w: 2 } } });
    expect(r.changes.map((c) => c.path)).toEqual(['/x/y/z', '/x/y/w']);
  });

  it('escapes pointer tokens in paths', () => {
    expect(merge3({ 'a/b': 1 }, { 'a/b': 2 }, { 'a/b': 3 }).conflicts[0]!.path).toBe('/a~1b');
  });
});

describe('merge3: arrays matched by id', () => {
  const base = {
    tasks: [
      { sid: 'A', p: 1, s: 'x' },
      { sid: 'B', p: 1, s: 'x' },
      { sid: 'C', p: 1, s: 'x' },
    ],
  };

  it('merges edits to different fields of the same element and to different elements', () => {
    const mine = {
      tasks: [
        { sid: 'A', p: 2, s: 'x' },
        { sid: 'B', p: 1, s: 'x' },
        { sid: 'C', p: 1, s: 'x' },
      ],
    };
    const theirs = {
      tasks: [
        { sid: 'A', p: 1, s: 'y' },
        { sid: 'B', p: 1, s: 'x' },
        { sid: 'C', p: 9, s: 'x' },
      ],
    };
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({
      tasks: [
        { sid: 'A', p: 2, s: 'y' },
        { sid: 'B', p: 1, s: 'x' },
        { sid: 'C', p: 9, s: 'x' },
      ],
    });
  });

  it('keeps elements both sides appended, mine first', () => {
    const mine = { tasks: [...base.tasks, { sid: 'M', p: 0, s: 'x' }] };
    const theirs = { tasks: [...base.tasks, { sid: 'T', p: 0, s: 'x' }] };
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect((r.merged as { tasks: { sid: string }[] }).tasks.map((t) => t.sid)).toEqual([
      'A',
      'B',
      'C',
      'M',
      'T',
    ]);
  });

  it('follows a reorder made by one side while keeping the other side edits', () => {
    const mine = { tasks: [base.tasks[0], { sid: 'B', p: 5, s: 'x' }, base.tasks[2]] };
    const theirs = { tasks: [base.tasks[2], base.tasks[0], base.tasks[1]] };
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ tasks: [base.tasks[2], base.tasks[0], { sid: 'B', p: 5, s: 'x' }] });
  });

  it('reports deleting an element the other side modified, by id', () => {
    const mine = { tasks: [base.tasks[0], base.tasks[2]] };
    const theirs = { tasks: [base.tasks[0], { sid: 'B', p: 7, s: 'x' }, base.tasks[2]] };
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toMatchObject([
      { id: '/tasks/[sid="B"]', path: '/tasks/1', kind: 'mine-deleted' },
    ]);
  });

  it('uses the configured id keys', () => {
    const b = [
      { code: 'a', v: 1 },
      { code: 'b', v: 1 },
    ];
    const m = [
      { code: 'b', v: 1 },
      { code: 'a', v: 2 },
    ];
    const t = [
      { code: 'a', v: 1 },
      { code: 'b', v: 3 },
    ];
    expect(merge3(b, m, t, { idKeys: ['code'] })).toMatchObject({
      conflicts: [],
      merged: [
        { code: 'b', v: 3 },
        { code: 'a', v: 2 },
      ],
    });
    expect(merge3(b, m, t, { idKeys: ['id'] }).conflicts.length).toBeGreaterThan(0);
  });

  it('reports two different reorders', () => {
    const r = merge3(
      { l: [{ id: 1 }, { id: 2 }, { id: 3 }] },
      { l: [{ id: 2 }, { id: 1 }, { id: 3 }] },
      { l: [{ id: 1 }, { id: 3 }, { id: 2 }] },
    );
    expect(r.conflicts).toMatchObject([
      { path: '/l', kind: 'both-reordered', mine: [2, 1, 3], theirs: [1, 3, 2] },
    ]);
  });
});

describe('merge3: arrays without ids (diff3)', () => {
  it('keeps different appends from both sides', () => {
    expect(merge3(['a', 'b'], ['a', 'b', 'm'], ['a', 'b', 't'])).toMatchObject({
      merged: ['a', 'b', 'm', 't'],
      conflicts: [],
    });
  });

  it('applies edits to different elements', () => {
    expect(merge3([1, 2, 3, 4], [0, 2, 3, 4], [1, 2, 3, 5])).toMatchObject({
      merged: [0, 2, 3, 5],
      conflicts: [],
    });
  });

  it('merges edited elements in place when both changed the same element', () => {
    const r = merge3([{ a: 1, b: 1 }], [{ a: 2, b: 1 }], [{ a: 1, b: 2 }]);
    expect(r).toMatchObject({ merged: [{ a: 2, b: 2 }], conflicts: [] });
  });

  it('reports overlapping edits as a run of elements', () => {
    const r = merge3([1, 2, 3], [1, 9, 3], [1, 3]);
    expect(r.conflicts).toEqual([
      {
        id: '/@1..2',
        path: '',
        kind: 'theirs-deleted',
        base: [2],
        mine: [9],
        theirs: [],
        slice: { at: 1, length: 1 },
      },
    ]);
    expect(r.merged).toEqual([1, 9, 3]);
  });

  it('handles large arrays quickly (Myers, not quadratic)', () => {
    const base = Array.from({ length: 100_000 }, (_, i) => i);
    const mine = base.map((x) => (x % 1000 === 500 ? -x : x));
    const theirs = [...base.slice(0, 50_000), ...base.slice(50_010)];
    const start = performance.now();
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect((r.merged as number[]).length).toBe(99_990);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe('merge3: strings holding JSON', () => {
  it('merges Twilio-style attributes structurally and keeps the compact layout', () => {
    const base = { attributes: '{"customer":{"name":"Ana"},"skills":["es"]}' };
    const mine = { attributes: '{"customer":{"name":"Ana B."},"skills":["es"]}' };
    const theirs = { attributes: '{"customer":{"name":"Ana"},"skills":["es","vip"]}' };
    const r = merge3(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({
      attributes: '{"customer":{"name":"Ana B."},"skills":["es","vip"]}',
    });
    expect(r.changes.map((c) => c.path)).toEqual([
      '/attributes/customer/name',
      '/attributes/skills/1',
    ]);
  });

  it("keeps Python's spaced layout and pretty layouts", () => {
    const r = merge3(
      { s: '{"a": 1, "b": 1}' },
      { s: '{"a": 2, "b": 1}' },
      { s: '{"a": 1, "b": 2}' },
    );
    expect(r.merged).toEqual({ s: '{"a": 2, "b": 2}' });
    const p = merge3(
      { s: '{\n  "a": 1,\n  "b": 1\n}' },
      { s: '{\n  "a": 2,\n  "b": 1\n}' },
      { s: '{"a": 1, "b": 2}' },
    );
    expect(p.merged).toEqual({ s: '{\n  "a": 2,\n  "b": 2\n}' });
  });

  it('reports conflicts inside the string with a path through it', () => {
    const r = merge3({ s: '{"a":1}' }, { s: '{"a":2}' }, { s: '{"a":3}' });
    expect(r.conflicts).toMatchObject([
      { path: '/s/a', inString: '/s', base: 1, mine: 2, theirs: 3 },
    ]);
  });

  it('treats strings that do not all parse as plain strings', () => {
    expect(merge3({ s: '{"a":1}' }, { s: '{"a":2}' }, { s: 'not json' }).conflicts).toMatchObject([
      { path: '/s' },
    ]);
  });
});

describe('merge3: fidelity', () => {
  it('never rounds integers beyond 2^53', () => {
    const r = mergeText(
      '{"id": 1, "n": 12345678901234567891}',
      '{"id": 2, "n": 12345678901234567891}',
      '{"id": 1, "n": 12345678901234567893}',
    );
    expect(r.ok && r.value.text).toBe('{"id": 2, "n": 12345678901234567893}');
  });

  it("writes in mine's layout", () => {
    const r = mergeText('{"a":1}', '{\n    "a": 2\n}\n', '{"a":1,"b":2}');
    expect(r.ok && r.value.text).toBe('{\n    "a": 2,\n    "b": 2\n}\n');
  });

  it('takes a base that is the document null as a base, not as no base (both sides added)', () => {
    // Theirs changed the document and mine kept base's: theirs', cleanly.
    const r = mergeText('null\n', 'null\n', '{"a": 1}\n');
    expect(r.ok && r.value.result.conflicts).toEqual([]);
    expect(r.ok && r.value.text).toBe('{"a":1}\n');
  });

  it('names the side and position of bad input', () => {
    expect(mergeText('{}', '{"a":1,"a":2}', '{}')).toMatchObject({
      ok: false,
      error: { side: 'mine', error: { line: 1, column: 8 } },
    });
  });
});

describe('merge3: arrays without ids, edits next to each other', () => {
  it('applies an edit and a deletion of the neighbouring element element-wise', () => {
    const r = merge3(['a', 'b', 'c', 'd'], ['a', 'B', 'c', 'd'], ['a', 'b', 'd']);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual(['a', 'B', 'd']);
    expect(r.changes).toEqual([
      { path: '/1', side: 'mine', op: 'replace' },
      { path: '/2', side: 'theirs', op: 'remove' },
    ]);
  });

  it('does the same for objects without ids, either way round', () => {
    const base: JsonValue[] = [{ a: 1 }, { b: 1 }, { c: 1 }];
    expect(merge3(base, [{ a: 2 }, { b: 1 }, { c: 1 }], [{ a: 1 }, { c: 1 }])).toMatchObject({
      merged: [{ a: 2 }, { c: 1 }],
      conflicts: [],
    });
    expect(merge3(base, [{ a: 1 }, { c: 1 }], [{ a: 2 }, { b: 1 }, { c: 1 }])).toMatchObject({
      merged: [{ a: 2 }, { c: 1 }],
      conflicts: [],
    });
  });

  it('applies edits of different sizes to different elements of one span', () => {
    const r = merge3([1, 2, 3, 4, 5], [1, 20, 21, 3, 4, 5], [1, 2, 5]);
    expect(r).toMatchObject({ merged: [1, 20, 21, 5], conflicts: [] });
  });

  it('still reports edits that touch the same elements as one conflict over the span', () => {
    const r = merge3(['a', 'b', 'c', 'd', 'e'], ['a', 'B', 'c', 'D', 'e'], ['a', 'b', 'e']);
    expect(r.conflicts).toEqual([
      {
        id: '/@1..4',
        path: '',
        kind: 'both-modified',
        base: ['b', 'c', 'd'],
        mine: ['B', 'c', 'D'],
        theirs: ['b'],
        slice: { at: 1, length: 3 },
      },
    ]);
  });

  it('keeps an insertion next to an element the other side deleted a conflict (its place is ambiguous)', () => {
    const r = merge3(['a', 'b', 'c'], ['a', 'x', 'b', 'c'], ['a', 'c']);
    expect(r.conflicts).toMatchObject([
      { id: '/@1..2', kind: 'theirs-deleted', mine: ['x', 'b'], theirs: [] },
    ]);
  });
});

describe('merge3: arrays matched by id, additions', () => {
  it("places the other side's additions at the start after the leading side's own", () => {
    const r = merge3(
      { l: [{ id: 'A' }] },
      { l: [{ id: 'X' }, { id: 'A' }] },
      { l: [{ id: 'Y' }, { id: 'A' }] },
    );
    expect(r.conflicts).toEqual([]);
    expect((r.merged as { l: { id: string }[] }).l.map((e) => e.id)).toEqual(['X', 'Y', 'A']);
  });

  it('falls back to diff3 when an id repeats in one side only', () => {
    const r = merge3(
      [{ id: 1 }, { id: 2 }],
      [{ id: 1 }, { id: 2 }, { id: 1 }],
      [{ id: 1 }, { id: 2 }],
    );
    expect(r).toMatchObject({ merged: [{ id: 1 }, { id: 2 }, { id: 1 }], conflicts: [] });
  });
});

describe('arrays keyed by id, with additions that carry no id', () => {
  it('still matches by id when a side appends an element without one', () => {
    const r = merge3(
      {
        t: [
          { id: 1, v: 'a' },
          { id: 2, v: 'b' },
        ],
      },
      {
        t: [
          { id: 1, v: 'A' },
          { id: 2, v: 'b' },
        ],
      },
      { t: [{ id: 2, v: 'b' }, { id: 1, v: 'a' }, { v: 'new' }] },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ t: [{ id: 2, v: 'b' }, { id: 1, v: 'A' }, { v: 'new' }] });
  });

  it('keeps the same id-less addition on both sides once', () => {
    const r = merge3(
      { t: [{ id: 1 }] },
      { t: [{ id: 1 }, { note: 'x' }] },
      { t: [{ id: 1 }, { note: 'x' }] },
    );
    expect(r).toMatchObject({ merged: { t: [{ id: 1 }, { note: 'x' }] }, conflicts: [] });
  });

  it('matches ids beyond 2^53 (bigint) like any other id', () => {
    const a = 12345678901234567890n;
    const b = 2n ** 60n;
    const r = merge3(
      {
        t: [
          { id: a, v: 'a' },
          { id: b, v: 'b' },
        ],
      },
      {
        t: [
          { id: a, v: 'A' },
          { id: b, v: 'b' },
        ],
      },
      {
        t: [
          { id: b, v: 'b' },
          { id: a, v: 'a' },
        ],
      },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({
      t: [
        { id: b, v: 'b' },
        { id: a, v: 'A' },
      ],
    });
    const clash = merge3(
      { t: [{ id: a, v: 'a' }] },
      { t: [{ id: a, v: 'm' }] },
      { t: [{ id: a, v: 't' }] },
    );
    expect(clash.conflicts.map((c) => c.id)).toEqual([`/t/[id=${a}]/v`]);
  });

  it('falls back to a positional merge when base itself has an element without an id', () => {
    const r = merge3(
      { t: [{ x: 1 }, { id: 1 }, { id: 2 }] },
      { t: [{ x: 2 }, { id: 1 }, { id: 2 }] },
      { t: [{ x: 1 }, { id: 1 }, { id: 2, y: 1 }] },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ t: [{ x: 2 }, { id: 1 }, { id: 2, y: 1 }] });
    // Positional: the changes are reported by index, not by id.
    expect(r.changes.map((c) => c.path)).toEqual(['/t/0', '/t/2']);
  });
});

describe('merge3: a long array the server rewrote whole', () => {
  it('is merged in bounded time (a conflict over the run), not a diff whose cost grows with the square of its length', () => {
    // 20,000 numbers, every one changed by theirs, one by mine: a full Myers diff of base and
    // theirs walks 40,000 edit lengths (about a minute, the host frozen); a hostile server needs
    // only answer a save with 412 and such a document.
    const base = Array.from({ length: 20_000 }, (_, n) => n);
    const mine = base.map((v, n) => (n === 5 ? -1 : v));
    const theirs = base.map((v) => v + 1_000_000);
    const started = performance.now();
    const r = merge3({ a: base }, { a: mine }, { a: theirs });
    // About 0.2 s; 10 s leaves a loaded machine room and still catches the minute it took.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({ kind: 'both-modified' });
  });
});

describe('merge3: a very long array both sides rewrote', () => {
  it('keeps mine over a conflict of 300,000 elements (spread as arguments, they overflowed the stack)', () => {
    const base = Array.from({ length: 300_000 }, (_, n) => n);
    const mine = [...base.map((v) => v + 1), 0];
    const theirs = base.map((v) => -v - 1);
    const r = merge3({ a: base }, { a: mine }, { a: theirs });
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({ kind: 'both-modified', path: '/a' });
    expect(r.merged).toEqual({ a: mine });
  });
});
