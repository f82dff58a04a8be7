// Arrays whose elements are objects with a unique id-like key ("sid", "id", …): elements are matched
// by id across base, mine and theirs, so an edit follows its element wherever the other side moved
// it. Each matched element is merged as a value; order is one side's, with the other's additions
// slotted in after the element they follow.
import { equal3, fingerprint } from './canonical';
import type { MergeContext } from './merge-context';
import type { PathNode } from './merge-path';
import { keyedChild } from './merge-path';
import type { JsonArray, JsonValue } from './types';
import { isJsonObject } from './types';

type Id = string | number | bigint;

/** One id across the three arrays: its index in each of base, mine and theirs (-1 when absent). */
type Slot = {
  readonly id: Id;
  base: number;
  mine: number;
  theirs: number;
  /** Elements the side that does not lead added right after this one (see mergeKeyedArrays). */
  after: Slot[] | undefined;
};

/** The three arrays matched under one id key: each side's elements, in its order, as slots. */
export type IdMatch = {
  key: string;
  base: Slot[];
  mine: Slot[];
  theirs: Slot[];
  /** What matching saw on the way, so that merging need not walk the slots again for it. */
  seen: Seen;
};

/** Counted while matching one side after the other. */
type Seen = {
  /** Whether the side's elements that base holds are in base's order (then it moved none). */
  mineInOrder: boolean;
  theirsInOrder: boolean;
  /** Base elements a side holds: mine, theirs, and both. */
  mineHeld: number;
  theirsHeld: number;
  bothHeld: number;
};

function allObjects(array: JsonArray): boolean {
  for (let index = 0; index < array.length; index++) if (!isJsonObject(array[index]!)) return false;
  return true;
}

/** The element's own id under `key`, if it is a string or a number (bigint for ids beyond 2^53). */
function idIn(item: JsonValue, key: string): Id | undefined {
  if (!isJsonObject(item) || !Object.hasOwn(item, key)) return undefined;
  const id = item[key];
  return typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint'
    ? id
    : undefined;
}

/**
 * A side may add elements that carry no id (an operator appending `{"note": …}` to a list of
 * `{"id": …}` items). They are new by definition — every base element has an id — so they take
 * an id made from their content: the same addition on both sides still meets itself once.
 */
function newElementId(item: JsonValue, seen: Map<string, number>): string {
  const print = fingerprint(item);
  const n = seen.get(print) ?? 0;
  seen.set(print, n + 1);
  return `\u0000new:${print}#${n}`;
}

/**
 * The first id key under which every element of all three arrays is an object with a unique id,
 * with the arrays matched under it (one map from id to slot for all three); undefined when none fits.
 */
export function matchById(
  base: JsonArray,
  mine: JsonArray,
  theirs: JsonArray,
  idKeys: readonly string[],
): IdMatch | undefined {
  if (base.length + mine.length + theirs.length === 0) return undefined;
  // Id-less additions are allowed only where base proves the array is keyed (see newElementId).
  // (A base element that is no object has no id under any key: matchUnderKey refuses it.)
  if (base.length === 0 && (!allObjects(mine) || !allObjects(theirs))) return undefined;
  for (const key of idKeys) {
    const match = matchUnderKey(key, base, mine, theirs);
    if (match !== undefined) return match;
  }
  return undefined;
}

function matchUnderKey(
  key: string,
  base: JsonArray,
  mine: JsonArray,
  theirs: JsonArray,
): IdMatch | undefined {
  const slots = new Map<Id, Slot>();
  const baseSlots = new Array<Slot>(base.length);
  for (let index = 0; index < base.length; index++) {
    const id = idIn(base[index]!, key);
    if (id === undefined) return undefined;
    const slot: Slot = { id, base: index, mine: -1, theirs: -1, after: undefined };
    // One lookup: a repeated id leaves the map's size as it was.
    const size = slots.size;
    slots.set(id, slot);
    if (slots.size === size) return undefined;
    baseSlots[index] = slot;
  }
  const allowNew = base.length > 0;
  const seen: Seen = {
    mineInOrder: true,
    theirsInOrder: true,
    mineHeld: 0,
    theirsHeld: 0,
    bothHeld: 0,
  };
  const mineSlots = sideSlots(key, mine, base, baseSlots, slots, 'mine', allowNew, seen);
  const theirsSlots =
    mineSlots && sideSlots(key, theirs, base, baseSlots, slots, 'theirs', allowNew, seen);
  return theirsSlots && { key, base: baseSlots, mine: mineSlots!, theirs: theirsSlots, seen };
}

