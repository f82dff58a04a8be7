// A line-based three-way merge with diff3 markers, as `git merge-file --diff3` writes it: the
// fallback for text the structural merge cannot read (invalid JSON, a file already holding conflict
// markers). Each side's changes against base come from a Myers diff over lines (jsdiff's
// diffArrays); changes of the two sides that overlap or touch the same base lines form one chunk,
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

function hunks(base: readonly string[], side: readonly string[]): Hunk[] {
  const out: Hunk[] = [];
  let b = 0;
  let s = 0;
  let open: { baseStart: number; sideStart: number } | undefined;
  for (const part of diffArrays(base as string[], side as string[])) {
    const count = part.count ?? part.value.length;
    if (!part.added && !part.removed) {
      if (open) out.push({ ...open, baseEnd: b, sideEnd: s });
      open = undefined;
      b += count;
      s += count;
      continue;
    }
    open ??= { baseStart: b, sideStart: s };
    if (part.added) s += count;
    else b += count;
  }
  if (open) out.push({ ...open, baseEnd: b, sideEnd: s });
  return out;
}

/** Side lines standing for base lines [start, end), given that side's hunks inside that range. */
function sideRange(
  side: readonly string[],
  own: readonly Hunk[],
  start: number,
  end: number,
  before: readonly Hunk[],
): string[] {
  // Offset of the side against base up to `start`: the sum of the growth of every earlier hunk.
  let offset = 0;
  for (const hunk of before)
    offset += hunk.sideEnd - hunk.sideStart - (hunk.baseEnd - hunk.baseStart);
  let growth = 0;
  for (const hunk of own) growth += hunk.sideEnd - hunk.sideStart - (hunk.baseEnd - hunk.baseStart);
  return side.slice(start + offset, end + offset + growth);
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
    const mineLines = sideRange(mine, mineOwn, start, end, mineHunks.slice(0, mineFrom));
    const theirsLines = sideRange(theirs, theirsOwn, start, end, theirsHunks.slice(0, theirsFrom));
    if (theirsOwn.length === 0 || mineLines.join('') === theirsLines.join('')) {
      out.push(...mineLines);
    } else if (mineOwn.length === 0) {
      out.push(...theirsLines);
    } else {
      conflicts++;
      out.push('<'.repeat(size) + ' ours' + eol, ...mineLines);
      endLine(mineLines);
      out.push('|'.repeat(size) + ' base' + eol, ...base.slice(start, end));
      endLine(base.slice(start, end));
      out.push('='.repeat(size) + eol, ...theirsLines);
      endLine(theirsLines);
      out.push('>'.repeat(size) + ' theirs' + eol);
    }
    at = end;
  }
  for (let i = at; i < base.length; i++) out.push(base[i]!);
  return { text: out.join(''), conflicts };
}
