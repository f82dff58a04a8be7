// A cursor over strict JSON text (RFC 8259) that steps over values character by character,
// checking their syntax without building anything. The fast roads that read only a few paths of
// a megabyte document use it; they give up (NOT_STRICT) on anything JSON.parse would refuse.

/** Thrown by a scan when the text is not strict JSON. */
export const NOT_STRICT = Symbol('not strict JSON');

export class StrictScanner {
  /** The offset of the next character to read. */
  i = 0;
  readonly n: number;

  constructor(readonly text: string) {
    this.n = text.length;
  }

  fail(): never {
    throw NOT_STRICT;
  }

  code(): number {
    return this.text.charCodeAt(this.i);
  }

  /** Steps over `c` or fails. */
  expect(c: number): void {
    if (this.text.charCodeAt(this.i) !== c) this.fail();
    this.i++;
  }

  space(): void {
    this.i = blankEnd(this.text, this.i);
  }

  /** Steps over a string starting at a quote; true when it holds an escape. */
  skipString(): boolean {
    const end = skipQuoted(this.text, this.i);
    if (end < 0) this.fail();
    this.i = end;
    return quotedHadEscape;
  }

  /** The string starting at a quote, unescaped (as jsonc-parser and JSON.parse read it). */
  readString(): string {
    const from = this.i;
    const escaped = this.skipString();
    return escaped
      ? (JSON.parse(this.text.slice(from, this.i)) as string)
      : this.text.slice(from + 1, this.i - 1);
  }

  /**
   * Steps over up to `count` elements of an array, the cursor at the start of one: true when the
   * array closed first (the cursor past its "]"), false with the cursor at the next element.
   * One loop for a run of elements a scan does not look into (thousands in a large list).
   */
  skipElements(count: number): boolean {
    const text = this.text;
    let i = this.i;
    for (let k = 0; k < count; k++) {
      i = skipJsonValue(text, i);
      if (i < 0) this.fail();
      i = blankEnd(text, i);
      const c = text.charCodeAt(i);
      if (c === 93) {
        this.i = i + 1;
        return true;
      }
      if (c !== 44) this.fail();
      i = blankEnd(text, i + 1);
    }
    this.i = i;
    return false;
  }

  /**
   * Walks the elements of an array, the cursor just past its "[": `each(index)` is called with the
   * cursor at each element and must step over it; the cursor ends past the "]".
   */
  eachElement(each: (index: number) => void): void {
    this.space();
    if (this.code() === 93) {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      each(index);
      if (this.afterItem(93)) return;
    }
  }

  /**
   * Walks the members of an object, the cursor just past its "{": `each(name, at)` is called with
   * the cursor at each member's value and must step over it; `at` says where the name's quotes start
   * and end and where its colon is. The cursor ends past the "}".
   */
  eachMember(
    each: (name: string, at: { name: number; nameEnd: number; colon: number }) => void,
  ): void {
    this.space();
    if (this.code() === 125) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.code() !== 34) this.fail();
      const nameAt = this.i;
      const name = this.readString();
      const nameEnd = this.i;
      this.space();
      const colon = this.i;
      this.expect(58);
      this.space();
      each(name, { name: nameAt, nameEnd, colon });
      if (this.afterItem(125)) return;
    }
  }

  /** After an element or member: true past the closing bracket, false past a comma. */
  afterItem(close: number): boolean {
    this.space();
    const c = this.code();
    this.i++;
    if (c === close) return true;
    if (c !== 44) this.fail();
    this.space();
    return false;
  }

  skipValue(): void {
    const end = skipJsonValue(this.text, this.i);
    if (end < 0) this.fail();
    this.i = end;
  }

  /** After the root value: only whitespace may follow. */
  end(): void {
    this.space();
    if (this.i !== this.n) this.fail();
  }
}

