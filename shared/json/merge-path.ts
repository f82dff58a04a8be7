// Paths are built lazily as linked nodes: most merged nodes never need a pointer, so strings are
// only made for the few that are reported.
import { escapeToken } from './pointer';

export type PathNode = {
  readonly parent: PathNode | null;
  /** Pointer segment: a key, an index in the merged array, or null at a JSON-holding string. */
  readonly seg: string | number | null;
  /** Stable segment for conflict ids; defaults to the key. */
  readonly idSeg: string | undefined;
  /** An element matched by id: its id segment is `[key=<JSON of id>]`, made only when needed. */
  readonly idKey: string | undefined;
  readonly idValue: string | number | bigint | undefined;
  /** pointerOf's memo: changes and conflicts under one parent share its prefix. */
  pointer: string | undefined;
};

export function child(
  parent: PathNode | null,
  seg: string | number | null,
  idSeg?: string,
): PathNode {
  return { parent, seg, idSeg, idKey: undefined, idValue: undefined, pointer: undefined };
}

/** The node of an array element matched by `idKey`; its id segment is built lazily (see idOf). */
export function keyedChild(
  parent: PathNode | null,
  index: number,
  idKey: string,
  idValue: string | number | bigint,
): PathNode {
  return { parent, seg: index, idSeg: undefined, idKey, idValue, pointer: undefined };
}

export function pointerOf(node: PathNode | null): string {
  if (node === null) return '';
  if (node.pointer !== undefined) return node.pointer;
  const parent = pointerOf(node.parent);
  const seg = node.seg;
  node.pointer =
    seg === null
      ? parent
      : parent + '/' + (typeof seg === 'number' ? String(seg) : escapeToken(seg));
  return node.pointer;
}

// Keys that start with a character used by the other id segments are escaped with a backslash.
function keyIdSeg(key: string): string {
  return /^[@[$\\]/.test(key) ? '\\' + escapeToken(key) : escapeToken(key);
}

export function idOf(node: PathNode | null): string {
  const parts: string[] = [];
  for (let n = node; n !== null; n = n.parent) {
    if (n.idSeg !== undefined) parts.push(n.idSeg);
    else if (n.idKey !== undefined)
      parts.push(
        `[${n.idKey}=${typeof n.idValue === 'bigint' ? n.idValue.toString() : JSON.stringify(n.idValue)}]`,
      );
    else parts.push(typeof n.seg === 'string' ? keyIdSeg(n.seg) : String(n.seg));
  }
  return parts.length === 0 ? '' : '/' + parts.reverse().join('/');
}

/** Pointer of the innermost JSON-holding string on the path, if any. */
export function inStringOf(node: PathNode | null): string | undefined {
  for (let n = node; n !== null; n = n.parent) if (n.seg === null) return pointerOf(n.parent);
  return undefined;
}
