// A line-based three-way merge with diff3 markers, as `git merge-file --diff3` writes it: the
// fallback for text the structural merge cannot read (invalid JSON, a file already holding conflict
// markers). Each side's changes against base come from a Myers diff over lines (jsdiff's
// diffArrays, bounded; see hunks); changes of the two sides that overlap or touch the same base lines form one chunk,
// which is taken from the side that changed it, or from either when both made it alike, or else
// written as a conflict.
import { diffArrays } from 'diff';
import { lineBreakOf } from './serialize';

export type LineMergeResult = { readonly text: string; readonly conflicts: number };

/** One side's change: base lines [baseStart, baseEnd) became side lines [sideStart, sideEnd). */
type Hunk = {
  readonly baseStart: number;
  readonly baseEnd: number;
  readonly sideStart: number;
  readonly sideEnd: number;
};

/** Lines with their terminators, so the text is rebuilt byte for byte. */
function linesOf(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/);
}

/** How many insertions and deletions the diff of the lines left to match may find before giving up. */
const MAX_LINE_EDITS = 2000;

/**
 * One side's changes against base. Myers' diff costs lines × edits, so first, as git's xdiff does:
 * the lines both texts begin and end with are set aside, and so is every line one text holds and
 * the other does not (an edit, surely). Only the lines left are diffed, and past MAX_LINE_EDITS
 * edits even they stand as one change: coarser, never wrong. A 30,000-line file with every third
 * line edited took 26 s; a file rewritten whole, minutes.
 */
function hunks(base: readonly string[], side: readonly string[]): Hunk[] {
  let start = 0;
  while (start < base.length && start < side.length && base[start] === side[start]) start++;
  let baseEnd = base.length;
  let sideEnd = side.length;
  while (baseEnd > start && sideEnd > start && base[baseEnd - 1] === side[sideEnd - 1]) {
    baseEnd--;
    sideEnd--;
  }
  // Changed lines of each text, between start and its end.
  const baseChanged = new Uint8Array(baseEnd - start);
  const sideChanged = new Uint8Array(sideEnd - start);
  const inSide = new Set<string>();
  for (let j = start; j < sideEnd; j++) inSide.add(side[j]!);
  const inBase = new Set<string>();
  for (let i = start; i < baseEnd; i++) inBase.add(base[i]!);
  const baseLeft: number[] = [];
  const sideLeft: number[] = [];
  for (let i = start; i < baseEnd; i++)
    if (inSide.has(base[i]!)) baseLeft.push(i);
    else baseChanged[i - start] = 1;
  for (let j = start; j < sideEnd; j++)
    if (inBase.has(side[j]!)) sideLeft.push(j);
    else sideChanged[j - start] = 1;
  const parts =
    baseLeft.length > 0 && sideLeft.length > 0
      ? diffArrays(
          baseLeft.map((i) => base[i]!),
          sideLeft.map((j) => side[j]!),
          { maxEditLength: MAX_LINE_EDITS },
        )
      : undefined;
  if (parts === undefined) {
    // Nothing left on one text to pair with, or past the bound: every line is a change.
    baseChanged.fill(1);
    sideChanged.fill(1);
  } else {
    let b = 0;
    let s = 0;
    for (const part of parts) {
      const count = part.count ?? part.value.length;
      if (part.added) for (let n = 0; n < count; n++) sideChanged[sideLeft[s++]! - start] = 1;
      else if (part.removed)
        for (let n = 0; n < count; n++) baseChanged[baseLeft[b++]! - start] = 1;
      else {
        b += count;
        s += count;
      }
    }
  }
  // The unchanged lines of the two texts pair up in order; the changed runs between are hunks.
  const out: Hunk[] = [];
  let i = start;
  let j = start;
  while (i < baseEnd || j < sideEnd) {
    if (i < baseEnd && j < sideEnd && !baseChanged[i - start] && !sideChanged[j - start]) {
      i++;
      j++;
      continue;
    }
    const hunk = { baseStart: i, sideStart: j };
    while (i < baseEnd && baseChanged[i - start]) i++;
    while (j < sideEnd && sideChanged[j - start]) j++;
    out.push({ ...hunk, baseEnd: i, sideEnd: j });
  }
  return out;
}

