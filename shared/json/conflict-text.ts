// Writes a merge with unresolved conflicts the way git users resolve them: the merged document,
// pretty-printed, with each conflict wrapped in diff3 markers around the smallest member or element
// run that holds it (`<<<<<<< ours`, `||||||| base`, `=======`, `>>>>>>> theirs`). Every side is
// written as whole lines with its own commas, so keeping one side of any block (VS Code's "Accept
// Current" / "Accept Incoming") leaves valid JSON.
//
// Commas: a member followed by a member present on every side carries its comma on its own lines.
// Members after the last such member (a run of conflicts where a side is absent) cannot, so they
// share one block with that last member, each side writing its own commas; when that member holds
// conflicts of its own the trailing members start with a comma instead.
import { merge3 } from './merge3';
import type { Choice, MergeOptions, MergeResult } from './merge-types';
import { escapeToken, getAt, withinAny } from './pointer';
import type { JsonStyle } from './serialize';
import type { MemberTexts, SideTexts } from './side-texts';
import { stringifyJson } from './serialize';
import type { JsonValue } from './types';
import { getKey, isJsonObject, setKey } from './types';

export type ConflictTextOptions = {
  /** Layout of the merged text; a one-line layout is widened to two-space indentation. */
  readonly style: JsonStyle;
  /** Length of the marker runs, as git passes it in %L (default 7). */
  readonly markerSize?: number;
  /** The merge's options, so that in-string conflicts can be re-merged with one side chosen. */
  readonly mergeOptions?: MergeOptions;
  /**
   * The texts the sides were read from (see side-texts.ts): an element the merge kept whole from
   * a side is written as that side's text, not printed again. For text laid out as it would be
   * printed, the output is the same, byte for byte.
   */
  readonly sideTexts?: SideTexts;
};

/** The three documents a merge was made from (base undefined: no common ancestor). */
type MergedSides = {
  readonly base: JsonValue | undefined;
  readonly mine: JsonValue;
  readonly theirs: JsonValue;
};

type Sides = {
  readonly ours: JsonValue | undefined;
  readonly base: JsonValue | undefined;
  readonly theirs: JsonValue | undefined;
};
type RunSides = {
  readonly ours: readonly JsonValue[];
  readonly base: readonly JsonValue[];
  readonly theirs: readonly JsonValue[];
};

/** Where markers go: members (a key or an element) by pointer, and element runs by array and index. */
type Locations = {
  readonly members: Map<string, Sides>;
  readonly runs: Map<
    string,
    Map<number, Array<{ readonly length: number; readonly runs: RunSides }>>
  >;
};

/** One line-level entry of a container: `"key": value` or an element. */
type Entry = { readonly prefix: string; readonly value: JsonValue };
type SideName = 'ours' | 'base' | 'theirs';
const SIDE_NAMES: readonly SideName[] = ['ours', 'base', 'theirs'];

/** A container's member as written: the same on every side, or different per side (a conflict). */
type Item =
  | {
      readonly kind: 'plain';
      readonly key: string | undefined;
      readonly entry: Entry;
      readonly pointer: string;
      /** Written member by member (it holds a conflict, or texts to copy). */
      readonly nested: boolean;
      /** It holds a conflict somewhere below it. */
      readonly holds: boolean;
    }
  | { readonly kind: 'conflict'; readonly sides: Readonly<Record<SideName, readonly Entry[]>> }
  /** Elements [from, to) of an array, none holding a conflict: one item, not one per element. */
  | {
      readonly kind: 'span';
      /** The array's pointer. */
      readonly pointer: string;
      readonly values: readonly JsonValue[];
      readonly from: number;
      readonly to: number;
    };

/** The entries a span stands for. */
function spanEntries(item: Item & { kind: 'span' }): Entry[] {
  const entries: Entry[] = [];
  for (let i = item.from; i < item.to; i++) entries.push({ prefix: '', value: item.values[i]! });
  return entries;
}

