// Parsing the three sides of a merge, which are mostly the same text. A document laid out as
// JSON.stringify lays it out (an indent unit, one member or element per line, each container's
// closing bracket on a line at its own indent) is cut into its members or elements with indexOf,
// not read a character at a time: a container's end is the first line at its own indent that
// starts with its closing bracket, and a one-line value ends at its line break (a JSON string
// cannot hold a raw one). Mine is parsed piece by piece; a piece of base or theirs whose text is
// a piece already parsed reuses that value, so only the pieces a side changed are parsed again.
//
// Why the answer is the strict parser's: every piece is parsed strictly on its own (duplicate
// keys, big integers, the nesting limit counted from the document's root), the text between
// pieces is checked to be exactly the layout's separators, and each object's keys are checked
// to be distinct. A valid value put where a valid value was keeps the text valid, so the pieces'
// values are the document's. Text that does not fit the layout is not cut: the caller parses it
// whole, and any error comes from there, with its position.
import { closingQuote, parseJson } from './parse';
import type { JsonObject, JsonValue } from './types';
import { isJsonObject, setKey } from './types';

/** A container smaller than this is parsed whole: cutting it would cost more than it saves. */
const CUT_FROM = 16 * 1024;
/** Deeper than this, pieces are not cut (the whole-text parser then owns the nesting limit). */
const MAX_CUT_DEPTH = 64;

/**
 * What parsing one side left for the next: each cut container's pieces in order (their texts and
 * values), and the pieces that were cut further.
 */
export type Pieces = {
  /** Whether the pieces are an object's members (else an array's elements). */
  readonly object: boolean;
  readonly texts: string[];
  /** An object's members' keys, in the same order (none for an array). */
  readonly keys: string[];
  readonly values: JsonValue[];
  readonly inner: Array<Pieces | undefined>;
};

export type AlikeParse = { readonly value: JsonValue; readonly pieces: Pieces };

/** How far from where it is expected a piece is looked for on another side (moved by insertions). */
const WINDOW = 8;

/**
 * Parses `text`, laid out with `indent` (one unit, as detectStyle found it), reusing the values of
 * pieces in `known` (other sides' pieces, mine's first). Undefined when the text does not fit the
 * layout or a piece does not parse: the caller parses the text whole. `cutFrom` is for tests,
 * which cut small documents.
 */
export function parseAlike(
  text: string,
  indent: string,
  known: readonly Pieces[] = NONE,
  cutFrom = CUT_FROM,
): AlikeParse | undefined {
  if (!mayBeCut(text, indent, cutFrom)) return undefined;
  const reader = new Reader(text, indent, cutFrom);
  const root = reader.container(0, 0, known);
  if (root === undefined) return undefined;
  // Only layout whitespace may follow the root's closing bracket.
  for (let i = root.end; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13 && c !== 32 && c !== 9) return undefined;
  }
  return { value: root.value, pieces: root.pieces };
}

/**
 * The pieces of `text` taken from `value` without parsing: for a text this program printed in this
 * layout from `value`, itself the strict parse of a text (a snapshot's text and its document), so
 * that a side edited from it can reuse them.
 * Each piece is checked against the value (its key, the kind of value its text begins with, the
 * number of members): undefined when they do not line up, or the text does not fit the layout.
 */
export function piecesAlong(
  text: string,
  indent: string,
  value: JsonValue,
  cutFrom = CUT_FROM,
): Pieces | undefined {
  if (!mayBeCut(text, indent, cutFrom)) return undefined;
  return new Reader(text, indent, cutFrom).container(0, 0, [], value)?.pieces;
}

/** Whether a text is worth cutting with this indent: a large container laid out with blanks. */
function mayBeCut(text: string, indent: string, cutFrom: number): boolean {
  if (indent === '' || !/^[ \t]+$/.test(indent) || text.length < cutFrom) return false;
  const first = text.charCodeAt(0);
  return first === 123 || first === 91;
}

class Reader {
  /** "\n" and the indent of each depth, made once. */
  private readonly lines: string[] = [];

  constructor(
    readonly text: string,
    readonly indent: string,
    readonly cutFrom: number,
  ) {}

  private line(depth: number): string {
    return (this.lines[depth] ??= '\n' + this.indent.repeat(depth));
  }

