// Writing back exactly what the server sent. Values the operator did not touch keep their text:
// number lexemes (3.141592653589793238462643383279, 1e-400, -0, 1E+2), string escapes and key
// order. A write is the server's own text with only the changed paths replaced by the operator's
// text for them, never a re-serialisation of a parsed value (which would round numbers and
// reorder integer-like keys).
import { applyEdits, format, type Edit, type Node } from 'jsonc-parser';
import { MAX_JSON_DEPTH } from './parse';
import { decodePointer } from './pointer';
import { stringifyJson } from './serialize';
import { pathsToExpand, treeAlong } from './tree-along';
import type { PathChange } from './diff-paths';
import { isJsonObject, type JsonValue } from './types';

/** The text of the value at `pointer` in `text` (lexemes as written), or undefined when absent. */
export function rawAt(text: string, pointer: string): string | undefined {
  const node = nodeAtPointer(text, pointer);
  return node ? text.slice(node.offset, node.offset + node.length) : undefined;
}

/**
 * `rawAt` for many pointers from one scan of `text` (a write reading the operator's text at each
 * changed path would otherwise scan the whole text once per change).
 */
export function rawsAt(text: string, pointers: readonly string[]): Map<string, string | undefined> {
  const decoded = new Map<string, string[] | undefined>();
  for (const pointer of pointers) {
    const tokens = decodePointer(pointer);
    decoded.set(pointer, tokens.ok ? tokens.value : undefined);
  }
  const wanted = [...decoded.values()].filter((t): t is string[] => t !== undefined);
  const root = wanted.length > 0 ? treeAlong(text, pathsToExpand(wanted)) : undefined;
  const out = new Map<string, string | undefined>();
  for (const [pointer, tokens] of decoded) {
    const node = root && tokens ? nodeAt(root, segments(root, tokens)) : undefined;
    out.set(pointer, node ? text.slice(node.offset, node.offset + node.length) : undefined);
  }
  return out;
}

function nodeAtPointer(text: string, pointer: string): Node | undefined {
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return undefined;
  const root = treeAlong(text, pathsToExpand([tokens.value]));
  return root ? nodeAt(root, segments(root, tokens.value)) : undefined;
}

/**
 * jsonc-parser's path for pointer tokens: numbers where the token indexes an array. A token that
 * is no array index ("x", "", "01", "-") names nothing there, as getAt says (Number() made them
 * NaN or 0: findNodeAtLocation threw on NaN, and "" or "01" found an element getAt does not).
 */
function segments(root: Node, tokens: readonly string[]): Array<string | number> {
  const out: Array<string | number> = [];
  let node: Node | undefined = root;
  for (const token of tokens) {
    if (node?.type === 'array') {
      if (!INDEX.test(token)) return [...out, -1];
      out.push(Number(token));
      node = node.children?.[Number(token)];
    } else {
      out.push(token);
      node = node?.type === 'object' ? propertyOf(node, token, false)?.children?.[1] : undefined;
    }
  }
  return out;
}

/**
 * jsonc-parser's findNodeAtLocation, with object members found through propertyOf: its loop over
 * every member per lookup made a write of many changes in one large object quadratic.
 */
function nodeAt(root: Node, path: ReadonlyArray<string | number>): Node | undefined {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'string') {
      if (node.type !== 'object' || !Array.isArray(node.children)) return undefined;
      const property = propertyOf(node, segment, true);
      if (property === undefined) return undefined;
      node = property.children![1]!;
    } else {
      if (
        node.type !== 'array' ||
        segment < 0 ||
        !Array.isArray(node.children) ||
        segment >= node.children.length
      )
        return undefined;
      node = node.children[segment]!;
    }
  }
  return node;
}

/** Objects with more members than this are looked up through a map made on first use. */
const SCAN_MEMBERS_UP_TO = 16;

/** By object node: its first property of each key, and its first with a key and a value. */
const memberMaps = new WeakMap<Node, { any: Map<unknown, Node>; valued: Map<unknown, Node> }>();

/**
 * The object's first property named `key` (`valued`: the first that also has a value, as
 * findNodeAtLocation looks for). An object is scanned once for a map of its members, not once
 * per lookup: 20,000 changes in a 20,000-member object took 5 s, 50,000 half a minute.
 */
