import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patchText, rawAt, rawsAt } from './lossless-text';
import { parseJson } from './parse';
import { escapeToken, getAt } from './pointer';
import type { JsonValue } from './types';

// Strings that hold no JSON (getAt reads inside JSON-holding strings; the text readers do not).
const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.stringMatching(/^[a-z]*$/));
const doc = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'x', '0', '1', '', '01'), tie('value'), { maxKeys: 3 }),
  ),
})).value;
// Tokens an array cannot be indexed by sit beside the ones it can.
const token = fc.constantFrom('0', '1', '2', 'a', 'x', '', '01', '-', '1e0', ' 1', '+1', '0x1');
const pointer = fc
  .array(token, { maxLength: 4 })
  .map((t) => t.map((s) => `/${escapeToken(s)}`).join(''));

describe('rawAt, rawsAt and patchText follow a pointer as getAt does', () => {
  it('find the value getAt finds, and nothing where getAt finds nothing (any spacing)', () => {
    fc.assert(
      fc.property(doc, pointer, fc.boolean(), (value, p, spaced) => {
        const text = JSON.stringify(value, null, spaced ? 2 : undefined);
        const want = getAt(value as JsonValue, p);
        const read = (raw: string | undefined) =>
          raw === undefined ? undefined : (parseJson(raw) as { value: unknown }).value;
        expect(read(rawAt(text, p))).toEqual(want);
        expect(read(rawsAt(text, [p]).get(p))).toEqual(want);
        const removed = patchText(text, text, [{ path: p, op: 'remove' }]);
        if (want === undefined) expect(removed).toEqual({ ok: true, value: text });
      }),
      { numRuns: 3000 },
    );
  });

  it('answer a name that leads into an array (first copy of a repeated member) with nothing, not a TypeError', () => {
    for (const text of [
      '{"a":[1,2],"a":{"x":{"y":3}},}',
      '{"a":[1,2],"a":{"x":{"y":3}}}',
      '{"a":[[1]]}',
    ]) {
      for (const p of ['/a/x/y', '/a/x/0', '/a/-/0', '/a//0']) {
        expect(() => rawAt(text, p)).not.toThrow();
        expect(() => rawsAt(text, [p])).not.toThrow();
        expect(() => patchText(text, text, [{ path: p, op: 'remove' }])).not.toThrow();
      }
    }
  });
});
