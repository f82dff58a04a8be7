// What the array merges need from the merger that calls them: merging a pair of elements as values,
// and recording changes and conflicts. An interface, so the array modules do not import merge3.
import type { PathNode } from './merge-path';
import type { ChangeOp, ConflictKind, Side } from './merge-types';
import type { JsonValue } from './types';

/** The three values a conflict is about (undefined = absent on that side). */
export type ThreeValues = {
  base: JsonValue | undefined;
  mine: JsonValue | undefined;
  theirs: JsonValue | undefined;
};

export type MergeContext = {
  readonly idKeys: readonly string[];
  /** Whether changes are listed (else a side that kept base's very value yields the other's). */
  readonly listChanges: boolean;
  mergeValue(
    base: JsonValue | undefined,
    mine: JsonValue | undefined,
    theirs: JsonValue | undefined,
    node: PathNode | null,
  ): JsonValue | undefined;
  /** mergeValue for three values the caller has already found not to be all equal. */
  mergeUnequal(
    base: JsonValue | undefined,
    mine: JsonValue | undefined,
    theirs: JsonValue | undefined,
    node: PathNode | null,
  ): JsonValue | undefined;
  change(node: PathNode | null, side: Side, op: ChangeOp): void;
  /**
   * Records a conflict unless a choice passed to the merge settles it (see valueForChoice);
   * returns what goes into the merged document: the chosen value, else `placeholder`.
   * `slice` marks a conflict over a run of array elements, placed at [at, at + length).
   */
  conflictOrChoice(
    node: PathNode | null,
    idSuffix: string,
    kind: ConflictKind,
    values: ThreeValues,
    placeholder: JsonValue | undefined,
    slice?: { at: number; length: number },
  ): JsonValue | undefined;
};