function propertyOf(object: Node, key: string, valued: boolean): Node | undefined {
  const children = object.children ?? [];
  const fits = (p: Node) =>
    Array.isArray(p.children) &&
    p.children[0]?.value === key &&
    (!valued || p.children.length === 2);
  if (children.length <= SCAN_MEMBERS_UP_TO) return children.find(fits);
  let maps = memberMaps.get(object);
  if (maps === undefined) {
    maps = { any: new Map(), valued: new Map() };
    for (const p of children) {
      if (!Array.isArray(p.children)) continue;
      const name: unknown = p.children[0]?.value;
      if (!maps.any.has(name)) maps.any.set(name, p);
      if (p.children.length === 2 && !maps.valued.has(name)) maps.valued.set(name, p);
    }
    memberMaps.set(object, maps);
  }
  return (valued ? maps.valued : maps.any).get(key);
}

/** Removes whitespace outside strings, keeping every token's text. */
/** Whether the character at `at` is escaped: an odd number of backslashes stands before it. */
function escapedAt(text: string, at: number): boolean {
  let slashes = 0;
  while (text.charCodeAt(at - 1 - slashes) === 92) slashes++;
  return slashes % 2 === 1;
}

export function compactText(text: string): string {
  let out = '';
  let start = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string natively: to the next quote not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1 && escapedAt(text, end)) end = text.indexOf('"', end + 1);
      i = end === -1 ? n : end + 1;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += text.slice(start, i);
      while (
        i < n &&
        (text.charCodeAt(i) === 32 ||
          text.charCodeAt(i) === 10 ||
          text.charCodeAt(i) === 13 ||
          text.charCodeAt(i) === 9)
      )
        i++;
      start = i;
    } else {
      i++;
    }
  }
  return out + text.slice(start);
}

/** Pretty-prints JSON text (two spaces) without touching any token. */
export function prettyText(text: string): string {
  const out = applyEdits(
    text,
    format(text, undefined, { tabSize: 2, insertSpaces: true, eol: '\n' }),
  );
  return out.endsWith('\n') ? out : out + '\n';
}

/**
 * `base` with each change applied: a replaced or added path takes `mineText`'s text for that path
 * (compacted), a removed path is deleted with its comma. Everything else stays byte for byte.
 * `mineValue`, when the caller parsed `mineText` already, spares most writes the scan of the
 * operator's text (see mineSpelling); the result is the same either way.
 * The edits are applied from the end of the text backwards.
 */
export function patchText(
  base: string,
  mineText: string,
  changes: readonly PathChange[],
  mineValue?: JsonValue,
): { ok: true; value: string } | { ok: false; error: string } {
  if (changes.length === 0) return { ok: true, value: base };
  const pointers: string[][] = [];
  for (const change of changes) {
    const tokens = decodePointer(change.path);
    if (!tokens.ok) return { ok: false, error: tokens.error };
    pointers.push(tokens.value);
  }
  // Only the nodes on the changes' paths are built: the rest of each text is scanned, not kept.
  const expand = pathsToExpand(pointers);
  const root = treeAlong(base, expand);
  if (!root) return { ok: false, error: 'the text it is based on does not parse' };
  const mine = mineReader(mineText, expand, mineValue);
  const edits: Edit[] = [];
  const removed = new Map<Node, Set<Node>>();
  const added = new Map<Node, string[]>();
  for (const [index, change] of changes.entries()) {
    const tokens = pointers[index]!;
    const existing = nodeAt(root, segments(root, tokens));
    if (change.op === 'remove') {
      if (!existing) continue;
      if (change.path === '') return { ok: false, error: 'the whole document cannot be removed' };
      const item = existing.parent?.type === 'property' ? existing.parent : existing;
      const container = item.parent!;
      removed.set(container, (removed.get(container) ?? new Set()).add(item));
      continue;
    }
    const wanted = mine.at(tokens);
    if (!wanted)
      return { ok: false, error: `your edit has nothing at ${change.path || 'the root'}` };
    if (existing) {
      const text =
        existing.type === 'array' && wanted.items
          ? mergeArrayText(base, existing, wanted.items())
          : wanted.text();
      edits.push({ offset: existing.offset, length: existing.length, content: text });
      continue;
    }
    // An added member: its parent exists in the base (diffPaths names the highest added path).
    const parentNode = nodeAt(root, segments(root, tokens.slice(0, -1)));
    if (!parentNode || (parentNode.type !== 'object' && parentNode.type !== 'array'))
      return { ok: false, error: `nothing to add ${change.path} to` };
    const text = wanted.text();
    const key = tokens[tokens.length - 1]!;
    const additions = added.get(parentNode) ?? [];
    if (additions.length === 0) added.set(parentNode, additions);
    additions.push(parentNode.type === 'object' ? `${JSON.stringify(key)}:${text}` : text);
  }
  for (const container of new Set([...removed.keys(), ...added.keys()]))
    edits.push(
      ...membershipEdits(
        container,
        removed.get(container) ?? new Set(),
        added.get(container) ?? [],
      ),
    );
  // Edits never overlap (diffPaths reports no path inside another); checked so a bad caller fails loudly.
  edits.sort((x, y) => y.offset - x.offset || y.length - x.length);
  let limit = Infinity;
  for (const edit of edits) {
    if (edit.offset + edit.length > limit)
      return { ok: false, error: 'two changes touch the same part of the document' };
    limit = edit.offset;
  }
  // Joined once from the start (splicing the whole text per edit copied it once per change).
  const parts: string[] = [];
  let from = 0;
  for (let i = edits.length - 1; i >= 0; i--) {
    const edit = edits[i]!;
    parts.push(base.slice(from, edit.offset), edit.content);
    from = edit.offset + edit.length;
  }
  parts.push(base.slice(from));
  return { ok: true, value: parts.join('') };
}

