import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeConflictText } from './conflict-text';
import { merge3 } from './merge3';
import type { Choice } from './merge-types';
import { PRETTY } from './serialize';
import type { JsonValue } from './types';

type Pick = 'ours' | 'base' | 'theirs';

/** Resolves every marker block by `pick(blockIndex)`, as an editor's "Accept Current/Incoming" does. */
function resolve(text: string, pick: (block: number) => Pick, size = 7): string {
  const out: string[] = [];
  let state: 'out' | Pick = 'out';
  let block = -1;
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('<'.repeat(size) + ' ')) {
      state = 'ours';
      block++;
    } else if (line.startsWith('|'.repeat(size) + ' ')) state = 'base';
    else if (line === '='.repeat(size) + '\n') state = 'theirs';
    else if (line.startsWith('>'.repeat(size) + ' ')) state = 'out';
    else if (state === 'out' || state === pick(block)) out.push(line);
  }
  return out.join('');
}

function blocks(text: string): number {
  return text.match(/^<<<<<<< ours$/gm)?.length ?? 0;
}

function allChosen(b: JsonValue, m: JsonValue, t: JsonValue, choice: Choice): JsonValue {
  const first = merge3(b, m, t);
  return merge3(b, m, t, { choices: new Map(first.conflicts.map((c) => [c.id, choice])) }).merged;
}

/** Writes the conflicted text and checks every way of resolving it parses to what it should. */
function check(b: JsonValue, m: JsonValue, t: JsonValue): string {
  const result = merge3(b, m, t);
  expect(result.conflicts.length).toBeGreaterThan(0);
  const text = writeConflictText({ base: b, mine: m, theirs: t }, result, { style: PRETTY });
  expect(JSON.parse(resolve(text, () => 'ours'))).toEqual(allChosen(b, m, t, 'mine'));
  expect(JSON.parse(resolve(text, () => 'theirs'))).toEqual(allChosen(b, m, t, 'theirs'));
  const n = blocks(text);
  for (let mask = 0; mask < Math.min(1 << n, 64); mask++) {
    const mixed = resolve(text, (i) => ((mask >> i) & 1 ? 'theirs' : 'ours'));
    expect(() => JSON.parse(mixed), mixed).not.toThrow();
  }
  return text;
}

