// jsonc-parser's syntax tree, built only along some paths. A whole-document tree of a megabyte
// text is millions of nodes; a lossless write needs the nodes on the paths of its changes and the
// members of the containers there. Off those paths a container is one node (type, offset, length,
// no members): a character loop steps over it, checking its syntax, and allocates nothing.
import { parseTree, type Node, type NodeType } from 'jsonc-parser';
import { encodePointer } from './pointer';
import { childInSet, tokenTree, type TokenTree } from './token-tree';
import { StrictScanner, strictly } from './strict-scan';

type Building = { -readonly [K in keyof Node]: Node[K] } & {
  children?: Building[];
  parent?: Building;
};

/**
 * The tree `parseTree(text)` builds, except that a container whose path is not in `expand` keeps
 * no children (text that is not strict JSON gets the whole tree). `expand` holds encoded pointers;
 * the root is always expanded. Every node on an expanded path, and every member of an expanded
 * container, is as parseTree makes it.
 */
export function treeAlong(text: string, expand: ReadonlySet<string>): Node | undefined {
  // Text that is not strict JSON gets jsonc-parser's whole tree: its error recovery is its own.
  return strictTreeAlong(text, expand) ?? parseTree(text);
}

/**
 * The fast road for strict JSON: a character loop that builds the nodes of expanded containers
 * and steps over everything else (jsonc-parser's scanner tokenises every value of the text).
 */
function strictTreeAlong(text: string, expand: ReadonlySet<string>): Node | undefined {
  const s = new StrictScanner(text);
  const value = (key: TokenTree | null, parent: Building | undefined): Building => {
    const offset = s.i;
    const c = s.code();
    if (c === 123 || c === 91) {
      const node: Building = {
        type: c === 123 ? 'object' : 'array',
        offset,
        length: -1,
        parent,
        children: [],
      };
      if (key === null) {
        s.skipValue();
      } else {
        s.i++;
        if (c === 123) members(node, key);
        else elements(node, key);
      }
      node.length = s.i - offset;
      return node;
    }
    if (c === 34) {
      const string = s.readString();
      return { type: 'string', offset, length: s.i - offset, parent, value: string };
    }
    s.skipValue();
    const lexeme = text.slice(offset, s.i);
    const literal =
      lexeme === 'true'
        ? true
        : lexeme === 'false'
          ? false
          : lexeme === 'null'
            ? null
            : Number(lexeme);
    return { type: literalType(literal), offset, length: s.i - offset, parent, value: literal };
  };
  const members = (node: Building, key: TokenTree) =>
    s.eachMember((name, at) => {
      const property: Building = {
        type: 'property',
        offset: at.name,
        length: -1,
        parent: node,
        children: [],
        colonOffset: at.colon,
      };
      property.children!.push({
        type: 'string',
        value: name,
        offset: at.name,
        length: at.nameEnd - at.name,
        parent: property,
      });
      // A member container is built when its path is expanded, else kept as one node.
      const member = value(childInSet(key, name), property);
      property.children!.push(member);
      property.length = member.offset + member.length - at.name;
      node.children!.push(property);
    });
  const elements = (node: Building, key: TokenTree) =>
    s.eachElement((index) => {
      node.children!.push(value(childInSet(key, index), node));
    });
  // The root is always expanded.
  const tree = tokenTree(expand);
  return strictly(() => {
    s.space();
    const root = value(tree, undefined);
    s.end();
    delete root.parent;
    return root;
  });
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
      const forms =
        /^\d+$/.test(token) && String(Number(token)) !== token
          ? [token, String(Number(token))]
          : [token];
      spellings = spellings.flatMap((prefix) => forms.map((form) => [...prefix, form]));
      for (const prefix of spellings) out.add(encodePointer(prefix));
    }
  }
  return out;
}