export function writeConflictText(
  input: MergedSides,
  result: MergeResult,
  options: ConflictTextOptions,
): string {
  return conflictTextParts(input, result, options).join('');
}

/**
 * writeConflictText's text as the parts it is made of, for a caller that writes them one after
 * another: joining them copies the whole text once more (about 15 ms for 20 MB).
 */
export function conflictTextParts(
  input: MergedSides,
  result: MergeResult,
  options: ConflictTextOptions,
): string[] {
  const style: JsonStyle =
    options.style.indent === ''
      ? { ...options.style, indent: '  ', colon: ': ', comma: ',' }
      : options.style;
  const writer = new ConflictWriter(
    style,
    options.markerSize ?? 7,
    locate(input, result, options.mergeOptions ?? {}),
    result.merged,
    options.sideTexts,
  );
  const out: string[] = [];
  writer.value(result.merged, '', '', '', '', out);
  // Every line ends with "\n"; mine's layout may have no final newline after its closing bracket.
  const merged = result.merged;
  if (!style.finalNewline && merged !== null && typeof merged === 'object' && out.at(-1) === '\n')
    out.pop();
  return out;
}

/** The outermost string on `path` (a pointer that runs into embedded JSON), found in `merged`. */
function stringHolding(merged: JsonValue, path: string): string {
  let value: JsonValue | undefined = merged;
  let pointer = '';
  for (const raw of path.slice(1).split('/')) {
    if (typeof value === 'string') return pointer;
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = Array.isArray(value)
      ? value[Number(token)]
      : isJsonObject(value)
        ? getKey(value, token)
        : undefined;
    pointer += '/' + raw;
  }
  return pointer;
}

function locate(input: MergedSides, result: MergeResult, mergeOptions: MergeOptions): Locations {
  const locations: Locations = { members: new Map(), runs: new Map() };
  // Conflicts written as one block around a whole member: a string (which cannot hold markers)
  // and an array both sides reordered (whose conflict holds ids, not elements).
  const whole = new Set<string>();
  for (const conflict of result.conflicts) {
    if (conflict.inString !== undefined) {
      whole.add(stringHolding(result.merged, conflict.path));
    } else if (conflict.kind === 'both-reordered') {
      whole.add(conflict.path);
    } else if (conflict.slice) {
      const run = (value: JsonValue | undefined) =>
        Array.isArray(value) ? value : value === undefined ? [] : [value];
      const byIndex = locations.runs.get(conflict.path) ?? new Map();
      locations.runs.set(conflict.path, byIndex);
      const list = byIndex.get(conflict.slice.at) ?? [];
      byIndex.set(conflict.slice.at, list);
      list.push({
        length: conflict.slice.length,
        runs: { ours: run(conflict.mine), base: run(conflict.base), theirs: run(conflict.theirs) },
      });
    } else {
      locations.members.set(conflict.path, {
        ours: conflict.mine,
        base: conflict.base,
        theirs: conflict.theirs,
      });
    }
  }
  if (whole.size > 0) {
    // Such a member is the block, each side the merge with that side chosen for every conflict
    // inside it (the rest of the document is unchanged by that); the conflicts inside it are not
    // written apart.
    // A pointer lies in a block exactly when it or one of its ancestors is in `whole`.
    const blocks = [...whole].filter((p) => !withinAny(p, whole, false));
    const covered = (path: string) => withinAny(path, whole, true);
    const inside = result.conflicts.filter((c) => covered(c.path));
    const chosen = (choice: Choice) =>
      merge3(input.base, input.mine, input.theirs, {
        ...mergeOptions,
        choices: new Map(inside.map((c) => [c.id, choice])),
      }).merged;
    // Ours is the merge choosing mine, not the merged value: where mine deleted a field theirs
    // changed, the merge holds theirs' value (nothing is dropped by default). An order cannot be
    // base's (a merge keeps one side's order): that block's base is base's elements in mine's.
    const asMine = chosen('mine');
    const asTheirs = chosen('theirs');
    const asBase = chosen('base');
    for (const map of [locations.members, locations.runs])
      for (const pointer of [...map.keys()]) if (covered(pointer)) map.delete(pointer);
    for (const pointer of blocks)
      locations.members.set(pointer, {
        ours: getAt(asMine, pointer),
        base: getAt(asBase, pointer),
        theirs: getAt(asTheirs, pointer),
      });
  }
  return locations;
}

