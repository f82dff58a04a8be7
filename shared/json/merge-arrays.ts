// Array merging. Elements that are objects with a unique id-like key are matched by that key;
// anything else goes through diff3 built from two Myers diffs (jsdiff's diffArrays) over interned
// element fingerprints. Pure insertions at the same place by both sides are kept, mine first;
// edits of different sizes inside one unstable span are applied element-wise when they touch no
// common base element (mergeHunks).
import { diffArrays } from 'diff';
import { equal3, fingerprint } from './canonical';
import type { PathNode } from './merge-path';
import { child, keyedChild } from './merge-path';
import type { Choice, ConflictKind, Side, ChangeOp } from './merge-types';
import type { JsonArray, JsonValue } from './types';
import { isJsonObject } from './types';

export type MergeContext = {
  readonly idKeys: readonly string[];
  mergeValue(b: JsonValue | undefined, m: JsonValue | undefined, t: JsonValue | undefined, node: PathNode): JsonValue | undefined;
  change(node: PathNode | null, side: Side, op: ChangeOp): void;
  /** Records a conflict unless a choice settles it; returns what goes into the merged document. */
  conflictOrChoice(
    node: PathNode | null,
    idSuffix: string,
    kind: ConflictKind,
    values: { b: JsonValue | undefined; m: JsonValue | undefined; t: JsonValue | undefined },
    placeholder: JsonValue | undefined,
    apply: (choice: Choice) => JsonValue | undefined | typeof INVALID,
    slice?: { at: number; length: number },
  ): JsonValue | undefined;
};

export const INVALID = Symbol('invalid choice');

type Id = string | number | bigint;

/** One id across the three arrays: its index in each of base, mine and theirs (-1 when absent). */
type Slot = {
  readonly id: Id;
  b: number;
  m: number;
  t: number;
  /** Elements the non-leading side added right after this one (see mergeKeyed). */
  after: Slot[] | undefined;
};

type Keyed = { key: string; b: Slot[]; m: Slot[]; t: Slot[] };

function allObjects(array: JsonArray): boolean {
  for (const item of array) if (!isJsonObject(item)) return false;
  return true;
}

