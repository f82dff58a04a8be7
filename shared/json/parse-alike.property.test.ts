// parseAlike must never answer anything the strict parser would not: for texts printed with an
// indent it answers the strict parser's value; for texts edited by hand into any shape (a line
// repeated, removed or joined, a character put in or taken out) it answers that value or nothing;
// and reusing another side's pieces never changes the answer. Documents are cut from size 0 here,
// so every container is cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from './canonical';
import { containers, documents } from './documents.fixture';
import { merge3 } from './merge3';
import { mergeText } from './merge-text';
import { parseJson } from './parse';
import { parseAlike, piecesAlong, type Pieces } from './parse-alike';
import { stringifyJson } from './serialize';
import type { JsonValue } from './types';

const indents = fc.constantFrom('  ', '    ', '\t', ' ');

function print(value: JsonValue, indent: string, finalNewline: boolean): string {
  return stringifyJson(value, { indent, colon: ': ', comma: ',', finalNewline });
}

/** A hand edit of a laid-out text: lines repeated, dropped, joined, or a character put in or taken out. */
const edits = fc.array(
  fc.record({
    kind: fc.constantFrom('repeat', 'drop', 'join', 'insert', 'delete', 'indent'),
    at: fc.nat(),
    char: fc.constantFrom(',', '{', '}', '[', ']', '"', ':', ' ', '\n', '\t', '\r', '1', '\\'),
  }),
  { minLength: 1, maxLength: 3 },
);

function edit(text: string, steps: ReadonlyArray<{ kind: string; at: number; char: string }>) {
  let out = text;
  for (const { kind, at, char } of steps) {
    const lines = out.split('\n');
    const line = at % lines.length;
    const offset = at % (out.length + 1);
    if (kind === 'repeat') lines.splice(line, 0, lines[line]!);
    else if (kind === 'drop') lines.splice(line, 1);
    else if (kind === 'join' && line + 1 < lines.length)
      lines.splice(line, 2, lines[line]! + lines[line + 1]!.trimStart());
    else if (kind === 'indent') lines[line] = ' ' + lines[line]!;
    if (kind === 'insert') out = out.slice(0, offset) + char + out.slice(offset);
    else if (kind === 'delete') out = out.slice(0, offset) + out.slice(offset + 1);
    else out = lines.join('\n');
  }
  return out;
}

/** parseAlike's answer agrees with the strict parser: the same value, or nothing where it fails. */
function agrees(text: string, answer: ReturnType<typeof parseAlike>): void {
  const strict = parseJson(text);
  if (answer === undefined) return;
  expect(strict.ok).toBe(true);
  if (strict.ok) expect(jsonEqual(answer.value, strict.value)).toBe(true);
}

