// Paths are built lazily as linked nodes: most merged nodes never need a pointer, so strings are
// only made for the few that are reported.
import { escapeToken } from './pointer';

export type PathNode = {
  readonly parent: PathNode | null;
  /** Pointer segment: a key, an index in the merged array, or null at a JSON-holding string. */
  readonly seg: string | number | null;
  /** Stable segment for conflict ids; defaults to the key. */
  readonly idSeg?: string;
};

export function child(parent: PathNode | null, seg: string | number | null, idSeg?: string): PathNode {
  return idSeg === undefined ? { parent, seg } : { parent, seg, idSeg };
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
    parts.push(n.idSeg ?? (typeof n.seg === 'string' ? keyIdSeg(n.seg) : String(n.seg)));
  }
  return parts.length === 0 ? '' : '/' + parts.reverse().join('/');
}

/** Pointer of the innermost JSON-holding string on the path, if any. */
export function inStringOf(node: PathNode | null): string | undefined {
  for (let n = node; n !== null; n = n.parent) if (n.seg === null) return pointerOf(n.parent);
  return undefined;
}
