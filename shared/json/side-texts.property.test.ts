// Writing a merge with the sides' texts (SideTexts) copies the elements it kept whole instead of
// printing them. That must never change what the merge says: for texts laid out as they would be
// printed the output is the same, byte for byte; for texts laid out by hand inside their elements
// it reads as the same value, every block of markers still resolves to valid JSON, and elements no
// side changed keep their text exactly. Documents are cut from size 0, so every container is cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from './canonical';
import { conflictTextParts } from './conflict-text';
import { documents } from './documents.fixture';
import { merge3 } from './merge3';
import type { MergeResult } from './merge-types';
import { parseJson } from './parse';
import { parseAlike } from './parse-alike';
import type { JsonStyle } from './serialize';
import { detectStyle, stringifyJson } from './serialize';
import { SideTexts } from './side-texts';
import type { JsonValue } from './types';

type Sides = { base: string; mine: string; theirs: string };

/** Reads the sides as mergeText does (mine, then base and theirs reusing its pieces) and merges them. */
function read(texts: Sides) {
  const indent = detectStyle(texts.mine).indent;
  const mine = parseAlike(texts.mine, indent, undefined, 0);
  const base = mine && parseAlike(texts.base, indent, [mine.pieces], 0);
  const theirs = base && parseAlike(texts.theirs, indent, [mine.pieces, base.pieces], 0);
  if (!mine || !base || !theirs) return undefined;
  const result = merge3(base.value, mine.value, theirs.value, { changes: false });
  const input = { base: base.value, mine: mine.value, theirs: theirs.value };
  return { input, result, pieces: [mine.pieces, theirs.pieces], style: detectStyle(texts.mine) };
}

function write(
  read: {
    input: { base: JsonValue; mine: JsonValue; theirs: JsonValue };
    result: MergeResult;
    style: JsonStyle;
  },
  sideTexts?: SideTexts,
): string {
  return conflictTextParts(read.input, read.result, { style: read.style, sideTexts }).join('');
}

type Pick = 'ours' | 'base' | 'theirs';
/** Resolves every marker block by `pick`, as an editor's "Accept Current/Incoming" does. */
function resolve(text: string, pick: Pick): string {
  let state: 'out' | Pick = 'out';
  const out: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('<<<<<<< ')) state = 'ours';
    else if (line.startsWith('||||||| ')) state = 'base';
    else if (line === '=======\n') state = 'theirs';
    else if (line.startsWith('>>>>>>> ')) state = 'out';
    else if (state === 'out' || state === pick) out.push(line);
  }
  return out.join('');
}

const print = (value: JsonValue) =>
  stringifyJson(value, { indent: '  ', colon: ': ', comma: ',', finalNewline: true });

/** An element of a list: an object with an id (so some lists are matched by id), or any document. */
const element = fc.oneof(
  fc.record({ id: fc.integer({ min: 1, max: 12 }), v: documents }),
  fc.record({ id: fc.integer({ min: 1, max: 12 }), n: fc.integer({ min: 0, max: 3 }) }),
  documents,
);

/** A side made from base's list: elements replaced, removed, added, or moved. */
function sideOf(list: readonly JsonValue[]) {
  return fc
    .array(
      fc.record({
        kind: fc.constantFrom('replace', 'remove', 'add', 'move', 'keep'),
        at: fc.nat(),
        to: fc.nat(),
        value: element,
      }),
      { maxLength: 4 },
    )
    .map((steps) => {
      const out = [...list];
      for (const { kind, at, to, value } of steps) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (kind === 'replace' && out.length > 0) out[i] = value;
        else if (kind === 'remove') out.splice(i, 1);
        else if (kind === 'add') out.splice(i, 0, value);
        else if (kind === 'move' && out.length > 0)
          out.splice(to % out.length, 0, ...out.splice(i, 1));
      }
      return out;
    });
}

/** Three documents around lists, at the root or under members (where texts are copied). */
const threeSides = fc
  .tuple(fc.array(element, { maxLength: 12 }), documents, fc.constantFrom('root', 'member', 'deep'))
  .chain(([list, other, where]) =>
    fc.tuple(sideOf(list), sideOf(list)).map(([mine, theirs]) => {
      const wrap = (items: JsonValue[]): JsonValue =>
        where === 'root' ? items : where === 'member' ? { items, other } : { a: { items }, other };
      return { base: wrap(list), mine: wrap(mine), theirs: wrap(theirs) };
    }),
  );

/** A side made from base's map: members replaced, removed, added, or moved to the end. */
function mapSideOf(map: Readonly<Record<string, JsonValue>>) {
  return fc
    .array(
      fc.record({
        kind: fc.constantFrom('replace', 'remove', 'add', 'move', 'keep'),
        at: fc.nat(),
        key: fc.constantFrom('k1', 'k2', 'k3', 'new', '0', '10'),
        value: element,
      }),
      { maxLength: 4 },
    )
    .map((steps) => {
      const entries = Object.entries(map);
      for (const { kind, at, key, value } of steps) {
        const i = entries.length === 0 ? 0 : at % entries.length;
        if (kind === 'replace' && entries.length > 0) entries[i] = [entries[i]![0], value];
        else if (kind === 'remove') entries.splice(i, 1);
        else if (kind === 'add' && !entries.some(([k]) => k === key))
          entries.splice(i, 0, [key, value]);
        else if (kind === 'move' && entries.length > 0) entries.push(...entries.splice(i, 1));
      }
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of entries) out[k] = v;
      return out;
    });
}

