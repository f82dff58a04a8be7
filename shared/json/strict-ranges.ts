// The fast road of rangesOfPointers: a character loop over strict JSON that descends only into the
// values on the pointers' paths and steps over every other value (checking its syntax as it goes).
// jsonc-parser's visitor tokenises every value of the text, which costs a third of a second per
// 5 MB text, three texts per conflict view. Anything that is not strict JSON (comments, trailing
// commas, a hand edit half typed) answers undefined, and the visitor's road answers instead.
import { escapeToken } from './pointer';

export type Hit = { offset: number; length: number; keyOffset?: number; insideString?: boolean };

/** Thrown inside the scan when the text is not strict JSON; never escapes this module. */
const NOT_STRICT = Symbol('not strict JSON');

/**
 * Where each pointer in `wanted` (encoded pointers) lies in `text`, as the visitor road finds it:
 * the value's offset and length, the member name's offset for object members, and for pointers
 * that go on inside a string, that string. `onPath` holds every proper prefix of a wanted pointer.
 * Undefined when `text` is not strict JSON.
 */
export function strictRanges(text: string, wanted: ReadonlyMap<string, unknown>, onPath: ReadonlySet<string>): Map<string, Hit> | undefined {
  const n = text.length;
  let i = 0;
  const found = new Map<string, Hit>();
  const keyOffsets = new Map<string, number>();
  const fail = (): never => {
    throw NOT_STRICT;
  };

  const space = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return;
    }
  };

  /** Steps over a string starting at `i` (a quote); true when it holds an escape. */
  const skipString = (): boolean => {
    let escaped = false;
    i++;
    for (;;) {
      if (i >= n) fail();
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return escaped;
      }
      if (c < 32) fail();
      if (c === 92) {
        escaped = true;
        const e = text.charCodeAt(i + 1);
        if (e === 117) {
          for (let h = i + 2; h < i + 6; h++) if (!isHex(text.charCodeAt(h))) fail();
          i += 6;
        } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
          i += 2;
        } else {
          fail();
        }
      } else {
        i++;
      }
    }
  };

  const digits = () => {
    const from = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    if (i === from) fail();
  };

  const skipNumber = () => {
    if (text.charCodeAt(i) === 45) i++;
    if (text.charCodeAt(i) === 48) i++;
    else digits();
    if (text.charCodeAt(i) === 46) {
      i++;
      digits();
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      digits();
    }
  };

  const skipWord = (word: string) => {
    if (!text.startsWith(word, i)) fail();
    i += word.length;
  };

  /** Steps over the members of an object or array (i just past its opening bracket). */
  const skipMembers = (close: number, object: boolean) => {
    space();
    if (text.charCodeAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      if (object) {
        if (text.charCodeAt(i) !== 34) fail();
        skipString();
        space();
        if (text.charCodeAt(i) !== 58) fail();
        i++;
        space();
      }
      skipValue();
      space();
      const c = text.charCodeAt(i);
      i++;
      if (c === close) return;
      if (c !== 44) fail();
      space();
    }
  };

  const skipValue = () => {
    const c = text.charCodeAt(i);
    if (c === 123) {
      i++;
      skipMembers(125, true);
    } else if (c === 91) {
      i++;
      skipMembers(93, false);
    } else if (c === 34) {
      skipString();
    } else if (c === 116) {
      skipWord('true');
    } else if (c === 102) {
      skipWord('false');
    } else if (c === 110) {
      skipWord('null');
    } else if (c === 45 || isDigit(c)) {
      skipNumber();
    } else {
      fail();
    }
  };

  const record = (key: string, offset: number, length: number) => {
    const keyOffset = keyOffsets.get(key);
    found.set(key, keyOffset === undefined ? { offset, length } : { offset, length, keyOffset });
  };

  /** The value at `i`, whose pointer is `key`: stepped over unless a pointer needs it. */
  const value = (key: string) => {
    const isWanted = wanted.has(key);
    const passes = onPath.has(key);
    if (!isWanted && !passes) return skipValue();
    const start = i;
    const c = text.charCodeAt(i);
    if (passes && (c === 123 || c === 91)) {
      i++;
      if (c === 123) members(key);
      else elements(key);
    } else if (c === 34 && passes) {
      skipString();
      // A pointer that continues into a JSON-holding string resolves to that string.
      const keyOffset = keyOffsets.get(key);
      for (const target of wanted.keys()) {
        if (target.startsWith(`${key}/`)) found.set(target, { ...(keyOffset !== undefined ? { keyOffset } : {}), offset: start, length: i - start, insideString: true });
      }
    } else {
      skipValue();
    }
    if (isWanted) record(key, start, i - start);
  };

  const members = (key: string) => {
    space();
    if (text.charCodeAt(i) === 125) {
      i++;
      return;
    }
    const seen = new Set<string>();
    for (;;) {
      if (text.charCodeAt(i) !== 34) fail();
      const nameAt = i;
      const escaped = skipString();
      const name = escaped ? (JSON.parse(text.slice(nameAt, i)) as string) : text.slice(nameAt + 1, i - 1);
      space();
      if (text.charCodeAt(i) !== 58) fail();
      i++;
      space();
      const child = `${key}/${escapeToken(name)}`;
      if (wanted.has(child) || onPath.has(child)) {
        keyOffsets.set(child, nameAt);
        // A repeated member replaces the earlier one (as JSON.parse keeps the last): forget what
        // was found inside the first, and where its members' names were.
        if (seen.has(child)) {
          for (const target of found.keys()) if (target === child || target.startsWith(`${child}/`)) found.delete(target);
          for (const target of keyOffsets.keys()) if (target.startsWith(`${child}/`)) keyOffsets.delete(target);
        }
        seen.add(child);
        value(child);
      } else {
        skipValue();
      }
      space();
      const c = text.charCodeAt(i);
      i++;
      if (c === 125) return;
      if (c !== 44) fail();
      space();
    }
  };

  const elements = (key: string) => {
    space();
    if (text.charCodeAt(i) === 93) {
      i++;
      return;
    }
    for (let index = 0; ; index++) {
      value(`${key}/${index}`);
      space();
      const c = text.charCodeAt(i);
      i++;
      if (c === 93) return;
      if (c !== 44) fail();
      space();
    }
  };

  try {
    space();
    value('');
    space();
    if (i !== n) fail();
  } catch (error) {
    // Not strict JSON, or nested deeper than the stack allows: the visitor's road answers.
    if (error === NOT_STRICT || error instanceof RangeError) return undefined;
    throw error;
  }
  return found;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
