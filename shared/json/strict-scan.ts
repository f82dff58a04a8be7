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
    const { text, n } = this;
    let i = this.i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  /** Steps over a string starting at a quote; true when it holds an escape. */
  skipString(): boolean {
    const { text, n } = this;
    let i = this.i + 1;
    let escaped = false;
    for (;;) {
      if (i >= n) this.fail();
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) this.fail();
      if (c === 92) {
        escaped = true;
        const e = text.charCodeAt(i + 1);
        if (e === 117) {
          for (let h = i + 2; h < i + 6; h++) if (!isHex(text.charCodeAt(h))) this.fail();
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
          this.fail();
        }
      } else {
        i++;
      }
    }
    this.i = i + 1;
    return escaped;
  }

  /** The string starting at a quote, unescaped (as jsonc-parser and JSON.parse read it). */
  readString(): string {
    const from = this.i;
    const escaped = this.skipString();
    return escaped
      ? (JSON.parse(this.text.slice(from, this.i)) as string)
      : this.text.slice(from + 1, this.i - 1);
  }

  private digits(): void {
    const from = this.i;
    while (this.i < this.n && isDigit(this.text.charCodeAt(this.i))) this.i++;
    if (this.i === from) this.fail();
  }

  skipNumber(): void {
    if (this.code() === 45) this.i++;
    if (this.code() === 48) this.i++;
    else this.digits();
    if (this.code() === 46) {
      this.i++;
      this.digits();
    }
    const e = this.code();
    if (e === 101 || e === 69) {
      this.i++;
      const sign = this.code();
      if (sign === 43 || sign === 45) this.i++;
      this.digits();
    }
  }

  private skipWord(word: string): void {
    if (!this.text.startsWith(word, this.i)) this.fail();
    this.i += word.length;
  }

  /** Steps over the members of an object or array, the cursor just past its opening bracket. */
  skipMembers(close: number, object: boolean): void {
    this.space();
    if (this.code() === close) {
      this.i++;
      return;
    }
    for (;;) {
      if (object) {
        if (this.code() !== 34) this.fail();
        this.skipString();
        this.space();
        this.expect(58);
        this.space();
      }
      this.skipValue();
      this.space();
      const c = this.code();
      this.i++;
      if (c === close) return;
      if (c !== 44) this.fail();
      this.space();
    }
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
  private afterItem(close: number): boolean {
    this.space();
    const c = this.code();
    this.i++;
    if (c === close) return true;
    if (c !== 44) this.fail();
    this.space();
    return false;
  }

  skipValue(): void {
    const c = this.code();
    if (c === 123) {
      this.i++;
      this.skipMembers(125, true);
    } else if (c === 91) {
      this.i++;
      this.skipMembers(93, false);
    } else if (c === 34) {
      this.skipString();
    } else if (c === 116) {
      this.skipWord('true');
    } else if (c === 102) {
      this.skipWord('false');
    } else if (c === 110) {
      this.skipWord('null');
    } else if (c === 45 || isDigit(c)) {
      this.skipNumber();
    } else {
      this.fail();
    }
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

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
