// JSON Pointer ↔ text range in a document's text (for editor decorations), via jsonc-parser's
// syntax tree. Pointers that continue into a JSON-holding string resolve to that string.
import type { Node } from 'jsonc-parser';
import { findNodeAtOffset, getNodePath, parseTree, visit } from 'jsonc-parser';
import { decodePointer, encodePointer } from './pointer';
import { positionOf } from './parse';
import { printedRanges } from './printed-ranges';
import { strictRanges, type Hit } from './strict-ranges';

export type TextPosition = { readonly line: number; readonly column: number };

export type TextRange = {
  /** 0-based offset and length of the value. */
  readonly offset: number;
  readonly length: number;
  /** 1-based, end exclusive. */
  readonly start: TextPosition;
  readonly end: TextPosition;
  /** For object members: offset of the property name, so a decoration can cover `"key": value`. */
  readonly keyOffset?: number;
  /** True when the pointer went on inside a string holding JSON; the range is that string. */
  readonly insideString?: boolean;
};

function toRange(text: string, node: Node, insideString: boolean): TextRange {
  const range: { -readonly [K in keyof TextRange]: TextRange[K] } = {
    offset: node.offset,
    length: node.length,
    start: positionOf(text, node.offset),
    end: positionOf(text, node.offset + node.length),
  };
  if (node.parent?.type === 'property' && node.parent.children?.[1] === node)
    range.keyOffset = node.parent.offset;
  if (insideString) range.insideString = true;
  return range;
}

/** The text range of the value at `pointer`, or undefined when the text has nothing there. */
export function rangeOfPointer(text: string, pointer: string): TextRange | undefined {
  const root = parseTree(text);
  return root ? rangeInTree(text, root, pointer) : undefined;
}

/**
 * The ranges of several pointers in one pass over the text, without building a syntax tree:
 * subtrees off every pointer's path are skipped, which is what makes decorating megabyte
 * documents cheap. Answers exactly as `rangeOfPointer` would for each pointer.
 */
export function rangesOfPointers(
  text: string,
  pointers: readonly string[],
): Array<TextRange | undefined> {
  const spans = spansOfPointers(text, pointers);
  if (spans.every((span) => span === undefined)) return spans as undefined[];
  // One table of line starts for every hit: positionOf scans from the start of the text each
  // time, which made a thousand changes in a megabyte document cost seconds.
  const lines = lineStarts(text);
  const ranges = new Map<TextSpan, TextRange>();
  return spans.map((span) => {
    if (span === undefined) return undefined;
    let range = ranges.get(span);
    if (range === undefined) {
      range = {
        ...span,
        start: positionIn(lines, span.offset),
        end: positionIn(lines, span.offset + span.length),
      };
      ranges.set(span, range);
    }
    return range;
  });
}

/** Where a value lies in a text, as offsets (what an editor that knows its own lines needs). */
export type TextSpan = Omit<TextRange, 'start' | 'end'>;

/**
 * rangesOfPointers without line and column: the offsets of each pointer's value, in one pass over
 * the text. Building the line table costs a pass of its own (20 ms at 5 MB), which an editor
 * model, having its own, does not need.
 */
export function spansOfPointers(
  text: string,
  pointers: readonly string[],
  /**
   * The indent `text` was printed with by JSON.stringify or stringifyJson, when the caller printed
   * it so itself: its lines are then stepped over by layout (printed-ranges), not read one by one.
   */
  printedWith?: string,
): Array<TextSpan | undefined> {
  const wanted = new Map<string, number[]>();
  const onPath = new Set<string>();
  pointers.forEach((pointer, i) => {
    const tokens = decodePointer(pointer);
    if (!tokens.ok) return;
    const key = encodePointer(tokens.value);
    wanted.set(key, [...(wanted.get(key) ?? []), i]);
    for (let n = 0; n < tokens.value.length; n++)
      onPath.add(encodePointer(tokens.value.slice(0, n)));
  });
  const found = printedWith
    ? printedRanges(text, printedWith, wanted, onPath)
    : (strictRanges(text, wanted, onPath) ?? visitedRanges(text, wanted, onPath));
  const answers: Array<TextSpan | undefined> = pointers.map(() => undefined);
  for (const [key, indices] of wanted) {
    const hit = found.get(key);
    if (!hit) continue;
    const span: { -readonly [K in keyof TextSpan]: TextSpan[K] } = {
      offset: hit.offset,
      length: hit.length,
    };
    if (hit.keyOffset !== undefined) span.keyOffset = hit.keyOffset;
    if (hit.insideString) span.insideString = true;
    for (const i of indices) answers[i] = span;
  }
  return answers;
}