describe('parseAlike', () => {
  it('answers the strict parser’s value for any document printed with an indent', () => {
    fc.assert(
      fc.property(containers, indents, fc.boolean(), (value, indent, newline) => {
        const text = print(value, indent, newline);
        const answer = parseAlike(text, indent, [], 0);
        const strict = parseJson(text);
        expect(answer).toBeDefined();
        expect(strict.ok && jsonEqual(answer!.value, strict.value)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('answers the strict parser’s value or nothing for texts edited by hand', () => {
    fc.assert(
      fc.property(containers, indents, edits, (value, indent, steps) => {
        const text = edit(print(value, indent, true), steps);
        agrees(text, parseAlike(text, indent, [], 0));
      }),
      { numRuns: 5000 },
    );
  });

  it('reusing another side’s pieces never changes the answer', () => {
    fc.assert(
      fc.property(containers, indents, edits, edits, (value, indent, mineSteps, theirSteps) => {
        const printed = print(value, indent, true);
        const mine = edit(printed, mineSteps);
        const theirs = edit(printed, theirSteps);
        const minePieces = parseAlike(mine, indent, [], 0);
        const basePieces = parseAlike(printed, indent, minePieces ? [minePieces.pieces] : [], 0);
        agrees(printed, basePieces);
        const known = [minePieces, basePieces].flatMap((p) => (p ? [p.pieces] : []));
        agrees(theirs, parseAlike(theirs, indent, known, 0));
      }),
      { numRuns: 5000 },
    );
  });

  it('shares the values of pieces another side has unchanged, and parses the rest', () => {
    const tasks = Array.from({ length: 50 }, (_, n) => ({ sid: `T${n}`, note: `note ${n}` }));
    const base = print({ tasks }, '  ', true);
    const theirsTasks = tasks.map((t, n) => (n === 7 ? { ...t, note: 'moved' } : t));
    theirsTasks.splice(20, 1);
    const theirs = print({ tasks: theirsTasks }, '  ', true);
    const known = parseAlike(base, '  ', [], 0)!;
    const answer = parseAlike(theirs, '  ', [known.pieces], 0)!;
    const [baseTasks, answerTasks] = [known.value, answer.value].map(
      (v) => (v as { tasks: JsonValue[] }).tasks,
    );
    expect(jsonEqual(answer.value, { tasks: theirsTasks })).toBe(true);
    // Past the deletion, theirs' unchanged tasks are base's own values.
    expect(answerTasks![30]).toBe(baseTasks![31]);
    expect(answerTasks![6]).toBe(baseTasks![6]);
    expect(answerTasks![7]).not.toBe(baseTasks![7]);
  });

  it('counts the nesting limit from the document’s root, not from the piece', () => {
    let deep: JsonValue = 1;
    for (let n = 0; n < 1000; n++) deep = [deep];
    const text = print({ deep }, ' ', true);
    expect(parseJson(text).ok).toBe(false);
    expect(parseAlike(text, ' ', [], 0)).toBeUndefined();
    const fits = print({ deep: (deep as JsonValue[])[0]! }, ' ', true);
    expect(parseJson(fits).ok).toBe(true);
    agrees(fits, parseAlike(fits, ' ', [], 0));
  });

  it('refuses duplicate keys across pieces and inside them, and content after the root', () => {
    const twice = '{\n  "a": 1,\n  "b": {\n    "c": 1,\n    "c": 2\n  },\n  "a": 3\n}\n';
    expect(parseAlike(twice, '  ', [], 0)).toBeUndefined();
    const inner = '{\n  "b": {\n    "c": 1,\n    "c": 2\n  }\n}';
    expect(parseAlike(inner, '  ', [], 0)).toBeUndefined();
    expect(parseAlike('{\n  "a": 1\n}\n{}', '  ', [], 0)).toBeUndefined();
    expect(parseAlike('{\n  "a": 1\n}\r\n', '  ', [], 0)?.value).toEqual({ a: 1 });
  });

  // A member's text, key and all, is no array element: `[ "a": 1 ]` is not JSON, whatever another
  // side's object held. Pieces are reused only in a container of the kind they were cut from.
  it('never takes an object’s member for an array’s element, at the root or inside', () => {
    const mine = '{\n  "a": 1,\n  "b": "c"\n}\n';
    const known = parseAlike(mine, '  ', [], 0)!;
    const asArray = '[\n  "a": 1,\n  "b": "c"\n]\n';
    expect(parseJson(asArray).ok).toBe(false);
    expect(parseAlike(asArray, '  ', [known.pieces], 0)).toBeUndefined();
    const inside = '{\n  "x": {\n    "a": 1\n  }\n}\n';
    const insideArray = '{\n  "x": [\n    "a": 1\n  ]\n}\n';
    expect(parseJson(insideArray).ok).toBe(false);
    const insideKnown = parseAlike(inside, '  ', [], 0)!;
    expect(parseAlike(insideArray, '  ', [insideKnown.pieces], 0)).toBeUndefined();
    // Along a value too (a snapshot's pieces): the operator's brackets turned the object into a list.
    const along = piecesAlong(mine, '  ', known.value, 0)!;
    expect(parseAlike(asArray, '  ', [along], 0)).toBeUndefined();
  });

  it('answers the strict parser’s value or nothing when a side turns a container’s brackets', () => {
    fc.assert(
      fc.property(containers, indents, fc.nat(), (value, indent, pick) => {
        const text = print(value, indent, true);
        const known = parseAlike(text, indent, [], 0)!;
        // Every line that opens a container, and the first line after it at the opener's indent.
        const lines = text.split('\n');
        const opens = lines.flatMap((line, n) => (/[[{]$/.test(line) ? [n] : []));
        const n = opens[pick % opens.length]!;
        const lead = /^\s*/.exec(lines[n]!)![0];
        const close = lines.findIndex(
          (line, m) => m > n && line.startsWith(lead) && /^[\]}],?$/.test(line.slice(lead.length)),
        );
        if (close === -1) return;
        const swap = (c: string) => ({ '{': '[', '[': '{', '}': ']', ']': '}' })[c] ?? c;
        lines[n] = lines[n]!.slice(0, -1) + swap(lines[n]!.slice(-1));
        lines[close] =
          lead + swap(lines[close]![lead.length]!) + lines[close]!.slice(lead.length + 1);
        const turned = lines.join('\n');
        agrees(turned, parseAlike(turned, indent, [known.pieces], 0));
      }),
      { numRuns: 3000 },
    );
  });
});

/** The same value to the last detail jsonEqual overlooks: -0, key order, bigint against number. */
function identical(a: JsonValue, b: JsonValue): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const [keysA, keysB] = [Object.keys(a), Object.keys(b as object)];
  if (keysA.length !== keysB.length || keysA.some((key, n) => key !== keysB[n])) return false;
  return keysA.every((key) =>
    identical((a as Record<string, JsonValue>)[key]!, (b as Record<string, JsonValue>)[key]!),
  );
}

describe('parseAlike with the pieces of other documents', () => {
  // The renderer keeps the pieces of its last large texts, whatever documents they were: a text
  // parsed against them must answer what the strict parser answers, however the documents differ
  // (kinds, depths, a line of one pasted into the other, brackets turned).
  const steps = fc.array(
    fc.record({
      kind: fc.constantFrom('paste', 'repeat', 'drop', 'turn', 'spell'),
      at: fc.nat(),
      from: fc.nat(),
    }),
    { maxLength: 3 },
  );
  const turn = (c: string) => ({ '{': '[', '[': '{', '}': ']', ']': '}' })[c] ?? c;
  function change(
    text: string,
    other: string,
    todo: ReadonlyArray<{ kind: string; at: number; from: number }>,
  ) {
    const lines = text.split('\n');
    const others = other.split('\n');
    for (const { kind, at, from } of todo) {
      const n = at % lines.length;
      if (kind === 'paste') lines.splice(n, 0, others[from % others.length]!);
      else if (kind === 'repeat') lines.splice(n, 0, lines[n]!);
      else if (kind === 'drop') lines.splice(n, 1);
      else if (kind === 'turn') lines[n] = lines[n]!.replace(/[[\]{}]/, turn);
      else lines[n] = lines[n]!.replace(': 0', ': -0').replace(/1/, '1.0').replace(':', '\\u003a');
    }
    return lines.join('\n');
  }

  it('answers the strict parser’s value, to the last detail, or nothing', () => {
    fc.assert(
      fc.property(
        containers,
        containers,
        indents,
        steps,
        steps,
        fc.boolean(),
        (v1, v2, indent, s1, s2, along) => {
          const [t1, t2] = [print(v1, indent, true), print(v2, indent, true)];
          const p1 = parseJson(t1);
          if (!p1.ok) throw new Error('a printed document must parse');
          const k1 = along
            ? piecesAlong(t1, indent, p1.value, 0)
            : parseAlike(t1, indent, [], 0)?.pieces;
          const e2 = change(t2, t1, s2);
          const k2 = parseAlike(e2, indent, k1 ? [k1] : [], 0)?.pieces;
          const known = [k1, k2].filter((k): k is Pieces => k !== undefined);
          for (const text of [change(t1, e2, s1), e2, t2]) {
            const answer = parseAlike(text, indent, known, 0);
            if (answer === undefined) continue;
            const strict = parseJson(text);
            expect(strict.ok).toBe(true);
            if (strict.ok) expect(identical(answer.value, strict.value)).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('mergeText on laid-out documents', () => {
  it('merges as merge3 on the strictly parsed sides does', () => {
    // Forty tasks big enough for their list to be cut; each side keeps, drops, repeats, moves or
    // changes some of them.
    const pad = 'x'.repeat(450);
    const task = (n: number, v: JsonValue) => ({ sid: `T${n}`, pad, v });
    const side = fc.array(fc.record({ n: fc.nat(39), v: fc.option(documents) }), {
      minLength: 30,
      maxLength: 42,
    });
    fc.assert(
      fc.property(
        fc.array(documents, { minLength: 40, maxLength: 40 }),
        side,
        side,
        side,
        indents,
        (pool, ...rest) => {
          const indent = rest[3];
          const [base, mine, theirs] = rest.slice(0, 3).map((picks) =>
            print(
              {
                tasks: (picks as Array<{ n: number; v: JsonValue | null }>).map(({ n, v }) =>
                  task(n, v ?? pool[n]!),
                ),
              },
              indent as string,
              true,
            ),
          );
          const merged = mergeText(base!, mine!, theirs!, { changes: true });
          // As the merge command runs it: no list of changes, sides' shared parts taken whole.
          const unlisted = mergeText(base!, mine!, theirs!);
          const values = [base, mine, theirs].map((text) => parseJson(text!));
          if (!values.every((v) => v.ok)) {
            expect(unlisted.ok).toBe(false);
            return expect(merged.ok).toBe(false);
          }
          const [vb, vm, vt] = values.map((v) => (v.ok ? v.value : null));
          const expected = merge3(vb!, vm!, vt!);
          expect(merged.ok).toBe(true);
          if (!merged.ok) return;
          expect(jsonEqual(merged.value.result.merged, expected.merged)).toBe(true);
          expect(merged.value.result.conflicts).toEqual(expected.conflicts);
          expect(merged.value.result.changes).toEqual(expected.changes);
          expect(unlisted.ok && jsonEqual(unlisted.value.result.merged, expected.merged)).toBe(
            true,
          );
          expect(unlisted.ok && unlisted.value.result.conflicts).toEqual(expected.conflicts);
        },
      ),
      { numRuns: 300 },
    );
    // About 10 s alone; a loaded two-core machine running the other files beside it can double
    // that, past the suite's 20 s. Slow by its many generated merges, never by waiting.
  }, 60_000);
});

describe('piecesAlong', () => {
  it('gives a text printed from a value that value’s own pieces, which an edit then reuses', () => {
    fc.assert(
      fc.property(containers, indents, edits, (printed, indent, steps) => {
        // The value a snapshot's text is printed from is itself a parse (2^53 is a bigint there).
        const text = print(printed, indent, true);
        const parsed = parseJson(text);
        if (!parsed.ok) throw new Error('a printed document must parse');
        const value = parsed.value;
        const pieces = piecesAlong(text, indent, value, 0);
        expect(pieces).toBeDefined();
        // The text parsed against them holds the value's own members, not copies.
        const again = parseAlike(text, indent, [pieces!], 0)!.value as Record<string, JsonValue>;
        for (const key of Object.keys(value as object))
          expect(again[key]).toBe((value as Record<string, JsonValue>)[key]);
        const edited = edit(text, steps);
        agrees(edited, parseAlike(edited, indent, [pieces!], 0));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses a value the text was not printed from', () => {
    const value = { a: [1, 2], b: { c: 'x' }, d: null };
    const text = print(value, '  ', true);
    expect(piecesAlong(text, '  ', { a: [1, 2], b: { c: 'x' } }, 0)).toBeUndefined();
    expect(piecesAlong(text, '  ', { ...value, e: 1 }, 0)).toBeUndefined();
    expect(piecesAlong(text, '  ', { ...value, a: [1, 2, 3] }, 0)).toBeUndefined();
    expect(piecesAlong(text, '  ', { ...value, b: 'c' }, 0)).toBeUndefined();
    expect(piecesAlong(text, '  ', [value], 0)).toBeUndefined();
    expect(piecesAlong('{\n  "a": 1,\n  "a": 1\n}', '  ', { a: 1, b: 1 }, 0)).toBeUndefined();
  });
});
