// Writing back exactly what the server sent. Values the operator did not touch keep their text:
// number lexemes (3.141592653589793238462643383279, 1e-400, -0, 1E+2), string escapes and key
// order. A write is the server's own text with only the changed paths replaced by the operator's
// text for them, never a re-serialisation of a parsed value (which would round numbers and
// reorder integer-like keys).
import { applyEdits, findNodeAtLocation, format, parseTree, type Node } from 'jsonc-parser';
import { decodePointer } from './pointer';
import type { PathChange } from './diff-paths';

/** The text of the value at `pointer` in `text` (lexemes as written), or undefined when absent. */
export function rawAt(text: string, pointer: string): string | undefined {
  const node = nodeAt(text, pointer);
  return node ? text.slice(node.offset, node.offset + node.length) : undefined;
}

function nodeAt(text: string, pointer: string): Node | undefined {
  const root = parseTree(text);
  const tokens = decodePointer(pointer);
  if (!root || !tokens.ok) return undefined;
  return findNodeAtLocation(root, segments(root, tokens.value));
}

/** jsonc-parser's path for pointer tokens: numbers where the token indexes an array. */
function segments(root: Node, tokens: readonly string[]): Array<string | number> {
  const out: Array<string | number> = [];
  let node: Node | undefined = root;
  for (const token of tokens) {
    if (node?.type === 'array') {
      out.push(Number(token));
      node = node.children?.[Number(token)];
    } else {
      out.push(token);
      node = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === token)?.children?.[1] : undefined;
    }
  }
  return out;
}

/** Removes whitespace outside strings, keeping every token's text. */
export function compactText(text: string): string {
  let out = '';
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string, honouring escapes.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === 34) break;
        else i++;
      }
      i++;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += text.slice(start, i);
      while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 9)) i++;
      start = i;
    } else {
      i++;
    }
  }
  return out + text.slice(start);
}

/** Pretty-prints JSON text (two spaces) without touching any token. */
export function prettyText(text: string): string {
  const out = applyEdits(text, format(text, undefined, { tabSize: 2, insertSpaces: true, eol: '\n' }));
  return out.endsWith('\n') ? out : out + '\n';
}

/**
 * `base` with each change applied: a replaced or added path takes `mineText`'s text for that path
 * (compacted), a removed path is deleted with its comma. Everything else stays byte for byte.
 */
export function patchText(base: string, mineText: string, changes: readonly PathChange[]): { ok: true; value: string } | { ok: false; error: string } {
  let text = base;
  const mineRoot = parseTree(mineText);
  for (const change of changes) {
    const tokens = decodePointer(change.path);
    if (!tokens.ok) return { ok: false, error: tokens.error };
    const root = parseTree(text);
    if (!root) return { ok: false, error: 'the text it is based on does not parse' };
    const existing = findNodeAtLocation(root, segments(root, tokens.value));
    if (change.op === 'remove') {
      if (!existing) continue;
      if (change.path === '') return { ok: false, error: 'the whole document cannot be removed' };
      text = removeNode(text, existing);
      continue;
    }
    const wantedNode = mineRoot ? findNodeAtLocation(mineRoot, segments(mineRoot, tokens.value)) : undefined;
    if (!wantedNode) return { ok: false, error: `your edit has nothing at ${change.path || 'the root'}` };
    const wanted = compactText(mineText.slice(wantedNode.offset, wantedNode.offset + wantedNode.length));
    if (existing?.type === 'array' && wantedNode.type === 'array') {
      text = text.slice(0, existing.offset) + mergeArrayText(text, existing, mineText, wantedNode) + text.slice(existing.offset + existing.length);
      continue;
    }
    if (existing) {
      text = text.slice(0, existing.offset) + wanted + text.slice(existing.offset + existing.length);
      continue;
    }
    // An added member: its parent must exist (diffPaths names the highest added path).
    const parentNode = findNodeAtLocation(root, segments(root, tokens.value.slice(0, -1)));
    const key = tokens.value[tokens.value.length - 1]!;
    if (!parentNode || (parentNode.type !== 'object' && parentNode.type !== 'array')) return { ok: false, error: `nothing to add ${change.path} to` };
    const member = parentNode.type === 'object' ? `${JSON.stringify(key)}:${wanted}` : wanted;
    const last = parentNode.children?.[parentNode.children.length - 1];
    const at = last ? last.offset + last.length : parentNode.offset + 1;
    text = text.slice(0, at) + (last ? ',' : '') + member + text.slice(at);
  }
  return { ok: true, value: text };
}

/**
 * An array whose length changed: the elements both sides share at the start and at the end keep
 * the server's text; only the middle is the operator's (an element added or removed moves no other).
 */
function mergeArrayText(baseText: string, base: Node, mineText: string, mine: Node): string {
  const slice = (text: string, n: Node) => text.slice(n.offset, n.offset + n.length);
  const baseItems = (base.children ?? []).map((n) => slice(baseText, n));
  const mineItems = (mine.children ?? []).map((n) => compactText(slice(mineText, n)));
  const same = (b: string, m: string) => compactText(b) === m;
  let head = 0;
  while (head < baseItems.length && head < mineItems.length && same(baseItems[head]!, mineItems[head]!)) head++;
  let tail = 0;
  while (tail < baseItems.length - head && tail < mineItems.length - head && same(baseItems[baseItems.length - 1 - tail]!, mineItems[mineItems.length - 1 - tail]!)) tail++;
  const items = [...baseItems.slice(0, head), ...mineItems.slice(head, mineItems.length - tail), ...baseItems.slice(baseItems.length - tail)];
  const children = base.children ?? [];
  // Keep the server's separator (", " or ",\n    ") and the text inside the brackets around the items.
  const separator = children.length > 1 ? baseText.slice(children[0]!.offset + children[0]!.length, children[1]!.offset) : ',';
  const open = children.length > 0 ? baseText.slice(base.offset, children[0]!.offset) : '[';
  const close = children.length > 0 ? baseText.slice(children[children.length - 1]!.offset + children[children.length - 1]!.length, base.offset + base.length) : ']';
  return items.length === 0 ? '[]' : open + items.join(separator) + close;
}

/** Deletes a member or element and the comma that joins it to its neighbours. */
function removeNode(text: string, node: Node): string {
  const item = node.parent?.type === 'property' ? node.parent : node;
  const siblings = item.parent?.children ?? [item];
  const index = siblings.indexOf(item);
  const next = siblings[index + 1];
  const previous = siblings[index - 1];
  if (next) return text.slice(0, item.offset) + text.slice(next.offset);
  if (previous) return text.slice(0, previous.offset + previous.length) + text.slice(item.offset + item.length);
  return text.slice(0, item.offset) + text.slice(item.offset + item.length);
}
