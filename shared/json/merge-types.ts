// The vocabulary of a three-way merge: base = "When you opened it", mine = "Your edit",
// theirs = "Server now". `undefined` stands for "absent" (a deleted key or element).
import type { JsonValue } from './types';

export type Side = 'mine' | 'theirs' | 'both';
export type ChangeOp = 'add' | 'remove' | 'replace' | 'reorder';

/** A change applied automatically because only one side made it (or both made it alike). */
export type Change = { readonly path: string; readonly side: Side; readonly op: ChangeOp };

export type ConflictKind =
  'both-modified' | 'both-added' | 'mine-deleted' | 'theirs-deleted' | 'both-reordered';

export type Conflict = {
  /** Stable across re-merges with the same base (ids, base indices): the key for choices. */
  readonly id: string;
  /** JSON Pointer into `merged` (it may continue through a JSON-holding string, see `inString`). */
  readonly path: string;
  readonly kind: ConflictKind;
  readonly base: JsonValue | undefined;
  readonly mine: JsonValue | undefined;
  readonly theirs: JsonValue | undefined;
  /**
   * Set when the three values are runs of elements of the array at `path` that do not pair up;
   * `merged` holds the placeholder run at indices [at, at + length).
   */
  readonly slice?: { readonly at: number; readonly length: number };
  /** Pointer of the string holding embedded JSON that `path` passes through. */
  readonly inString?: string;
};

/** How to settle one conflict. `both` joins two arrays (or element runs): mine, then theirs' others. */
export type Choice =
  'mine' | 'theirs' | 'base' | 'both' | { readonly custom: JsonValue | undefined };

export type MergeOptions = {
  /** Keys that identify array elements, tried in order. */
  readonly idKeys?: readonly string[];
  /** Merge strings that hold JSON objects/arrays structurally (default true). */
  readonly embeddedJson?: boolean;
  /** Choices by conflict id, applied instead of recording the conflict. */
  readonly choices?: ReadonlyMap<string, Choice> | Readonly<Record<string, Choice>>;
  /**
   * List the changes applied (default true). Without the list (`changes` is then empty), a value
   * one side changed and the other left as base (the same object) is taken whole, not walked.
   */
  readonly changes?: boolean;
};

export type MergeResult = {
  /**
   * The merged document. An unresolved conflict holds mine's value there, or theirs' when mine
   * deleted it (so nothing is dropped by default). Shares subtrees with the inputs: treat as immutable.
   */
  readonly merged: JsonValue;
  readonly conflicts: readonly Conflict[];
  readonly changes: readonly Change[];
};

/**
 * The server moved, but none of the fields the operator changed: no conflict, and no change both
 * sides made (the same edit on both sides is still an overlap the operator should look at).
 */
export function onlyOtherFieldsChanged(
  result: Pick<MergeResult, 'conflicts' | 'changes'>,
): boolean {
  return result.conflicts.length === 0 && !result.changes.some((c) => c.side === 'both');
}

export const DEFAULT_ID_KEYS: readonly string[] = ['id', '_id', 'sid', 'uuid', 'key', 'name'];
