// Numbers a double does not hold. JSON.parse reads every number as a double, so the literals
// 0.10000000000000000001 and 0.10000000000000000002 read as one value, 0.1: a merge that compares
// values sees no edit between them, and one that prints values writes 0.1 for either. Integers
// without an exponent are safe (the strict parser keeps those beyond 2^53 as bigint); a literal
// with a fraction keeps at most 15 significant digits exactly, and past that only when it is the
// shortest spelling of its double. Those are what is looked for here, so that a caller can refuse
// to merge or write them as values.

import { visit } from 'jsonc-parser';
import { rawsAt } from './lossless-text';
import { encodePointer } from './pointer';

export type InexactNumber = {
  /** Where the literal starts in the text, and the literal as written. */
  readonly offset: number;
  readonly literal: string;
};

/**
 * The first number literal with a fraction in JSON `text` whose value a double does not hold (more
 * significant digits than the double keeps, or an exponent beyond its range), or undefined. See
 * inexactNumbers.
 */
export function inexactNumber(text: string): InexactNumber | undefined {
  for (const found of inexactNumbers(text)) return found;
  return undefined;
}

/**
 * The number literals with a fraction in JSON `text` whose value a double does not hold, in
 * order. Found from each "." (a native search), so a text without decimals costs one pass of
 * indexOf. Integers without an exponent need no look (the strict parser keeps them). Not looked
 * for: literals with an exponent and no fraction (`1e-400` reads as 0, `12345678901234567891e3`
 * as a double). Finding those takes a character-class search of the whole text, 3 to 7 ms per
 * 5 MB on a text of hex ids, against 0.2 ms for the "."; and what writes long decimals
 * (BigDecimal, Python's Decimal) puts a point in them. Text inside a string that reads like a
 * number between separators (`"a: 0.10000000000000000001,"`) may be reported too: a caller then
 * takes the safe road for nothing, never the unsafe one.
 */
export function* inexactNumbers(text: string): Generator<InexactNumber> {
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) {
    if (!isDigit(text.charCodeAt(dot - 1)) || !isDigit(text.charCodeAt(dot + 1))) continue;
    let first = dot - 1;
    while (isDigit(text.charCodeAt(first - 1))) first--;
    const start = text.charCodeAt(first - 1) === 45 ? first - 1 : first;
    let end = dot + 2;
    while (isDigit(text.charCodeAt(end))) end++;
    const fractionEnd = end;
    const e = text.charCodeAt(end);
    if (e === 101 || e === 69) {
      let at = end + 1;
      const sign = text.charCodeAt(at);
      if (sign === 43 || sign === 45) at++;
      if (isDigit(text.charCodeAt(at))) {
        while (isDigit(text.charCodeAt(at))) at++;
        end = at;
      }
    }
    // Fifteen significant digits or fewer, and no exponent: always exact. (Most decimals stop here.)
    if (end - start <= 16 && e !== 101 && e !== 69) continue;
    if (
      end > fractionEnd &&
      plainlyExact(fractionEnd - first - 1, dot - first, text.slice(fractionEnd + 1, end))
    )
      continue;
    if (!standsAlone(text, start, end)) continue;
    const literal = text.slice(start, end);
    if (!holdsExactly(literal)) yield { offset: start, literal };
  }
}

/**
 * Whether a literal of `digits` digits, `whole` of them before the point, and the exponent
 * `exponent` is exact without a look: fifteen digits or fewer, and well inside the range of
 * normal doubles (1e-300 to 1e300), always read back as written. A document full of `1.5e3`
 * would otherwise parse and print each of them.
 */
function plainlyExact(digits: number, whole: number, exponent: string): boolean {
  if (digits > 15) return false;
  const power = Number(exponent);
  return power - (digits - whole) >= -300 && power + whole <= 300;
}

/**
 * The pointers where `after` holds a number a double does not hold, and `before` a different
 * number that reads as the same double (0.10000000000000000001 → …02): a diff of the values sees
 * no change there. Only `after`'s inexact numbers count: a number printed from a value (0.1) is
 * never one, so text the program printed cannot stand for an edit of the digits it rounded away.
 * A text without any costs a pass of indexOf.
 */
export function inexactNumberEdits(before: string, after: string): string[] {
  const found = inexactPointers(after);
  if (found.size === 0) return [];
  const was = rawsAt(before, [...found.keys()]);
  const edits: string[] = [];
  for (const [pointer, literal] of found) {
    const old = was.get(pointer);
    // Added, or not a number before: a diff of the values sees those.
    if (old === undefined || !NUMBER.test(old)) continue;
    if (Number(old) === Number(literal) && decimalOf(old) !== decimalOf(literal))
      edits.push(pointer);
  }
  return edits;
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** The number tokens inexactNumbers finds in `text`, by pointer (one pass of the text). */
function inexactPointers(text: string): Map<string, string> {
  const literals = new Map<number, string>();
  for (const found of inexactNumbers(text)) literals.set(found.offset, found.literal);
  const pointers = new Map<string, string>();
  if (literals.size === 0) return pointers;
  visit(text, {
    onLiteralValue: (value, offset, _length, _line, _column, path) => {
      const literal = literals.get(offset);
      if (typeof value === 'number' && literal !== undefined)
        pointers.set(encodePointer(path().map(String)), literal);
    },
  });
  return pointers;
}

/** Whether a double reads `literal` (a JSON number) without losing any of its digits. */
export function holdsExactly(literal: string): boolean {
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  return decimalOf(literal) === decimalOf(String(value));
}

/**
 * A decimal number's digits without leading or trailing zeros and the power of ten of its first
 * digit (`0.0120e3` → "12e1"); zero, of either sign, is "0".
 */
function decimalOf(number: string): string {
  const match = /^-?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(number);
  if (match === null) return number;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  const digits = whole + fraction;
  const first = digits.search(/[1-9]/);
  if (first === -1) return '0';
  let last = digits.length;
  while (digits.charCodeAt(last - 1) === 48) last--;
  const power = whole.length - first - 1 + Number(match[3] ?? 0);
  return (number.startsWith('-') ? '-' : '') + digits.slice(first, last) + 'e' + power;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Whether `text` from `start` to `end` is a token of its own: separated by what may stand around
 * a number in JSON, or by an escaped line break or tab, as in a string holding JSON
 * (`"[\n  0.10000000000000000001\n]"`), which the merge also merges as values.
 */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.charCodeAt(start - 1);
  const after = text.charCodeAt(end);
  return (
    (separates(before) || (ESCAPED.includes(before) && text.charCodeAt(start - 2) === 92)) &&
    (separates(after) || after === 92)
  );
}

/** n, r, t: the letters of the escapes that stand for JSON's whitespace (\n, \r, \t). */
const ESCAPED = [110, 114, 116];

/**
 * What may stand before or after a number token in JSON (NaN: the text's start or end; U+FEFF: a
 * byte order mark before a document that is one number).
 */
function separates(c: number): boolean {
  return (
    Number.isNaN(c) ||
    c === 0xfeff ||
    c === 44 ||
    c === 58 ||
    c === 91 ||
    c === 93 ||
    c === 125 ||
    c === 32 ||
    c === 10 ||
    c === 13 ||
    c === 9
  );
}