/** Three documents around a map of members (objects, lists, anything), at the root or under one. */
const threeMaps = fc
  .tuple(
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '2'), element, { maxKeys: 8 }),
    fc.boolean(),
  )
  .chain(([map, nested]) =>
    fc.tuple(mapSideOf(map), mapSideOf(map)).map(([mine, theirs]) => {
      const wrap = (members: JsonValue): JsonValue => (nested ? { other: 1, members } : members);
      return { base: wrap(map), mine: wrap(mine), theirs: wrap(theirs) };
    }),
  );

describe('a merge written with the sides’ texts', () => {
  it('is byte for byte the merge printed, for texts laid out as printed', () => {
    fc.assert(
      fc.property(fc.oneof(threeSides, threeMaps), (values) => {
        const sides = read({
          base: print(values.base),
          mine: print(values.mine),
          theirs: print(values.theirs),
        });
        if (sides === undefined) return;
        expect(write(sides, new SideTexts(sides.pieces))).toBe(write(sides));
      }),
      { numRuns: 400 },
    );
  });

  /**
   * The same text written by hand inside each element of a list, as tools other than
   * JSON.stringify write it: numbers with a zero fraction, letters as escapes. Lines stay as they
   * were, so the text still fits the layout parse-alike cuts.
   */
  const byHand = (text: string) =>
    text
      .replace(/^( {6,}"(?:id|n)": )(\d{1,6})(,?)$/gm, '$1$2.0$3')
      .replace(
        /^( {6,}"v": )"([a-z])(.*)$/gm,
        (_, key: string, letter: string, rest: string) =>
          `${key}"\\u00${letter.charCodeAt(0).toString(16)}${rest}`,
      );

  it('reads as the same merge for texts laid out by hand inside elements, its blocks resolving to valid JSON', () => {
    fc.assert(
      fc.property(fc.oneof(threeSides, threeMaps), (values) => {
        const texts = {
          base: byHand(print(values.base)),
          mine: byHand(print(values.mine)),
          theirs: byHand(print(values.theirs)),
        };
        const sides = read(texts);
        if (sides === undefined) return;
        const copied = write(sides, new SideTexts(sides.pieces));
        const printed = write(sides);
        for (const pick of ['ours', 'theirs'] as const) {
          const a = parseJson(resolve(copied, pick));
          const b = parseJson(resolve(printed, pick));
          expect(a.ok, resolve(copied, pick)).toBe(true);
          if (a.ok && b.ok) expect(jsonEqual(a.value, b.value)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a list’s or a map’s text exactly where no side changed it, however it is laid out inside', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(element, { minLength: 1, maxLength: 12 }),
          fc.dictionary(fc.constantFrom('a', 'b', '1', '__proto__'), element, { minKeys: 1 }),
        ),
        (list) => {
          const text = byHand(print({ items: list }));
          const sides = read({ base: text, mine: text, theirs: text });
          if (sides === undefined) return;
          expect(write(sides, new SideTexts(sides.pieces))).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('SideTexts', () => {
  const indent = '  ';
  const cut = (text: string) => parseAlike(text, indent, undefined, 0)!;

  it('gives an element’s text only for the very object read from it, at the list it was read in', () => {
    const text =
      '{\n  "items": [\n    {\n      "a": 1.0\n    },\n    {\n      "a": 2\n    }\n  ]\n}\n';
    const mine = cut(text);
    const texts = new SideTexts([mine.pieces]);
    const items = (mine.value as { items: JsonValue[] }).items;
    expect(texts.at('/items')!.textOf(undefined, items[0]!)).toBe('{\n      "a": 1.0\n    }');
    expect(texts.at('/items')!.textOf(undefined, items[1]!)).toBe('{\n      "a": 2\n    }');
    // An equal value that is another object, or the object under another pointer: no text.
    expect(new SideTexts([mine.pieces]).at('/items')!.textOf(undefined, { a: 1 })).toBeUndefined();
    expect(texts.at('/other')).toBeUndefined();
    expect([...texts.pointers()]).toEqual(['', '/items']);
  });

  it('finds elements a side moved by a few places, and any element of a side past a change', () => {
    const list = Array.from({ length: 40 }, (_, id) => ({ id }));
    const mineText = print({ items: list });
    const mine = cut(mineText);
    const items = (mine.value as { items: JsonValue[] }).items;
    const texts = new SideTexts([mine.pieces]);
    // Asked in an order that moved element 5 three places on and dropped element 20.
    const order = [
      ...items.slice(0, 5),
      items[6]!,
      items[7]!,
      items[8]!,
      items[5]!,
      ...items.slice(9, 20),
      ...items.slice(21),
    ];
    for (const value of order)
      expect(texts.at('/items')!.textOf(undefined, value)).toBe(
        print(value).trimEnd().replace(/\n/g, '\n    '),
      );
  });
});
