// Arrays without ids: diff3 over the three sequences, built from two Myers diffs (jsdiff's
// diffArrays) of base against each side over element tokens (a primitive stands for itself, a
// container for its fingerprint). Runs all three agree on are stable; between them lie chunks. Pure insertions at the same place by both sides are kept,
// mine first; edits of different sizes inside one chunk are applied element-wise when they touch no
// common base element (mergeHunks); anything else is a conflict over the chunk's element runs.
import { diffArrays } from 'diff';
import { fingerprint } from './canonical';
import type { MergeContext } from './merge-context';
import type { PathNode } from './merge-path';
import { child } from './merge-path';
import type { ChangeOp, ConflictKind, Side } from './merge-types';
import type { JsonArray, JsonValue } from './types';

/** How many insertions and deletions a diff of two array middles may find before giving up. */
const MAX_EDITS = 2000;

/** For each index of `a`, the index of the matching element of `b` in their Myers diff, or -1. */
function matchIndices(a: readonly Token[], b: readonly Token[]): number[] {
  const match: number[] = [];
  for (let n = 0; n < a.length; n++) match.push(-1);
  if (a.length === 0 || b.length === 0) return match;
  let inA = 0;
  let inB = 0;
  // Myers' cost grows with length × edits: two long arrays with little in common (a server that
  // rewrote one whole) took a minute, the host frozen. Past the bound nothing is matched: the
  // middle is one chunk (a change, or a conflict over the run), coarser but never wrong.
  const parts = diffArrays(a as Token[], b as Token[], { maxEditLength: MAX_EDITS });
  if (parts === undefined) return match;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    if (part.added) inB += part.count;
    else if (part.removed) inA += part.count;
    else for (let n = 0; n < part.count; n++) match[inA++] = inB++;
  }
  return match;
}

function sameTokens(
  a: readonly Token[],
  aFrom: number,
  aTo: number,
  b: readonly Token[],
  bFrom: number,
  bTo: number,
): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  for (let n = 0; n < aTo - aFrom; n++) if (a[aFrom + n] !== b[bFrom + n]) return false;
  return true;
}

function opFor(baseLength: number, newLength: number): ChangeOp {
  return baseLength === 0 ? 'add' : newLength === 0 ? 'remove' : 'replace';
}

/**
 * What the diff compares: a primitive stands for itself (=== is JSON equality for primitives), a
 * container for the one token object of its fingerprint, so equal containers compare === too.
 */
type Token = JsonValue | ContainerToken;
type ContainerToken = { readonly fingerprint: string };

/** Tokens of the three arrays; an array of primitives is its own list of tokens (no copy, no map). */
class Tokens {
  private containers: Map<string, ContainerToken> | undefined;

  of(array: JsonArray): readonly Token[] {
    let n = 0;
    while (n < array.length && !isContainer(array[n]!)) n++;
    if (n === array.length) return array;
    const out: Token[] = array.slice(0, n);
    for (; n < array.length; n++) {
      const item = array[n]!;
      if (!isContainer(item)) {
        out.push(item);
        continue;
      }
      const print = fingerprint(item);
      this.containers ??= new Map();
      let token = this.containers.get(print);
      if (token === undefined) this.containers.set(print, (token = { fingerprint: print }));
      out.push(token);
    }
    return out;
  }
}

function isContainer(value: JsonValue): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * For each base index, the index of the same element in the side (or -1): the common head and tail
 * match in place, the middle through a Myers diff.
 */
