// The text a side's members and elements were read from, so that a merge writing a value it kept
// whole from a side (the very object parse-alike read, unchanged) copies that text instead of
// printing the value again. At megabyte sizes printing is most of what writing a merge costs, and
// most members are kept whole; the copied text is also the side's own (`1.0` stays `1.0`).
//
// Only containers reached from the root through object members are covered: there a member of the
// merged document sits at the same depth as on its side, so its text's own indentation fits. (An
// index into an array is the merge's, not the side's, so what arrays hold is not followed.) Only
// objects and arrays are copied: a container is known by identity, and printing a number or a
// string costs no more than finding it.
import type { Pieces } from './parse-alike';
import { escapeToken } from './pointer';
import type { JsonValue } from './types';

/** How far from its cursor a member is looked for among a side's pieces (moves, insertions). */
const WINDOW = 8;

export class SideTexts {
  /** By container pointer, the sides' pieces of that container. */
  private readonly containers = new Map<string, Pieces[]>();
  /** By container pointer, the texts of its members as asked for so far. */
  private readonly readers = new Map<string, MemberTexts>();

  /** `sides`: the pieces parse-alike cut each side's text into, the side to copy first first. */
  constructor(sides: readonly Pieces[]) {
    for (const pieces of sides) this.walk(pieces, '');
  }

  /** The pointers of the containers whose members have texts (for a writer to descend to them). */
  pointers(): IterableIterator<string> {
    return this.containers.keys();
  }

  /**
   * The texts of the members (or elements) of the container at `pointer`, for a writer asking for
   * them in the merged container's order (one reader per container, so that each run of it goes
   * on where the last one ended); undefined when no side's text of it was cut.
   */
  at(pointer: string): MemberTexts | undefined {
    let reader = this.readers.get(pointer);
    if (reader === undefined) {
      const lists = this.containers.get(pointer);
      if (lists === undefined) return undefined;
      reader = new MemberTexts(lists);
      this.readers.set(pointer, reader);
    }
    return reader;
  }

  private walk(pieces: Pieces, pointer: string): void {
    const lists = this.containers.get(pointer);
    if (lists === undefined) this.containers.set(pointer, [pieces]);
    else lists.push(pieces);
    if (!pieces.object) return;
    for (let i = 0; i < pieces.inner.length; i++) {
      const inner = pieces.inner[i];
      if (inner !== undefined) this.walk(inner, `${pointer}/${escapeToken(pieces.keys[i]!)}`);
    }
  }
}

/** The sides' texts of one container's members: `"key": value` for an object's, the value for an array's. */
export class MemberTexts {
  /** Where each side's search starts: the member after the one last asked for. */
  private readonly cursors: number[];

  constructor(private readonly lists: readonly Pieces[]) {
    this.cursors = lists.map(() => 0);
  }

  /**
   * The text the member `key` (undefined for an element) with value `value` was read from, when
   * a side holds it with that very object (so the text is its own); undefined otherwise. Members
   * are asked for in the merged container's order, which is mostly each side's: a side is
   * searched where its cursor expects the member, then a few places either way, and every cursor
   * moves on by one.
   */
  textOf(key: string | undefined, value: JsonValue): string | undefined {
    const { lists, cursors } = this;
    const found =
      typeof value === 'object' && value !== null ? find(lists, cursors, key, value) : -1;
    for (let k = 0; k < cursors.length; k++) cursors[k]!++;
    if (found === -1) return undefined;
    const side = found % lists.length;
    const at = (found - side) / lists.length;
    cursors[side] = at + 1;
    return lists[side]!.texts[at];
  }
}

/**
 * Where the member `key` holding `value` is among the sides' pieces, looked for near each side's
 * cursor: piece `at` of side `side` as `at * lists.length + side` (one number, no object made per
 * member), or -1. An array's pieces have no keys: they match only an element (`key` undefined).
 */
function find(
  lists: readonly Pieces[],
  cursors: readonly number[],
  key: string | undefined,
  value: JsonValue,
): number {
  const n = lists.length;
  for (let k = 0; k < n; k++) {
    const at = cursors[k]!;
    if (lists[k]!.values[at] === value && lists[k]!.keys[at] === key) return at * n + k;
  }
  for (let k = 0; k < n; k++) {
    const { values, keys } = lists[k]!;
    const at = cursors[k]!;
    for (let d = 1; d <= WINDOW; d++) {
      if (values[at + d] === value && keys[at + d] === key) return (at + d) * n + k;
      if (at - d >= 0 && values[at - d] === value && keys[at - d] === key) return (at - d) * n + k;
    }
  }
  return -1;
}
