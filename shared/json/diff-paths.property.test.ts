// Review of 6ea40dd: diffPaths was rewritten to build a pointer only for a change (token stack,
// `a === b` shortcut). This proves, on generated documents and generated edits of them, that it
// names exactly the changes the previous implementation named, in the same order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonEqual } from './canonical';
import { diffPaths, type PathChange } from './diff-paths';
import { parseJson } from './parse';
import { escapeToken } from './pointer';
import { COMPACT, stringifyJson } from './serialize';
import { isJsonObject, type JsonObject, type JsonValue } from './types';

/** The implementation before 6ea40dd (`git show 6ea40dd^:shared/json/diff-paths.ts`), verbatim. */
function previousDiffPaths(a: JsonValue | undefined, b: JsonValue | undefined): PathChange[] {
  const out: PathChange[] = [];
  const walk = (x: JsonValue | undefined, y: JsonValue | undefined, path: string): void => {
    if (x === undefined && y === undefined) return;
    if (x === undefined) return void out.push({ path, op: 'add' });
    if (y === undefined) return void out.push({ path, op: 'remove' });
    if (isJsonObject(x) && isJsonObject(y)) {
      for (const key of Object.keys(x))
        walk(x[key], Object.hasOwn(y, key) ? y[key] : undefined, `${path}/${escapeToken(key)}`);
      for (const key of Object.keys(y))
        if (!Object.hasOwn(x, key)) out.push({ path: `${path}/${escapeToken(key)}`, op: 'add' });
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length) {
      x.forEach((item, i) => walk(item, y[i], `${path}/${i}`));
      return;
    }
    if (!jsonEqual(x, y)) out.push({ path, op: 'replace' });
  };
  walk(a, b, '');
  return out;
}

// Keys that need escaping or are Object.prototype's names; values that are equal but not identical
// (0 / -0, a big integer parsed twice) and of every kind.
const KEYS = ['a', 'b', 'a/b', 'c~d', '~01', '', '0', '__proto__', 'constructor', 'toString'];
const scalar = fc.oneof(
  fc.constantFrom<JsonValue>(0, -0, 1, 'x', '', true, false, null),
  fc.constantFrom('9007199254740993', '-12345678901234567890').map((digits) => {
    const parsed = parseJson(digits);
    if (!parsed.ok) throw new Error(digits);
    return parsed.value;
  }),
);
const { doc } = fc.letrec<{ doc: JsonValue }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('doc'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('doc')), { maxLength: 5 }).map((entries) => {
      // Own data members, as a parser makes them (a key named __proto__ included).
      const out: JsonObject = {};
      for (const [key, value] of entries)
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }),
  ),
}));

/** An edit of `value` that shares its untouched subtrees (the case the `a === b` shortcut skips). */
function perturb(value: JsonValue, random: () => number, fresh: () => JsonValue): JsonValue {
  const roll = random();
  if (roll < 0.1) return fresh();
  if (roll < 0.35) return value;
  if (Array.isArray(value)) {
    const out = value.map((item) => perturb(item, random, fresh));
    if (random() < 0.2) out.push(fresh());
    if (random() < 0.2) out.pop();
    return out;
  }
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (random() < 0.15) continue;
      Object.defineProperty(out, key, {
        value: perturb(value[key]!, random, fresh),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (random() < 0.3)
      Object.defineProperty(out, KEYS[Math.floor(random() * KEYS.length)]!, {
        value: fresh(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => ((s = Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 4294967296;
}

describe('diffPaths after the token-stack rewrite', () => {
  it('names the same changes, in the same order, as the previous implementation', () => {
    fc.assert(
      fc.property(doc, fc.nat(), fc.array(doc, { minLength: 4, maxLength: 4 }), (a, seed, pool) => {
        const random = rng(seed);
        const b = perturb(a, random, () => pool[Math.floor(random() * pool.length)]!);
        // Also through a parse: no shared subtrees, and numbers as the parser gives them.
        const copy = parseJson(stringifyJson(b, COMPACT));
        expect(diffPaths(a, b)).toEqual(previousDiffPaths(a, b));
        expect(diffPaths(b, a)).toEqual(previousDiffPaths(b, a));
        expect(diffPaths(undefined, b)).toEqual(previousDiffPaths(undefined, b));
        expect(diffPaths(a, undefined)).toEqual(previousDiffPaths(a, undefined));
        if (copy.ok) expect(diffPaths(a, copy.value)).toEqual(previousDiffPaths(a, copy.value));
      }),
      { numRuns: 2000 },
    );
  });
});
