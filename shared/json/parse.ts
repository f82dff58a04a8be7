// Strict JSON (RFC 8259) parsing that refuses what JSON.parse would silently accept or lose:
// duplicate keys are errors naming their line and column, and integers beyond 2^53 become bigint.
// Fast path: the native parser plus a walk over the value and one indexOf pass over the text; the
// hand-written parser below runs only when those see something (an integer beyond 2^53, a
// key-count mismatch) or the native parser fails, and it is the one that produces the exact error
// position.
import type { JsonObject, JsonValue } from './types';
import { setKey } from './types';

export type ParseError = {
  readonly message: string;
  /** 0-based UTF-16 offset, 1-based line and column. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
};

/**
 * How deeply a JSON document may nest (arrays and objects). Deeper text is refused with a parse
 * error, so no recursive step downstream (editing, merging, printing) can exhaust the stack.
 */
export const MAX_JSON_DEPTH = 1000;

export type ParseResult = { ok: true; value: JsonValue } | { ok: false; error: ParseError };

/**
 * `depth`: how deeply the text's value sits in a larger document (parse-alike parses a document a
 * piece at a time), so the nesting limit counts from that document's root.
 */
export function parseJson(text: string, depth = 0): ParseResult {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return parseJsonStrict(text, depth);
  }
  // The native result is kept when every key was distinct and no number could have lost digits
  // (every integer-valued number is a safe integer).
  if (tally(value, depth) && keysAreDistinct(text, tallyKeys, tallyColons))
    return { ok: true, value };
  return parseJsonStrict(text, depth);
}

export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export function formatParseError(error: ParseError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

/**
 * Whether valid JSON text has exactly `keys` keys (as many as its parsed value, so no key was
 * repeated), given how many colons the value's string values hold. A colon in valid JSON is
 * either a key's or inside a string, so the text's colons number (its keys + colons in its key
 * names + colons in its string values). The value never has more keys than the text nor more
 * colons in its strings (unless a string spells one as \u003a), so when the two sums are equal,
 * so are the key counts: one pass of indexOf. A duplicate key drops at least its own colon from
 * the value, so it cannot pass. Otherwise (colons in key names, \u003a) the keys are counted one
 * string at a time.
 */
function keysAreDistinct(text: string, keys: number, stringColons: number): boolean {
  if (!hasColonEscape(text) && colonsIn(text) === keys + stringColons) return true;
  return countKeysByStrings(text) === keys;
}

/** The index of the quote that closes the string opened at `open`, or -1 when none does. */
export function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1 && text.charCodeAt(end - 1) === 92) {
    // Escaped only by an odd run of backslashes.
    let slashes = 1;
    while (text.charCodeAt(end - 1 - slashes) === 92) slashes++;
    if (slashes % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  return end;
}

/** Counts object keys in valid JSON text: strings followed by a colon. */
function countKeysByStrings(text: string): number {
  let count = 0;
  let i = text.indexOf('"');
  while (i !== -1) {
    const end = closingQuote(text, i);
    if (end === -1) return -1;
    let j = end + 1;
    let c = text.charCodeAt(j);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++j);
    if (c === 58) count++;
    i = text.indexOf('"', j);
  }
  return count;
}

// What tally() counted: object keys, and colons inside string values (not inside keys).
let tallyKeys = 0;
let tallyColons = 0;

/** Counts keys and colons in string values of a parsed value; false when a number may have been rounded. */
function tally(value: JsonValue, depth: number): boolean {
  tallyKeys = 0;
  tallyColons = 0;
  return tallyValue(value, depth);
}

function colonsIn(text: string): number {
  let count = 0;
  for (let i = text.indexOf(':'); i !== -1; i = text.indexOf(':', i + 1)) count++;
  return count;
}

/** Too deep also answers false: the strict parser then reports where the limit was crossed. */
function tallyValue(value: JsonValue, depth: number): boolean {
  if (typeof value === 'string') {
    if (value.indexOf(':') !== -1) tallyColons += colonsIn(value);
    return true;
  }
  if (typeof value === 'number')
    return Number.isFinite(value) && (Number.isSafeInteger(value) || !Number.isInteger(value));
  if (typeof value !== 'object' || value === null) return true;
  if (depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!tallyValue(value[i]!, depth + 1)) return false;
    return true;
  }
  for (const key in value) {
    tallyKeys++;
    if (!tallyValue(value[key]!, depth + 1)) return false;
  }
  return true;
}

