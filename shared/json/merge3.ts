// The structural three-way merge. Objects merge per key, arrays by id or by diff3 (merge-arrays),
// strings that hold JSON merge structurally and are written back in their own layout. A subtree
// that only one side touched is still walked, so changes are reported where they happened and
// objects keep mine's key order.
import { equal3, jsonEqual } from './canonical';
import { valueForChoice } from './choice-value';
import { mergeArrays } from './merge-arrays';
import type { MergeContext, ThreeValues } from './merge-context';
import type { PathNode } from './merge-path';
import { child, idOf, inStringOf, pointerOf } from './merge-path';
import type {
  Change,
  ChangeOp,
  Choice,
  Conflict,
  ConflictKind,
  MergeOptions,
  MergeResult,
  Side,
} from './merge-types';
import { DEFAULT_ID_KEYS } from './merge-types';
import { parseJson } from './parse';
import { detectStyle, stringifyJson } from './serialize';
import type { JsonArray, JsonObject, JsonValue } from './types';
import { getKey, isJsonObject, setKey } from './types';

export function merge3(
  /** Undefined: no common ancestor (both sides added the document). */
  base: JsonValue | undefined,
  mine: JsonValue,
  theirs: JsonValue,
  options: MergeOptions = {},
): MergeResult {
  const merger = new Merger(options);
  const merged = merger.mergeValue(base, mine, theirs, null);
  // Only a custom choice can remove the root; an absent document is written as null.
  return {
    merged: merged === undefined ? null : merged,
    conflicts: merger.conflicts,
    changes: merger.changes,
  };
}

/** mergeEmbedded's answer when a string does not hold JSON to merge structurally. */
const NOT_JSON = Symbol('not JSON');

function looksLikeJsonContainer(value: string): boolean {
  const first = value.trimStart().charCodeAt(0);
  return first === 123 || first === 91;
}

function isContainer(value: JsonValue | undefined): boolean {
  return typeof value === 'object' && value !== null;
}

/** Whether all three are arrays, or all three are objects. */
function sameKindContainers(
  base: JsonValue | undefined,
  mine: JsonValue | undefined,
  theirs: JsonValue | undefined,
): base is JsonArray | JsonObject {
  if (typeof base !== 'object' || typeof mine !== 'object' || typeof theirs !== 'object')
    return false;
  if (base === null || mine === null || theirs === null) return false;
  const array = Array.isArray(base);
  return Array.isArray(mine) === array && Array.isArray(theirs) === array;
}

function sameContainerKind(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b);
}

class Merger implements MergeContext {
  readonly conflicts: Conflict[] = [];
  readonly changes: Change[] = [];
  readonly idKeys: readonly string[];
  readonly embeddedJson: boolean;
  readonly choices: ReadonlyMap<string, Choice>;
  readonly listChanges: boolean;

  constructor(options: MergeOptions) {
    this.idKeys = options.idKeys ?? DEFAULT_ID_KEYS;
    this.embeddedJson = options.embeddedJson ?? true;
    this.listChanges = options.changes ?? true;
    const choices = options.choices ?? new Map<string, Choice>();
    this.choices = choices instanceof Map ? choices : new Map(Object.entries(choices));
  }

  change(node: PathNode | null, side: Side, op: ChangeOp): void {
    if (this.listChanges) this.changes.push({ path: pointerOf(node), side, op });
  }

  conflictOrChoice(
    node: PathNode | null,
    idSuffix: string,
    kind: ConflictKind,
    { base, mine, theirs }: ThreeValues,
    placeholder: JsonValue | undefined,
    slice?: { at: number; length: number },
  ): JsonValue | undefined {
    const id = idOf(node) + idSuffix;
    const choice = this.choices.get(id);
    if (choice !== undefined) {
      // A choice that does not fit this conflict is ignored: the conflict is reported again.
      const chosen = valueForChoice({ kind, base, mine, theirs, slice }, choice);
      if (chosen.ok) return chosen.value;
    }
    const conflict: { -readonly [K in keyof Conflict]: Conflict[K] } = {
      id,
      path: pointerOf(node),
      kind,
      base,
      mine,
      theirs,
    };
    if (slice) conflict.slice = slice;
    const inString = inStringOf(node);
    if (inString !== undefined) conflict.inString = inString;
    this.conflicts.push(conflict);
    return placeholder;
  }

  mergeValue(
    base: JsonValue | undefined,
    mine: JsonValue | undefined,
    theirs: JsonValue | undefined,
    node: PathNode | null,
  ): JsonValue | undefined {
    // Three containers of one kind are either all equal (nothing to do) or walked below, so a
    // single three-way comparison decides.
    if (sameKindContainers(base, mine, theirs) && equal3(base, mine, theirs)) return mine;
    return this.mergeUnequal(base, mine, theirs, node);
  }