/** The element's own id under `key`, if it is a string or a number (bigint for ids beyond 2^53). */
function idIn(item: JsonValue, key: string): Id | undefined {
  if (!isJsonObject(item) || !Object.hasOwn(item, key)) return undefined;
  const id = item[key];
  return typeof id === 'string' || typeof id === 'number' || typeof id === 'bigint' ? id : undefined;
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
 * The first id key under which every element of all three arrays is an object with a unique id.
 * The three arrays are matched in the same pass: one map from id to its slot.
 */
export function findIdKey(b: JsonArray, m: JsonArray, t: JsonArray, idKeys: readonly string[]): Keyed | undefined {
  if (b.length + m.length + t.length === 0) return undefined;
  // Id-less additions are allowed only where base proves the array is keyed (see newElementId).
  if (!allObjects(b) || (b.length === 0 && (!allObjects(m) || !allObjects(t)))) return undefined;
  for (const key of idKeys) {
    const keyed = slotsFor(key, b, m, t);
    if (keyed !== undefined) return keyed;
  }
  return undefined;
}

function slotsFor(key: string, b: JsonArray, m: JsonArray, t: JsonArray): Keyed | undefined {
  const slots = new Map<Id, Slot>();
  const bs = new Array<Slot>(b.length);
  for (let i = 0; i < b.length; i++) {
    const id = idIn(b[i]!, key);
    if (id === undefined || slots.has(id)) return undefined;
    const slot: Slot = { id, b: i, m: -1, t: -1, after: undefined };
    slots.set(id, slot);
    bs[i] = slot;
  }
  const allowNew = b.length > 0;
  const ms = sideSlots(key, m, bs, slots, 'm', allowNew);
  const ts = ms && sideSlots(key, t, bs, slots, 't', allowNew);
  return ts && { key, b: bs, m: ms!, t: ts };
}

/**
 * Matches one side's elements to slots (new ones for ids base lacks); undefined on a duplicate
 * id or an element without one. Elements are first compared with the base element expected at
 * that point, so a side that kept base's order needs no map lookups but for its edits.
 */
function sideSlots(key: string, array: JsonArray, bs: readonly Slot[], slots: Map<Id, Slot>, side: 'm' | 't', allowNew: boolean): Slot[] | undefined {
  const out = new Array<Slot>(array.length);
  const seenNew = new Map<string, number>();
  let expect = 0;
  for (let i = 0; i < array.length; i++) {
    let id = idIn(array[i]!, key);
    if (id === undefined) {
      if (!allowNew) return undefined;
      id = newElementId(array[i]!, seenNew);
    }
    let slot = expect < bs.length && bs[expect]!.id === id ? bs[expect] : slots.get(id);
    if (slot === undefined) {
      slot = { id, b: -1, m: -1, t: -1, after: undefined };
      slots.set(id, slot);
    } else if (slot[side] !== -1) {
      return undefined;
    }
    slot[side] = i;
    if (slot.b >= 0) expect = slot.b + 1;
    out[i] = slot;
  }
  return out;
}

/** Elements of `extra` not already in `first` (by value), appended to `first`. */
export function unionArrays(first: JsonArray, extra: JsonArray): JsonArray {
  const seen = new Set(first.map(fingerprint));
  return [...first, ...extra.filter((item) => !seen.has(fingerprint(item)))];
}

export function mergeArrays(ctx: MergeContext, b: JsonArray, m: JsonArray, t: JsonArray, node: PathNode | null): JsonArray {
  const keyed = findIdKey(b, m, t, ctx.idKeys);
  return keyed === undefined ? mergeSequences(ctx, b, m, t, node) : mergeKeyed(ctx, b, m, t, keyed, node);
}

function inAll(slot: Slot): boolean {
  return slot.b >= 0 && slot.m >= 0 && slot.t >= 0;
}

/** The ids of the elements all three sides hold, in the order of `slots`. */
function common(slots: readonly Slot[]): Id[] {
  const ids: Id[] = [];
  for (const slot of slots) if (inAll(slot)) ids.push(slot.id);
  return ids;
}

function sameOrder(a: readonly Id[], b: readonly Id[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether `slots` lists the elements all three sides hold in an order other than base's. */
function moved(slots: readonly Slot[]): boolean {
  let last = -1;
  for (const slot of slots) {
    if (!inAll(slot)) continue;
    if (slot.b < last) return true;
    last = slot.b;
  }
  return false;
}

function mergeKeyed(ctx: MergeContext, b: JsonArray, m: JsonArray, t: JsonArray, keyed: Keyed, node: PathNode | null): JsonArray {
  const { key } = keyed;

  // Reordering is judged on the elements all three sides still hold.
  const mineMoved = moved(keyed.m);
  const theirsMoved = moved(keyed.t);
  let theirsLeads = theirsMoved && !mineMoved;
  const mCommon = mineMoved && theirsMoved ? common(keyed.m) : [];
  const tCommon = mineMoved && theirsMoved ? common(keyed.t) : [];
  if (mineMoved && theirsMoved && !sameOrder(mCommon, tCommon)) {
    const bCommon = common(keyed.b);
    const chosen = ctx.conflictOrChoice(
      node,
      '/$order',
      'both-reordered',
      { b: bCommon, m: mCommon, t: tCommon },
      mCommon,
      (choice) => (choice === 'theirs' ? tCommon : choice === 'mine' ? mCommon : INVALID),
    );
    theirsLeads = chosen === tCommon;
  } else if (theirsLeads) {
    ctx.change(node, 'theirs', 'reorder');
  } else if (mineMoved) {
    ctx.change(node, 'mine', 'reorder');
  }

  // One side's sequence is the backbone; the other's elements are slotted in after the element
  // they follow there (and after the backbone's own additions at that spot).
  const lead = theirsLeads ? keyed.t : keyed.m;
  const other = theirsLeads ? keyed.m : keyed.t;
  let first: Slot[] | undefined;
  let anchor: Slot | undefined;
  for (const slot of other) {
    if ((theirsLeads ? slot.t : slot.m) >= 0) {
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
  for (const slot of lead) {
    if (slot.b >= 0 || (theirsLeads ? slot.m : slot.t) >= 0) {
      if (pending !== undefined) for (const added of pending) order.push(added);
      pending = slot.after;
    }
    order.push(slot);
  }
  if (pending !== undefined) for (const added of pending) order.push(added);

  const out: JsonArray = [];
  for (const slot of order) {
    const bv = slot.b >= 0 ? b[slot.b] : undefined;
    const mv = slot.m >= 0 ? m[slot.m] : undefined;
    const tv = slot.t >= 0 ? t[slot.t] : undefined;
    // An element all three hold alike needs no merge (nor a path node).
    if (bv !== undefined && mv !== undefined && tv !== undefined && equal3(bv, mv, tv)) {
      out.push(mv);
      continue;
    }
    const merged = ctx.mergeValue(bv, mv, tv, keyedChild(node, out.length, key, slot.id));
    if (merged !== undefined) out.push(merged);
  }
  for (const slot of keyed.b) {
    if (slot.m < 0 && slot.t < 0) ctx.mergeValue(b[slot.b], undefined, undefined, keyedChild(node, out.length, key, slot.id));
  }
  return out;
}

/** For each index of `a`, the index of the matching element of `b` in their Myers diff, or -1. */
function matchIndices(a: number[], b: number[]): Int32Array {
  const match = new Int32Array(a.length).fill(-1);
  if (a.length === 0 || b.length === 0) return match;
  let i = 0;
  let j = 0;
  for (const part of diffArrays(a, b)) {
    if (part.added) j += part.count;
    else if (part.removed) i += part.count;
    else for (let n = 0; n < part.count; n++) match[i++] = j++;
  }
  return match;
}

function sameTokens(a: number[], aFrom: number, aTo: number, b: number[], bFrom: number, bTo: number): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  for (let n = 0; n < aTo - aFrom; n++) if (a[aFrom + n] !== b[bFrom + n]) return false;
  return true;
}

function opFor(baseLength: number, newLength: number): ChangeOp {
  return baseLength === 0 ? 'add' : newLength === 0 ? 'remove' : 'replace';
}

/** Interns elements as numbers: primitives by value, containers by fingerprint (two maps, so they cannot collide). */
class Interner {
  private readonly primitives = new Map<JsonValue, number>();
  private readonly containers = new Map<string, number>();
  private next = 0;

  tokens(array: JsonArray): number[] {
    const out = new Array<number>(array.length);
    for (let n = 0; n < array.length; n++) {
      const item = array[n]!;
      let token: number | undefined;
      if (typeof item === 'object' && item !== null) {
        const probe = fingerprint(item);
        token = this.containers.get(probe);
        if (token === undefined) this.containers.set(probe, (token = this.next++));
      } else {
        token = this.primitives.get(item);
        if (token === undefined) this.primitives.set(item, (token = this.next++));
      }
      out[n] = token;
    }
    return out;
  }
}

/**
 * For each base index, the index of the same element in `side` (or -1): the common head and tail
 * match in place, the middle through a Myers diff.
 */
function matchSide(bT: number[], sT: number[], head: number, tail: number): Int32Array {
  const at = new Int32Array(bT.length);
  for (let i = 0; i < head; i++) at[i] = i;
  const middle = matchIndices(bT.slice(head, bT.length - tail), sT.slice(head, sT.length - tail));
  for (let n = 0; n < middle.length; n++) at[head + n] = middle[n]! < 0 ? -1 : middle[n]! + head;
  for (let i = bT.length - tail; i < bT.length; i++) at[i] = i - bT.length + sT.length;
  return at;
}

function mergeSequences(ctx: MergeContext, b: JsonArray, m: JsonArray, t: JsonArray, node: PathNode | null): JsonArray {
  const interner = new Interner();
  const bT = interner.tokens(b);
  const mT = interner.tokens(m);
  const tT = interner.tokens(t);
  // Elements all three share at both ends need no diff (typical: appends, one edit in a long list).
  let head = 0;
  while (head < bT.length && head < mT.length && head < tT.length && bT[head] === mT[head] && bT[head] === tT[head]) head++;
  let tail = 0;
  while (
    tail < bT.length - head && tail < mT.length - head && tail < tT.length - head &&
    bT[bT.length - 1 - tail] === mT[mT.length - 1 - tail] && bT[bT.length - 1 - tail] === tT[tT.length - 1 - tail]
  ) tail++;
  const mAt = matchSide(bT, mT, head, tail);
  const tAt = matchSide(bT, tT, head, tail);

  const sides: Sides = { b, m, t, bT, mT, tT, mAt, tAt };
  const out: JsonArray = [];
  let i = 0;
  let j = 0;
  let k = 0;
  for (;;) {
    // Stable run: all three agree.
    while (i < b.length && mAt[i] === j && tAt[i] === k) {
      out.push(m[j]!);
      i++;
      j++;
      k++;
    }
    if (i >= b.length && j >= m.length && k >= t.length) break;
    // Unstable chunk: up to the next base element both sides kept.
    let i2 = i;
    while (i2 < b.length && (mAt[i2]! < 0 || tAt[i2]! < 0)) i2++;
    const j2 = i2 < b.length ? mAt[i2]! : m.length;
    const k2 = i2 < b.length ? tAt[i2]! : t.length;
    mergeChunk(ctx, sides, i, i2, j, j2, k, k2, node, out);
    i = i2;
    j = j2;
    k = k2;
  }
  return out;
}

type Sides = {
  b: JsonArray;
  m: JsonArray;
  t: JsonArray;
  bT: number[];
  mT: number[];
  tT: number[];
  /** For each base index, the matching index in mine / theirs, or -1. */
  mAt: Int32Array;
  tAt: Int32Array;
};

/** One side's edit inside a chunk: base [from, to) became the side's elements [at, end). */
type Hunk = { from: number; to: number; at: number; end: number };

/** A side's edits in base [i, i2) / side [j, j2): the runs between the base elements it kept. */
function hunks(at: Int32Array, i: number, i2: number, j: number, j2: number): Hunk[] {
  const out: Hunk[] = [];
  let from = i;
  let side = j;
  for (let q = i; q <= i2; q++) {
    if (q < i2 && at[q]! < 0) continue;
    const kept = q < i2 ? at[q]! : j2;
    if (q > from || kept > side) out.push({ from, to: q, at: side, end: kept });
    from = q + 1;
    side = kept + 1;
  }
  return out;
}

function isDeletion(hunk: Hunk): boolean {
  return hunk.at === hunk.end;
}

/**
 * Whether edit `x` lies wholly before edit `y` (by the other side) without touching it: it replaces
 * base elements before y's, or it inserts before y's start. Edits that meet are left alone:
 * replacements of the same elements, and an insertion at the edge of (or inside) the other side's
 * edit, where its place would be ambiguous.
 */
function before(x: Hunk, y: Hunk): boolean {
  return x.to < y.from || (x.to === y.from && x.from < x.to && y.from < y.to);
}

/**
 * Resolves an unstable chunk element-wise when mine's and theirs' edits inside it touch no common
 * base element (e.g. mine edits one element, theirs deletes its neighbour): each side's edits are
 * applied in base order. Returns false, having written nothing, when two edits meet. (Inside a
 * chunk no base element is kept by both sides, so the same run edited by both is the whole chunk,
 * which mergeChunk has settled before.)
 */
function mergeHunks(ctx: MergeContext, s: Sides, i: number, i2: number, j: number, j2: number, k: number, k2: number, node: PathNode | null, out: JsonArray): boolean {
  const mine = hunks(s.mAt, i, i2, j, j2);
  const theirs = hunks(s.tAt, i, i2, k, k2);
  // Deletions by the two sides that between them would empty the whole array: neither side asked
  // for an empty array, so that stays a conflict.
  if (i === 0 && i2 === s.b.length && mine.every(isDeletion) && theirs.every(isDeletion)) return false;
  // Each list is sorted by base position and its edits are apart, so one sweep finds any meeting.
  for (let a = 0, c = 0; a < mine.length && c < theirs.length; ) {
    if (before(mine[a]!, theirs[c]!)) a++;
    else if (before(theirs[c]!, mine[a]!)) c++;
    else return false;
  }
  let p = i;
  let a = 0;
  let c = 0;
  for (;;) {
    const h = mine[a];
    const g = theirs[c];
    if (h !== undefined && h.from === p) {
      take(ctx, node, out, h.to - h.from, s.m, h.at, h.end, 'mine');
      p = h.to;
      a++;
    } else if (g !== undefined && g.from === p) {
      take(ctx, node, out, g.to - g.from, s.t, g.at, g.end, 'theirs');
      p = g.to;
      c++;
    } else if (p < i2) {
      // A base element both kept (not expected inside a chunk): mine's copy, as in a stable run.
      out.push(s.m[s.mAt[p]!]!);
      p++;
    } else {
      return true;
    }
  }
}

/** Appends a run of one side's elements as that side's change. */
function take(ctx: MergeContext, node: PathNode | null, out: JsonArray, baseLength: number, array: JsonArray, from: number, to: number, side: Side): void {
  ctx.change(child(node, out.length), side, opFor(baseLength, to - from));
  for (let n = from; n < to; n++) out.push(array[n]!);
}

function mergeChunk(
  ctx: MergeContext,
  s: Sides,
  i: number,
  i2: number,
  j: number,
  j2: number,
  k: number,
  k2: number,
  node: PathNode | null,
  out: JsonArray,
): void {
  const bl = i2 - i;
  const ml = j2 - j;
  const tl = k2 - k;
  if (sameTokens(s.bT, i, i2, s.mT, j, j2)) return take(ctx, node, out, bl, s.t, k, k2, 'theirs');
  if (sameTokens(s.bT, i, i2, s.tT, k, k2)) return take(ctx, node, out, bl, s.m, j, j2, 'mine');
  if (sameTokens(s.mT, j, j2, s.tT, k, k2)) return take(ctx, node, out, bl, s.m, j, j2, 'both');
  if (bl === 0) {
    // Both inserted here: keep both, mine first, without repeating what both inserted.
    take(ctx, node, out, bl, s.m, j, j2, 'mine');
    const seen = new Set(s.mT.slice(j, j2));
    let first = true;
    for (let n = k; n < k2; n++) {
      if (seen.has(s.tT[n]!)) continue;
      if (first) ctx.change(child(node, out.length), 'theirs', 'add');
      first = false;
      out.push(s.t[n]!);
    }
    return;
  }
  if (bl === ml && bl === tl) {
    // Same-sized edits in place: pair the elements up and merge each.
    for (let n = 0; n < bl; n++) {
      const merged = ctx.mergeValue(s.b[i + n], s.m[j + n], s.t[k + n], child(node, out.length, '@' + (i + n)));
      if (merged !== undefined) out.push(merged);
    }
    return;
  }
  if (mergeHunks(ctx, s, i, i2, j, j2, k, k2, node, out)) return;
  const base = s.b.slice(i, i2);
  const mine = s.m.slice(j, j2);
  const theirs = s.t.slice(k, k2);
  const placeholder = ml > 0 ? mine : theirs;
  const kind: ConflictKind = ml === 0 ? 'mine-deleted' : tl === 0 ? 'theirs-deleted' : 'both-modified';
  const chosen = ctx.conflictOrChoice(
    node,
    `/@${i}..${i2}`,
    kind,
    { b: base, m: mine, t: theirs },
    placeholder,
    (choice) => {
      if (choice === 'mine') return mine;
      if (choice === 'theirs') return theirs;
      if (choice === 'base') return base;
      if (choice === 'both') return unionArrays(mine, theirs);
      return Array.isArray(choice.custom) ? choice.custom : INVALID;
    },
    { at: out.length, length: placeholder.length },
  );
  if (Array.isArray(chosen)) out.push(...chosen);
}
