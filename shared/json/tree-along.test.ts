import fc from 'fast-check';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { decodePointer, escapeToken } from './pointer';
import { handText, spoiled } from './texts.fixture';
import { pathsToExpand, treeAlong } from './tree-along';
import { isJsonObject, type JsonValue } from './types';

/** What a lookup sees of a node: its own place and kind, and its members' (one level down). */
function shape(node: Node | undefined) {
  if (!node) return undefined;
  const own = (n: Node) => ({
    type: n.type,
    offset: n.offset,
    length: n.length,
    value: n.value as unknown,
    colonOffset: n.colonOffset,
  });
  // A property's key and value are always there; a member container's own members only when expanded.
  const member = (c: Node) => ({
    ...own(c),
    ...(c.type === 'property' ? { children: c.children?.map(own) } : {}),
  });
  return {
    ...own(node),
    parent: node.parent ? own(node.parent) : undefined,
    children: node.children?.map(member),
  };
}

/** jsonc-parser's path for pointer tokens, read off a tree (numbers where an array is indexed). */
function segments(root: Node, tokens: readonly string[]): Array<string | number> {
  let node: Node | undefined = root;
  return tokens.map((token) => {
    const segment = node?.type === 'array' ? Number(token) : token;
    node = node ? findNodeAtLocation(node, [segment]) : undefined;
    return segment;
  });
}

/** What a lookup finds (jsonc-parser's own lookup throws on some trees of broken text: so be it, on both). */
function lookup(root: Node, tokens: readonly string[]) {
  try {
    return shape(findNodeAtLocation(root, segments(root, tokens)));
  } catch (error) {
    return `lookup threw ${(error as Error).name}`;
  }
}

/** Pointer tokens of every member and element in a tree, repeated names included. */
function tokensIn(node: Node | undefined, prefix: string[] = []): string[][] {
  if (!node) return [];
  const members =
    node.type === 'object'
      ? (node.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1]] as const)
      : node.type === 'array'
        ? (node.children ?? []).map((c, i) => [String(i), c] as const)
        : [];
  return members.flatMap(([token, child]) => [
    [...prefix, token],
    ...tokensIn(child, [...prefix, token]),
  ]);
}

function pointersOf(value: JsonValue, prefix = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => [`${prefix}/${i}`, ...pointersOf(v, `${prefix}/${i}`)]);
  if (isJsonObject(value))
    return Object.keys(value).flatMap((k) => [
      `${prefix}/${escapeToken(k)}`,
      ...pointersOf(value[k]!, `${prefix}/${escapeToken(k)}`),
    ]);
  return [];
}

describe('treeAlong (a syntax tree built only along some paths)', () => {
  it('holds, on every expanded path, exactly the nodes parseTree builds, members included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), fc.nat(), (value, pretty, seed) => {
        const text = JSON.stringify(value, null, pretty ? 2 : 0) ?? 'null';
        const all = ['', ...pointersOf(value as JsonValue)];
        const wanted = all.filter((_, i) => (i + seed) % 3 === 0);
        const tokens = wanted.map((p) => (decodePointer(p) as { ok: true; value: string[] }).value);
        const full = parseTree(text)!;
        const partial = treeAlong(text, pathsToExpand(tokens))!;
        for (const t of tokens) {
          expect(shape(findNodeAtLocation(partial, segments(partial, t)))).toEqual(
            shape(findNodeAtLocation(full, segments(full, t))),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with parseTree on texts as they come, strict or not (comments, stray commas, half typed)', () => {
    fc.assert(
      fc.property(fc.oneof(handText, spoiled), fc.nat(), (text, seed) => {
        const full = parseTree(text);
        const all = [[], ...tokensIn(full)];
        const wanted = all.filter((_, i) => (i + seed) % 3 === 0);
        const partial = treeAlong(text, pathsToExpand(wanted));
        expect(partial === undefined).toBe(full === undefined);
        if (full && partial)
          for (const t of wanted) expect(lookup(partial, t)).toEqual(lookup(full, t));
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a container off every path as one node, without its members', () => {
    const text = '{"a": {"deep": [1, 2, 3]}, "b": [{"x": 1}, {"y": 2}], "c": 3}';
    const root = treeAlong(text, pathsToExpand([['b', '1']]))!;
    const [a, b] = root.children!.map((p) => p.children![1]!);
    expect(a).toMatchObject({
      type: 'object',
      offset: 6,
      length: text.indexOf('}') + 1 - 6,
      children: [],
    });
    expect(b!.children!.map((n) => n.children?.length)).toEqual([0, 1]);
    expect(shape(findNodeAtLocation(root, ['b', 1, 'y']))).toEqual(
      shape(findNodeAtLocation(parseTree(text)!, ['b', 1, 'y'])),
    );
  });

  it('expands only the paths in the set: a deeper path does not open the container above it', () => {
    const text = '{"a": {"b": {"c": 1}}, "l": [[1], [2]], "s/~": {"t": 0}}';
    const root = treeAlong(text, new Set(['', '/a/b', '/l', '/l/01', '/s~1~0']))!;
    const [a, l, s] = root.children!.map((p) => p.children![1]!);
    // "/a" is not in the set, "/l/01" names no element (indexes are spelled "1"), "/s~1~0" is "s/~".
    expect(a!.children).toEqual([]);
    expect(l!.children!.map((n) => n.children?.length)).toEqual([0, 0]);
    expect(s!.children!.map((p) => p.children![0]!.value)).toEqual(['t']);
  });

  it('expands an index in its numeric spelling too, and keeps the first of repeated members as lookups do', () => {
    expect(pathsToExpand([['items', '01']])).toEqual(
      new Set(['', '/items', '/items/01', '/items/1']),
    );
    const text = '{"a": {"x": 1}, "a": {"y": 2}}';
    const partial = treeAlong(text, pathsToExpand([['a', 'y']]))!;
    expect(shape(findNodeAtLocation(partial, ['a', 'x']))).toEqual(
      shape(findNodeAtLocation(parseTree(text)!, ['a', 'x'])),
    );
  });
});