const parentOf = (pointer: string) => pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));

/** The pointer of the container a run's member belongs to. */
function containerOf(item: Item): string {
  if (item.kind === 'span') return item.pointer;
  if (item.kind === 'plain') return parentOf(item.pointer);
  throw new Error('unreachable: a run holds spans and plain members');
}

class ConflictWriter {
  /** Pointers of containers that hold a location somewhere below them. */
  private readonly holders = new Set<string>();
  /**
   * Pointers of containers written member by member only to copy their members' texts (and the
   * containers on the way to them); not holders, so that where markers go stays as it was.
   */
  private readonly copying = new Set<string>();
  /** By container pointer, the indices of its elements that hold or are a location. */
  private indicesHolding: Map<string, Set<number>> | undefined;

  constructor(
    private readonly style: JsonStyle,
    private readonly markerSize: number,
    private readonly locations: Locations,
    merged: JsonValue,
    private readonly sideTexts: SideTexts | undefined,
  ) {
    const mark = (set: Set<string>) => (pointer: string) => {
      for (let p = pointer; !set.has(p); p = parentOf(p)) {
        set.add(p);
        if (p === '') break;
      }
    };
    const hold = mark(this.holders);
    for (const pointer of locations.members.keys()) if (pointer !== '') hold(parentOf(pointer));
    for (const pointer of locations.runs.keys()) hold(pointer);
    // Containers whose members have texts are written member by member, to copy those texts (an
    // empty one is written as printed: `[]`, not two lines).
    if (sideTexts !== undefined && !locations.members.has(''))
      for (const pointer of sideTexts.pointers()) {
        const value = getAt(merged, pointer);
        if (
          (Array.isArray(value) && value.length > 0) ||
          (isJsonObject(value) && Object.keys(value).length > 0)
        )
          mark(this.copying)(pointer);
      }
  }

  /** Whether the container at `pointer` is written member by member. */
  private opened(pointer: string): boolean {
    return this.holders.has(pointer) || this.copying.has(pointer);
  }

  /** Writes the value at `pointer` (with its `prefix`, e.g. `"key": `) as whole lines. */
  value(
    value: JsonValue,
    pointer: string,
    indent: string,
    prefix: string,
    comma: string,
    out: string[],
  ): void {
    const sides = pointer === '' ? this.locations.members.get('') : undefined;
    if (sides !== undefined) {
      // The whole document is the conflict (a different type of root on each side).
      this.block(
        { ours: present(sides.ours), base: present(sides.base), theirs: present(sides.theirs) },
        indent,
        '',
        out,
      );
      return;
    }
    if (!this.opened(pointer) || typeof value !== 'object' || value === null) {
      out.push(this.line({ prefix, value }, indent), comma, '\n');
      return;
    }
    const array = Array.isArray(value);
    out.push(indent, prefix, array ? '[' : '{', '\n');
    this.items(
      array ? this.arrayItems(value, pointer) : this.objectItems(value, pointer),
      indent + this.style.indent,
      out,
    );
    out.push(indent, array ? ']' : '}', comma, '\n');
  }

  private objectItems(value: { readonly [key: string]: JsonValue }, pointer: string): Item[] {
    const items: Item[] = [];
    for (const key of Object.keys(value)) {
      const childPointer = pointer + '/' + escapeToken(key);
      const prefix = JSON.stringify(key) + ': ';
      const sides = this.locations.members.get(childPointer);
      if (sides !== undefined) items.push(this.memberItem(sides, prefix));
      else
        items.push({
          kind: 'plain',
          key,
          entry: { prefix, value: value[key]! },
          pointer: childPointer,
          nested: this.opened(childPointer),
          holds: this.holders.has(childPointer),
        });
    }
    return items;
  }

