import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactText } from './lossless-text';

/** compactText as it was before it stepped over strings with indexOf: one character at a time. */
function compactByCharacter(text: string): string {
  let out = '';
  let start = 0;
  let i = 0;
  const n = text.length;
  const space = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (space(c)) {
      out += text.slice(start, i);
      while (i < n && space(text.charCodeAt(i))) i++;
      start = i;
    } else i++;
  }
  return out + text.slice(start);
}

// Hostile texts: runs of backslashes before quotes, unterminated strings, lone surrogates.
const piece = fc.constantFrom(
  '"',
  '\\',
  '\\\\',
  '\\"',
  ' ',
  '\n',
  '\t',
  '\r',
  'a',
  '{',
  '}',
  ':',
  ',',
  '[',
  ']',
  '\ud800',
  '\udc00',
  'é',
);

describe('compactText', () => {
  it('gives what the character-by-character loop gives, on any text', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(compactText(text)).toBe(compactByCharacter(text));
      }),
      { numRuns: 30000 },
    );
  });

  it('keeps the spaces inside strings whatever backslashes end them', () => {
    expect(compactText('{"a \\\\": "b \\" c" , "d\\\\\\\\" :  1}')).toBe(
      '{"a \\\\":"b \\" c","d\\\\\\\\":1}',
    );
    expect(compactText('[ "x\\')).toBe('["x\\');
  });
});
