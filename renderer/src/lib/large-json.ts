// Which language a JSON model is edited in, by its size (lib/monaco registers `json-large`): pure,
// so the rule is tested without an editor.

/** Texts this long are edited as `json-large` (see lib/monaco). */
export const LARGE_JSON_CHARS = 1 << 20;
export const LARGE_JSON_LANGUAGE = 'json-large';
/**
 * A large model goes back to `json` only below this: typing or cutting at the edge would otherwise
 * switch the language at every key, each switch to `json` sending the whole text to its worker.
 */
export const LARGE_JSON_LEAVE_CHARS = (LARGE_JSON_CHARS * 3) / 4;

/** The language a new JSON text is edited in: `json`, or `json-large` from LARGE_JSON_CHARS up. */
export const languageFor = (length: number): string =>
  length >= LARGE_JSON_CHARS ? LARGE_JSON_LANGUAGE : 'json';

/** The language a model of `length` characters now in `current` should be in. */
export function languageFitting(length: number, current: string): string {
  if (current === LARGE_JSON_LANGUAGE && length >= LARGE_JSON_LEAVE_CHARS) return current;
  return languageFor(length);
}

/**
 * Whether a model in `language` colours its bracket pairs. Monaco builds a tree of every bracket in
 * the document for the colours when it first draws it (about 60 ms of a 1 MB document's opening,
 * before a line is shown); a `json-large` model goes without, as it goes without the language
 * service. Bracket matching still works: it builds the tree when the cursor first asks for a pair.
 */
export const coloursBracketPairs = (language: string): boolean => language !== LARGE_JSON_LANGUAGE;