  /** The indices under `pointer` that a location or a holder names (numeric segments only). */
  private holding(pointer: string): Set<number> | undefined {
    if (this.indicesHolding === undefined) {
      this.indicesHolding = new Map();
      for (const p of [...this.locations.members.keys(), ...this.holders]) {
        if (p === '') continue;
        const parent = parentOf(p);
        const seg = p.slice(parent.length + 1);
        if (!/^(0|[1-9][0-9]*)$/.test(seg)) continue;
        const set = this.indicesHolding.get(parent) ?? new Set<number>();
        set.add(Number(seg));
        this.indicesHolding.set(parent, set);
      }
    }
    return this.indicesHolding.get(pointer);
  }

  private arrayItems(value: readonly JsonValue[], pointer: string): Item[] {
    const items: Item[] = [];
    const runsHere = this.locations.runs.get(pointer);
    const holding = this.holding(pointer);
    // The indices that hold or start something, in order: the elements between them are spans,
    // found without looking at each one (a megabyte array holds thousands).
    const marked = [...(runsHere?.keys() ?? []), ...(holding ?? [])].sort((a, b) => a - b);
    let next = 0;
    for (let i = 0; ;) {
      while (next < marked.length && marked[next]! < i) next++;
      const to = Math.min(next < marked.length ? marked[next]! : value.length, value.length);
      if (i < to) {
        // Elements that hold no conflict, up to the next that does: one span.
        items.push({ kind: 'span', pointer, values: value, from: i, to });
        i = to;
        continue;
      }
      const runs = runsHere?.get(i) ?? [];
      for (const run of runs) if (run.length === 0) items.push(this.runItem(run.runs));
      if (i >= value.length) break;
      const long = runs.find((run) => run.length > 0);
      if (long) {
        items.push(this.runItem(long.runs));
        i += long.length;
        continue;
      }
      const childPointer = `${pointer}/${i}`;
      const sides = this.locations.members.get(childPointer);
      if (sides !== undefined) items.push(this.memberItem(sides, ''));
      else
        items.push({
          kind: 'plain',
          key: undefined,
          entry: { prefix: '', value: value[i]! },
          pointer: childPointer,
          nested: this.opened(childPointer),
          holds: this.holders.has(childPointer),
        });
      i++;
    }
    return items;
  }

  private memberItem(sides: Sides, prefix: string): Item {
    const entries = (value: JsonValue | undefined): Entry[] =>
      value === undefined ? [] : [{ prefix, value }];
    return {
      kind: 'conflict',
      sides: {
        ours: entries(sides.ours),
        base: entries(sides.base),
        theirs: entries(sides.theirs),
      },
    };
  }

  private runItem(runs: RunSides): Item {
    const entries = (run: readonly JsonValue[]): Entry[] =>
      run.map((value) => ({ prefix: '', value }));
    return {
      kind: 'conflict',
      sides: { ours: entries(runs.ours), base: entries(runs.base), theirs: entries(runs.theirs) },
    };
  }

