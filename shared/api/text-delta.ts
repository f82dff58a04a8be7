// A text sent as the pieces it shares with a text the other side already holds. Between the page
// and its host a save of a 5 MB document carried all of it, although the host had sent that
// document minutes before and the operator changed a few lines; the conflict's answer carried the
// server's version back, although it differs from the text just sent in a few lines too. Each
// crossing of an 8 MB body cost the page 150–350 ms. A delta names ranges of the base and carries
// only the characters the base does not have, with a fingerprint of the whole so that the
// receiver knows it rebuilt the very text that was sent.
//
// The delta is found a chunk at a time (about a kilobyte, ending at a line break): a chunk is
// where the base is expected to hold it (just after the last one found), or a little further on
// (text was inserted or deleted before it), or sent as it is. Every range is checked to be equal
// to its chunk before it is named, so the rebuilt text is the text whatever the base holds.
import type { Result } from '../json/types';

/** A range [start, end) of the base, or a number of characters taken from the sent ones. */
export type DeltaPart = number | readonly [start: number, end: number];

/** Texts shorter than this are sent whole: a delta would save less than finding it costs. */
export const DELTA_MIN_CHARS = 256 * 1024;

/** About how long a chunk is (it ends at the next line break, if one is near): an edit costs about this. */
const CHUNK = 256;
/** How far past the expected place a chunk is looked for in the base. */
const WINDOW = 64 * 1024;
/** A delta that would send more than this share of the text as it is is not worth it. */
const MAX_SENT_SHARE = 0.5;
/** Past this many characters sent, a base that held less than a fifth of the text is given up. */
const GIVE_UP = 64 * 1024;
/** Every this many chunks not found in a row, the whole rest of the base is searched. */
const RESYNC = 32;
/** Blocks compared at once while measuring the common start and end. */
const BLOCK = 16 * 1024;

export type TextDelta = {
  readonly parts: DeltaPart[];
  /** The characters the parts take as they are, in order. */
  readonly sent: string;
};

/**
 * `text` as ranges of `base` and characters sent as they are, or undefined when most of it would
 * be sent anyway. Never splits a surrogate pair between a range and the sent characters (those
 * cross as UTF-8, which has no lone surrogate).
 */
export function textDelta(text: string, base: string): TextDelta | undefined {
  const builder = new DeltaBuilder(text);
  const budget = text.length * MAX_SENT_SHARE;
  // The shared start ends, and the shared end starts, outside any surrogate pair.
  const head = pairSafe(text, commonHead(text, base));
  let tail = text.length - commonTail(text, base, head);
  if (tail > head && pairSafe(text, tail) !== tail) tail++;
  builder.range(0, head);
  let at = head;
  let expected = head;
  let found = head;
  let misses = 0;
  const baseEnd = base.length - (text.length - tail);
  while (at < tail) {
    const end = chunkEnd(text, at, tail);
    const chunk = text.slice(at, end);
    // Every so many misses in a row, the rest of the base is searched: text deleted past the
    // window leaves the next chunks further on than it reaches.
    const where = find(base, chunk, expected, baseEnd, ++misses % RESYNC === 0);
    if (where === -1) {
      builder.sent(at, end);
      // A base that does not hold this text (another document of about its length) is given up
      // soon, before a window search per chunk adds up.
      if (
        builder.sentChars > budget ||
        (builder.sentChars > GIVE_UP && builder.sentChars > 4 * found)
      )
        return undefined;
    } else {
      builder.range(where, where + chunk.length);
      expected = where + chunk.length;
      found += chunk.length;
      misses = 0;
    }
    at = end;
  }
  builder.range(baseEnd, base.length);
  return builder.sentChars > budget ? undefined : builder.done();
}

/** How many places of a text `likeness` looks for in a base, and how long a look is. */
const SAMPLES = 16;
const SAMPLE_CHARS = 128;

/**
 * The share (0 to 1) of SAMPLES places of `text` that `base` holds near where they would be, for
 * choosing a base before the pass over the text a delta takes: another document of the same
 * length and layout (a page holds a few) can cost that pass most of the way before it gives up.
 */