/** The operator's value at a path, as compact text; `items` is there when the value is an array. */
type MineAt = { text: () => string; items: (() => string[]) | undefined };

/**
 * Reads the operator's values at the changed paths: from the parsed value where it spells them as
 * the text does, else from one scan of the text, made when first needed.
 */
function mineReader(
  mineText: string,
  expand: ReadonlySet<string>,
  mineValue: JsonValue | undefined,
): { at: (tokens: readonly string[]) => MineAt | undefined } {
  let tree: Node | undefined | null = null;
  const fromText = (tokens: readonly string[]): MineAt | undefined => {
    tree ??= treeAlong(mineText, expand);
    const node = tree ? nodeAt(tree, segments(tree, tokens)) : undefined;
    if (!node) return undefined;
    const slice = (n: Node) => compactText(mineText.slice(n.offset, n.offset + n.length));
    return {
      text: () => slice(node),
      items: node.type === 'array' ? () => (node.children ?? []).map(slice) : undefined,
    };
  };
  const spelling = mineValue === undefined ? undefined : mineSpelling(mineText);
  return {
    at(tokens) {
      if (spelling === undefined) return fromText(tokens);
      const value = valueAt(mineValue!, tokens);
      if (value === undefined || !spelling.spellsAsText(value)) return fromText(tokens);
      return {
        text: () => spelling.compact(value),
        items: Array.isArray(value) ? () => value.map(spelling.compact) : undefined,
      };
    },
  };
}

/** The value at pointer tokens as the text's tree finds it (getAt also looks inside JSON strings). */
function valueAt(root: JsonValue, tokens: readonly string[]): JsonValue | undefined {
  let value: JsonValue | undefined = root;
  for (const token of tokens) {
    if (Array.isArray(value)) {
      if (!INDEX.test(token)) return undefined;
      value = value[Number(token)];
    } else if (isJsonObject(value)) {
      value = Object.hasOwn(value, token) ? value[token] : undefined;
    } else {
      return undefined;
    }
    if (value === undefined) return undefined;
  }
  return value;
}

const INDEX = /^(0|[1-9][0-9]*)$/;
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * When JSON.stringify of a parsed value writes exactly the compact text it was parsed from. Never
 * when the text holds a backslash (an escape may spell a character another way: \u00e9, \/), for a
 * number when the text may hold a fraction, an exponent or -0 (1.0, 1E+2), nor for an object with
 * an integer-like key (a parsed object lists those first, in numeric order), nor for a string with
 * a UTF-16 surrogate (JSON.stringify escapes a lone one the text may hold raw). Every other token is
 * spelled one way only: integers without leading zeros (bigint beyond 2^53), literals, strings
 * without escapes.
 */
