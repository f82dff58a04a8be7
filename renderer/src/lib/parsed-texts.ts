// The last few texts the renderer parsed, with their parse. A conflicting save parsed the base and
// the operator's text again to build the merge, although the editor had parsed both already (the
// base when the tab opened, the edit as it was typed): megabytes each. Parsed values are shared,
// so they are never changed in place (the merge and its helpers build new values).
//
// A large text laid out like JSON.stringify is parsed a piece at a time (parseAlike), and a piece
// whose text is a piece of a kept text takes that value: typing into a 5 MB document parses the
// pieces that changed, Server now parses what the server changed, and the merge of the three
// meets the same objects where nothing changed.
import { detectStyle, parseAlike, parseJson, type ParseResult } from '../../../shared/json';
import type { Pieces } from '../../../shared/json';
import { textCache } from './text-cache';

type Kept = { parsed: ParseResult; pieces: Pieces | undefined };

// Looked up at every key press in a large editor (knownParse): compared, not hashed (text-cache).
const kept = textCache<Kept>(3);

/** parseJson(text), answered from the last texts parsed when it is one of them. */
export function parseText(text: string): ParseResult {
  const known = kept.get(text);
  if (known !== undefined) return known.parsed;
  // Small texts parse in no time: only large ones are worth holding on to.
  if (text.length < KEEP_FROM) return parseJson(text);
  const alike = parseAlike(
    text,
    detectStyle(text).indent,
    kept.values().flatMap((k) => (k.pieces ? [k.pieces] : [])),
  );
  const parsed: ParseResult = alike ? { ok: true, value: alike.value } : parseJson(text);
  kept.set(text, { parsed, pieces: alike?.pieces });
  return parsed;
}

/** The parse of `text` if it is one of the texts kept, without parsing it. */
export function knownParse(text: string): ParseResult | undefined {
  return kept.get(text)?.parsed;
}

/** Texts shorter than this are parsed again rather than kept. */
export const KEEP_FROM = 64 * 1024;
