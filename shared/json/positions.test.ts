import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTree, type Node } from 'jsonc-parser';
import { pointerAtOffset, rangeOfPointer, rangesOfPointers } from './positions';
import { decodePointer, encodePointer } from './pointer';
import { strictRanges } from './strict-ranges';
import { handText, spoiled } from './texts.fixture';
import { PRETTY, stringifyJson } from './serialize';
import type { JsonValue } from './types';

const doc: JsonValue = {
  tasks: [
    { sid: 'A', attributes: '{"x":1}' },
    { sid: 'B', 'a/b': [1, 2] },
  ],
};
const text = stringifyJson(doc, PRETTY);

describe('positions', () => {
  it('maps a pointer to the range of its value in the pretty-printed text', () => {
    const range = rangeOfPointer(text, '/tasks/1/sid');
    expect(range && text.slice(range.offset, range.offset + range.length)).toBe('"B"');
    expect(range?.start).toEqual({ line: 8, column: 14 });
    expect(range && text.slice(range.keyOffset, range.offset)).toBe('"sid": ');
    const escaped = rangeOfPointer(text, '/tasks/1/a~1b/1');
    expect(escaped && text.slice(escaped.offset, escaped.offset + escaped.length)).toBe('2');
  });

  it('maps pointers inside JSON-holding strings to the string', () => {
    expect(rangeOfPointer(text, '/tasks/0/attributes/x')).toMatchObject({
      insideString: true,
      start: { line: 5 },
    });
  });

  it('returns undefined for paths that are not in the text', () => {
    expect(rangeOfPointer(text, '/tasks/2')).toBeUndefined();
    expect(rangeOfPointer(text, '/nope')).toBeUndefined();
  });

  it('maps an offset back to the pointer, round-tripping every value', () => {
    for (const pointer of ['', '/tasks', '/tasks/0/sid', '/tasks/1/a~1b', '/tasks/1/a~1b/0']) {
      const range = rangeOfPointer(text, pointer)!;
      expect(pointerAtOffset(text, range.offset)).toBe(pointer);
    }
  });
});

describe('rangesOfPointers', () => {
  it('answers like rangeOfPointer for each pointer, in one pass', () => {
    const text = JSON.stringify(
      { a: { b: [1, { c: 'x' }], 'k/~': { z: [] } }, d: null, s: '{"in":{"side":1}}' },
      null,
      2,
    );
    const pointers = [
      '/a/b/1/c',
      '/d',
      '/missing',
      '',
      '/a/b/0',
      '/a/b',
      '/a/k~1~0/z',
      '/s/in/side',
      '/s',
      '/a/b/7',
      '/a/b/1/c/x',
    ];
    expect(rangesOfPointers(text, pointers)).toEqual(pointers.map((p) => rangeOfPointer(text, p)));
    expect(rangesOfPointers(text, [])).toEqual([]);
  });

  it('agrees with rangeOfPointer on generated documents, duplicate keys included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : 0) ?? 'null';
        const pointers = allPointers(value as JsonValue).slice(0, 40);
        expect(rangesOfPointers(text, pointers)).toEqual(
          pointers.map((p) => rangeOfPointer(text, p)),
        );
      }),
      { numRuns: 150 },
    );
    const duplicated = '{"a": 1, "b": {"c": 2}, "a": [3, 4]}';
    expect(rangesOfPointers(duplicated, ['/a', '/a/1'])).toEqual([
      rangeOfPointer(duplicated, '/a'),
      rangeOfPointer(duplicated, '/a/1'),
    ]);
    const shadowed = '{"a":{"b":1},"a":{"c":2}}';
    expect(rangesOfPointers(shadowed, ['/a/b', '/a/c'])).toEqual([
      rangeOfPointer(shadowed, '/a/b'),
      rangeOfPointer(shadowed, '/a/c'),
    ]);
    const embedded = '{"s": "{\\"a\\": 1}"}';
    expect(rangesOfPointers(embedded, ['/s/a'])).toEqual([rangeOfPointer(embedded, '/s/a')]);
    expect(rangeOfPointer(embedded, '/s/a')).toMatchObject({ insideString: true, keyOffset: 1 });
  });
});

/** Pointers into a text as jsonc-parser sees it (every member and element, repeated names too). */
function treePointers(text: string): string[] {
  const out: string[] = [];
  const walk = (node: Node | undefined, prefix: string) => {
    if (!node) return;
    out.push(prefix);
    if (node.type === 'object')
      for (const p of node.children ?? [])
        walk(
          p.children?.[1],
          `${prefix}/${String(p.children?.[0]?.value).replace(/~/g, '~0').replace(/\//g, '~1')}`,
        );
    if (node.type === 'array') (node.children ?? []).forEach((c, i) => walk(c, `${prefix}/${i}`));
    if (node.type === 'string') out.push(`${prefix}/a`, `${prefix}/a/1/b`);
  };
  walk(parseTree(text), '');
  return [...out, '/nope', '/0/9'];
}

describe('rangesOfPointers on texts as they come', () => {
  it('answers like rangeOfPointer on strict JSON with any spacing, lexemes and repeated names', () => {
    fc.assert(
      fc.property(handText, (text) => {
        const pointers = treePointers(text).slice(0, 60);
        expect(rangesOfPointers(text, pointers)).toEqual(
          pointers.map((p) => rangeOfPointer(text, p)),
        );
        // …and by the fast road: it reads every text of this kind.
        const { wanted, onPath } = lookups(pointers);
        expect(strictRanges(text, wanted, onPath)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it('takes the fast road for strict JSON only: anything JSON.parse refuses is left to the visitor', () => {
    const strict = (text: string) => {
      try {
        JSON.parse(text);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(fc.oneof(handText, spoiled), (text) => {
        const { wanted, onPath } = lookups(treePointers(text).slice(0, 60));
        expect(strictRanges(text, wanted, onPath) !== undefined).toBe(strict(text));
      }),
      { numRuns: 600 },
    );
    const jsonc = '{\n  // a comment\n  "a": [1, 2,],\n  "b": {"c": 3}\n}';
    expect(rangesOfPointers(jsonc, ['/a/1', '/b/c'])).toEqual([
      rangeOfPointer(jsonc, '/a/1'),
      rangeOfPointer(jsonc, '/b/c'),
    ]);
  });
});

/** The encoded pointers and their proper prefixes, as rangesOfPointers builds them. */
function lookups(pointers: readonly string[]) {
  const wanted = new Map<string, number>();
  const onPath = new Set<string>();
  pointers.forEach((pointer, i) => {
    const tokens = decodePointer(pointer);
    if (!tokens.ok) return;
    wanted.set(encodePointer(tokens.value), i);
    for (let n = 0; n < tokens.value.length; n++)
      onPath.add(encodePointer(tokens.value.slice(0, n)));
  });
  return { wanted, onPath };
}

function allPointers(value: JsonValue, prefix = ''): string[] {
  const here = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => here.push(...allPointers(v, `${prefix}/${i}`)));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      here.push(...allPointers(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return here;
}