/** Runs a scan; undefined when the text is not strict JSON or nests deeper than the stack allows. */
export function strictly<T>(scan: () => T): T | undefined {
  try {
    return scan();
  } catch (error) {
    if (error === NOT_STRICT || error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * The offset just past the strict JSON value that starts at `from`, or -1 when the text there is
 * not one. One function and one loop, with an explicit stack of the open containers: V8 optimises
 * a hot loop while it runs (on-stack replacement), where a recursive step over each member had to
 * get hot in every one of its helpers first.
 */
export function skipJsonValue(text: string, from: number): number {
  // The closer each open container waits for: 125 "}" or 93 "]".
  const open: number[] = [];
  let i = from;
  for (;;) {
    // A value starts at i.
    let c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      const close = c === 123 ? 125 : 93;
      i = blankEnd(text, i + 1);
      if (text.charCodeAt(i) === close) {
        i++;
      } else {
        open.push(close);
        if (close === 125) {
          i = skipName(text, i);
          if (i < 0) return -1;
        }
        continue;
      }
    } else if (c === 34) {
      i = skipQuoted(text, i);
      if (i < 0) return -1;
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      i = skipNumberAt(text, i);
      if (i < 0) return -1;
    } else if (c === 116 && text.startsWith('true', i)) {
      i += 4;
    } else if (c === 102 && text.startsWith('false', i)) {
      i += 5;
    } else if (c === 110 && text.startsWith('null', i)) {
      i += 4;
    } else {
      return -1;
    }
    // A value ended at i: close containers until a comma starts the next member or element.
    for (;;) {
      if (open.length === 0) return i;
      i = blankEnd(text, i);
      c = text.charCodeAt(i);
      const close = open[open.length - 1]!;
      if (c === 44) {
        i = blankEnd(text, i + 1);
        if (close === 125) {
          i = skipName(text, i);
          if (i < 0) return -1;
        }
        break;
      }
      if (c !== close) return -1;
      i++;
      open.pop();
    }
  }
}

/** The offset of the first character at or after `at` that is not JSON whitespace. */
function blankEnd(text: string, at: number): number {
  let i = at;
  let c = text.charCodeAt(i);
  while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  return i;
}

/** Steps over a member's name, the colon and the blanks after it: the offset of its value, or -1. */
function skipName(text: string, at: number): number {
  if (text.charCodeAt(at) !== 34) return -1;
  let i = skipQuoted(text, at);
  if (i < 0) return -1;
  i = blankEnd(text, i);
  if (text.charCodeAt(i) !== 58) return -1;
  return blankEnd(text, i + 1);
}

/** Whether the last string skipQuoted stepped over held an escape. */
let quotedHadEscape = false;

/** The offset past the string whose opening quote is at `at`, or -1 when it is not strict JSON. */
export function skipQuoted(text: string, at: number): number {
  const n = text.length;
  let i = at + 1;
  quotedHadEscape = false;
  for (;;) {
    if (i >= n) return -1;
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) return -1;
    if (c === 92) {
      quotedHadEscape = true;
      const e = text.charCodeAt(i + 1);
      if (e === 117) {
        for (let h = i + 2; h < i + 6; h++) if (!isHex(text.charCodeAt(h))) return -1;
        i += 6;
      } else if (
        e === 34 ||
        e === 92 ||
        e === 47 ||
        e === 98 ||
        e === 102 ||
        e === 110 ||
        e === 114 ||
        e === 116
      ) {
        i += 2;
      } else {
        return -1;
      }
    } else {
      i++;
    }
  }
}

/** The offset past the number starting at `at`, or -1 when RFC 8259 does not allow it. */
function skipNumberAt(text: string, at: number): number {
  let i = at;
  if (text.charCodeAt(i) === 45) i++;
  if (text.charCodeAt(i) === 48) {
    i++;
  } else {
    const from = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === from) return -1;
  }
  if (text.charCodeAt(i) === 46) {
    const from = ++i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === from) return -1;
  }
  const e = text.charCodeAt(i);
  if (e === 101 || e === 69) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    const from = i;
    while (isDigit(text.charCodeAt(i))) i++;
    if (i === from) return -1;
  }
  return i;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
