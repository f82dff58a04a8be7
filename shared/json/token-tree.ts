// A set of JSON Pointers as a tree of tokens. A scan that descends only along some paths of a
// megabyte text looks each member up by its name and each element by its index, instead of
// spelling a pointer for every member it passes and hashing it (60,000 strings per 5 MB list).
import { decodePointer } from './pointer';

export type TokenTree = {
  /** Whether this very pointer is in the set (a pointer below it may be while it is not). */
  inSet: boolean;
  byName: Map<string, TokenTree>;
  /** The same children, for tokens spelled as array indexes ("1", never "01" or "-"). */
  byIndex: Map<number, TokenTree>;
};

const INDEX = /^(0|[1-9][0-9]*)$/;

function node(): TokenTree {
  return { inSet: false, byName: new Map(), byIndex: new Map() };
}

/** The tree of `pointers` (encoded); pointers that do not decode are left out (they name nothing). */
export function tokenTree(pointers: Iterable<string>): TokenTree {
  const root = node();
  for (const pointer of pointers) {
    const tokens = decodePointer(pointer);
    if (!tokens.ok) continue;
    let at = root;
    for (const token of tokens.value) {
      let next = at.byName.get(token);
      if (next === undefined) {
        next = node();
        at.byName.set(token, next);
        if (INDEX.test(token)) at.byIndex.set(Number(token), next);
      }
      at = next;
    }
    at.inSet = true;
  }
  return root;
}

/** The member (a name) or element (an index) below `tree` when its pointer is in the set. */
export function childInSet(tree: TokenTree, token: string | number): TokenTree | null {
  const next = typeof token === 'number' ? tree.byIndex.get(token) : tree.byName.get(token);
  return next?.inSet ? next : null;
}

/** The indexes of the elements below `tree` whose pointers are in the set, in ascending order. */
export function indexesInSet(tree: TokenTree): number[] {
  const out: number[] = [];
  for (const [index, next] of tree.byIndex) if (next.inSet) out.push(index);
  return out.sort((a, b) => a - b);
}
