// Array merging picks one of two algorithms: elements that all carry a unique id are matched by id
// (merge-keyed-arrays), so moves and edits follow the element; anything else is merged as a
// sequence with diff3 (merge-sequences).
import type { MergeContext } from './merge-context';
import { matchById, mergeKeyedArrays } from './merge-keyed-arrays';
import type { PathNode } from './merge-path';
import { mergeSequences } from './merge-sequences';
import type { JsonArray } from './types';

export function mergeArrays(
  ctx: MergeContext,
  base: JsonArray,
  mine: JsonArray,
  theirs: JsonArray,
  node: PathNode | null,
): JsonArray {
  const match = matchById(base, mine, theirs, ctx.idKeys);
  return match === undefined
    ? mergeSequences(ctx, base, mine, theirs, node)
    : mergeKeyedArrays(ctx, base, mine, theirs, match, node);
}
