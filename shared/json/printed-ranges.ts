// strictRanges for a text this app printed itself with an indent (JSON.stringify's layout, which
// stringifyJson keeps for bigints too): every member and element starts a line of its own, one
// indent deeper than its container, and a container closes on a line of its own at the container's
// indent. No line inside a value starts at a shallower indent, and no string holds a line break, so
// the end of an object or array is the first line that starts at its own indent: one native
// indexOf steps over it, where the strict road reads every character (75 ms for a 5 MB Result).
// Only for texts known to be printed so: another layout would give wrong offsets, not an error.
import { escapeToken } from './pointer';
import { hitAt, hitsInsideString, type Hit } from './strict-ranges';
import { skipQuoted } from './strict-scan';
import { childInSet, indexesInSet, tokenTree, type TokenTree } from './token-tree';

/**
 * Where each pointer in `wanted` lies in `text`, exactly as strictRanges answers, for `text` printed
 * by JSON.stringify(value, null, indent) (optionally followed by one line break). `indent` is not
 * empty.
 */
export function printedRanges(
  text: string,
  indent: string,
  wanted: ReadonlyMap<string, unknown>,
  onPath: ReadonlySet<string>,
): Map<string, Hit> {
  const tree = tokenTree([...wanted.keys(), ...onPath]);
  const found = new Map<string, Hit>();
  const margins: string[] = [''];
  /** A line break and the indent of depth `depth`. */
  const margin = (depth: number): string => {
    while (margins.length <= depth) margins.push(margins[margins.length - 1]! + indent);
    return margins[depth]!;
  };

  /** The offset past the value at `at`, whose container is at `depth` - 1. */
  const skip = (at: number, depth: number): number => {
    const c = text.charCodeAt(at);
    if (c === 123 || c === 91) {
      const close = c === 123 ? '}' : ']';
      // An empty container is printed on its own line as {} or [].
      if (text.charCodeAt(at + 1) !== 10) return at + 2;
      const line = `\n${margin(depth)}${close}`;
      return text.indexOf(line, at) + line.length;
    }
    if (c === 34) return skipQuoted(text, at);
    // A number or a literal ends where its line or its member does.
    let i = at + 1;
    for (
      let d = text.charCodeAt(i);
      i < text.length && d !== 44 && d !== 10;
      d = text.charCodeAt(++i)
    );
    return i;
  };

  /** The value at `at`, at `depth`, whose pointer is `key`: the offset past it. */
  const value = (
    key: string,
    here: TokenTree,
    at: number,
    depth: number,
    keyOffset?: number,
  ): number => {
    const isWanted = wanted.has(key);
    const passes = onPath.has(key);
    const c = text.charCodeAt(at);
    let end: number;
    if (passes && (c === 123 || c === 91) && text.charCodeAt(at + 1) === 10)
      end = c === 123 ? members(key, here, at, depth) : elements(key, here, at, depth);
    else end = skip(at, depth);
    const hit = hitAt(at, end - at, keyOffset);
    // A pointer that continues into a JSON-holding string resolves to that string.
    if (passes && c === 34) hitsInsideString(found, wanted, key, hit);
    if (isWanted) found.set(key, hit);
    return end;
  };

  /** The members of the non-empty object at `at`: the offset past its "}". */
  const members = (key: string, here: TokenTree, at: number, depth: number): number => {
    const inner = margin(depth + 1).length + 1;
    let i = at + 1;
    for (;;) {
      // i is at the line break before a member.
      const name = i + inner;
      const nameEnd = skipQuoted(text, name);
      const raw = text.slice(name + 1, nameEnd - 1);
      const token = raw.includes('\\') ? (JSON.parse(text.slice(name, nameEnd)) as string) : raw;
      const start = nameEnd + 2; // past ": "
      const below = childInSet(here, token);
      i =
        below === null
          ? skip(start, depth + 1)
          : value(`${key}/${escapeToken(token)}`, below, start, depth + 1, name);
      if (text.charCodeAt(i) !== 44) return i + margin(depth).length + 2; // "\n", indent, "}"
      i++;
    }
  };

  /** The elements of the non-empty array at `at`: the offset past its "]". */
  const elements = (key: string, here: TokenTree, at: number, depth: number): number => {
    const inner = margin(depth + 1).length + 1;
    let i = at + 1;
    let index = 0;
    for (const target of indexesInSet(here)) {
      for (; index < target; index++) {
        i = skip(i + inner, depth + 1);
        if (text.charCodeAt(i) !== 44) return i + margin(depth).length + 2;
        i++;
      }
      i = value(`${key}/${index}`, here.byIndex.get(index)!, i + inner, depth + 1);
      if (text.charCodeAt(i) !== 44) return i + margin(depth).length + 2;
      i++;
      index++;
    }
    // The rest of the array, stepped over at once.
    const line = `\n${margin(depth)}]`;
    return text.indexOf(line, i) + line.length;
  };

  value('', tree, 0, 0);
  return found;
}