describe('writeConflictText', () => {
  it('wraps only the conflicting member, with whole lines and its comma on each side', () => {
    const base = { sid: 'WT1', priority: 1, status: 'pending' };
    const text = check(
      base,
      { ...base, priority: 5, status: 'assigned' },
      { ...base, priority: 9 },
    );
    expect(text).toBe(
      '{\n  "sid": "WT1",\n<<<<<<< ours\n  "priority": 5,\n||||||| base\n  "priority": 1,\n=======\n  "priority": 9,\n>>>>>>> theirs\n  "status": "assigned"\n}\n',
    );
  });

  it('takes the marker length from git (%L)', () => {
    const result = merge3({ a: 1 }, { a: 2 }, { a: 3 });
    const text = writeConflictText({ base: { a: 1 }, mine: { a: 2 }, theirs: { a: 3 } }, result, {
      style: PRETTY,
      markerSize: 9,
    });
    expect(text).toContain('<<<<<<<<< ours\n');
    expect(text).toContain('\n=========\n');
    expect(JSON.parse(resolve(text, () => 'theirs', 9))).toEqual({ a: 3 });
  });

  it('writes an array both sides reordered as its elements, not as the ids its order conflict holds', () => {
    // Found by the generated-documents property below (about one run in 2,000): each side of the
    // block was the list of ids, so keeping either replaced the elements with their ids.
    const base = {
      x: [
        { id: 1, v: {} },
        { id: 4, v: 0 },
        { id: 2, v: null },
      ],
    };
    const mine = {
      x: [
        { id: 2, v: 'x' },
        { id: 1, v: [] },
        { id: 4, v: [] },
      ],
    };
    const theirs = {
      x: [
        { id: 2, v: [] },
        { id: 4, v: [] },
        { id: 1, v: [] },
      ],
    };
    const text = check(base, mine, theirs);
    expect(blocks(text)).toBe(1);
    expect(JSON.parse(resolve(text, () => 'ours'))).toEqual(mine);
    expect(JSON.parse(resolve(text, () => 'theirs'))).toEqual(theirs);
    // Nested in a container no side changed, and inside an array of arrays.
    check({ keep: 1, y: [base.x, 1] }, { keep: 1, y: [mine.x, 1] }, { keep: 1, y: [theirs.x, 1] });
  });

  it('keeps JSON valid when the conflicting members are last and one side deleted them', () => {
    check({ a: 1, b: 2, c: 3 }, { a: 1, c: 4 }, { a: 1, b: 5 });
    check({ b: 2 }, {}, { b: 5 });
    check({ a: { x: 1, y: 2 }, z: 1 }, { a: { x: 2 }, z: 1 }, { a: { x: 3, y: 3 }, z: 1 });
  });

  it('puts trailing optional members after a member that holds conflicts of its own behind a leading comma', () => {
    const base = { a: { x: 1 }, b: 1 };
    const text = check(base, { a: { x: 2 } }, { a: { x: 3 }, b: 2 });
    expect(text).toContain('\n  , "b": 2\n');
  });

  it('wraps a run of elements that do not pair up, and elements deleted on one side', () => {
    check({ list: [1, 2, 3, 4] }, { list: [1, 9, 8, 7, 4] }, { list: [1, 5, 4] });
    check({ list: [1, 2, 3] }, { list: [1, 2, 4] }, { list: [1, 2] });
    check(
      {
        items: [
          { id: 1, v: 1 },
          { id: 2, v: 1 },
        ],
      },
      { items: [{ id: 1, v: 2 }] },
      {
        items: [
          { id: 1, v: 3 },
          { id: 2, v: 3 },
        ],
      },
    );
  });

  it('wraps the member holding a JSON string whose embedded fields conflict', () => {
    const base = { attributes: '{"skills":["es"],"level":1}', other: 1 };
    const text = check(
      base,
      { ...base, attributes: '{"skills":["es"],"level":2}' },
      { ...base, attributes: '{"skills":["es"],"level":3}', other: 2 },
    );
    expect(text).toContain(
      '<<<<<<< ours\n  "attributes": "{\\"skills\\":[\\"es\\"],\\"level\\":2}",\n',
    );
  });

  it("keeps mine's side of a JSON string as mine has it where mine deleted an embedded field", () => {
    // The merged string holds theirs' x (mine deleted it, theirs changed it): "ours" must not.
    const text = check({ a: '{"x":1,"y":1}' }, { a: '{"y":1}' }, { a: '{"x":2,"y":1}' });
    expect(JSON.parse(resolve(text, () => 'ours'))).toEqual({ a: '{"y":1}' });
  });

  it('wraps the whole document when the roots differ in kind', () => {
    check({ a: 1 }, [1], 'text');
  });

  it('writes tens of thousands of whole-member blocks (JSON strings, reordered arrays) without comparing each with every other', () => {
    // Each element holds a JSON string whose field both sides changed and an array both sides
    // reordered: 60,000 blocks. Matching each against every other block took minutes (the test's
    // time limit is the guard; speed is measured in the bench).
    const n = 30_000;
    const doc = (v: number, order: (tags: JsonValue[]) => JsonValue[]) => ({
      items: Array.from({ length: n }, (_, i) => ({
        id: i,
        cfg: JSON.stringify({ a: v, b: i }),
        tags: order([{ id: 0 }, { id: 1 }, { id: 2 }]),
      })),
    });
    const b = doc(0, (tags) => tags);
    const m = doc(1, ([x, y, z]) => [y!, x!, z!]);
    const t = doc(2, ([x, y, z]) => [z!, y!, x!]);
    const result = merge3(b, m, t);
    expect(result.conflicts).toHaveLength(2 * n);
    const text = writeConflictText({ base: b, mine: m, theirs: t }, result, { style: PRETTY });
    expect(blocks(text)).toBe(2 * n);
    expect(JSON.parse(resolve(text, () => 'ours'))).toEqual(m);
    expect(JSON.parse(resolve(text, () => 'theirs'))).toEqual(t);
  }, 20_000);

  it('widens a one-line layout so markers sit on their own lines', () => {
    const result = merge3({ a: 1, b: 1 }, { a: 2, b: 1 }, { a: 3, b: 1 });
    const text = writeConflictText(
      { base: { a: 1, b: 1 }, mine: { a: 2, b: 1 }, theirs: { a: 3, b: 1 } },
      result,
      {
        style: { indent: '', colon: ':', comma: ',', finalNewline: false },
      },
    );
    expect(JSON.parse(resolve(text, () => 'ours'))).toEqual({ a: 2, b: 1 });
    expect(text.endsWith('}')).toBe(true);
  });
});

describe('writeConflictText over generated documents', () => {
  const scalar = fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom('x', 'y'),
    fc.constant(null),
  );
  const { doc } = fc.letrec<{ doc: JsonValue; obj: JsonValue; keyed: JsonValue }>((tie) => ({
    doc: fc.oneof(
      { depthSize: 'small' },
      scalar,
      tie('obj'),
      fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }),
      tie('keyed'),
    ),
    obj: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('doc'), { maxKeys: 4 }),
    keyed: fc
      .uniqueArray(fc.integer({ min: 1, max: 5 }), { maxLength: 4 })
      .chain((ids) => fc.tuple(...ids.map((id) => tie('doc').map((v) => ({ id, v }))))),
  }));
  it('every resolution of every block is valid JSON, and all-ours / all-theirs are the merges choosing that side', () => {
    fc.assert(
      fc.property(doc, doc, doc, (b, m, t) => {
        const base: JsonValue = { keep: 1, x: b, y: [b, 1] };
        const mine: JsonValue = { keep: 1, x: m, y: [m, 1] };
        const theirs: JsonValue = { keep: 1, x: t, y: [t, 1] };
        if (merge3(base, mine, theirs).conflicts.length === 0) return;
        check(base, mine, theirs);
      }),
      { numRuns: 300 },
    );
  });
});