  private items(items: readonly Item[], indent: string, out: string[]): void {
    // A member present on every side whichever block is kept: plain, or a conflict keeping both sides.
    const solid = (item: Item) =>
      item.kind !== 'conflict' || (item.sides.ours.length > 0 && item.sides.theirs.length > 0);
    let last = -1;
    for (let i = items.length - 1; i >= 0; i--) {
      if (solid(items[i]!)) {
        last = i;
        break;
      }
    }
    const tail = last < items.length - 1;
    let lastItem = last >= 0 ? items[last]! : undefined;
    const groupTail =
      tail && (lastItem === undefined || lastItem.kind !== 'plain' || !lastItem.holds);
    if (groupTail && lastItem?.kind === 'span' && lastItem.to - lastItem.from > 1) {
      // Only the span's last element joins the trailing group.
      const { pointer, values, from, to } = lastItem;
      lastItem = { kind: 'span', pointer, values, from: to - 1, to };
      items = [
        ...items.slice(0, last),
        { kind: 'span', pointer, values, from, to: to - 1 },
        lastItem,
        ...items.slice(last + 1),
      ];
      last++;
    }
    // Written by one native serialisation with their neighbours: plain members holding nothing.
    const flat = (item: Item) => item.kind === 'span' || (item.kind === 'plain' && !item.nested);
    const end = groupTail ? Math.max(last, 0) : items.length;
    for (let i = 0; i < end; i++) {
      const item = items[i]!;
      const comma = i < last ? ',' : '';
      if (flat(item) && i <= last) {
        // A run of plain members is written by one native serialisation, not one per member.
        let j = i;
        while (j + 1 < end && j + 1 <= last && flat(items[j + 1]!)) j++;
        this.run(items.slice(i, j + 1), indent, j < last ? ',' : '', out);
        i = j;
      } else if (item.kind === 'span') {
        throw new Error('unreachable: a span is solid');
      } else if (i > last) {
        // Trailing optional members after a member holding conflicts: each side leads with a comma.
        const side = (name: SideName) =>
          item.kind === 'conflict' ? item.sides[name] : [item.entry];
        this.block(
          { ours: side('ours'), base: side('base'), theirs: side('theirs') },
          indent,
          '',
          out,
          true,
        );
      } else if (item.kind === 'plain') {
        // Opened only to copy texts inside it: copied whole where a side holds it whole.
        const text =
          item.nested && !item.holds
            ? this.sideTexts?.at(parentOf(item.pointer))?.textOf(item.key, item.entry.value)
            : undefined;
        if (text !== undefined) out.push(indent, text, comma, '\n');
        else if (item.nested)
          this.value(item.entry.value, item.pointer, indent, item.entry.prefix, comma, out);
        else out.push(this.line(item.entry, indent), comma, '\n');
      } else {
        this.block(item.sides, indent, comma, out);
      }
    }
    if (groupTail) {
      // The last solid member and the optional members after it: one block, commas per side.
      const group = items.slice(Math.max(last, 0));
      const side = (name: SideName) =>
        group.flatMap((item) =>
          item.kind === 'conflict'
            ? item.sides[name]
            : item.kind === 'span'
              ? spanEntries(item)
              : [item.entry],
        );
      this.block(
        { ours: side('ours'), base: side('base'), theirs: side('theirs') },
        indent,
        '',
        out,
      );
    }
  }

  /** Plain members written together: one container serialised natively, its brackets dropped. */
  private run(items: readonly Item[], indent: string, comma: string, out: string[]): void {
    const known = this.sideTexts?.at(containerOf(items[0]!));
    if (known !== undefined) {
      out.push(indent, this.copied(items, known, indent), comma, '\n');
      return;
    }
    const only = items.length === 1 ? items[0]! : undefined;
    if (only?.kind === 'plain' || (only?.kind === 'span' && only.to - only.from === 1)) {
      const entry =
        only.kind === 'plain' ? only.entry : { prefix: '', value: only.values[only.from]! };
      out.push(this.line(entry, indent), comma, '\n');
      return;
    }
    let container: JsonValue;
    const first = items[0]!;
    if (items.length === 1 && first.kind === 'span') {
      container = first.values.slice(first.from, first.to);
    } else if (first.kind === 'span' || (first as { key?: string }).key === undefined) {
      const elements: JsonValue[] = [];
      for (const item of items) {
        if (item.kind === 'span')
          for (let i = item.from; i < item.to; i++) elements.push(item.values[i]!);
        else if (item.kind === 'plain') elements.push(item.entry.value);
      }
      container = elements;
    } else {
      const object: Record<string, JsonValue> = {};
      for (const item of items)
        if (item.kind === 'plain') setKey(object, item.key!, item.entry.value);
      container = object;
    }
    out.push(this.printed(container, indent), comma, '\n');
  }