/** The slow road for any text jsonc-parser reads (comments, errors): its visitor, skipping subtrees off every path. */
function visitedRanges(
  text: string,
  wanted: ReadonlyMap<string, unknown>,
  onPath: ReadonlySet<string>,
): Map<string, Hit> {
  const found = new Map<string, Hit>();
  const keyOffsets = new Map<string, number>();
  const open: Array<{ key: string; offset: number }> = [];
  const keyOf = (path: readonly (string | number)[]) => encodePointer(path.map(String));
  const record = (key: string, offset: number, length: number) => {
    const keyOffset = keyOffsets.get(key);
    found.set(key, keyOffset === undefined ? { offset, length } : { offset, length, keyOffset });
  };
  const begin = (offset: number, pathSupplier: () => (string | number)[]) => {
    const key = keyOf(pathSupplier());
    open.push({ key, offset });
    return wanted.has(key) || onPath.has(key);
  };
  const end = (offset: number, length: number) => {
    const container = open.pop()!;
    if (wanted.has(container.key))
      record(container.key, container.offset, offset + length - container.offset);
  };
  visit(text, {
    onObjectBegin: (offset, _l, _sl, _sc, pathSupplier) => begin(offset, pathSupplier),
    onArrayBegin: (offset, _l, _sl, _sc, pathSupplier) => begin(offset, pathSupplier),
    onObjectEnd: end,
    onArrayEnd: end,
    onObjectProperty: (property, offset, _l, _sl, _sc, pathSupplier) => {
      const key = keyOf([...pathSupplier(), property]);
      if (!wanted.has(key) && !onPath.has(key)) return;
      keyOffsets.set(key, offset);
      // A repeated member replaces the earlier one (as JSON.parse keeps the last): forget what
      // was found inside the first, and where its members' names were.
      for (const target of found.keys())
        if (target === key || target.startsWith(`${key}/`)) found.delete(target);
      for (const target of keyOffsets.keys())
        if (target.startsWith(`${key}/`)) keyOffsets.delete(target);
    },
    onLiteralValue: (value, offset, length, _sl, _sc, pathSupplier) => {
      const key = keyOf(pathSupplier());
      if (wanted.has(key)) record(key, offset, length);
      // A pointer that continues into a JSON-holding string resolves to that string.
      if (typeof value === 'string' && onPath.has(key)) {
        for (const target of wanted.keys()) {
          if (target.startsWith(`${key}/`))
            found.set(target, {
              ...(keyOffsets.has(key) ? { keyOffset: keyOffsets.get(key)! } : {}),
              offset,
              length,
              insideString: true,
            });
        }
      }
    },
  });
  return found;
}

/** Offsets where each line begins (0, then one past every line feed). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** What `positionOf(text, offset)` answers, by binary search over the text's line starts. */
function positionIn(starts: readonly number[], offset: number): TextPosition {
  // The last line that starts at or before `offset` (a line feed at `offset` itself is not before it).
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

function rangeInTree(text: string, root: Node, pointer: string): TextRange | undefined {
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return undefined;
  let node: Node = root;
  for (const token of tokens.value) {
    if (node.type === 'string') return toRange(text, node, true);
    let next: Node | undefined;
    if (node.type === 'object') {
      // The last member with that name, as JSON.parse would keep it.
      next = node.children?.findLast((property) => property.children?.[0]?.value === token)
        ?.children?.[1];
    } else if (node.type === 'array' && /^(0|[1-9][0-9]*)$/.test(token)) {
      next = node.children?.[Number(token)];
    }
    if (!next) return undefined;
    node = next;
  }
  return toRange(text, node, false);
}

/** The pointer of the innermost value at `offset` (a property name counts as its value). */
export function pointerAtOffset(text: string, offset: number): string | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  return encodePointer(getNodePath(node).map(String));
}
