// Property: for arbitrary JSON texts (odd number lexemes, escapes, integer-like keys), changing,
// adding or removing one path and writing through patchText leaves every other path's text
// byte-identical, and the written text means exactly the operator's document.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffPaths } from './diff-paths';
import { compactText, patchText, prettyText, rawAt, rawsAt } from './lossless-text';
import { parseJson } from './parse';
import { jsonEqual } from './canonical';
import { COMPACT, PRETTY, stringifyJson } from './serialize';
import { escapeToken, getAt } from './pointer';
import { isJsonObject, type JsonValue } from './types';

const numberLexeme = fc.constantFrom(
  '0',
  '-0',
  '1',
  '1.0',
  '1.50',
  '1E+2',
  '1e-400',
  '3.141592653589793238462643383279',
  '12345678901234567890',
  '-7',
  '2.5e3',
);
const stringLexeme = fc.constantFrom(
  '"a"',
  '"caf\\u00e9"',
  '"\\/slash"',
  '"tab\\t"',
  '"__proto__"',
  '""',
  '"ünï"',
);
const key = fc.constantFrom('a', 'b', '1', '2', '__proto__', 'constructor', 'x/y', 'ti~lde', 'é');
const space = fc.constantFrom('', ' ', '\n  ');

/** JSON texts built from these lexemes (and literals), in any layout. */
const texts = (numbers: fc.Arbitrary<string>, strings: fc.Arbitrary<string>) =>
  fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      numbers,
      strings,
      fc.constantFrom('true', 'false', 'null'),
      tie('array'),
      tie('object'),
    ),
    array: fc
      .array(tie('value') as fc.Arbitrary<string>, { maxLength: 4 })
      .chain((items) => space.map((s) => `[${s}${items.join(`,${s}`)}${s}]`)),
    object: fc
      .uniqueArray(fc.tuple(key, tie('value') as fc.Arbitrary<string>), {
        maxLength: 4,
        selector: ([k]) => k,
      })
      .chain((members) =>
        space.map(
          (s) =>
            `{${s}${members.map(([k, v]) => `${JSON.stringify(k)}:${s}${v}`).join(`,${s}`)}${s}}`,
        ),
      ),
  })).object as fc.Arbitrary<string>;

const text = texts(numberLexeme, stringLexeme);

/** Every path with a value, deepest first never mattering: parents and children both. */
function paths(value: JsonValue, prefix = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => [`${prefix}/${i}`, ...paths(v, `${prefix}/${i}`)]);
  if (isJsonObject(value))
    return Object.keys(value).flatMap((k) => [
      `${prefix}/${escapeToken(k)}`,
      ...paths(value[k]!, `${prefix}/${escapeToken(k)}`),
    ]);
  return [];
}

const parse = (t: string): JsonValue => {
  const parsed = parseJson(t);
  if (!parsed.ok) throw new Error(`${parsed.error.message}: ${t}`);
  return parsed.value;
};

