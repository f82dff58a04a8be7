// skipJsonValue and skipElements decide what is strict JSON for the scans that read a few paths of
// a megabyte text: they must accept exactly what JSON.parse accepts, and end where the value ends.
// Checked on generated documents in both layouts and on the same texts with one character inserted,
// removed or replaced (the near misses a hand edit makes).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skipJsonValue, StrictScanner, strictly } from './strict-scan';

const BLANK = /^[ \t\n\r]*$/;

/** Whether JSON.parse takes `text`. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** skipJsonValue over a whole text, blanks around the value allowed as JSON.parse allows them. */
function skips(text: string): boolean {
  const start = text.length - text.trimStart().length;
  // JSON's blanks are four characters; trimStart knows more (a form feed, a no-break space).
  if (!BLANK.test(text.slice(0, start))) return false;
  const end = skipJsonValue(text, start);
  return end >= 0 && BLANK.test(text.slice(end));
}

const documents = fc
  .tuple(fc.jsonValue({ maxDepth: 4 }), fc.boolean())
  .map(([value, pretty]) => JSON.stringify(value, null, pretty ? 2 : undefined) ?? 'null');

const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  '"',
  ',',
  ':',
  '\\',
  ' ',
  '\n',
  '0',
  '-',
  '.',
  'e',
  'u',
  'a',
  't',
  'n',
  '\u0001',
  '\u00e9',
];

const mutated = fc
  .tuple(
    documents,
    fc.nat(),
    fc.constantFrom(...ALPHABET),
    fc.constantFrom('insert', 'remove', 'replace'),
  )
  .map(([text, at, char, how]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    if (how === 'insert') return text.slice(0, i) + char + text.slice(i);
    if (how === 'remove') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + char + text.slice(i + 1);
  });

describe('skipJsonValue', () => {
  it('steps over every generated document, to its end', () => {
    fc.assert(
      fc.property(documents, (text) => {
        expect(skipJsonValue(text, 0)).toBe(text.length);
      }),
      {
        numRuns: 500,
      },
    );
  });

  it('accepts a near miss exactly when JSON.parse does', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        expect(skips(text)).toBe(parses(text));
      }),
      {
        numRuns: 3000,
      },
    );
  });

  it('refuses what JSON.parse refuses at the edges of the grammar', () => {
    for (const text of [
      '01',
      '-',
      '1.',
      '1e',
      '.5',
      '+1',
      'tru',
      'nul',
      '"\\x"',
      '"\\u12g4"',
      '"a',
      '[1,]',
      '{"a":1,}',
      '{"a" 1}',
      '{a:1}',
      '[1 2]',
      '"\t"',
      '',
    ]) {
      expect(skips(text), text).toBe(false);
      expect(parses(text), text).toBe(false);
    }
    for (const text of [
      '-0',
      '1E+2',
      '0.5e-3',
      '"\\u00e9\\n\\/"',
      '[ ]',
      '{ }',
      ' [1] ',
      '"\uD800"',
    ])
      expect(skips(text), text).toBe(true);
  });
});

describe('skipElements', () => {
  it('steps over elements in runs of any length, ending where element-by-element steps end', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 8 }),
        (items, pretty, runs) => {
          const text = JSON.stringify(items, null, pretty ? 2 : undefined);
          const s = new StrictScanner(text);
          const result = strictly(() => {
            s.i = 1;
            s.space();
            if (s.code() === 93) {
              s.i++;
              return 0;
            }
            let skipped = 0;
            for (const run of runs) {
              if (s.skipElements(run)) return skipped + run;
              skipped += run;
            }
            while (!s.skipElements(1)) skipped++;
            return skipped + 1;
          });
          expect(result).toBeGreaterThanOrEqual(items.length);
          expect(s.i).toBe(text.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses a list that is not strict JSON', () => {
    for (const text of ['[1,]', '[1 2]', '[1,,2]', '[{"a":}]', '[1']) {
      const s = new StrictScanner(text);
      s.i = 1;
      expect(
        strictly(() => s.skipElements(10)),
        text,
      ).toBe(undefined);
    }
  });
});