export function likeness(text: string, base: string): number {
  if (text.length < SAMPLES * SAMPLE_CHARS || base.length === 0) return text === base ? 1 : 0;
  const reach = WINDOW + Math.abs(text.length - base.length);
  let held = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const at = Math.floor(((k + 0.5) * (text.length - SAMPLE_CHARS)) / SAMPLES);
    const sample = text.slice(at, at + SAMPLE_CHARS);
    const near = Math.floor((at * base.length) / text.length);
    const from = Math.max(0, near - reach);
    if (base.slice(from, near + reach + SAMPLE_CHARS).includes(sample)) held++;
  }
  return held / SAMPLES;
}

/** Where the chunk starting at `at` ends: at a line break about CHUNK on, never inside a pair. */
function chunkEnd(text: string, at: number, limit: number): number {
  if (limit - at <= CHUNK) return limit;
  const lineBreak = text.indexOf('\n', at + CHUNK);
  const end = lineBreak !== -1 && lineBreak < at + 4 * CHUNK ? lineBreak + 1 : at + CHUNK;
  return Math.min(limit, pairSafe(text, end, at + 1));
}

/** `at`, or one before it when it falls between the halves of a surrogate pair (not below `min`). */
function pairSafe(text: string, at: number, min = 0): number {
  if (at <= min || at >= text.length) return at;
  const before = text.charCodeAt(at - 1);
  const after = text.charCodeAt(at);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff ? at - 1 : at;
}

/** Where `chunk` is in `base` between `from` and `limit`: at `from`, or within WINDOW after. */
function find(base: string, chunk: string, from: number, limit: number, far: boolean): number {
  if (from + chunk.length > limit) return -1;
  if (base.slice(from, from + chunk.length) === chunk) return from;
  const to = far ? limit : Math.min(limit, from + WINDOW + chunk.length);
  const at = base.slice(from, to).indexOf(chunk);
  return at === -1 ? -1 : from + at;
}

/** The length of the start `a` and `b` share. */
function commonHead(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= max && a.slice(at, at + BLOCK) === b.slice(at, at + BLOCK)) at += BLOCK;
  while (at < max && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** The length of the end `a` and `b` share, not reaching into the first `head` characters. */
function commonTail(a: string, b: string, head: number): number {
  const max = Math.min(a.length, b.length) - head;
  let n = 0;
  while (
    n + BLOCK <= max &&
    a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)
  )
    n += BLOCK;
  while (n < max && a.charCodeAt(a.length - n - 1) === b.charCodeAt(b.length - n - 1)) n++;
  return n;
}

class DeltaBuilder {
  readonly parts: DeltaPart[] = [];
  private readonly pieces: string[] = [];
  sentChars = 0;

  constructor(private readonly text: string) {}

  range(start: number, end: number): void {
    if (end <= start) return;
    const last = this.parts[this.parts.length - 1];
    if (typeof last === 'object' && last[1] === start)
      this.parts[this.parts.length - 1] = [last[0], end];
    else this.parts.push([start, end]);
  }

  sent(start: number, end: number): void {
    const last = this.parts[this.parts.length - 1];
    if (typeof last === 'number') this.parts[this.parts.length - 1] = last + (end - start);
    else this.parts.push(end - start);
    this.pieces.push(this.text.slice(start, end));
    this.sentChars += end - start;
  }

  done(): TextDelta {
    return { parts: this.parts, sent: this.pieces.join('') };
  }
}

/**
 * The text a delta describes, rebuilt from `base`; an error naming what does not fit when a part
 * lies outside the base, the sent characters do not add up, or the parts take more than `size`
 * characters or more than the base and the sent ones hold together.
 */
