import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson, parseJsonStrict, positionOf } from './parse';
import { PRETTY, stringifyJson } from './serialize';

describe('parseJson', () => {
  it('parses plain JSON like JSON.parse', () => {
    const text = '{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"x\\n\\u00e9"}}';
    expect(parseJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('keeps integers beyond 2^53 exact as bigint instead of rounding them', () => {
    const result = parseJson(
      '{"id": 12345678901234567891, "neg": -9007199254740993, "safe": 9007199254740991}',
    );
    expect(result).toEqual({
      ok: true,
      value: { id: 12345678901234567891n, neg: -9007199254740993n, safe: 9007199254740991 },
    });
  });

  it('does not treat long digit runs inside strings as numbers', () => {
    expect(parseJson('{"sid": "WT12345678901234567890"}')).toEqual({
      ok: true,
      value: { sid: 'WT12345678901234567890' },
    });
  });

  it('names line and column of a duplicate key, and where it was first defined', () => {
    const result = parseJson('{\n  "a": 1,\n  "b": {"x": 1},\n  "a": 2\n}');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line: 4, column: 3 });
    expect(result.error.message).toContain('duplicate key "a"');
    expect(result.error.message).toContain('line 2, column 3');
  });

  it('finds duplicate keys in nested objects', () => {
    const result = parseJson('[{"k": 1}, {"k": 1, "k": 2}]');
    expect(result).toMatchObject({ ok: false, error: { line: 1, column: 21 } });
  });

  it.each([
    ['{"a": 1,}', 1, 9],
    ['[1, 2', 1, 6],
    ['{"a" 1}', 1, 6],
    ['\n\n  nul', 3, 3],
    ['"tab\there"', 1, 5],
    ['01', 1, 2],
    ['1e999', 1, 1],
    ['{"a": "\\x"}', 1, 8],
  ])('reports the position of invalid JSON %j', (text, line, column) => {
    const result = parseJson(text);
    expect(result).toMatchObject({ ok: false, error: { line, column } });
  });

  it('keeps "__proto__" as an own key', () => {
    const result = parseJsonStrict('{"__proto__": {"x": 1}}');
    expect(result.ok && Object.keys(result.value as object)).toEqual(['__proto__']);
  });

  it('round-trips any JSON text exactly, on the fast and the strict path alike', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        const fast = parseJson(text);
        const strict = parseJsonStrict(text);
        expect(fast).toEqual(strict);
        expect(fast.ok && stringifyJson(fast.value)).toBe(text);
      }),
    );
  });
});

describe('parseJson: duplicate keys next to colons in strings', () => {
  it.each([
    ['{"t": "12:30", "t": "x"}', 1, 16],
    ['{"a": 1, "a": "\\u003a"}', 1, 10],
    ['{"a": "\\u003a\\u003a", "b": {"c": 1, "c": 2}}', 1, 37],
    ['{"a:b": 1, "a:b": 2}', 1, 12],
    ['{"url": "https://x", "k": {"u": "a:b:c", "u" : 1}}', 1, 42],
    ['{"a" : 1, "a" : 2}', 1, 11],
  ])('finds the duplicate in %j', (text, line, column) => {
    const result = parseJson(text);
    expect(result).toMatchObject({ ok: false, error: { line, column } });
    expect(result.ok || result.error.message).toContain('duplicate key');
  });

  it.each([
    '{"a:b": "c:d", "e": ["f:g", {"h": ":"}]}',
    '{"a": "\\u003a", "b": "x:y"}',
    '{"": ":", ":": ""}',
  ])('accepts colons in keys and values without duplicates: %j', (text) => {
    expect(parseJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  const key = fc.constantFrom('a', 'b', ':', 'a:b', '\\u003a', 'x\\"', '');
  const leaf = fc.constantFrom(
    '1',
    '"x"',
    '":"',
    '"\\u003a"',
    '"a:b:c"',
    'null',
    '12345678901234567891',
  );
  const { node } = fc.letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc
        .array(fc.tuple(key, tie('node'), fc.constantFrom(':', ' : ', ': ')), { maxLength: 4 })
        .map((pairs) => `{${pairs.map(([k, v, sep]) => `"${k}"${sep}${v}`).join(',')}}`),
      fc.array(tie('node'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    ),
  }));

  it('agrees with the strict parser on texts with and without duplicate keys', () => {
    fc.assert(
      fc.property(node, (text) => {
        expect(parseJson(text)).toEqual(parseJsonStrict(text));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('stringifyJson', () => {
  it('writes bigint digit for digit in native layouts too', () => {
    const value = { a: [1, 12345678901234567891n], b: 'x' };
    expect(stringifyJson(value)).toBe('{"a":[1,12345678901234567891],"b":"x"}');
    expect(stringifyJson(value, PRETTY)).toBe(
      '{\n  "a": [\n    1,\n    12345678901234567891\n  ],\n  "b": "x"\n}\n',
    );
  });
});

describe('positionOf', () => {
  it('counts lines and columns from 1', () => {
    expect(positionOf('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(positionOf('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('nesting limit', () => {
  it('refuses a document nested deeper than the limit with a parse error, never a stack overflow', () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 5000, 100_000]) {
      for (const [open, close] of [
        ['[', ']'],
        ['{"a":', '}'],
      ] as const) {
        const result = parseJson(open.repeat(depth) + '1' + close.repeat(depth));
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.error.message).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
      }
    }
  });
  it('accepts a document exactly at the limit', () => {
    const text = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(parseJson(text).ok).toBe(true);
  });
});