  /** The container whose opening bracket is at `open`, `depth` levels below the root. */
  container(
    open: number,
    depth: number,
    known: readonly Pieces[],
    along?: JsonValue,
  ): { value: JsonValue; pieces: Pieces; end: number } | undefined {
    const text = this.text;
    const isObject = text.charCodeAt(open) === 123;
    const closer = isObject ? 125 : 93;
    if (along !== undefined && !(isObject ? isJsonObject(along) : Array.isArray(along)))
      return undefined;
    const value = along ?? (isObject ? {} : []);
    const pieces: Pieces = { object: isObject, texts: [], values: [], inner: [], keys: [] };
    // A member's text is no element's (`[ "a": 1 ]` is not JSON): only the same kind's pieces.
    if (known.some((k) => k.object !== isObject))
      known = known.filter((k) => k.object === isObject);
    const count =
      along === undefined
        ? 0
        : isObject
          ? Object.keys(along as JsonObject).length
          : (along as JsonValue[]).length;
    if (text.charCodeAt(open + 1) === closer)
      return count === 0 ? { value, pieces, end: open + 2 } : undefined;
    const line = this.line(depth + 1);
    if (!text.startsWith(line, open + 1)) return undefined;
    const end = this.members(
      open + 1 + line.length,
      depth,
      known,
      value,
      along !== undefined,
      pieces,
    );
    if (end === -1) return undefined;
    const closing = this.line(depth);
    if (!text.startsWith(closing, end) || text.charCodeAt(end + closing.length) !== closer)
      return undefined;
    if (along !== undefined && pieces.texts.length !== count) return undefined;
    return { value, pieces, end: end + closing.length + 1 };
  }

  /**
   * Reads a container's members or elements from `at` (the first one's start) into `pieces` and
   * `value`: filled when parsing; when `along`, the value the text was printed from, only read.
   * Returns where the last one ends, or -1 when the text does not fit the layout.
   * The hot loop, in a method of its own: its only way out on success is a plain return, so code
   * V8 optimises while the loop runs is not thrown away when the loop ends (a step never taken
   * before, such as checking the closing line, has no type feedback and would deoptimise it).
   */
  private members(
    at: number,
    depth: number,
    known: readonly Pieces[],
    value: JsonValue,
    along: boolean,
    pieces: Pieces,
  ): number {
    const text = this.text;
    const isObject = pieces.object;
    const object = value as JsonObject;
    const array = value as JsonValue[];
    const line = this.line(depth + 1);
    const cursors = known.map(() => 0);
    let seen: Set<string> | undefined;
    for (let index = 0; ; index++) {
      let key: string | undefined;
      let valueAt = at;
      if (isObject) {
        const keyEnd = endOfString(text, at);
        if (keyEnd === -1 || text.charCodeAt(keyEnd) !== 58 || text.charCodeAt(keyEnd + 1) !== 32)
          return -1;
        // A key is short; JSON.parse decodes its escapes (and refuses a malformed one).
        try {
          key = JSON.parse(text.slice(at, keyEnd)) as string;
        } catch {
          return -1;
        }
        // Parsed: a key may not repeat. Along a value: the key must be one of its own, once.
        if (along ? !Object.hasOwn(object, key) : Object.hasOwn(object, key)) return -1;
        if (along) {
          seen ??= new Set();
          if (seen.has(key)) return -1;
          seen.add(key);
        }
        valueAt = keyEnd + 2;
      }
      const c = text.charCodeAt(valueAt);
      const nested =
        (c === 123 || c === 91) && text.charCodeAt(valueAt + 1) !== (c === 123 ? 125 : 93);
      let end: number;
      if (nested) {
        const close = closingLine(text, line, c === 123 ? '}' : ']', valueAt);
        if (close === -1) return -1;
        end = close + line.length + 1;
      } else {
        const lineEnd = text.indexOf('\n', valueAt);
        if (lineEnd === -1) return -1;
        end = text.charCodeAt(lineEnd - 1) === 44 ? lineEnd - 1 : lineEnd;
      }
      const piece = text.slice(at, end);
      const cuttable = nested && end - valueAt >= this.cutFrom && depth + 1 < MAX_CUT_DEPTH;
      let cut: Pieces | undefined;
      let child: JsonValue | undefined;
      if (along) {
        // The text was printed from `value`: its values are taken, each checked to be of the kind
        // its text begins with, and a large container is cut along its own value.
        if (!isObject && index >= array.length) return -1;
        child = key !== undefined ? object[key] : array[index];
        if (child === undefined || !beginsLike(c, child)) return -1;
        if (cuttable) {
          const inner = this.container(valueAt, depth + 1, [], child);
          if (inner === undefined || inner.end !== end) return -1;
          cut = inner.pieces;
        }
      } else {
        child = reuse(known, cursors, piece);
        if (child === undefined) {
          const inner = cuttable
            ? this.container(valueAt, depth + 1, innerAt(known, cursors))
            : undefined;
          advance(cursors);
          if (inner !== undefined) {
            if (inner.end !== end) return -1;
            child = inner.value;
            cut = inner.pieces;
          } else {
            const parsed = parseJson(text.slice(valueAt, end), depth + 1);
            if (!parsed.ok) return -1;
            child = parsed.value;
          }
        }
        if (key !== undefined) setKey(object, key, child);
        else array.push(child);
      }
      pieces.texts.push(piece);
      if (key !== undefined) pieces.keys.push(key);
      pieces.values.push(child);
      pieces.inner.push(cut);
      // Between pieces: exactly a comma and the next line's indent; anything else ends them, and
      // the caller checks it is the closing line.
      if (text.charCodeAt(end) !== 44) return end;
      if (!text.startsWith(line, end + 1)) return -1;
      at = end + 1 + line.length;
    }
  }
}

