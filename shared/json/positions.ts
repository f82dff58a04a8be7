// JSON Pointer ↔ text range in a document's text (for editor decorations), via jsonc-parser's
// syntax tree. Pointers that continue into a JSON-holding string resolve to that string.
import type { Node } from 'jsonc-parser';
import { findNodeAtOffset, getNodePath, parseTree } from 'jsonc-parser';
import { decodePointer, encodePointer } from './pointer';
import { positionOf } from './parse';

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
  if (node.parent?.type === 'property' && node.parent.children?.[1] === node) range.keyOffset = node.parent.offset;
  if (insideString) range.insideString = true;
  return range;
}

/** The text range of the value at `pointer`, or undefined when the text has nothing there. */
export function rangeOfPointer(text: string, pointer: string): TextRange | undefined {
  return rangesOfPointers(text, [pointer])[0];
}

/** The ranges of several pointers from one parse of the text (editors decorate many at once). */
export function rangesOfPointers(text: string, pointers: readonly string[]): Array<TextRange | undefined> {
  const root = parseTree(text);
  return pointers.map((pointer) => (root ? rangeInTree(text, root, pointer) : undefined));
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
      next = node.children?.findLast((property) => property.children?.[0]?.value === token)?.children?.[1];
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
