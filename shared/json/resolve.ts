// Resolution as a plain immutable value a UI can hold: the conflict-free-by-default merge result
// plus a map of conflict id → choice. Every transition returns a new value; nothing is mutated.
import { jsonEqual } from './canonical';
import { checkChoice } from './choice-value';
import { merge3 } from './merge3';
import type { Choice, Conflict, MergeOptions, MergeResult } from './merge-types';
import type { JsonValue, Result } from './types';

export type Resolution = {
  readonly base: JsonValue;
  readonly mine: JsonValue;
  readonly theirs: JsonValue;
  readonly options: Omit<MergeOptions, 'choices'>;
  /** The merge without choices: its conflicts are the questions to answer. */
  readonly result: MergeResult;
  /** Conflict id → choice. */
  readonly choices: Readonly<Record<string, Choice>>;
  /** Conflict ids whose choice a rebase dropped because theirs changed there again. */
  readonly reopened: readonly string[];
};

export function createResolution(
  base: JsonValue,
  mine: JsonValue,
  theirs: JsonValue,
  options: Omit<MergeOptions, 'choices'> = {},
): Resolution {
  const { choices: _ignored, ...plain } = options as MergeOptions;
  return {
    base,
    mine,
    theirs,
    options: plain,
    result: merge3(base, mine, theirs, plain),
    choices: {},
    reopened: [],
  };
}

export function conflictById(resolution: Resolution, id: string): Conflict | undefined {
  return conflictIn(resolution.result.conflicts, id);
}

const byIdOfList = new WeakMap<readonly Conflict[], Map<string, Conflict>>();

/**
 * The first conflict with `id` in `conflicts` (as `find` would), through a map made once per list
 * (a merge's list is not changed once made): one search per lookup made choosing, rebasing and
 * redrawing thousands of decisions quadratic.
 */
export function conflictIn(conflicts: readonly Conflict[], id: string): Conflict | undefined {
  let byId = byIdOfList.get(conflicts);
  if (byId === undefined) {
    byId = new Map();
    for (const conflict of conflicts) if (!byId.has(conflict.id)) byId.set(conflict.id, conflict);
    byIdOfList.set(conflicts, byId);
  }
  return byId.get(id);
}

export { checkChoice };

export function choose(resolution: Resolution, id: string, choice: Choice): Result<Resolution> {
  const conflict = conflictById(resolution, id);
  if (!conflict) return { ok: false, error: `no conflict with id ${id}` };
  const problem = checkChoice(conflict, choice);
  if (problem !== undefined) return { ok: false, error: `${conflict.path}: ${problem}` };
  return {
    ok: true,
    value: {
      ...resolution,
      choices: { ...resolution.choices, [id]: choice },
      reopened: resolution.reopened.filter((r) => r !== id),
    },
  };
}

export function unchoose(resolution: Resolution, id: string): Resolution {
  if (!(id in resolution.choices)) return resolution;
  const { [id]: _dropped, ...rest } = resolution.choices;
  return { ...resolution, choices: rest };
}

export function pendingConflicts(resolution: Resolution): Conflict[] {
  return resolution.result.conflicts.filter(
    (conflict) => !Object.hasOwn(resolution.choices, conflict.id),
  );
}

/** The merge with the choices made so far applied; unanswered conflicts keep their placeholders. */
export function preview(resolution: Resolution): MergeResult {
  return merge3(resolution.base, resolution.mine, resolution.theirs, {
    ...resolution.options,
    choices: resolution.choices,
  });
}

/** The final document once every conflict has a choice. */
export function applyChoices(
  resolution: Resolution,
): Result<JsonValue, { message: string; pending: readonly Conflict[] }> {
  const result = preview(resolution);
  if (result.conflicts.length > 0) {
    return {
      ok: false,
      error: {
        message: `${result.conflicts.length} conflict(s) still need a choice`,
        pending: result.conflicts,
      },
    };
  }
  return { ok: true, value: result.merged };
}

/**
 * The server moved again: merge against the new theirs, keeping each choice whose conflict is
 * still there with the same three values; the others are reopened.
 */
export function rebase(resolution: Resolution, newTheirs: JsonValue): Resolution {
  const result = merge3(resolution.base, resolution.mine, newTheirs, resolution.options);
  const choices: Record<string, Choice> = {};
  const reopened: string[] = [];
  for (const [id, choice] of Object.entries(resolution.choices)) {
    const before = conflictById(resolution, id);
    const after = conflictIn(result.conflicts, id);
    if (!before || !after) continue;
    const unchanged =
      jsonEqual(before.theirs, after.theirs) &&
      jsonEqual(before.mine, after.mine) &&
      jsonEqual(before.base, after.base);
    if (unchanged) choices[id] = choice;
    else reopened.push(id);
  }
  // A conflict reopened earlier and still unanswered stays marked as reopened.
  const reopenedNow = new Set(reopened);
  for (const id of resolution.reopened) {
    if (!reopenedNow.has(id) && !(id in choices) && conflictIn(result.conflicts, id)) {
      reopened.push(id);
      reopenedNow.add(id);
    }
  }
  return { ...resolution, theirs: newTheirs, result, choices, reopened };
}
