// The text-in, text-out pipeline used by the CLI and the benchmark: strict parse of the three
// sides, merge3, and serialisation in mine's layout (indent, trailing newline).
import { merge3 } from './merge3';
import type { MergeOptions, MergeResult } from './merge-types';
import type { ParseError } from './parse';
import { parseJson } from './parse';
import type { AlikeParse, Pieces } from './parse-alike';
import { parseAlike } from './parse-alike';
import { detectStyle, stringifyJson } from './serialize';
import type { JsonValue, Result } from './types';

export type TextSide = 'base' | 'mine' | 'theirs';

export type MergeTextResult = Result<
  {
    readonly text: string;
    result: MergeResult;
    /** The three parsed sides (base as merged: an empty container when the text was empty). */
    values: { base: JsonValue | undefined; mine: JsonValue; theirs: JsonValue };
    /**
     * The pieces mine's and theirs' texts were cut into (mine's first), for a writer to copy a
     * member kept whole instead of printing it (see side-texts.ts); none for a side that was not
     * cut, or whose text holds a carriage return.
     */
    pieces: readonly Pieces[];
  },
  { side: TextSide; error: ParseError }
>;

export function mergeText(
  base: string,
  mine: string,
  theirs: string,
  options: MergeOptions = {},
): MergeTextResult {
  const texts = { base: withoutMark(base), mine: withoutMark(mine), theirs: withoutMark(theirs) };
  // git hands an empty ancestor when both branches added the file: base is then "nothing".
  const noBase = texts.base.trim() === '';
  // Mine is cut into pieces when laid out like JSON.stringify; base and theirs then parse only
  // the pieces they changed (parse-alike). Text that does not fit is parsed whole.
  const style = detectStyle(texts.mine);
  const indent = style.indent;
  const alikeMine = parseAlike(texts.mine, indent);
  const alikeBase =
    alikeMine && !noBase ? parseAlike(texts.base, indent, [alikeMine.pieces]) : undefined;
  const alikeTheirs =
    alikeMine &&
    parseAlike(
      texts.theirs,
      indent,
      alikeBase ? [alikeMine.pieces, alikeBase.pieces] : [alikeMine.pieces],
    );
  const alike = { base: alikeBase, mine: alikeMine, theirs: alikeTheirs };
  const values: Array<JsonValue | undefined> = [];
  for (const side of ['base', 'mine', 'theirs'] as const) {
    if (side === 'base' && noBase) {
      values.push(undefined);
      continue;
    }
    const known = alike[side];
    if (known !== undefined) {
      values.push(known.value);
      continue;
    }
    const parsed = parseJson(texts[side]);
    if (!parsed.ok) return { ok: false, error: { side, error: parsed.error } };
    values.push(parsed.value);
  }
  const [m, t] = [values[1]!, values[2]!];
  // Not `??`: a base that is the document `null` is a base, not a missing one.
  const b = noBase ? emptyLike(m, t) : values[0];
  // No list of changes unless asked: the merge command does not read it, and without it a member
  // only one side changed is taken whole (see MergeOptions.changes).
  const result = merge3(b, m, t, { changes: false, ...options });
  // The text is written on first use: a caller writing conflict markers never needs it.
  let text: string | undefined;
  const value = {
    get text(): string {
      text ??= stringifyJson(result.merged, style);
      return text;
    },
    result,
    values: { base: b, mine: m, theirs: t },
    pieces: [...copyable(texts.mine, alikeMine), ...copyable(texts.theirs, alikeTheirs)],
  };
  return { ok: true, value };
}

/**
 * A side's pieces, to copy from: not from a text holding a carriage return (a CRLF line in an LF
 * file), which copied would bring that line break into a merge written with mine's.
 */
function copyable(text: string, alike: AlikeParse | undefined): Pieces[] {
  return alike !== undefined && !text.includes('\r') ? [alike.pieces] : [];
}

/** A byte-order mark is not content. */
export function withoutMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The ancestor of two additions: an empty container of their shared kind, so their members merge;
 * none (undefined) when their kinds differ, so the two stand as two additions.
 */
function emptyLike(a: JsonValue, b: JsonValue): JsonValue | undefined {
  if (Array.isArray(a) && Array.isArray(b)) return [];
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  )
    return {};
  return undefined;
}
