// Array merging. Elements that are objects with a unique id-like key are matched by that key;
// anything else goes through diff3 built from two Myers diffs (jsdiff's diffArrays) over interned
// element fingerprints. Pure insertions at the same place by both sides are kept, mine first.
import { diffArrays } from 'diff';
import { fingerprint } from './canonical';
import type { PathNode } from './merge-path';
import { child } from './merge-path';
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

type Id = string | number;

type Keyed = { key: string; ids: Id[][]; at: Map<Id, number>[] };

/** The first id key under which every element of all three arrays is an object with a unique id. */
export function findIdKey(arrays: readonly JsonArray[], idKeys: readonly string[]): Keyed | undefined {
  let total = 0;
  for (const array of arrays) {
    for (const item of array) if (!isJsonObject(item)) return undefined;
    total += array.length;
  }
  if (total === 0) return undefined;
  candidates: for (const key of idKeys) {
    const ids: Id[][] = [];
    const at: Map<Id, number>[] = [];
    for (const array of arrays) {
      const list: Id[] = new Array<Id>(array.length);
      const index = new Map<Id, number>();
      for (let i = 0; i < array.length; i++) {
        const item = array[i] as Record<string, JsonValue>;
        const id = item[key];
        if ((typeof id !== 'string' && typeof id !== 'number') || index.has(id) || !Object.hasOwn(item, key)) continue candidates;
        index.set(id, i);
        list[i] = id;
      }
      ids.push(list);
      at.push(index);
    }
    return { key, ids, at };
  }
  return undefined;
}

/** Elements of `extra` not already in `first` (by value), appended to `first`. */
export function unionArrays(first: JsonArray, extra: JsonArray): JsonArray {
  const seen = new Set(first.map(fingerprint));
  return [...first, ...extra.filter((item) => !seen.has(fingerprint(item)))];
}

export function mergeArrays(ctx: MergeContext, b: JsonArray, m: JsonArray, t: JsonArray, node: PathNode | null): JsonArray {
  const keyed = findIdKey([b, m, t], ctx.idKeys);
  return keyed === undefined ? mergeSequences(ctx, b, m, t, node) : mergeKeyed(ctx, b, m, t, keyed, node);
}

