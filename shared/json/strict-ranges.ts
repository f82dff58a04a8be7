// The fast road of rangesOfPointers: a character loop over strict JSON that descends only into the
// values on the pointers' paths and steps over every other value (checking its syntax as it goes).
// jsonc-parser's visitor tokenises every value of the text, which costs a third of a second per
// 5 MB text, three texts per conflict view. Anything that is not strict JSON (comments, trailing
// commas, a hand edit half typed) answers undefined, and the visitor's road answers instead.
import { escapeToken } from './pointer';
import { StrictScanner, strictly } from './strict-scan';
import { childInSet, indexesInSet, tokenTree, type TokenTree } from './token-tree';

export type Hit = { offset: number; length: number; keyOffset?: number; insideString?: boolean };

/** A value's hit, with its member name's offset when it is an object member. */
export const hitAt = (offset: number, length: number, keyOffset: number | undefined): Hit =>
  keyOffset === undefined ? { offset, length } : { offset, length, keyOffset };

/** Every wanted pointer that goes on inside the JSON-holding string at `key` resolves to it. */
export function hitsInsideString(
  found: Map<string, Hit>,
  wanted: ReadonlyMap<string, unknown>,
  key: string,
  string: Hit,
): void {
  for (const target of wanted.keys())
    if (target.startsWith(`${key}/`)) found.set(target, { ...string, insideString: true });
}

/**
 * Where each pointer in `wanted` (encoded pointers) lies in `text`, as the visitor road finds it:
 * the value's offset and length, the member name's offset for object members, and for pointers
 * that go on inside a string, that string. `onPath` holds every proper prefix of a wanted pointer.
 * Undefined when `text` is not strict JSON.
 */
export function strictRanges(
  text: string,
  wanted: ReadonlyMap<string, unknown>,
  onPath: ReadonlySet<string>,
): Map<string, Hit> | undefined {
  const s = new StrictScanner(text);
  // Which members to look at, by name and index: a member off every path costs no pointer.
  const tree = tokenTree([...wanted.keys(), ...onPath]);
  const found = new Map<string, Hit>();
  const keyOffsets = new Map<string, number>();

  const record = (key: string, offset: number, length: number) =>
    found.set(key, hitAt(offset, length, keyOffsets.get(key)));

  /** The value at the cursor, whose pointer is `key`: stepped over unless a pointer needs it. */
  const value = (key: string, here: TokenTree): void => {
    const isWanted = wanted.has(key);
    const passes = onPath.has(key);
    if (!isWanted && !passes) return s.skipValue();
    const start = s.i;
    const c = s.code();
    if (passes && (c === 123 || c === 91)) {
      s.i++;
      if (c === 123) members(key, here);
      else elements(key, here);
    } else if (c === 34 && passes) {
      s.skipString();
      // A pointer that continues into a JSON-holding string resolves to that string.
      hitsInsideString(found, wanted, key, hitAt(start, s.i - start, keyOffsets.get(key)));
    } else {
      s.skipValue();
    }
    if (isWanted) record(key, start, s.i - start);
  };

  const members = (key: string, here: TokenTree) => {
    const seen = new Set<string>();
    s.eachMember((name, at) => {
      const below = childInSet(here, name);
      if (below === null) return s.skipValue();
      const child = `${key}/${escapeToken(name)}`;
      keyOffsets.set(child, at.name);
      // A repeated member replaces the earlier one (as JSON.parse keeps the last): forget what
      // was found inside the first, and where its members' names were.
      if (seen.has(child)) {
        for (const target of found.keys())
          if (target === child || target.startsWith(`${child}/`)) found.delete(target);
        for (const target of keyOffsets.keys())
          if (target.startsWith(`${child}/`)) keyOffsets.delete(target);
      }
      seen.add(child);
      value(child, below);
    });
  };

  // The elements a pointer needs are visited; the runs between them are stepped over in one loop.
  const elements = (key: string, here: TokenTree) => {
    s.space();
    if (s.code() === 93) {
      s.i++;
      return;
    }
    let index = 0;
    for (const target of indexesInSet(here)) {
      if (s.skipElements(target - index)) return;
      index = target;
      value(`${key}/${index}`, here.byIndex.get(index)!);
      if (s.afterItem(93)) return;
      index++;
    }
    while (!s.skipElements(1024));
  };

  return strictly(() => {
    s.space();
    value('', tree);
    s.end();
    return found;
  });
}
