// printedRanges must answer exactly what strictRanges answers, for any text printed with an indent:
// generated documents (nested, escaped names and strings, JSON held in strings, bigints through
// stringifyJson), pointers to what is there and to what is not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documents } from './documents.fixture';
import { encodePointer } from './pointer';
import { printedRanges } from './printed-ranges';
import { stringifyJson } from './serialize';
import { strictRanges } from './strict-ranges';
import type { JsonValue } from './types';

/** Every pointer in `value`, and below each string holding JSON, one made-up member. */
function pointersIn(value: JsonValue, tokens: string[] = [], out: string[] = []): string[] {
  out.push(encodePointer(tokens));
  if (typeof value === 'string') out.push(encodePointer([...tokens, 'inside']));
  if (typeof value !== 'object' || value === null) return out;
  if (Array.isArray(value)) value.forEach((v, i) => pointersIn(v, [...tokens, String(i)], out));
  else for (const key of Object.keys(value)) pointersIn(value[key]!, [...tokens, key], out);
  return out;
}

/** What both roads are asked: some pointers of the document, some that name nothing. */
function question(pointers: readonly string[], pick: readonly boolean[], extra: readonly string[]) {
  const asked = [
    ...pointers.filter((_, i) => pick[i % pick.length]),
    ...extra.map((e) => `${pointers[e.length % pointers.length]}/${e}`),
  ];
  const wanted = new Map(asked.map((p) => [p, true]));
  const onPath = new Set<string>();
  for (const p of asked) {
    const parts = p.split('/');
    for (let n = 1; n < parts.length; n++) onPath.add(parts.slice(0, n).join('/'));
  }
  return { wanted, onPath };
}

describe('printedRanges', () => {
  it('answers what strictRanges answers for texts printed with an indent', () => {
    fc.assert(
      fc.property(
        documents,
        fc.constantFrom('  ', '    ', '\t'),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.array(fc.constantFrom('0', '7', 'zz', 'a'), { maxLength: 3 }),
        (value, indent, newline, pick, extra) => {
          const text = stringifyJson(value, {
            indent,
            colon: ': ',
            comma: ',',
            finalNewline: newline,
          });
          const { wanted, onPath } = question(pointersIn(value), pick, extra);
          expect(printedRanges(text, indent, wanted, onPath)).toEqual(
            strictRanges(text, wanted, onPath),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds members far into a long list (the runs between them stepped over at once)', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({
      id: `item-${i}`,
      tags: i % 3 ? [] : ['a', { deep: [i, { x: {} }] }],
      note: `he said "}\\n]"`,
    }));
    const value = { items, tail: { done: true } };
    const text = stringifyJson(value, {
      indent: '  ',
      colon: ': ',
      comma: ',',
      finalNewline: true,
    });
    const asked = [
      '/items/0/id',
      '/items/1500/tags/1/deep/1',
      '/items/2999/note',
      '/tail/done',
      '/items/3000',
    ];
    const { wanted, onPath } = question(asked, [true], []);
    const found = printedRanges(text, '  ', wanted, onPath);
    expect(found).toEqual(strictRanges(text, wanted, onPath));
    const hit = found.get('/items/2999/note')!;
    expect(text.slice(hit.offset, hit.offset + hit.length)).toBe(JSON.stringify(items[2999]!.note));
    expect(found.has('/items/3000')).toBe(false);
  });
});
