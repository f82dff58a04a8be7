// The text-in, text-out pipeline used by the CLI and the benchmark: strict parse of the three
// sides, merge3, and serialisation in mine's layout (indent, trailing newline).
import { merge3 } from './merge3';
import type { MergeOptions, MergeResult } from './merge-types';
import type { ParseError } from './parse';
import { parseJson } from './parse';
import { detectStyle, stringifyJson } from './serialize';
import type { JsonValue, Result } from './types';

export type TextSide = 'base' | 'mine' | 'theirs';

export type MergeTextResult = Result<
  {
    readonly text: string;
    result: MergeResult;
    /** The three parsed sides (base as merged: an empty container when the text was empty). */
    values: { base: JsonValue; mine: JsonValue; theirs: JsonValue };
  },
  { side: TextSide; error: ParseError }
>;

export function mergeText(
  base: string,
  mine: string,
  theirs: string,
  options: MergeOptions = {},
): MergeTextResult {
  const values: Array<JsonValue | undefined> = [];
  const sides: [TextSide, string][] = [
    ['base', base],
    ['mine', mine],
    ['theirs', theirs],
  ];
  for (const [side, raw] of sides) {
    const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw; // a byte-order mark is not content
    // git hands an empty ancestor when both branches added the file: base is then "nothing".
    if (side === 'base' && text.trim() === '') {
      values.push(undefined);
      continue;
    }
    const parsed = parseJson(text);
    if (!parsed.ok) return { ok: false, error: { side, error: parsed.error } };
    values.push(parsed.value);
  }
  const [m, t] = [values[1]!, values[2]!];
  const b = values[0] ?? emptyLike(m, t);
  const result = merge3(b, m, t, options);
  // The text is written on first use: a caller writing conflict markers never needs it.
  let text: string | undefined;
  const value = {
    get text(): string {
      text ??= stringifyJson(
        result.merged,
        detectStyle(mine.charCodeAt(0) === 0xfeff ? mine.slice(1) : mine),
      );
      return text;
    },
    result,
    values: { base: b, mine: m, theirs: t },
  };
  return { ok: true, value };
}

/** The ancestor of two additions: an empty container of their shared kind, so their members merge. */
function emptyLike(a: JsonValue, b: JsonValue): JsonValue {
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
  return null;
}
