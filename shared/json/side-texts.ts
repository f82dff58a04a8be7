// The text a side's elements were read from, so that a merge writing an element it kept whole from
// a side (the very value parse-alike read, unchanged) copies that text instead of printing the
// value again. At megabyte sizes printing is most of what writing a merge costs, and most elements
// are kept whole; the copied text is also the side's own (`1.0` stays `1.0`).
//
// Only arrays reached from the root through object members are covered: there an element of the
// merged array sits at the same depth as on its side, so its text's own indentation fits. (An index
// into an array is the merge's, not the side's, so arrays inside arrays are not followed.)
import { closingQuote } from './parse';
import type { Pieces } from './parse-alike';
import { escapeToken } from './pointer';
import type { JsonValue } from './types';

/** How far from its cursor an element is looked for among a side's pieces (moves, insertions). */
const WINDOW = 8;

export class SideTexts {
  /** By array pointer, the sides' pieces of that array. */
  private readonly arrays = new Map<string, Pieces[]>();
  /** By array pointer, the texts of its elements as asked for so far. */
  private readonly readers = new Map<string, ElementTexts>();

  /** `sides`: the pieces parse-alike cut each side's text into, the side to copy first first. */
  constructor(sides: readonly Pieces[]) {
    for (const pieces of sides) this.walk(pieces, '');
  }

  /** The pointers of the arrays whose elements have texts (for a writer to descend to them). */
  pointers(): IterableIterator<string> {
    return this.arrays.keys();
  }

  /**
   * The texts of the elements of the array at `pointer`, for a writer asking for them in the merged
   * array's order (one reader per array, so that each run of it goes on where the last one ended);
   * undefined when no side's text of it was cut.
   */
  at(pointer: string): ElementTexts | undefined {
    let reader = this.readers.get(pointer);
    if (reader === undefined) {
      const lists = this.arrays.get(pointer);
      if (lists === undefined) return undefined;
      reader = new ElementTexts(lists);
      this.readers.set(pointer, reader);
    }
    return reader;
  }

  private walk(pieces: Pieces, pointer: string): void {
    if (!pieces.object) {
      const lists = this.arrays.get(pointer);
      if (lists === undefined) this.arrays.set(pointer, [pieces]);
      else lists.push(pieces);
      return;
    }
    for (let i = 0; i < pieces.inner.length; i++) {
      const inner = pieces.inner[i];
      if (inner === undefined) continue;
      // A member's text starts with its key: `"key": value`.
      const text = pieces.texts[i]!;
      const key = JSON.parse(text.slice(0, closingQuote(text, 0) + 1)) as string;
      this.walk(inner, `${pointer}/${escapeToken(key)}`);
    }
  }
}

/** The sides' texts of one array's elements. */
export class ElementTexts {
  /** Where each side's search starts: the element after the one last asked for. */
  private readonly cursors: number[];

  constructor(private readonly lists: readonly Pieces[]) {
    this.cursors = lists.map(() => 0);
  }

  /**
   * The text `value` was read from, when it is an element of this array on a side (as the very
   * object, so its text is its own); undefined otherwise. Elements are asked for in the merged
   * array's order, which is mostly each side's: a side is searched where its cursor expects the
   * element, then a few places either way, and every cursor moves on by one element.
   */
  textOf(value: JsonValue): string | undefined {
    const { lists, cursors } = this;
    // Only a container is known by identity; an equal number or string may be another element.
    const found = typeof value === 'object' && value !== null ? find(lists, cursors, value) : -1;
    for (let k = 0; k < cursors.length; k++) cursors[k]!++;
    if (found === -1) return undefined;
    const side = found % lists.length;
    const at = (found - side) / lists.length;
    cursors[side] = at + 1;
    return lists[side]!.texts[at];
  }
}

/**
 * Where `value` is among the sides' pieces, looked for near each side's cursor: piece `at` of side
 * `side` as `at * lists.length + side` (one number, no object made per element), or -1.
 */
function find(lists: readonly Pieces[], cursors: readonly number[], value: JsonValue): number {
  const n = lists.length;
  for (let k = 0; k < n; k++)
    if (lists[k]!.values[cursors[k]!] === value) return cursors[k]! * n + k;
  for (let k = 0; k < n; k++) {
    const values = lists[k]!.values;
    const at = cursors[k]!;
    for (let d = 1; d <= WINDOW; d++) {
      if (values[at + d] === value) return (at + d) * n + k;
      if (at - d >= 0 && values[at - d] === value) return (at - d) * n + k;
    }
  }
  return -1;
}