export function applyTextDelta(
  base: string,
  parts: readonly unknown[],
  sent: string,
  size: number,
): Result<string, string> {
  // Counted as the parts are taken, not once the text is built: a few bytes of parts naming the
  // whole base again and again would build hundreds of megabytes before the size was checked.
  // (textDelta names each character of the base once at most.)
  const max = Math.min(size, base.length + sent.length);
  const out: string[] = [];
  let taken = 0;
  let length = 0;
  for (const part of parts) {
    let piece: string;
    if (typeof part === 'number') {
      if (!Number.isSafeInteger(part) || part <= 0 || taken + part > sent.length)
        return {
          ok: false,
          error: `a part takes ${String(part)} characters of ${sent.length - taken} left`,
        };
      piece = sent.slice(taken, taken + part);
      taken += part;
    } else if (
      Array.isArray(part) &&
      part.length === 2 &&
      Number.isSafeInteger(part[0]) &&
      Number.isSafeInteger(part[1]) &&
      0 <= (part[0] as number) &&
      (part[0] as number) < (part[1] as number) &&
      (part[1] as number) <= base.length
    ) {
      piece = base.slice(part[0] as number, part[1] as number);
    } else {
      return {
        ok: false,
        error: `a part names no range of the ${base.length} characters of its base`,
      };
    }
    length += piece.length;
    if (length > max)
      return { ok: false, error: `the parts take more than the ${max} characters they may` };
    out.push(piece);
  }
  if (taken !== sent.length)
    return { ok: false, error: `${sent.length - taken} sent characters are left over` };
  return { ok: true, value: out.join('') };
}

/**
 * A fingerprint of a text: two 32-bit multiplicative hashes, in hex. It tells a rebuilt text from
 * the one sent (a base that was not the sender's); it is no defence against someone forging
 * texts, which the session credential keeps out.
 *
 * A well-formed text is hashed as its UTF-8 bytes four at a time, encoded natively a slice at a
 * time into one small buffer: a loop reading a character at a time took 30–45 ms over a 7.5 MB
 * document on this project's machine, and a conflicting save crosses four of them (the page and
 * the host each fingerprint the edit and Server now). A text with a lone surrogate is hashed by
 * its UTF-16 code units instead: UTF-8 would write it as U+FFFD and take it for that character.
 */
export function textCheck(text: string): string {
  const large = text.length >= DELTA_MIN_CHARS;
  const known = large ? recentChecks.find((entry) => entry.text === text) : undefined;
  if (known) return known.check;
  const check = wellFormed(text) ? utf8Check(text) : unitsCheck(text);
  if (large) {
    recentChecks.unshift({ text, check });
    recentChecks.length = Math.min(recentChecks.length, RECENT_CHECKS);
  }
  return check;
}

/**
 * The large texts fingerprinted last. The same text is checked again soon after: a draft's text
 * when the save of that very text follows it (the page, then the host rebuilding it), 20–40 ms a
 * time for a 5 MB document. A text compares equal at once when it is the same string, and a
 * different one of the same length differs within its first characters as a rule. The two texts
 * stay in memory until two others are checked.
 */
const recentChecks: Array<{ text: string; check: string }> = [];
const RECENT_CHECKS = 2;

/** Whether a text has no lone surrogate: String.prototype.isWellFormed (ES2024) where the engine has it. UTF-8, and so the wire, cannot carry one as it is. */
export function wellFormed(text: string): boolean {
  const native = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !LONE_SURROGATE.test(text);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// In every runtime this code runs in (Node, the browser, Electron's renderer), not in ES2023's lib.
declare const TextEncoder: new () => {
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
};

/** Characters encoded at once: at most 3 bytes each in UTF-8, so the buffer below holds them. */
const CHECK_SLICE = 16 * 1024;
let checkBytes: {
  encoder: InstanceType<typeof TextEncoder>;
  bytes: Uint8Array;
  words: Uint32Array;
};

function utf8Check(text: string): string {
  checkBytes ??= (() => {
    const bytes = new Uint8Array(CHECK_SLICE * 3);
    return { encoder: new TextEncoder(), bytes, words: new Uint32Array(bytes.buffer) };
  })();
  const { encoder, bytes, words } = checkBytes;
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let at = 0; at < text.length;) {
    let end = Math.min(text.length, at + CHECK_SLICE);
    // A surrogate pair is never cut in two (each half alone would be encoded as U+FFFD).
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const { written } = encoder.encodeInto(
      at === 0 && end === text.length ? text : text.slice(at, end),
      bytes,
    );
    const whole = written >>> 2;
    for (let i = 0; i < whole; i++) {
      const c = words[i]!;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    for (let i = whole << 2; i < written; i++) {
      const c = bytes[i]!;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    at = end;
  }
  return hex(a, b);
}

function unitsCheck(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return hex(a, b);
}

function hex(a: number, b: number): string {
  return `${(a >>> 0).toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`;
}