  /**
   * mergeValue for three values known not to be all equal: callers that compared them already
   * (members and elements are compared before a path node is made for them) do not walk them twice.
   */
  mergeUnequal(
    base: JsonValue | undefined,
    mine: JsonValue | undefined,
    theirs: JsonValue | undefined,
    node: PathNode | null,
  ): JsonValue | undefined {
    // A side that kept base's own value: the merge is the other side (walked only to list changes).
    // Both sides holding one value (the very object: a change both made alike, read once): it.
    if (!this.listChanges) {
      if (theirs === base || mine === theirs) return mine;
      if (mine === base) return theirs;
    }
    // Three containers of one kind are walked; the pairwise checks below are for everything else.
    if (sameKindContainers(base, mine, theirs)) {
      return Array.isArray(base)
        ? mergeArrays(this, base, mine as JsonArray, theirs as JsonArray, node)
        : this.mergeObjects(base, mine as JsonObject, theirs as JsonObject, node);
    }
    if (jsonEqual(mine, theirs) && !(sameContainerKind(base, mine) && !jsonEqual(base, mine))) {
      // Equal sides (a container both changed alike is walked below, for fine-grained changes).
      if (base === undefined) {
        if (mine !== undefined) this.change(node, 'both', 'add');
      } else if (!jsonEqual(base, mine)) {
        this.change(node, 'both', mine === undefined ? 'remove' : 'replace');
      }
      return mine;
    }
    const mineSame = jsonEqual(base, mine);
    const theirsSame = !mineSame && jsonEqual(base, theirs);
    if (mineSame || theirsSame) {
      const changed = mineSame ? theirs : mine;
      // Descend when the changed side kept the container kind, to report fine-grained changes.
      if (!sameContainerKind(base, changed)) {
        this.change(
          node,
          mineSame ? 'theirs' : 'mine',
          base === undefined ? 'add' : changed === undefined ? 'remove' : 'replace',
        );
        return changed;
      }
    }
    if (isJsonObject(mine) && isJsonObject(theirs) && (base === undefined || isJsonObject(base))) {
      return this.mergeObjects(base ?? {}, mine, theirs, node);
    }
    if (
      Array.isArray(mine) &&
      Array.isArray(theirs) &&
      (base === undefined || Array.isArray(base))
    ) {
      return mergeArrays(this, base ?? [], mine, theirs, node);
    }
    if (
      this.embeddedJson &&
      typeof base === 'string' &&
      typeof mine === 'string' &&
      typeof theirs === 'string'
    ) {
      const merged = this.mergeEmbedded(base, mine, theirs, node);
      if (merged !== NOT_JSON) return merged;
    }
    const kind: ConflictKind =
      base === undefined
        ? 'both-added'
        : mine === undefined
          ? 'mine-deleted'
          : theirs === undefined
            ? 'theirs-deleted'
            : 'both-modified';
    return this.conflictOrChoice(
      node,
      '',
      kind,
      { base, mine, theirs },
      mine === undefined ? theirs : mine,
    );
  }

  private mergeObjects(
    base: JsonObject,
    mine: JsonObject,
    theirs: JsonObject,
    node: PathNode | null,
  ): JsonObject {
    const out: JsonObject = {};
    // Mine's keys in mine's order, then theirs' new keys, then keys only the base still had.
    // for-in with an own-key check rather than Object.keys: no array per object merged.
    for (const key in mine) {
      if (!Object.hasOwn(mine, key)) continue;
      const baseValue = getKey(base, key);
      const mineValue = mine[key]!;
      const theirsValue = getKey(theirs, key);
      // No changes listed: a side that kept base's very value leaves the other side's, as
      // mergeUnequal would, without comparing it with base first.
      if (
        !this.listChanges &&
        baseValue !== undefined &&
        (mineValue === baseValue || theirsValue === baseValue)
      ) {
        const kept = theirsValue === baseValue ? mineValue : theirsValue;
        if (kept !== undefined) setKey(out, key, kept);
        continue;
      }
      // The same value on all three sides (a primitive, or a shared subtree): nothing to merge,
      // and no path node to make.
      const same =
        (baseValue === mineValue && mineValue === theirsValue) ||
        (typeof mineValue === 'object' &&
          typeof baseValue === 'object' &&
          typeof theirsValue === 'object' &&
          equal3(baseValue, mineValue, theirsValue));
      const merged = same
        ? mineValue
        : this.mergeUnequal(baseValue, mineValue, theirsValue, child(node, key));
      if (merged !== undefined) setKey(out, key, merged);
    }
    for (const key in theirs) {
      if (!Object.hasOwn(theirs, key) || Object.hasOwn(mine, key)) continue;
      const merged = this.mergeValue(getKey(base, key), undefined, theirs[key], child(node, key));
      if (merged !== undefined) setKey(out, key, merged);
    }
    for (const key in base) {
      if (!Object.hasOwn(base, key) || Object.hasOwn(mine, key) || Object.hasOwn(theirs, key))
        continue;
      this.mergeValue(base[key], undefined, undefined, child(node, key));
    }
    return out;
  }

  /** Both sides changed a string: merge structurally when all three hold JSON containers. */
  private mergeEmbedded(
    base: string,
    mine: string,
    theirs: string,
    node: PathNode | null,
  ): JsonValue | undefined | typeof NOT_JSON {
    if (
      !looksLikeJsonContainer(base) ||
      !looksLikeJsonContainer(mine) ||
      !looksLikeJsonContainer(theirs)
    )
      return NOT_JSON;
    const parsedBase = parseJson(base);
    const parsedMine = parseJson(mine);
    const parsedTheirs = parseJson(theirs);
    if (!parsedBase.ok || !parsedMine.ok || !parsedTheirs.ok) return NOT_JSON;
    const merged = this.mergeValue(
      parsedBase.value,
      parsedMine.value,
      parsedTheirs.value,
      child(node, null, '$json'),
    );
    if (merged === undefined) return undefined;
    if (jsonEqual(merged, parsedMine.value)) return mine;
    if (jsonEqual(merged, parsedTheirs.value)) return theirs;
    return stringifyJson(merged, detectStyle(mine));
  }
}
