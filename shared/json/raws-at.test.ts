import fc from 'fast-check';
import { parseTree, type Node } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { rawAt, rawsAt } from './lossless-text';
import { escapeToken } from './pointer';
import { handText, spoiled } from './texts.fixture';

/** Every member and element of a text as jsonc-parser reads it, plus pointers that miss. */
function pointersIn(text: string): string[] {
  const out = ['', '/nope', '/0/9', '/~2'];
  const walk = (node: Node | undefined, prefix: string) => {
    if (node?.type === 'object')
      for (const p of node.children ?? [])
        walk(
          p.children?.[1],
          out[out.push(`${prefix}/${escapeToken(String(p.children?.[0]?.value))}`) - 1]!,
        );
    if (node?.type === 'array')
      (node.children ?? []).forEach((c, i) => walk(c, out[out.push(`${prefix}/${i}`) - 1]!));
  };
  walk(parseTree(text), '');
  return out;
}

const answers = (f: () => unknown) => {
  try {
    f();
    return true;
  } catch {
    return false;
  }
};

describe('rawsAt', () => {
  it('answers for every pointer what rawAt answers, strict text or not', () => {
    fc.assert(
      fc.property(fc.oneof(handText, spoiled), fc.nat(), (text, seed) => {
        // Pointers a name leads into an array by (a repeated member's first copy) included: they answer.
        const pointers = pointersIn(text).filter((_, i) => (i + seed) % 2 === 0);
        expect(pointers.every((p) => answers(() => rawAt(text, p)))).toBe(true);
        const raws = rawsAt(text, pointers);
        expect(pointers.map((p) => raws.get(p))).toEqual(pointers.map((p) => rawAt(text, p)));
      }),
      { numRuns: 300 },
    );
    expect(rawsAt('{"a": [1, {"b": 2}]}', ['/a/1/b', '/a/1', '/a/2'])).toEqual(
      new Map([
        ['/a/1/b', '2'],
        ['/a/1', '{"b": 2}'],
        ['/a/2', undefined],
      ]),
    );
  });
});
