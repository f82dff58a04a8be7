// Paths are built lazily as linked nodes: most merged nodes never need a pointer, so strings are
// only made for the few that are reported.
import { escapeToken } from './pointer';

export type PathNode = {
  readonly parent: PathNode | null;
  /** Pointer segment: a key, an index in the merged array, or null at a JSON-holding string. */
  readonly seg: string | number | null;
  /** Stable segment for conflict ids; defaults to the key. */
  readonly idSeg?: string;
  /** An element matched by id: the segment is `[key=<JSON of id>]`, made only when needed. */
  readonly idKey?: string;
  readonly idValue?: string | number;
};

export function child(parent: PathNode | null, seg: string | number | null, idSeg?: string): PathNode {
  return idSeg === undefined ? { parent, seg } : { parent, seg, idSeg };
}

/** The node of an array element matched by `key`; its id segment is built lazily (see idOf). */
export function keyedChild(parent: PathNode | null, index: number, idKey: string, idValue: string | number): PathNode {
  return { parent, seg: index, idKey, idValue };
}

export function pointerOf(node: PathNode | null): string {
  const parts: string[] = [];
  for (let n = node; n !== null; n = n.parent) {
    if (n.seg !== null) parts.push(typeof n.seg === 'number' ? String(n.seg) : escapeToken(n.seg));
  }
  return parts.length === 0 ? '' : '/' + parts.reverse().join('/');
}

// Keys that start with a character used by the other id segments are escaped with a backslash.
function keyIdSeg(key: string): string {
  return /^[@[$\\]/.test(key) ? '\\' + escapeToken(key) : escapeToken(key);
}

export function idOf(node: PathNode | null): string {
  const parts: string[] = [];
  for (let n = node; n !== null; n = n.parent) {
    if (n.idSeg !== undefined) parts.push(n.idSeg);
    else if (n.idKey !== undefined) parts.push(`[${n.idKey}=${JSON.stringify(n.idValue)}]`);
    else parts.push(typeof n.seg === 'string' ? keyIdSeg(n.seg) : String(n.seg));
  }
  return parts.length === 0 ? '' : '/' + parts.reverse().join('/');
}

/** Pointer of the innermost JSON-holding string on the path, if any. */
export function inStringOf(node: PathNode | null): string | undefined {
  for (let n = node; n !== null; n = n.parent) if (n.seg === null) return pointerOf(n.parent);
  return undefined;
}
