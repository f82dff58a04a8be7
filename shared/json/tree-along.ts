// jsonc-parser's syntax tree, built only along some paths. A whole-document tree of a megabyte
// text is millions of nodes; a lossless write needs the nodes on the paths of its changes and the
// members of the containers there. Off those paths a container is one node (type, offset, length,
// no members), so the scan still reads the whole text but allocates almost nothing.
import { visit, type Node, type NodeType } from 'jsonc-parser';
import { encodePointer } from './pointer';

type Building = { -readonly [K in keyof Node]: Node[K] } & { children?: Building[]; parent?: Building };

/**
 * The tree `parseTree(text)` builds, except that a container whose path is not in `expand` keeps
 * no children. `expand` holds encoded pointers; the root is always expanded. Every node on an
 * expanded path, and every member of an expanded container, is as parseTree makes it.
 */
export function treeAlong(text: string, expand: ReadonlySet<string>): Node | undefined {
  let current: Building = { type: 'array', offset: -1, length: -1, children: [], parent: undefined };
  const completeProperty = (end: number) => {
    if (current.type === 'property') {
      current.length = end - current.offset;
      current = current.parent!;
    }
  };
  const add = (node: Building) => {
    current.children!.push(node);
    return node;
  };
  // Returning false skips the container's members (jsonc-parser still calls its end).
  const begin = (type: NodeType, offset: number, path: () => Array<string | number>) => {
    current = add({ type, offset, length: -1, parent: current, children: [] });
    return current.parent!.parent === undefined || expand.has(encodePointer(path().map(String)));
  };
  const end = (offset: number, length: number) => {
    completeProperty(offset + length);
    current.length = offset + length - current.offset;
    current = current.parent!;
    completeProperty(offset + length);
  };
  visit(text, {
    onObjectBegin: (offset, _length, _line, _column, path) => begin('object', offset, path),
    onArrayBegin: (offset, _length, _line, _column, path) => begin('array', offset, path),
    onObjectEnd: end,
    onArrayEnd: (offset, length) => {
      current.length = offset + length - current.offset;
      current = current.parent!;
      completeProperty(offset + length);
    },
    onObjectProperty: (name, offset, length) => {
      current = add({ type: 'property', offset, length: -1, parent: current, children: [] });
      current.children!.push({ type: 'string', value: name, offset, length, parent: current });
    },
    onLiteralValue: (value: unknown, offset, length) => {
      add({ type: literalType(value), offset, length, parent: current, value });
      completeProperty(offset + length);
    },
    onSeparator: (separator, offset) => {
      if (current.type !== 'property') return;
      if (separator === ':') current.colonOffset = offset;
      else if (separator === ',') completeProperty(offset);
    },
  });
  const root = current.children![0];
  if (root) delete root.parent;
  return root;
}

function literalType(value: unknown): NodeType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'null';
  }
}

/**
 * The containers to expand so that every pointer in `pointers` can be followed, and the members
 * of the value each one names are there. An index token is added in its numeric spelling too
 * ("01" finds element 1, as the lookups do).
 */
export function pathsToExpand(pointers: ReadonlyArray<readonly string[]>): Set<string> {
  const out = new Set<string>(['']);
  for (const tokens of pointers) {
    let spellings: string[][] = [[]];
    for (const token of tokens) {
      const forms = /^\d+$/.test(token) && String(Number(token)) !== token ? [token, String(Number(token))] : [token];
      spellings = spellings.flatMap((prefix) => forms.map((form) => [...prefix, form]));
      for (const prefix of spellings) out.add(encodePointer(prefix));
    }
  }
  return out;
}
