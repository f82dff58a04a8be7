// The last few texts the renderer parsed, with their parse. A conflicting save parsed the base and
// the operator's text again to build the merge, although the editor had parsed both already (the
// base when the tab opened, the edit as it was typed): megabytes each. Parsed values are shared,
// so they are never changed in place (the merge and its helpers build new values).
import { parseJson, type ParseResult } from '../../../shared/json';
import { textCache } from './text-cache';

// Looked up at every key press in a large editor (knownParse): compared, not hashed (text-cache).
const kept = textCache<ParseResult>(3);

/** parseJson(text), answered from the last texts parsed when it is one of them. */
export function parseText(text: string): ParseResult {
  const known = kept.get(text);
  if (known !== undefined) return known;
  const parsed = parseJson(text);
  // Small texts parse in no time: only large ones are worth holding on to.
  if (text.length >= KEEP_FROM) kept.set(text, parsed);
  return parsed;
}

/** The parse of `text` if it is one of the texts kept, without parsing it. */
export function knownParse(text: string): ParseResult | undefined {
  return kept.get(text);
}

/** Texts shorter than this are parsed again rather than kept. */
export const KEEP_FROM = 64 * 1024;