/**
 * Matches one side's elements to slots (new ones for ids base lacks); undefined on a duplicate
 * id or an element without one. Elements are first compared with the base element expected at
 * that point, so a side that kept base's order needs no map lookups but for its edits.
 */
function sideSlots(
  key: string,
  array: JsonArray,
  base: JsonArray,
  baseSlots: readonly Slot[],
  slots: Map<Id, Slot>,
  side: 'mine' | 'theirs',
  allowNew: boolean,
  seen: Seen,
): Slot[] | undefined {
  const out = new Array<Slot>(array.length);
  const seenNew = new Map<string, number>();
  let expected = 0;
  let inOrder = true;
  let held = 0;
  let both = 0;
  for (let index = 0; index < array.length; index++) {
    const item = array[index]!;
    // The base element expected here, as the very object (a part no side changed): its id.
    const same = expected < baseSlots.length && base[expected] === item;
    let id = same ? baseSlots[expected]!.id : idIn(item, key);
    if (id === undefined) {
      if (!allowNew) return undefined;
      id = newElementId(item, seenNew);
    }
    let slot =
      expected < baseSlots.length && baseSlots[expected]!.id === id
        ? baseSlots[expected]
        : slots.get(id);
    if (slot === undefined) {
      slot = { id, base: -1, mine: -1, theirs: -1, after: undefined };
      slots.set(id, slot);
    } else if (slot[side] !== -1) {
      return undefined;
    }
    slot[side] = index;
    if (slot.base >= 0) {
      if (slot.base < expected) inOrder = false;
      expected = slot.base + 1;
      held++;
      if (side === 'theirs' && slot.mine >= 0) both++;
    }
    out[index] = slot;
  }
  if (side === 'mine') {
    seen.mineInOrder = inOrder;
    seen.mineHeld = held;
  } else {
    seen.theirsInOrder = inOrder;
    seen.theirsHeld = held;
    seen.bothHeld = both;
  }
  return out;
}

function inAll(slot: Slot): boolean {
  return slot.base >= 0 && slot.mine >= 0 && slot.theirs >= 0;
}

/** The ids of the elements all three sides hold, in the order of `slots`. */
function commonIds(slots: readonly Slot[]): Id[] {
  const ids: Id[] = [];
  for (let index = 0; index < slots.length; index++)
    if (inAll(slots[index]!)) ids.push(slots[index]!.id);
  return ids;
}

function sameOrder(a: readonly Id[], b: readonly Id[]): boolean {
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}

/** Whether `slots` lists the elements all three sides hold in an order other than base's. */
function moved(slots: readonly Slot[]): boolean {
  let last = -1;
  for (let index = 0; index < slots.length; index++) {
    const slot = slots[index]!;
    if (!inAll(slot)) continue;
    if (slot.base < last) return true;
    last = slot.base;
  }
  return false;
}