function sameOrder(a: readonly Id[], b: readonly Id[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Whether `ids` lists the elements all three sides hold in an order other than base's. */
function moved(ids: readonly Id[], bAt: Map<Id, number>, x: Map<Id, number>, y: Map<Id, number>): boolean {
  let last = -1;
  for (const id of ids) {
    const i = bAt.get(id);
    if (i === undefined || !x.has(id) || !y.has(id)) continue;
    if (i < last) return true;
    last = i;
  }
  return false;
}

function mergeKeyed(ctx: MergeContext, b: JsonArray, m: JsonArray, t: JsonArray, keyed: Keyed, node: PathNode | null): JsonArray {
  const { key } = keyed;
  const [bIds, mIds, tIds] = keyed.ids as [Id[], Id[], Id[]];
  const [bAt, mAt, tAt] = keyed.at as [Map<Id, number>, Map<Id, number>, Map<Id, number>];

  // Reordering is judged on the elements all three sides still hold.
  const common = (ids: Id[]) => ids.filter((id) => bAt.has(id) && mAt.has(id) && tAt.has(id));
  const mineMoved = moved(mIds, bAt, mAt, tAt);
  const theirsMoved = moved(tIds, bAt, mAt, tAt);
  let theirsLeads = theirsMoved && !mineMoved;
  const mCommon = mineMoved && theirsMoved ? common(mIds) : [];
  const tCommon = mineMoved && theirsMoved ? common(tIds) : [];
  if (mineMoved && theirsMoved && !sameOrder(mCommon, tCommon)) {
    const bCommon = common(bIds);
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
  const lead = theirsLeads ? tIds : mIds;
  const other = theirsLeads ? mIds : tIds;
  const otherAt = theirsLeads ? mAt : tAt;
  const inLead = new Set(lead);
  const START: unique symbol = Symbol('start');
  const groups = new Map<Id | typeof START, Id[]>();
  let anchor: Id | typeof START = START;
  for (const id of other) {
    if (inLead.has(id)) {
      anchor = id;
    } else {
      const group = groups.get(anchor);
      if (group) group.push(id);
      else groups.set(anchor, [id]);
    }
  }
  const order: Id[] = [];
  let pending: Id | typeof START = START;
  const flush = () => {
    const group = groups.get(pending);
    if (group) order.push(...group);
  };
  for (const id of lead) {
    if (bAt.has(id) || otherAt.has(id)) {
      flush();
      pending = id;
    }
    order.push(id);
  }
  flush();

  const out: JsonArray = [];
  const at = (map: Map<Id, number>, array: JsonArray, id: Id) => {
    const i = map.get(id);
    return i === undefined ? undefined : array[i];
  };
  const idSeg = (id: Id) => `[${key}=${JSON.stringify(id)}]`;
  for (const id of order) {
    const merged = ctx.mergeValue(at(bAt, b, id), at(mAt, m, id), at(tAt, t, id), child(node, out.length, idSeg(id)));
    if (merged !== undefined) out.push(merged);
  }
  for (const id of bIds) {
    if (!mAt.has(id) && !tAt.has(id)) ctx.mergeValue(at(bAt, b, id), undefined, undefined, child(node, out.length, idSeg(id)));
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

function mergeSequences(ctx: MergeContext, b: JsonArray, m: JsonArray, t: JsonArray, node: PathNode | null): JsonArray {
  // Primitives are interned by value, containers by fingerprint (two maps, so they cannot collide).
  const primitives = new Map<JsonValue, number>();
  const containers = new Map<string, number>();
  let next = 0;
  const tokens = (array: JsonArray) =>
    array.map((item) => {
      const container = typeof item === 'object' && item !== null;
      const map: Map<JsonValue, number> = container ? containers : primitives;
      const probe = container ? fingerprint(item) : item;
      let token = map.get(probe);
      if (token === undefined) map.set(probe, (token = next++));
      return token;
    });
  const bT = tokens(b);
  const mT = tokens(m);
  const tT = tokens(t);
  // Elements all three share at both ends need no diff (typical: appends, one edit in a long list).
  let head = 0;
  while (head < bT.length && head < mT.length && head < tT.length && bT[head] === mT[head] && bT[head] === tT[head]) head++;
  let tail = 0;
  while (
    tail < bT.length - head && tail < mT.length - head && tail < tT.length - head &&
    bT[bT.length - 1 - tail] === mT[mT.length - 1 - tail] && bT[bT.length - 1 - tail] === tT[tT.length - 1 - tail]
  ) tail++;
  const mOf = matchIndices(bT.slice(head, bT.length - tail), mT.slice(head, mT.length - tail));
  const tOf = matchIndices(bT.slice(head, bT.length - tail), tT.slice(head, tT.length - tail));
  // Indices below are absolute; the match tables are offset by `head`.
  const mAt = (i: number) => (i < head ? i : i >= bT.length - tail ? i - bT.length + mT.length : mOf[i - head]! < 0 ? -1 : mOf[i - head]! + head);
  const tAt = (i: number) => (i < head ? i : i >= bT.length - tail ? i - bT.length + tT.length : tOf[i - head]! < 0 ? -1 : tOf[i - head]! + head);

  const out: JsonArray = [];
  let i = 0;
  let j = 0;
  let k = 0;
  for (;;) {
    // Stable run: all three agree.
    while (i < b.length && mAt(i) === j && tAt(i) === k) {
      out.push(m[j]!);
      i++;
      j++;
      k++;
    }
    if (i >= b.length && j >= m.length && k >= t.length) break;
    // Unstable chunk: up to the next base element both sides kept.
    let i2 = i;
    while (i2 < b.length && (mAt(i2) < 0 || tAt(i2) < 0)) i2++;
    const j2 = i2 < b.length ? mAt(i2) : m.length;
    const k2 = i2 < b.length ? tAt(i2) : t.length;
    mergeChunk(ctx, { b, m, t, bT, mT, tT }, [i, i2], [j, j2], [k, k2], node, out);
    i = i2;
    j = j2;
    k = k2;
  }
  return out;
}

type Sides = { b: JsonArray; m: JsonArray; t: JsonArray; bT: number[]; mT: number[]; tT: number[] };

function mergeChunk(
  ctx: MergeContext,
  s: Sides,
  [i, i2]: [number, number],
  [j, j2]: [number, number],
  [k, k2]: [number, number],
  node: PathNode | null,
  out: JsonArray,
): void {
  const bl = i2 - i;
  const ml = j2 - j;
  const tl = k2 - k;
  const take = (array: JsonArray, from: number, to: number, side: Side) => {
    ctx.change(child(node, out.length), side, opFor(bl, to - from));
    for (let n = from; n < to; n++) out.push(array[n]!);
  };
  if (sameTokens(s.bT, i, i2, s.mT, j, j2)) return take(s.t, k, k2, 'theirs');
  if (sameTokens(s.bT, i, i2, s.tT, k, k2)) return take(s.m, j, j2, 'mine');
  if (sameTokens(s.mT, j, j2, s.tT, k, k2)) return take(s.m, j, j2, 'both');
  if (bl === 0) {
    // Both inserted here: keep both, mine first, without repeating what both inserted.
    take(s.m, j, j2, 'mine');
    const seen = new Set(s.mT.slice(j, j2));
    const extra = s.t.slice(k, k2).filter((_, n) => !seen.has(s.tT[k + n]!));
    if (extra.length > 0) ctx.change(child(node, out.length), 'theirs', 'add');
    out.push(...extra);
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