/** Whether a value's text beginning with `c` (a character code) can be the printing of `value`. */
function beginsLike(c: number, value: JsonValue): boolean {
  if (c === 123) return isJsonObject(value);
  if (c === 91) return Array.isArray(value);
  if (c === 34) return typeof value === 'string';
  if (c === 116 || c === 102) return typeof value === 'boolean';
  if (c === 110) return value === null;
  return (
    (c === 45 || (c >= 48 && c <= 57)) && (typeof value === 'number' || typeof value === 'bigint')
  );
}

/**
 * The value of a piece with this text on another side: looked for where that side's cursor
 * expects it, then a few pieces either way. Every cursor moves past the piece.
 */
function reuse(known: readonly Pieces[], cursors: number[], piece: string): JsonValue | undefined {
  for (let k = 0; k < known.length; k++) {
    if (known[k]!.texts[cursors[k]!] === piece) return reuseAt(known, cursors, k, cursors[k]!);
  }
  for (let k = 0; k < known.length; k++) {
    const texts = known[k]!.texts;
    const cursor = cursors[k]!;
    for (let d = 1; d <= WINDOW; d++) {
      if (texts[cursor + d] === piece) return reuseAt(known, cursors, k, cursor + d);
      if (cursor - d >= 0 && texts[cursor - d] === piece)
        return reuseAt(known, cursors, k, cursor - d);
    }
  }
  return undefined;
}

/** Side `side`'s piece `at`: that side's cursor moves past it, every other one by one piece. */
function reuseAt(known: readonly Pieces[], cursors: number[], side: number, at: number): JsonValue {
  advance(cursors);
  cursors[side] = at + 1;
  return known[side]!.values[at]!;
}

/** Every cursor past one more piece. */
function advance(cursors: number[]): void {
  for (let k = 0; k < cursors.length; k++) cursors[k]!++;
}

/**
 * No pieces, as an array of the same kind V8 sees for a list that holds some (an empty literal is
 * a list of small integers to it): the code it optimises while parsing mine, which has nothing to
 * reuse, then still fits base and theirs, which do.
 */
const NONE: readonly Pieces[] = (() => {
  const none: Pieces[] = [undefined as unknown as Pieces];
  none.pop();
  return none;
})();

/** The pieces of the container cut on other sides where their cursors are. */
function innerAt(known: readonly Pieces[], cursors: readonly number[]): readonly Pieces[] {
  let inner: Pieces[] | undefined;
  for (let k = 0; k < known.length; k++) {
    const found = known[k]!.inner[cursors[k]!];
    if (found !== undefined) (inner ??= []).push(found);
  }
  return inner ?? NONE;
}

/**
 * Where the first `line` followed by `closer` starts at or after `from` (-1 when none does): as
 * `indexOf(line + closer, from)`, but searching for the bracket, which few lines hold, instead of
 * stopping at every line break to compare what follows.
 */
function closingLine(text: string, line: string, closer: string, from: number): number {
  for (
    let at = text.indexOf(closer, from + line.length);
    at !== -1;
    at = text.indexOf(closer, at + 1)
  ) {
    if (text.startsWith(line, at - line.length)) return at - line.length;
  }
  return -1;
}

/** The index just past the string that starts at `at` (a double quote), or -1. */
function endOfString(text: string, at: number): number {
  if (text.charCodeAt(at) !== 34) return -1;
  const end = closingQuote(text, at);
  return end === -1 ? -1 : end + 1;
}