function matchSide(
  baseTokens: readonly Token[],
  sideTokens: readonly Token[],
  head: number,
  tail: number,
): number[] {
  // Plain arrays of small integers: most sequences merged are a few elements long, where a typed
  // array's buffer would weigh more than the array.
  const inSide: number[] = [];
  for (let baseIndex = 0; baseIndex < head; baseIndex++) inSide.push(baseIndex);
  const baseEnd = baseTokens.length - tail;
  const sideEnd = sideTokens.length - tail;
  if (baseEnd > head && sideEnd > head) {
    const middle = matchIndices(baseTokens.slice(head, baseEnd), sideTokens.slice(head, sideEnd));
    for (let n = 0; n < middle.length; n++) inSide.push(middle[n]! < 0 ? -1 : middle[n]! + head);
  } else {
    // One of the middles is empty: nothing there to match, no diff to run.
    for (let baseIndex = head; baseIndex < baseEnd; baseIndex++) inSide.push(-1);
  }
  for (let baseIndex = baseEnd; baseIndex < baseTokens.length; baseIndex++)
    inSide.push(baseIndex - baseTokens.length + sideTokens.length);
  return inSide;
}

/** The three sequences, their interned tokens, and where each base element sits in each side. */
type Sequences = {
  base: JsonArray;
  mine: JsonArray;
  theirs: JsonArray;
  baseTokens: readonly Token[];
  mineTokens: readonly Token[];
  theirsTokens: readonly Token[];
  /** For each base index, the index of the same element in mine (theirs), or -1. */
  inMine: readonly number[];
  inTheirs: readonly number[];
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

export function mergeSequences(
  ctx: MergeContext,
  base: JsonArray,
  mine: JsonArray,
  theirs: JsonArray,
  node: PathNode | null,
): JsonArray {
  const tokens = new Tokens();
  const baseTokens = tokens.of(base);
  const mineTokens = tokens.of(mine);
  const theirsTokens = tokens.of(theirs);
  // Elements all three share at both ends need no diff (typical: appends, one edit in a long list).
  let head = 0;
  while (
    head < baseTokens.length &&
    head < mineTokens.length &&
    head < theirsTokens.length &&
    baseTokens[head] === mineTokens[head] &&
    baseTokens[head] === theirsTokens[head]
  )
    head++;
  let tail = 0;
  while (
    tail < baseTokens.length - head &&
    tail < mineTokens.length - head &&
    tail < theirsTokens.length - head &&
    baseTokens[baseTokens.length - 1 - tail] === mineTokens[mineTokens.length - 1 - tail] &&
    baseTokens[baseTokens.length - 1 - tail] === theirsTokens[theirsTokens.length - 1 - tail]
  )
    tail++;
  const inMine = matchSide(baseTokens, mineTokens, head, tail);
  const inTheirs = matchSide(baseTokens, theirsTokens, head, tail);

  const sequences: Sequences = {
    base,
    mine,
    theirs,
    baseTokens,
    mineTokens,
    theirsTokens,
    inMine,
    inTheirs,
  };
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
function hunks(
  inSide: readonly number[],
  baseFrom: number,
  baseTo: number,
  sideFrom: number,
  sideTo: number,
): Hunk[] {
  const out: Hunk[] = [];
  let editFrom = baseFrom;
  let editSideFrom = sideFrom;
  for (let baseIndex = baseFrom; baseIndex <= baseTo; baseIndex++) {
    if (baseIndex < baseTo && inSide[baseIndex]! < 0) continue;
    // A base element this side kept (or the chunk's end) closes the edit before it.
    const kept = baseIndex < baseTo ? inSide[baseIndex]! : sideTo;
    if (baseIndex > editFrom || kept > editSideFrom)
      out.push({ baseFrom: editFrom, baseTo: baseIndex, sideFrom: editSideFrom, sideTo: kept });
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
  return (
    x.baseTo < y.baseFrom ||
    (x.baseTo === y.baseFrom && x.baseFrom < x.baseTo && y.baseFrom < y.baseTo)
  );
}

/**
 * Resolves a chunk element-wise when mine's and theirs' edits inside it touch no common base
 * element (e.g. mine edits one element, theirs deletes its neighbour): each side's edits are
 * applied in base order. Returns false, having written nothing, when two edits meet. (Inside a
 * chunk no base element is kept by both sides, so the same run edited by both is the whole chunk,
 * which mergeChunk has settled before.)
 */
function mergeHunks(
  ctx: MergeContext,
  s: Sequences,
  chunk: Chunk,
  node: PathNode | null,
  out: JsonArray,
): boolean {
  const mineEdits = hunks(s.inMine, chunk.baseFrom, chunk.baseTo, chunk.mineFrom, chunk.mineTo);
  const theirsEdits = hunks(
    s.inTheirs,
    chunk.baseFrom,
    chunk.baseTo,
    chunk.theirsFrom,
    chunk.theirsTo,
  );
  // Deletions by the two sides that between them would empty the whole array: neither side asked
  // for an empty array, so that stays a conflict.
  if (
    chunk.baseFrom === 0 &&
    chunk.baseTo === s.base.length &&
    mineEdits.every(isDeletion) &&
    theirsEdits.every(isDeletion)
  )
    return false;
  // Each list is sorted by base position and its edits are apart, so one sweep finds any meeting.
  for (let m = 0, t = 0; m < mineEdits.length && t < theirsEdits.length;) {
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
      take(
        ctx,
        node,
        out,
        mineEdit.baseTo - mineEdit.baseFrom,
        s.mine,
        mineEdit.sideFrom,
        mineEdit.sideTo,
        'mine',
      );
      baseIndex = mineEdit.baseTo;
      nextMine++;
    } else if (theirsEdit !== undefined && theirsEdit.baseFrom === baseIndex) {
      take(
        ctx,
        node,
        out,
        theirsEdit.baseTo - theirsEdit.baseFrom,
        s.theirs,
        theirsEdit.sideFrom,
        theirsEdit.sideTo,
        'theirs',
      );
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
function take(
  ctx: MergeContext,
  node: PathNode | null,
  out: JsonArray,
  baseLength: number,
  array: JsonArray,
  from: number,
  to: number,
  side: Side,
): void {
  ctx.change(child(node, out.length), side, opFor(baseLength, to - from));
  for (let n = from; n < to; n++) out.push(array[n]!);
}

function mergeChunk(
  ctx: MergeContext,
  s: Sequences,
  chunk: Chunk,
  node: PathNode | null,
  out: JsonArray,
): void {
  const { baseFrom, baseTo, mineFrom, mineTo, theirsFrom, theirsTo } = chunk;
  const baseLength = baseTo - baseFrom;
  const mineLength = mineTo - mineFrom;
  const theirsLength = theirsTo - theirsFrom;
  // Only one side changed the chunk, or both alike: take that change.
  if (sameTokens(s.baseTokens, baseFrom, baseTo, s.mineTokens, mineFrom, mineTo))
    return take(ctx, node, out, baseLength, s.theirs, theirsFrom, theirsTo, 'theirs');
  if (sameTokens(s.baseTokens, baseFrom, baseTo, s.theirsTokens, theirsFrom, theirsTo))
    return take(ctx, node, out, baseLength, s.mine, mineFrom, mineTo, 'mine');
  if (sameTokens(s.mineTokens, mineFrom, mineTo, s.theirsTokens, theirsFrom, theirsTo))
    return take(ctx, node, out, baseLength, s.mine, mineFrom, mineTo, 'both');
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
      const merged = ctx.mergeValue(
        s.base[baseFrom + n],
        s.mine[mineFrom + n],
        s.theirs[theirsFrom + n],
        child(node, out.length, '@' + (baseFrom + n)),
      );
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
  const kind: ConflictKind =
    mineLength === 0 ? 'mine-deleted' : theirsLength === 0 ? 'theirs-deleted' : 'both-modified';
  const chosen = ctx.conflictOrChoice(
    node,
    `/@${baseFrom}..${baseTo}`,
    kind,
    { base: baseRun, mine: mineRun, theirs: theirsRun },
    placeholder,
    { at: out.length, length: placeholder.length },
  );
  // One by one: spread as arguments, a run of a few hundred thousand elements (both sides
  // rewrote a long list) overflowed the stack and the merge failed.
  if (Array.isArray(chosen)) for (let n = 0; n < chosen.length; n++) out.push(chosen[n]!);
}