describe('patchText (lossless writes)', () => {
  it('changing one path keeps every other path byte-identical and means the operator\u2019s document', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.constantFrom('replace', 'remove', 'add'), (base, pick, op) => {
        const baseValue = parse(base);
        const all = paths(baseValue);
        // The operator's text: the base pretty-printed (as the editor shows it), one value changed.
        const pretty = prettyText(base);
        let mineText: string;
        let changed: string;
        if (op === 'add' || all.length === 0) {
          changed = '/__added';
          mineText = pretty.replace(
            /^\{/,
            all.length === 0 && compactText(base) === '{}'
              ? '{"__added": 1.10'
              : '{"__added": 1.10,',
          );
        } else {
          changed = all[pick % all.length]!;
          mineText =
            op === 'replace' ? replaceInPretty(pretty, changed) : removeFromPretty(pretty, changed);
        }
        const mineValue = parse(mineText);
        const result = patchText(base, mineText, diffPaths(baseValue, mineValue));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(jsonEqual(parse(result.value), mineValue)).toBe(true);
        for (const path of all) {
          if (path === changed || path.startsWith(`${changed}/`) || changed.startsWith(`${path}/`))
            continue;
          // Elements after a removed array element move up one index, their text unchanged. Which of
          // two equal neighbours was removed cannot be told from the values ([[], [  ]] minus one
          // "[]"), so inside that array the tokens must match and the spaces may be the neighbour's.
          const parent = changed.slice(0, changed.lastIndexOf('/'));
          const inRemovedArray = op === 'remove' && Array.isArray(getAt(baseValue, parent));
          const now = inRemovedArray ? shifted(path, changed) : path;
          if (inRemovedArray && path.startsWith(`${parent}/`))
            expect(compactText(rawAt(result.value, now) ?? '')).toBe(
              compactText(rawAt(base, path) ?? ''),
            );
          else expect(rawAt(result.value, now)).toBe(rawAt(base, path));
        }
      }),
      // A case a run once found: two equal neighbours in an array, one removed.
      { numRuns: 500, examples: [['{"a":0,"x/y":0,"b":[[],[  ],0]}', 1065181095, 'remove']] },
    );
  });

  it('many changes at once (removals side by side, additions, replacements) write exactly the operator’s document', () => {
    fc.assert(
      fc.property(
        text,
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        fc.jsonValue({ maxDepth: 2 }),
        (base, choices, fresh) => {
          const baseValue = parse(base);
          const mineValue = mutate(baseValue, choices, fresh as JsonValue);
          const mineText = stringifyJson(mineValue, PRETTY);
          const result = patchText(base, mineText, diffPaths(baseValue, parse(mineText)));
          expect(result.ok).toBe(true);
          if (result.ok) expect(jsonEqual(parse(result.value), parse(mineText))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('patchText and rawsAt on a large object', () => {
  it('write tens of thousands of changes to one object without searching its members per change', () => {
    // 60,000 members: a third replaced, a third removed, and 20,000 added. Each change looked its
    // member up by a loop over all of them (and each removal copied the members after it): minutes.
    // The test's time limit is the guard; speed is measured in the bench.
    const n = 60_000;
    const base: Record<string, JsonValue> = {};
    const mine: Record<string, JsonValue> = {};
    for (let i = 0; i < n; i++) {
      base[`k${i}`] = i;
      if (i % 3 === 0) mine[`k${i}`] = i;
      else if (i % 3 === 1) mine[`k${i}`] = `v${i}`;
    }
    for (let i = 0; i < n / 3; i++) mine[`new${i}`] = i;
    const baseText = stringifyJson(base, PRETTY);
    const mineText = stringifyJson(mine, PRETTY);
    const changes = diffPaths(base, mine);
    expect(changes).toHaveLength(n);
    const written = patchText(baseText, mineText, changes);
    expect(written.ok && JSON.parse(written.value)).toEqual(mine);
    const raws = rawsAt(
      mineText,
      changes.map((change) => change.path),
    );
    expect(raws.get('/k1')).toBe('"v1"');
    expect(raws.get('/k2')).toBeUndefined();
    expect(raws.get(`/new${n / 3 - 1}`)).toBe(String(n / 3 - 1));
  }, 20_000);
});

describe('patchText given the parsed operator document', () => {
  // Texts where the parsed value often spells every token as the text does (no escapes, plain
  // integers), and texts where it does not: the written text must be the same either way.
  const plainish = fc.oneof(
    texts(
      fc.constantFrom('0', '7', '-12', '12345678901234567890'),
      fc.constantFrom('"a"', '""', '"ünï"', '"1.5"', '":-0"'),
    ),
    text,
  );

  it('writes exactly what reading the operator’s text writes', () => {
    fc.assert(
      fc.property(
        plainish,
        fc.array(fc.tuple(fc.nat(), plainish), { minLength: 1, maxLength: 4 }),
        (base, edits) => {
          // The operator's text keeps the spelling they typed: values replaced as text, in the
          // base's pretty layout (1.0, \u00e9 and integer-like keys in their own order survive).
          let mineText = prettyText(base);
          for (const [pick, lexeme] of edits) {
            const all = paths(parse(mineText));
            if (all.length === 0) break;
            const pointer = all[pick % all.length]!;
            const edited = patchText(mineText, wrap(pointer, lexeme), [
              { path: pointer, op: 'replace' },
            ]);
            if (edited.ok) mineText = edited.value;
          }
          const mineValue = parse(mineText);
          const changes = diffPaths(parse(base), mineValue);
          expect(patchText(base, mineText, changes, mineValue)).toEqual(
            patchText(base, mineText, changes),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('writes exactly what reading the operator’s text writes, with members added and removed', () => {
    fc.assert(
      fc.property(
        plainish,
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), plainish.map(parse)),
        fc.constantFrom(PRETTY, COMPACT),
        (base, choices, fresh, style) => {
          const baseValue = parse(base);
          const mineText = stringifyJson(mutate(baseValue, choices, fresh as JsonValue), style);
          const mineValue = parse(mineText);
          const changes = diffPaths(baseValue, mineValue);
          expect(patchText(base, mineText, changes, mineValue)).toEqual(
            patchText(base, mineText, changes),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes a value from the parsed document only where it spells it as the text does', () => {
    // A parsed value that disagrees with its text shows which one each write read.
    const base = '{"a":"x","n":1,"s":"y","k":{"b":1}}';
    const changes = [
      { path: '/a', op: 'replace' as const },
      { path: '/n', op: 'replace' as const },
    ];
    const mineText = '{"a":"from text","n":2.50,"s":"y","k":{"b":1}}';
    const disagreeing = { a: 'from value', n: 2.5, s: 'y', k: { b: 1 } };
    // A string without escapes: the value's spelling; a number in a text with fractions: the text's.
    expect(patchText(base, mineText, changes, disagreeing)).toEqual({
      ok: true,
      value: '{"a":"from value","n":2.50,"s":"y","k":{"b":1}}',
    });
    // An escape anywhere in the text: every value is read from the text.
    const escaped = mineText.replace('"y"', '"\\u0079"');
    expect(patchText(base, escaped, changes, disagreeing)).toEqual({
      ok: true,
      value: '{"a":"from text","n":2.50,"s":"y","k":{"b":1}}',
    });
    // Integer-like keys: a parsed object lists them first, so the text's order is kept.
    const keyed = patchText('{"k":{}}', '{"k":{"b":1,"2":0}}', [{ path: '/k', op: 'replace' }], {
      k: { b: 1, '2': 0 },
    });
    expect(keyed).toEqual({ ok: true, value: '{"k":{"b":1,"2":0}}' });
    // -0 and 1.0 keep their spelling; plain integers and bigints are written from the value.
    expect(patchText('{"n":0}', '{"n":-0}', [{ path: '/n', op: 'replace' }], { n: -0 })).toEqual({
      ok: true,
      value: '{"n":-0}',
    });
    expect(
      patchText('{"n":0}', '{"n":12345678901234567890}', [{ path: '/n', op: 'replace' }], {
        n: 12345678901234567890n,
      }),
    ).toEqual({ ok: true, value: '{"n":12345678901234567890}' });
  });
});

/** The pretty text with the value at `pointer` replaced by a string no generated text holds. */
/** A copy of `value` with members removed, replaced and added wherever `choices` say. */
function mutate(value: JsonValue, choices: number[], fresh: JsonValue): JsonValue {
  let i = 0;
  const next = () => choices[i++ % choices.length]!;
  const walk = (v: JsonValue): JsonValue => {
    if (Array.isArray(v)) return next() % 4 === 0 ? [...v.map(walk), fresh] : v.map(walk);
    if (!isJsonObject(v)) return next() % 5 === 0 ? fresh : v;
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(v)) {
      const c = next() % 4;
      if (c === 0) continue;
      Object.defineProperty(out, key, {
        value: walk(v[key]!),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (next() % 3 === 0) out[`added${i}`] = fresh;
    return out;
  };
  return walk(value);
}

function replaceInPretty(pretty: string, pointer: string): string {
  const replaced = patchText(pretty, wrap(pointer, '"__changed"'), [
    { path: pointer, op: 'replace' },
  ]);
  if (!replaced.ok) throw new Error(replaced.error);
  return replaced.value;
}

function wrap(pointer: string, value: string): string {
  const tokens = pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Objects all the way down: patchText reads an array index of the target as an object key here.
  return tokens.reduceRight((inner, token) => `{${JSON.stringify(token)}:${inner}}`, value);
}

function removeFromPretty(pretty: string, pointer: string): string {
  const removed = patchText(pretty, pretty, [{ path: pointer, op: 'remove' }]);
  if (!removed.ok) throw new Error(removed.error);
  return removed.value;
}

/** Where `path` is after the array element at `removed` is gone. */
function shifted(path: string, removed: string): string {
  const parent = removed.slice(0, removed.lastIndexOf('/'));
  const index = Number(removed.slice(removed.lastIndexOf('/') + 1));
  if (
    !path.startsWith(`${parent}/`) ||
    !Number.isInteger(index) ||
    !/^\d+$/.test(removed.slice(parent.length + 1))
  )
    return path;
  const [next, ...rest] = path.slice(parent.length + 1).split('/');
  if (!/^\d+$/.test(next!) || Number(next) <= index) return path;
  return [`${parent}/${Number(next) - 1}`, ...rest].join('/');
}
