// The one stretch in which two texts differ: what an editor must replace to turn the text it shows
// into the one it is given. A merge decision changes a few characters of a 5 MB result; replacing
// the whole text rebuilt the editor's line index, kept 8 MB in its undo stack and lost its place.

export type Span = {
  /** Where the difference starts (the same in both texts). */
  start: number;
  /** Where it ends in the old text, and in the new one: the parts after are equal. */
  endBefore: number;
  endAfter: number;
};

const CHUNK = 4096;

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** The smallest span outside which `before` and `after` are equal; null when they are equal. */
export function changedSpan(before: string, after: string): Span | null {
  if (before === after) return null;
  const shorter = Math.min(before.length, after.length);
  // Equal chunks are compared as strings (a memory comparison), the last one character by character.
  let start = 0;
  while (
    start + CHUNK <= shorter &&
    before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)
  )
    start += CHUNK;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  const room = shorter - start;
  while (
    tail + CHUNK <= room &&
    before.slice(before.length - tail - CHUNK, before.length - tail) ===
      after.slice(after.length - tail - CHUNK, after.length - tail)
  )
    tail += CHUNK;
  while (
    tail < room &&
    before.charCodeAt(before.length - tail - 1) === after.charCodeAt(after.length - tail - 1)
  )
    tail++;
  // An edge is not put inside a surrogate pair (just after a high surrogate): Monaco widens such a
  // range to the whole pair but inserts the text given, so half the pair was lost ("😀" to "😁"
  // share the first half). The span takes in the whole pair instead.
  while (start > 0 && isHigh(before.charCodeAt(start - 1))) start--;
  while (tail > 0 && isHigh(before.charCodeAt(before.length - tail - 1))) tail--;
  return { start, endBefore: before.length - tail, endAfter: after.length - tail };
}

/** An edit of an editor's text: replace `start`..`end` (offsets in that text) with `text`. */
export type TextEdit = { start: number; end: number; text: string };

/**
 * The edit that turns `shown`, an editor model's text whose line breaks are all `eol`, into
 * `value`; null when there is nothing to change.
 */
export function editFor(shown: string, eol: string, value: string): TextEdit | null {
  // The model writes every line break it is given as its own. A CRLF text given to a model whose
  // lines end in LF is compared in LF: a span that ended between its "\r" and "\n" inserted the
  // "\r" as a line break of its own, a blank line more per change. (A CRLF model places an offset
  // inside its "\r\n" at the line's end, so an LF text needs no rewriting there.)
  const target = eol === '\n' && value.includes('\r') ? value.replace(/\r\n?/g, '\n') : value;
  const span = changedSpan(shown, target);
  if (span === null) return null;
  return { start: span.start, end: span.endBefore, text: target.slice(span.start, span.endAfter) };
}
