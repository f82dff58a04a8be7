// The parse an editor shows (its "Not valid JSON" banner, its Save button) for the text being
// typed. A small text is parsed at every change. A large one is parsed once typing pauses: a strict
// parse of a 5 MB document took about 50 ms, so parsing it at every key press made each one a long
// task. Until the pause, the last parse stands (as an IDE's diagnostics lag the typing); a save in
// that moment is still checked, by the backend, which refuses text that is not JSON.
import { useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import type { ParseResult } from '../../../shared/json';
import { knownParse, parseText } from './parsed-texts';

/**
 * Texts this long are large: parsed after a pause in typing rather than at every change, their
 * merge highlights found again after a pause, their brackets matched only next to the cursor.
 */
export const LARGE_TEXT = 256 * 1024;
/** How long typing must pause before a large text is parsed. */
export const SETTLE_MS = 250;

/**
 * What to show for `text`: its parse when it is small or settled, else the last one settled (stale
 * for a moment, as diagnostics are), or before any, a parse already known for it. Pure, so the rule
 * is tested without a view. A large text is looked up among the known parses only before the first
 * settles: the lookup hashes the whole text, 10 ms at 5 MB, too much for every key press.
 */
export function shownParse(
  text: string,
  settled: ParseResult | null,
  parse: (text: string) => ParseResult = parseText,
): ParseResult | null {
  if (text.length < LARGE_TEXT) return parse(text);
  if (settled === null) return knownParse(text) ?? null;
  // The settled parse: of this very text, or of the one before the last key presses.
  return settled;
}

/** What to show for `text` (see shownParse); null for no text at all. */
export function useSettledParse(text: string | null): ParseResult | null {
  return useSettledParseState(text).parse;
}

/**
 * useSettledParse, and whether the text has settled: true for a small text, and for a large one
 * once the parse after the pause is of this very text. The pause's render happens in the timer's
 * own task, and with it the effects waiting for the pause (the merge view finds its highlights
 * again then): one long task per pause, where a render scheduled apart made two.
 */
export function useSettledParseState(text: string | null): {
  parse: ParseResult | null;
  settled: boolean;
} {
  const [settled, setSettled] = useState<{ text: string; parse: ParseResult } | null>(null);
  useEffect(() => {
    if (text === null || text.length < LARGE_TEXT) return;
    const timer = setTimeout(() => {
      const parse = parseText(text);
      flushSync(() => setSettled({ text, parse }));
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const parse = useMemo(
    () => (text === null ? null : shownParse(text, settled?.parse ?? null)),
    [text, settled],
  );
  return {
    parse,
    settled: text !== null && (text.length < LARGE_TEXT || settled?.text === text),
  };
}
