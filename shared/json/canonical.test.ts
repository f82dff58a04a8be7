import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equal3, jsonEqual } from './canonical';
import type { JsonValue } from './types';

describe('equal3', () => {
  it('is jsonEqual of all three pairs', () => {
    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
      fc.constant(undefined),
    );
    // Small variations of one value, so that equal and nearly equal triples are common.
    const triple = fc.tuple(value, fc.nat(3), fc.nat(3), value).map(([v, x, y, other]) => {
      const pick = (n: number) =>
        n === 0
          ? v
          : n === 1
            ? structuredClone(v)
            : n === 2
              ? (JSON.parse(JSON.stringify(v ?? null)) as JsonValue)
              : other;
      return [v, pick(x), pick(y)] as const;
    });
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        expect(equal3(a, b, c)).toBe(jsonEqual(a, b) && jsonEqual(b, c));
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores key order, tells arrays from objects and an own "__proto__" from an inherited one', () => {
    expect(equal3({ a: 1, b: [1] }, { b: [1], a: 1 }, { a: 1, b: [1] })).toBe(true);
    expect(equal3({ a: 1 }, { a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(equal3([], [], {})).toBe(false);
    const own = JSON.parse('{"__proto__": {}}') as JsonValue;
    expect(equal3(own, own, {})).toBe(false);
    expect(
      equal3(
        own,
        JSON.parse('{"__proto__": {}}') as JsonValue,
        JSON.parse('{"__proto__": {}}') as JsonValue,
      ),
    ).toBe(true);
  });
});