  /**
   * A run's members (one container's) as the texts a side read them from where it holds them
   * whole (see side-texts.ts), the others printed together; joined by commas, from the first
   * one's first character.
   */
  private copied(items: readonly Item[], known: MemberTexts, indent: string): string {
    const texts: string[] = [];
    // Members not found, printed together: an object's (keyed) or an array's.
    let missed: Array<{ key: string | undefined; value: JsonValue }> = [];
    const printMissed = () => {
      if (missed.length === 0) return;
      let container: JsonValue;
      if (missed[0]!.key === undefined) {
        container = missed.map((member) => member.value);
      } else {
        const object: Record<string, JsonValue> = {};
        for (const member of missed) setKey(object, member.key!, member.value);
        container = object;
      }
      texts.push(this.printed(container, indent).slice(indent.length));
      missed = [];
    };
    const member = (key: string | undefined, value: JsonValue) => {
      const text = known.textOf(key, value);
      if (text === undefined) {
        missed.push({ key, value });
      } else {
        printMissed();
        texts.push(text);
      }
    };
    for (const item of items) {
      if (item.kind === 'span')
        for (let i = item.from; i < item.to; i++) member(undefined, item.values[i]!);
      else if (item.kind === 'plain') member(item.key, item.entry.value);
    }
    printMissed();
    return texts.join(',\n' + indent);
  }

  /** A container's members at `indent`, printed natively, without its brackets (no final line break). */
  private printed(container: JsonValue, indent: string): string {
    // Wrapped in arrays so the native serialiser indents the members to their own depth already:
    // `[\n  [\n    {\n      "a": 1 ...`; the wrappers' lines are then cut off by length.
    const unit = this.style.indent;
    const depth = indent.length / unit.length;
    let wrapped = container;
    for (let level = 1; level < depth; level++) wrapped = [wrapped];
    const text = stringifyJson(wrapped, { ...this.style, finalNewline: false });
    let head = 0;
    let tail = 0;
    for (let level = 0; level < depth; level++) {
      head += unit.length * level + 2;
      tail += unit.length * level + 2;
    }
    return text.slice(head, text.length - tail);
  }

  /** One marker block; each side's entries are joined by commas, the last followed by `comma`. */
  private block(
    sides: Readonly<Record<SideName, readonly Entry[]>>,
    indent: string,
    comma: string,
    out: string[],
    leadingComma = false,
  ): void {
    const labels: Record<SideName, string> = {
      ours: '<'.repeat(this.markerSize) + ' ours',
      base: '|'.repeat(this.markerSize) + ' base',
      theirs: '='.repeat(this.markerSize),
    };
    for (const name of SIDE_NAMES) {
      out.push(labels[name], '\n');
      const entries = sides[name];
      entries.forEach((entry, i) => {
        const lead = leadingComma && i === 0 ? ', ' : '';
        out.push(
          lead === ''
            ? this.line(entry, indent)
            : indent + lead + this.line(entry, indent).slice(indent.length),
          i < entries.length - 1 ? ',' : comma,
          '\n',
        );
      });
    }
    out.push('>'.repeat(this.markerSize), ' theirs\n');
  }

  /** `indent + prefix + value` with the value's own lines indented under it (no final newline). */
  private line(entry: Entry, indent: string): string {
    const text = stringifyJson(entry.value, { ...this.style, finalNewline: false });
    return (
      indent + entry.prefix + (text.includes('\n') ? text.replace(/\n/g, '\n' + indent) : text)
    );
  }
}

function present(value: JsonValue | undefined): Entry[] {
  return value === undefined ? [] : [{ prefix: '', value }];
}
