// What an answer carries over the wire. The renderer edits the operator's document (`text`) and
// already holds the base and its own text when a save conflicts, so by default answers carry each
// document once: the raw server body only with `raw: true`, a conflict's base / mine / merged /
// conflicts / changes only with `full: true` (docs/api.md "A lean wire").
import type { ConflictOutcome, SaveResult, Snapshot } from '../../shared/api/types';

export type ShapeOptions = { raw?: boolean | undefined; full?: boolean | undefined };

export function shapeSnapshot(snapshot: Snapshot, options: ShapeOptions = {}): Snapshot {
  if (options.raw === true || snapshot.raw === undefined) return snapshot;
  const { raw: _raw, ...lean } = snapshot;
  return lean;
}

function shapeConflict(result: ConflictOutcome, options: ShapeOptions): ConflictOutcome {
  const theirs = shapeSnapshot(result.theirs, options);
  if (options.full === true)
    return {
      ...result,
      theirs,
      ...(result.base ? { base: shapeSnapshot(result.base, options) } : {}),
    };
  // Read member by member: the merge's members (conflicts, changes, …) are computed when read.
  const { status, mergeOptions, afterLostAnswer, auditId } = result;
  return {
    kind: 'conflict',
    status,
    theirs,
    mergeOptions,
    afterLostAnswer,
    auditId,
  };
}

export function shapeSaveResult(result: SaveResult, options: ShapeOptions = {}): SaveResult {
  switch (result.kind) {
    case 'saved':
    case 'partly-applied':
      return { ...result, snapshot: shapeSnapshot(result.snapshot, options) };
    case 'conflict':
      return shapeConflict(result, options);
    case 'unknown-outcome':
      return {
        ...result,
        serverNow: result.serverNow ? shapeSnapshot(result.serverNow, options) : null,
      };
    case 'error':
      return result;
  }
}
