// The text-in, text-out pipeline used by the CLI and the benchmark: strict parse of the three
// sides, merge3, and serialisation in mine's layout (indent, trailing newline).
import { merge3 } from './merge3';
import type { MergeOptions, MergeResult } from './merge-types';
import type { ParseError } from './parse';
import { parseJson } from './parse';
import { detectStyle, stringifyJson } from './serialize';
import type { JsonValue, Result } from './types';

export type TextSide = 'base' | 'mine' | 'theirs';

export type MergeTextResult = Result<{ text: string; result: MergeResult }, { side: TextSide; error: ParseError }>;

export function mergeText(base: string, mine: string, theirs: string, options: MergeOptions = {}): MergeTextResult {
  const values: JsonValue[] = [];
  const sides: [TextSide, string][] = [['base', base], ['mine', mine], ['theirs', theirs]];
  for (const [side, text] of sides) {
    const parsed = parseJson(text);
    if (!parsed.ok) return { ok: false, error: { side, error: parsed.error } };
    values.push(parsed.value);
  }
  const result = merge3(values[0]!, values[1]!, values[2]!, options);
  return { ok: true, value: { text: stringifyJson(result.merged, detectStyle(mine)), result } };
}