export function mergeKeyedArrays(
  ctx: MergeContext,
  base: JsonArray,
  mine: JsonArray,
  theirs: JsonArray,
  match: IdMatch,
  node: PathNode | null,
): JsonArray {
  const { key } = match;

  // Reordering is judged on the elements all three sides still hold.
  const { seen } = match;
  // A side whose base elements are all in base's order moved none of those all three hold.
  const mineMoved = !seen.mineInOrder && moved(match.mine);
  const theirsMoved = !seen.theirsInOrder && moved(match.theirs);
  let theirsLeads = theirsMoved && !mineMoved;
  const mineOrder = mineMoved && theirsMoved ? commonIds(match.mine) : [];
  const theirsOrder = mineMoved && theirsMoved ? commonIds(match.theirs) : [];
  if (mineMoved && theirsMoved && !sameOrder(mineOrder, theirsOrder)) {
    const baseOrder = commonIds(match.base);
    const chosen = ctx.conflictOrChoice(
      node,
      '/$order',
      'both-reordered',
      { base: baseOrder, mine: mineOrder, theirs: theirsOrder },
      mineOrder,
    );
    theirsLeads = chosen === theirsOrder;
  } else if (theirsLeads) {
    ctx.change(node, 'theirs', 'reorder');
  } else if (mineMoved) {
    ctx.change(node, 'mine', 'reorder');
  }

  // One side's sequence is the backbone; the other's elements are slotted in after the element
  // they follow there (and after the backbone's own additions at that spot).
  const lead = theirsLeads ? match.theirs : match.mine;
  const other = theirsLeads ? match.mine : match.theirs;
  let first: Slot[] | undefined;
  let anchor: Slot | undefined;
  for (let index = 0; index < other.length; index++) {
    const slot = other[index]!;
    if ((theirsLeads ? slot.theirs : slot.mine) >= 0) {
      anchor = slot;
    } else if (anchor === undefined) {
      (first ??= []).push(slot);
    } else {
      (anchor.after ??= []).push(slot);
    }
  }
  const order: Slot[] = [];
  // The group waiting for the next element that is in base or in the other side.
  let pending = first;
  for (let index = 0; index < lead.length; index++) {
    const slot = lead[index]!;
    if (slot.base >= 0 || (theirsLeads ? slot.mine : slot.theirs) >= 0) {
      if (pending !== undefined) for (let n = 0; n < pending.length; n++) order.push(pending[n]!);
      pending = slot.after;
    }
    order.push(slot);
  }
  if (pending !== undefined) for (let n = 0; n < pending.length; n++) order.push(pending[n]!);

  const out: JsonArray = [];
  for (let index = 0; index < order.length; index++) {
    const slot = order[index]!;
    const baseValue = slot.base >= 0 ? base[slot.base] : undefined;
    const mineValue = slot.mine >= 0 ? mine[slot.mine] : undefined;
    const theirsValue = slot.theirs >= 0 ? theirs[slot.theirs] : undefined;
    // No changes listed: a side that kept base's very element leaves the other side's, as
    // mergeUnequal would, without comparing it with base first.
    if (
      !ctx.listChanges &&
      baseValue !== undefined &&
      (mineValue === baseValue || theirsValue === baseValue)
    ) {
      const kept = theirsValue === baseValue ? mineValue : theirsValue;
      if (kept !== undefined) out.push(kept);
      continue;
    }
    // An element all three hold alike needs no merge (nor a path node).
    if (
      baseValue !== undefined &&
      mineValue !== undefined &&
      theirsValue !== undefined &&
      equal3(baseValue, mineValue, theirsValue)
    ) {
      out.push(mineValue);
      continue;
    }
    const merged = ctx.mergeUnequal(
      baseValue,
      mineValue,
      theirsValue,
      keyedChild(node, out.length, key, slot.id),
    );
    if (merged !== undefined) out.push(merged);
  }
  // Elements both sides deleted: merged as values all the same, so the deletion is reported.
  const bothDeleted = match.base.length - (seen.mineHeld + seen.theirsHeld - seen.bothHeld);
  for (let index = 0; bothDeleted > 0 && index < match.base.length; index++) {
    const slot = match.base[index]!;
    if (slot.mine < 0 && slot.theirs < 0)
      ctx.mergeValue(
        base[slot.base],
        undefined,
        undefined,
        keyedChild(node, out.length, key, slot.id),
      );
  }
  return out;
}