function mineSpelling(mineText: string): {
  spellsAsText: (value: JsonValue) => boolean;
  compact: (value: JsonValue) => string;
} {
  const escapes = mineText.indexOf('\\') !== -1;
  // A number starts a value: at the text's start, or after ":", "[" or ",". Looking for each of
  // those followed by a fraction, an exponent or -0 finds every such number (and some strings
  // that merely look alike, which only sends those writes to the scan).
  let oddNumbers: boolean | undefined;
  const numbersPlain = () =>
    !(oddNumbers ??= /^\s*-?[0-9]|[:[,]\s*-?[0-9]+[.eE]|[:[,]\s*-0(?![.0-9eE])/.test(mineText));
  const plain = (value: JsonValue, depth: number): boolean => {
    if (typeof value === 'string') return !SURROGATE.test(value);
    if (typeof value === 'number' || typeof value === 'bigint') return numbersPlain();
    if (typeof value !== 'object' || value === null) return true;
    if (depth > MAX_JSON_DEPTH) return false;
    if (Array.isArray(value)) {
      for (const item of value) if (!plain(item, depth + 1)) return false;
      return true;
    }
    for (const key in value)
      if (INDEX.test(key) || SURROGATE.test(key) || !plain(value[key]!, depth + 1)) return false;
    return true;
  };
  return {
    spellsAsText: (value) => !escapes && plain(value, 0),
    // Compact, bigint written as its digits (JSON.stringify throws on one).
    compact: (value) => stringifyJson(value),
  };
}

/**
 * Removing members (with the commas that join them) and appending new ones, in one container.
 * A removed member takes the text up to the next member; a removed run at the end takes the text
 * from the last kept member's end; additions go after the last member that stays.
 */
function membershipEdits(container: Node, gone: Set<Node>, additions: string[]): Edit[] {
  const children = container.children ?? [];
  let lastKeptAt = children.length - 1;
  while (lastKeptAt >= 0 && gone.has(children[lastKeptAt]!)) lastKeptAt--;
  const lastKept = lastKeptAt >= 0 ? children[lastKeptAt] : undefined;
  const edits: Edit[] = [];
  let trailingFrom = -1;
  children.forEach((child, i) => {
    if (!gone.has(child)) return;
    // A member is kept after this one (found once, not by copying the rest per removed member).
    if (i < lastKeptAt)
      edits.push({
        offset: child.offset,
        length: children[i + 1]!.offset - child.offset,
        content: '',
      });
    else if (trailingFrom === -1) trailingFrom = i;
  });
  const end = (n: Node) => n.offset + n.length;
  const appended = additions.length === 0 ? '' : (lastKept ? ',' : '') + additions.join(',');
  if (trailingFrom !== -1) {
    const from = lastKept ? end(lastKept) : children[trailingFrom]!.offset;
    edits.push({
      offset: from,
      length: end(children[children.length - 1]!) - from,
      content: appended,
    });
  } else if (appended) {
    edits.push({
      offset: lastKept ? end(lastKept) : container.offset + 1,
      length: 0,
      content: appended,
    });
  }
  return edits;
}

/**
 * An array whose length changed: the elements both sides share at the start and at the end keep
 * the server's text; only the middle is the operator's (an element added or removed moves no other).
 */
function mergeArrayText(baseText: string, base: Node, mineItems: readonly string[]): string {
  const slice = (text: string, n: Node) => text.slice(n.offset, n.offset + n.length);
  const baseItems = (base.children ?? []).map((n) => slice(baseText, n));
  const same = (b: string, m: string) => compactText(b) === m;
  let head = 0;
  while (
    head < baseItems.length &&
    head < mineItems.length &&
    same(baseItems[head]!, mineItems[head]!)
  )
    head++;
  let tail = 0;
  while (
    tail < baseItems.length - head &&
    tail < mineItems.length - head &&
    same(baseItems[baseItems.length - 1 - tail]!, mineItems[mineItems.length - 1 - tail]!)
  )
    tail++;
  const items = [
    ...baseItems.slice(0, head),
    ...mineItems.slice(head, mineItems.length - tail),
    ...baseItems.slice(baseItems.length - tail),
  ];
  const children = base.children ?? [];
  // Keep the server's separator (", " or ",\n    ") and the text inside the brackets around the items.
  const separator =
    children.length > 1
      ? baseText.slice(children[0]!.offset + children[0]!.length, children[1]!.offset)
      : ',';
  const open = children.length > 0 ? baseText.slice(base.offset, children[0]!.offset) : '[';
  const close =
    children.length > 0
      ? baseText.slice(
          children[children.length - 1]!.offset + children[children.length - 1]!.length,
          base.offset + base.length,
        )
      : ']';
  return items.length === 0 ? '[]' : open + items.join(separator) + close;
}
