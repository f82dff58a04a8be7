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
import type { Change, ChangeOp, Choice, Conflict, ConflictKind, MergeOptions, MergeResult, Side } from './merge-types';
import { DEFAULT_ID_KEYS } from './merge-types';
import { parseJson } from './parse';
import { detectStyle, stringifyJson } from './serialize';
import type { JsonArray, JsonObject, JsonValue } from './types';
import { getKey, isJsonObject, setKey } from './types';

export function merge3(base: JsonValue, mine: JsonValue, theirs: JsonValue, options: MergeOptions = {}): MergeResult {
  const merger = new Merger(options);
  const merged = merger.mergeValue(base, mine, theirs, null);
  // Only a custom choice can remove the root; an absent document is written as null.
  return { merged: merged === undefined ? null : merged, conflicts: merger.conflicts, changes: merger.changes };
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

function sameContainerKind(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return isContainer(a) && isContainer(b) && Array.isArray(a) === Array.isArray(b);
}

class Merger implements MergeContext {
  readonly conflicts: Conflict[] = [];
  readonly changes: Change[] = [];
  readonly idKeys: readonly string[];
  readonly embeddedJson: boolean;
  readonly choices: ReadonlyMap<string, Choice>;

  constructor(options: MergeOptions) {
    this.idKeys = options.idKeys ?? DEFAULT_ID_KEYS;
    this.embeddedJson = options.embeddedJson ?? true;
    const choices = options.choices ?? new Map<string, Choice>();
    this.choices = choices instanceof Map ? choices : new Map(Object.entries(choices));
  }

  change(node: PathNode | null, side: Side, op: ChangeOp): void {
    this.changes.push({ path: pointerOf(node), side, op });
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

  mergeValue(b: JsonValue | undefined, m: JsonValue | undefined, t: JsonValue | undefined, node: PathNode | null): JsonValue | undefined {
    // Fast path: three containers of one kind are either all equal (nothing to do) or walked below,
    // so a single three-way comparison decides; the pairwise checks are for everything else.
    if (typeof b === 'object' && typeof m === 'object' && typeof t === 'object' && b !== null && m !== null && t !== null) {
      const array = Array.isArray(b);
      if (Array.isArray(m) === array && Array.isArray(t) === array) {
        if (equal3(b, m, t)) return m;
        return array ? mergeArrays(this, b as JsonArray, m as JsonArray, t as JsonArray, node) : this.mergeObjects(b as JsonObject, m as JsonObject, t as JsonObject, node);
      }
    }
    if (jsonEqual(m, t) && !(sameContainerKind(b, m) && !jsonEqual(b, m))) {
      // Equal sides (a container both changed alike is walked below, for fine-grained changes).
      if (b === undefined) {
        if (m !== undefined) this.change(node, 'both', 'add');
      } else if (!jsonEqual(b, m)) {
        this.change(node, 'both', m === undefined ? 'remove' : 'replace');
      }
      return m;
    }
    const mineSame = jsonEqual(b, m);
    const theirsSame = !mineSame && jsonEqual(b, t);
    if (mineSame || theirsSame) {
      const changed = mineSame ? t : m;
      // Descend when the changed side kept the container kind, to report fine-grained changes.
      if (!sameContainerKind(b, changed)) {
        this.change(node, mineSame ? 'theirs' : 'mine', b === undefined ? 'add' : changed === undefined ? 'remove' : 'replace');
        return changed;
      }
    }
    if (isJsonObject(m) && isJsonObject(t) && (b === undefined || isJsonObject(b))) {
      return this.mergeObjects(b ?? {}, m, t, node);
    }
    if (Array.isArray(m) && Array.isArray(t) && (b === undefined || Array.isArray(b))) {
      return mergeArrays(this, b ?? [], m, t, node);
    }
    if (this.embeddedJson && typeof b === 'string' && typeof m === 'string' && typeof t === 'string') {
      const merged = this.mergeEmbedded(b, m, t, node);
      if (merged !== NOT_JSON) return merged;
    }
    const kind: ConflictKind =
      b === undefined ? 'both-added' : m === undefined ? 'mine-deleted' : t === undefined ? 'theirs-deleted' : 'both-modified';
    return this.conflictOrChoice(node, '', kind, { base: b, mine: m, theirs: t }, m === undefined ? t : m);
  }

  private mergeObjects(b: JsonObject, m: JsonObject, t: JsonObject, node: PathNode | null): JsonObject {
    const out: JsonObject = {};
    // Mine's keys in mine's order, then theirs' new keys, then keys only the base still had.
    for (const key of Object.keys(m)) {
      const bv = getKey(b, key);
      const mv = m[key]!;
      const tv = getKey(t, key);
      // The same value on all three sides (a primitive, or a shared subtree): nothing to merge.
      const merged = bv === mv && mv === tv ? mv : this.mergeValue(bv, mv, tv, child(node, key));
      if (merged !== undefined) setKey(out, key, merged);
    }
    for (const key of Object.keys(t)) {
      if (Object.hasOwn(m, key)) continue;
      const merged = this.mergeValue(getKey(b, key), undefined, t[key], child(node, key));
      if (merged !== undefined) setKey(out, key, merged);
    }
    for (const key of Object.keys(b)) {
      if (Object.hasOwn(m, key) || Object.hasOwn(t, key)) continue;
      this.mergeValue(b[key], undefined, undefined, child(node, key));
    }
    return out;
  }

  /** Both sides changed a string: merge structurally when all three hold JSON containers. */
  private mergeEmbedded(b: string, m: string, t: string, node: PathNode | null): JsonValue | undefined | typeof NOT_JSON {
    if (!looksLikeJsonContainer(b) || !looksLikeJsonContainer(m) || !looksLikeJsonContainer(t)) return NOT_JSON;
    const pb = parseJson(b);
    const pm = parseJson(m);
    const pt = parseJson(t);
    if (!pb.ok || !pm.ok || !pt.ok) return NOT_JSON;
    const merged = this.mergeValue(pb.value, pm.value, pt.value, child(node, null, '$json'));
    if (merged === undefined) return undefined;
    if (jsonEqual(merged, pm.value)) return m;
    if (jsonEqual(merged, pt.value)) return t;
    return stringifyJson(merged, detectStyle(m));
  }
}