/**
 * Side lines standing for base lines [start, end), given that side's hunks inside that range and
 * `offset`, how far the side's lines had moved against base's before `start` (the growth of every
 * earlier hunk, kept as the merge goes).
 */
function sideRange(
  side: readonly string[],
  own: readonly Hunk[],
  start: number,
  end: number,
  offset: number,
): string[] {
  return side.slice(start + offset, end + offset + growth(own));
}

/** How many lines the hunks added, less those they removed. */
function growth(hunks: readonly Hunk[]): number {
  let lines = 0;
  for (const hunk of hunks)
    lines += hunk.sideEnd - hunk.sideStart - (hunk.baseEnd - hunk.baseStart);
  return lines;
}

export function mergeLines(
  baseText: string,
  mineText: string,
  theirsText: string,
  options: { readonly markerSize?: number } = {},
): LineMergeResult {
  const size = options.markerSize ?? 7;
  // Marker lines end like mine's lines (git merge-file does the same), so a CRLF file stays CRLF.
  const eol = lineBreakOf(mineText);
  const base = linesOf(baseText);
  const mine = linesOf(mineText);
  const theirs = linesOf(theirsText);
  const mineHunks = hunks(base, mine);
  const theirsHunks = hunks(base, theirs);
  const out: string[] = [];
  let conflicts = 0;
  let at = 0; // next base line to copy
  let mi = 0;
  let ti = 0;
  let mineOffset = 0;
  let theirsOffset = 0;
  const endLine = (lines: readonly string[]) => {
    const last = lines[lines.length - 1];
    if (last !== undefined && !last.endsWith('\n')) out.push(eol);
  };
  while (mi < mineHunks.length || ti < theirsHunks.length) {
    // The next chunk starts at the earliest hunk and grows while a hunk of either side overlaps or
    // touches it (git merge-file also takes edits to adjacent lines as one chunk).
    const nextMine = mineHunks[mi];
    const nextTheirs = theirsHunks[ti];
    const first =
      nextTheirs === undefined ||
      (nextMine !== undefined && nextMine.baseStart <= nextTheirs.baseStart)
        ? nextMine!
        : nextTheirs;
    const start = first.baseStart;
    let end = first.baseEnd;
    const mineFrom = mi;
    const theirsFrom = ti;
    for (let grew = true; grew;) {
      grew = false;
      while (mi < mineHunks.length && mineHunks[mi]!.baseStart <= end) {
        end = Math.max(end, mineHunks[mi]!.baseEnd);
        mi++;
        grew = true;
      }
      while (ti < theirsHunks.length && theirsHunks[ti]!.baseStart <= end) {
        end = Math.max(end, theirsHunks[ti]!.baseEnd);
        ti++;
        grew = true;
      }
    }
    for (let i = at; i < start; i++) out.push(base[i]!);
    const mineOwn = mineHunks.slice(mineFrom, mi);
    const theirsOwn = theirsHunks.slice(theirsFrom, ti);
    const mineLines = sideRange(mine, mineOwn, start, end, mineOffset);
    const theirsLines = sideRange(theirs, theirsOwn, start, end, theirsOffset);
    mineOffset += growth(mineOwn);
    theirsOffset += growth(theirsOwn);
    if (theirsOwn.length === 0 || mineLines.join('') === theirsLines.join('')) {
      pushAll(out, mineLines);
    } else if (mineOwn.length === 0) {
      pushAll(out, theirsLines);
    } else {
      conflicts++;
      out.push('<'.repeat(size) + ' ours' + eol);
      pushAll(out, mineLines);
      endLine(mineLines);
      out.push('|'.repeat(size) + ' base' + eol);
      for (let i = start; i < end; i++) out.push(base[i]!);
      endLine(base.slice(start, end));
      out.push('='.repeat(size) + eol);
      pushAll(out, theirsLines);
      endLine(theirsLines);
      out.push('>'.repeat(size) + ' theirs' + eol);
    }
    at = end;
  }
  for (let i = at; i < base.length; i++) out.push(base[i]!);
  return { text: out.join(''), conflicts };
}

/**
 * Appends `lines` one by one: spread as arguments, a hunk of a few hundred thousand lines (both
 * sides rewrote a long file) overflowed the stack and the merge failed.
 */
function pushAll(out: string[], lines: readonly string[]): void {
  for (let i = 0; i < lines.length; i++) out.push(lines[i]!);
}
