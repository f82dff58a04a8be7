// Arrays without ids: diff3 over the three sequences, built from two Myers diffs (jsdiff's
// diffArrays) of base against each side over interned element fingerprints. Runs all three agree
// on are stable; between them lie chunks. Pure insertions at the same place by both sides are kept,
// mine first; edits of different sizes inside one chunk are applied element-wise when they touch no
// common base element (mergeHunks); anything else is a conflict over the chunk's element runs.
import { diffArrays } from 'diff';
import { fingerprint } from './canonical';
import type { MergeContext } from './merge-context';
import type { PathNode } from './merge-path';
import { child } from './merge-path';
import type { ChangeOp, ConflictKind, Side } from './merge-types';
import type { JsonArray, JsonValue } from './types';

/** For each index of `a`, the index of the matching element of `b` in their Myers diff, or -1. */
function matchIndices(a: number[], b: number[]): Int32Array {
  const match = new Int32Array(a.length).fill(-1);
  if (a.length === 0 || b.length === 0) return match;
  let inA = 0;
  let inB = 0;
  for (const part of diffArrays(a, b)) {
    if (part.added) inB += part.count;
    else if (part.removed) inA += part.count;
    else for (let n = 0; n < part.count; n++) match[inA++] = inB++;
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
 * For each base index, the index of the same element in the side (or -1): the common head and tail
 * match in place, the middle through a Myers diff.
 */
function matchSide(baseTokens: number[], sideTokens: number[], head: number, tail: number): Int32Array {
  const inSide = new Int32Array(baseTokens.length);
  for (let baseIndex = 0; baseIndex < head; baseIndex++) inSide[baseIndex] = baseIndex;
  const middle = matchIndices(baseTokens.slice(head, baseTokens.length - tail), sideTokens.slice(head, sideTokens.length - tail));
  for (let n = 0; n < middle.length; n++) inSide[head + n] = middle[n]! < 0 ? -1 : middle[n]! + head;
  for (let baseIndex = baseTokens.length - tail; baseIndex < baseTokens.length; baseIndex++) {
    inSide[baseIndex] = baseIndex - baseTokens.length + sideTokens.length;
  }
  return inSide;
}

/** The three sequences, their interned tokens, and where each base element sits in each side. */
type Sequences = {
  base: JsonArray;
  mine: JsonArray;
  theirs: JsonArray;
  baseTokens: number[];
  mineTokens: number[];
  theirsTokens: number[];
  /** For each base index, the index of the same element in mine (theirs), or -1. */
  inMine: Int32Array;
  inTheirs: Int32Array;
};

/** An unstable stretch: base [baseFrom, baseTo) became mine [mineFrom, mineTo) and theirs [theirsFrom, theirsTo). */
type Chunk = {
  baseFrom: number;
  baseTo: number;
  mineFrom: number;
  mineTo: number;
  theirsFrom: number;
  theirsTo: number;
};

export function mergeSequences(ctx: MergeContext, base: JsonArray, mine: JsonArray, theirs: JsonArray, node: PathNode | null): JsonArray {
  const interner = new Interner();
  const baseTokens = interner.tokens(base);
  const mineTokens = interner.tokens(mine);
  const theirsTokens = interner.tokens(theirs);
  // Elements all three share at both ends need no diff (typical: appends, one edit in a long list).
  let head = 0;
  while (
    head < baseTokens.length && head < mineTokens.length && head < theirsTokens.length &&
    baseTokens[head] === mineTokens[head] && baseTokens[head] === theirsTokens[head]
  ) head++;
  let tail = 0;
  while (
    tail < baseTokens.length - head && tail < mineTokens.length - head && tail < theirsTokens.length - head &&
    baseTokens[baseTokens.length - 1 - tail] === mineTokens[mineTokens.length - 1 - tail] &&
    baseTokens[baseTokens.length - 1 - tail] === theirsTokens[theirsTokens.length - 1 - tail]
  ) tail++;
  const inMine = matchSide(baseTokens, mineTokens, head, tail);
  const inTheirs = matchSide(baseTokens, theirsTokens, head, tail);

  const sequences: Sequences = { base, mine, theirs, baseTokens, mineTokens, theirsTokens, inMine, inTheirs };
  const out: JsonArray = [];
  let baseAt = 0;
  let mineAt = 0;
  let theirsAt = 0;
  for (;;) {
    // Stable run: all three agree.
    while (baseAt < base.length && inMine[baseAt] === mineAt && inTheirs[baseAt] === theirsAt) {
      out.push(mine[mineAt]!);
      baseAt++;
      mineAt++;
      theirsAt++;
    }
    if (baseAt >= base.length && mineAt >= mine.length && theirsAt >= theirs.length) break;
    // Unstable chunk: up to the next base element both sides kept (or the end of all three).
    let baseTo = baseAt;
    while (baseTo < base.length && (inMine[baseTo]! < 0 || inTheirs[baseTo]! < 0)) baseTo++;
    const chunk: Chunk = {
      baseFrom: baseAt,
      baseTo,
      mineFrom: mineAt,
      mineTo: baseTo < base.length ? inMine[baseTo]! : mine.length,
      theirsFrom: theirsAt,
      theirsTo: baseTo < base.length ? inTheirs[baseTo]! : theirs.length,
    };
    mergeChunk(ctx, sequences, chunk, node, out);
    baseAt = chunk.baseTo;
    mineAt = chunk.mineTo;
    theirsAt = chunk.theirsTo;
  }
  return out;
}

/** One side's edit inside a chunk: base [baseFrom, baseTo) became the side's [sideFrom, sideTo). */
type Hunk = { baseFrom: number; baseTo: number; sideFrom: number; sideTo: number };

/** A side's edits in base [baseFrom, baseTo) / side [sideFrom, sideTo): the runs between the base elements it kept. */
function hunks(inSide: Int32Array, baseFrom: number, baseTo: number, sideFrom: number, sideTo: number): Hunk[] {
  const out: Hunk[] = [];
  let editFrom = baseFrom;
  let editSideFrom = sideFrom;
  for (let baseIndex = baseFrom; baseIndex <= baseTo; baseIndex++) {
    if (baseIndex < baseTo && inSide[baseIndex]! < 0) continue;
    // A base element this side kept (or the chunk's end) closes the edit before it.
    const kept = baseIndex < baseTo ? inSide[baseIndex]! : sideTo;
    if (baseIndex > editFrom || kept > editSideFrom) out.push({ baseFrom: editFrom, baseTo: baseIndex, sideFrom: editSideFrom, sideTo: kept });
    editFrom = baseIndex + 1;
    editSideFrom = kept + 1;
  }
  return out;
}

function isDeletion(hunk: Hunk): boolean {
  return hunk.sideFrom === hunk.sideTo;
}

/**
 * Whether edit `x` lies wholly before edit `y` (by the other side) without touching it: it replaces
 * base elements before y's, or it inserts before y's start. Edits that meet are left alone:
 * replacements of the same elements, and an insertion at the edge of (or inside) the other side's
 * edit, where its place would be ambiguous.
 */
function before(x: Hunk, y: Hunk): boolean {
  return x.baseTo < y.baseFrom || (x.baseTo === y.baseFrom && x.baseFrom < x.baseTo && y.baseFrom < y.baseTo);
}

/**
 * Resolves a chunk element-wise when mine's and theirs' edits inside it touch no common base
 * element (e.g. mine edits one element, theirs deletes its neighbour): each side's edits are
 * applied in base order. Returns false, having written nothing, when two edits meet. (Inside a
 * chunk no base element is kept by both sides, so the same run edited by both is the whole chunk,
 * which mergeChunk has settled before.)
 */
function mergeHunks(ctx: MergeContext, s: Sequences, chunk: Chunk, node: PathNode | null, out: JsonArray): boolean {
  const mineEdits = hunks(s.inMine, chunk.baseFrom, chunk.baseTo, chunk.mineFrom, chunk.mineTo);
  const theirsEdits = hunks(s.inTheirs, chunk.baseFrom, chunk.baseTo, chunk.theirsFrom, chunk.theirsTo);
  // Deletions by the two sides that between them would empty the whole array: neither side asked
  // for an empty array, so that stays a conflict.
  if (chunk.baseFrom === 0 && chunk.baseTo === s.base.length && mineEdits.every(isDeletion) && theirsEdits.every(isDeletion)) return false;
  // Each list is sorted by base position and its edits are apart, so one sweep finds any meeting.
  for (let m = 0, t = 0; m < mineEdits.length && t < theirsEdits.length; ) {
    if (before(mineEdits[m]!, theirsEdits[t]!)) m++;
    else if (before(theirsEdits[t]!, mineEdits[m]!)) t++;
    else return false;
  }
  let baseIndex = chunk.baseFrom;
  let nextMine = 0;
  let nextTheirs = 0;
  for (;;) {
    const mineEdit = mineEdits[nextMine];
    const theirsEdit = theirsEdits[nextTheirs];
    if (mineEdit !== undefined && mineEdit.baseFrom === baseIndex) {
      take(ctx, node, out, mineEdit.baseTo - mineEdit.baseFrom, s.mine, mineEdit.sideFrom, mineEdit.sideTo, 'mine');
      baseIndex = mineEdit.baseTo;
      nextMine++;
    } else if (theirsEdit !== undefined && theirsEdit.baseFrom === baseIndex) {
      take(ctx, node, out, theirsEdit.baseTo - theirsEdit.baseFrom, s.theirs, theirsEdit.sideFrom, theirsEdit.sideTo, 'theirs');
      baseIndex = theirsEdit.baseTo;
      nextTheirs++;
    } else if (baseIndex < chunk.baseTo) {
      // A base element both kept (not expected inside a chunk): mine's copy, as in a stable run.
      out.push(s.mine[s.inMine[baseIndex]!]!);
      baseIndex++;
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

function mergeChunk(ctx: MergeContext, s: Sequences, chunk: Chunk, node: PathNode | null, out: JsonArray): void {
  const { baseFrom, baseTo, mineFrom, mineTo, theirsFrom, theirsTo } = chunk;
  const baseLength = baseTo - baseFrom;
  const mineLength = mineTo - mineFrom;
  const theirsLength = theirsTo - theirsFrom;
  // Only one side changed the chunk, or both alike: take that change.
  if (sameTokens(s.baseTokens, baseFrom, baseTo, s.mineTokens, mineFrom, mineTo)) return take(ctx, node, out, baseLength, s.theirs, theirsFrom, theirsTo, 'theirs');
  if (sameTokens(s.baseTokens, baseFrom, baseTo, s.theirsTokens, theirsFrom, theirsTo)) return take(ctx, node, out, baseLength, s.mine, mineFrom, mineTo, 'mine');
  if (sameTokens(s.mineTokens, mineFrom, mineTo, s.theirsTokens, theirsFrom, theirsTo)) return take(ctx, node, out, baseLength, s.mine, mineFrom, mineTo, 'both');
  if (baseLength === 0) {
    // Both inserted here: keep both, mine first, without repeating what both inserted.
    take(ctx, node, out, baseLength, s.mine, mineFrom, mineTo, 'mine');
    const seen = new Set(s.mineTokens.slice(mineFrom, mineTo));
    let first = true;
    for (let n = theirsFrom; n < theirsTo; n++) {
      if (seen.has(s.theirsTokens[n]!)) continue;
      if (first) ctx.change(child(node, out.length), 'theirs', 'add');
      first = false;
      out.push(s.theirs[n]!);
    }
    return;
  }
  if (baseLength === mineLength && baseLength === theirsLength) {
    // Same-sized edits in place: pair the elements up and merge each (ids name the base index).
    for (let n = 0; n < baseLength; n++) {
      const merged = ctx.mergeValue(s.base[baseFrom + n], s.mine[mineFrom + n], s.theirs[theirsFrom + n], child(node, out.length, '@' + (baseFrom + n)));
      if (merged !== undefined) out.push(merged);
    }
    return;
  }
  if (mergeHunks(ctx, s, chunk, node, out)) return;
  const baseRun = s.base.slice(baseFrom, baseTo);
  const mineRun = s.mine.slice(mineFrom, mineTo);
  const theirsRun = s.theirs.slice(theirsFrom, theirsTo);
  // Nothing is dropped by default: mine's run stands, or theirs' when mine deleted the chunk.
  const placeholder = mineLength > 0 ? mineRun : theirsRun;
  const kind: ConflictKind = mineLength === 0 ? 'mine-deleted' : theirsLength === 0 ? 'theirs-deleted' : 'both-modified';
  const chosen = ctx.conflictOrChoice(
    node,
    `/@${baseFrom}..${baseTo}`,
    kind,
    { base: baseRun, mine: mineRun, theirs: theirsRun },
    placeholder,
    { at: out.length, length: placeholder.length },
  );
  if (Array.isArray(chosen)) out.push(...chosen);
}
