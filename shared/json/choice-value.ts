// "The value for a choice": what settling a conflict with a choice puts into the merged document.
// The engine (choices passed to merge3), the resolution state (is this choice allowed?) and the
// conflict view (writing a choice into hand-edited text) all ask this one function, so they cannot
// disagree on which choices fit or on how "both" joins two arrays.
import { fingerprint } from './canonical';
import type { Choice, Conflict } from './merge-types';
import type { JsonArray, JsonValue, Result } from './types';

/** What a choice is applied to: a conflict's kind, its three values and whether it is an element run. */
export type ChoiceTarget = Pick<Conflict, 'kind' | 'base' | 'mine' | 'theirs' | 'slice'>;

/**
 * Why `choice` cannot settle `conflict`, or undefined when it can: an order conflict takes only
 * mine or theirs, "both" needs arrays, and a run of array elements is replaced by elements, so its
 * custom value must be an array. (Cheap: the UI asks it for every button it draws.)
 */
export function checkChoice(conflict: ChoiceTarget, choice: Choice): string | undefined {
  if (conflict.kind === 'both-reordered') {
    return choice === 'mine' || choice === 'theirs'
      ? undefined
      : 'an order conflict takes mine or theirs';
  }
  if (choice === 'both' && !(Array.isArray(conflict.mine) && Array.isArray(conflict.theirs)))
    return '"both" needs arrays on both sides';
  if (typeof choice === 'object' && conflict.slice && !Array.isArray(choice.custom)) {
    return 'a custom value for a run of array elements must be an array of elements';
  }
  return undefined;
}

/** The value `choice` puts where `conflict` is (undefined = absent), or why it does not fit (checkChoice). */
export function valueForChoice(
  conflict: ChoiceTarget,
  choice: Choice,
): Result<JsonValue | undefined> {
  const problem = checkChoice(conflict, choice);
  if (problem !== undefined) return { ok: false, error: problem };
  if (choice === 'mine') return { ok: true, value: conflict.mine };
  if (choice === 'theirs') return { ok: true, value: conflict.theirs };
  if (choice === 'base') return { ok: true, value: conflict.base };
  if (choice === 'both')
    return {
      ok: true,
      value: unionArrays(conflict.mine as JsonArray, conflict.theirs as JsonArray),
    };
  return { ok: true, value: choice.custom };
}

/**
 * Mine's elements, then theirs' elements mine lacks. Elements compare as JSON values (key order
 * and big integers included), the same equality the merge uses everywhere else.
 */
export function unionArrays(mine: JsonArray, theirs: JsonArray): JsonArray {
  const seen = new Set(mine.map(fingerprint));
  return [...mine, ...theirs.filter((item) => !seen.has(fingerprint(item)))];
}