/** Whether the text may hold a \u escape of ":" (which the colon count cannot see). */
function hasColonEscape(text: string): boolean {
  if (text.indexOf('\\') === -1) return false;
  return text.indexOf('\\u003a') !== -1 || text.indexOf('\\u003A') !== -1;
}

class Failure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** The hand-written parser: always lossless, always exact about positions. */
export function parseJsonStrict(text: string, depth = 0): ParseResult {
  const parser = new StrictParser(text, depth);
  try {
    parser.skipWhitespace();
    const value = parser.value();
    parser.skipWhitespace();
    if (parser.pos < text.length) parser.fail('unexpected content after the JSON value');
    return { ok: true, value };
  } catch (err) {
    if (!(err instanceof Failure)) throw err;
    const { line, column } = positionOf(text, err.offset);
    return { ok: false, error: { message: err.message, offset: err.offset, line, column } };
  }
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

class StrictParser {
  pos = 0;
  constructor(
    readonly text: string,
    public depth: number,
  ) {}

  /** Enters an array or object, refusing to nest deeper than MAX_JSON_DEPTH. */
  enter(): void {
    if (++this.depth > MAX_JSON_DEPTH)
      this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels (the limit for a JSON document)`);
  }

  fail(message: string, offset = this.pos): never {
    throw new Failure(message, offset);
  }

  skipWhitespace(): void {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++this.pos);
  }

  describe(): string {
    if (this.pos >= this.text.length) return 'unexpected end of input';
    return `unexpected character ${JSON.stringify(this.text[this.pos])}`;
  }

  value(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === 123 || c === 91) {
      this.enter();
      const nested = c === 123 ? this.object() : this.array();
      this.depth--;
      return nested;
    }
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    if (this.text.startsWith('true', this.pos)) return this.literal(4, true);
    if (this.text.startsWith('false', this.pos)) return this.literal(5, false);
    if (this.text.startsWith('null', this.pos)) return this.literal(4, null);
    return this.fail(`${this.describe()}, expected a JSON value`);
  }

  literal(length: number, value: JsonValue): JsonValue {
    this.pos += length;
    return value;
  }

  object(): JsonObject {
    const result: JsonObject = {};
    const seen = new Map<string, number>();
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 125) {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== 34)
        this.fail(`${this.describe()}, expected a property name in double quotes`);
      const keyAt = this.pos;
      const key = this.string();
      const first = seen.get(key);
      if (first !== undefined) {
        const where = positionOf(this.text, first);
        this.fail(
          `duplicate key ${JSON.stringify(key)} (first defined at line ${where.line}, column ${where.column})`,
          keyAt,
        );
      }
      seen.set(key, keyAt);
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== 58)
        this.fail(`${this.describe()}, expected ":" after a property name`);
      this.pos++;
      this.skipWhitespace();
      setKey(result, key, this.value());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === 125) {
        this.pos++;
        return result;
      } else {
        this.fail(`${this.describe()}, expected "," or "}" in an object`);
      }
    }
  }

  array(): JsonValue[] {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === 93) {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === 93) {
        this.pos++;
        return result;
      } else {
        this.fail(`${this.describe()}, expected "," or "]" in an array`);
      }
    }
  }

  string(): string {
    const text = this.text;
    const start = ++this.pos;
    let out = '';
    let chunkStart = start;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 34) {
        out += text.slice(chunkStart, this.pos);
        this.pos++;
        return out;
      }
      if (Number.isNaN(c)) this.fail('unterminated string', start - 1);
      if (c < 32) this.fail('unescaped control character in a string');
      if (c === 92) {
        out += text.slice(chunkStart, this.pos);
        out += this.escape();
        chunkStart = this.pos;
      } else {
        this.pos++;
      }
    }
  }

  escape(): string {
    const c = this.text[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = this.text.slice(this.pos, this.pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', this.pos - 2);
        this.pos += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        return this.fail('invalid escape sequence in a string', this.pos - 2);
    }
  }

  number(): number | bigint {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('invalid number');
    const raw = match[0];
    const start = this.pos;
    this.pos += raw.length;
    const value = Number(raw);
    if (!Number.isFinite(value)) this.fail('number is out of range', start);
    // Integers written without fraction or exponent stay exact; larger ones become bigint.
    if (match[1] === undefined && match[2] === undefined && !Number.isSafeInteger(value))
      return BigInt(raw);
    return value;
  }
}
