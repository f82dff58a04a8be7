import type { DeltaPart } from './text-delta';
import {
  applyTextDelta,
  DELTA_MIN_CHARS,
  likeness,
  textCheck,
  textDelta,
  wellFormed,
} from './text-delta';

// JSON over HTTP cannot carry bigint (integers beyond 2^53 that the merge keeps exactly), so the
// web transport tags them; IPC's structured clone carries them natively.
const TAG = '$conflictDeskBigInt';
/**
 * A document's own object that looks like a tag (a member named TAG or ESCAPED) travels as its
 * list of entries under ESCAPED, so the receiver gives back that object, not a bigint.
 */
const ESCAPED = '$conflictDeskEscaped';

function looksLikeTag(v: object): boolean {
  return !Array.isArray(v) && (Object.hasOwn(v, TAG) || Object.hasOwn(v, ESCAPED));
}

// Replacers and revivers make JSON several times slower, and megabyte documents cross here: take
// the plain path unless a bigint is present (stringify throws on one) or the text names a tag.
export function encodeWire(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (!text.includes(TAG) && !text.includes(ESCAPED)) return text;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'bigint'
      ? { [TAG]: v.toString() }
      : typeof v === 'object' && v !== null && looksLikeTag(v)
        ? { [ESCAPED]: Object.entries(v) }
        : v,
  );
}

/** Integer literals this long may be beyond 2^53; shorter ones never are. */
const LONG_INTEGER = /\d{16}/;

export function decodeWire(text: string): unknown {
  const hasTags = text.includes(TAG) || text.includes(ESCAPED);
  if (!hasTags && !LONG_INTEGER.test(text)) return JSON.parse(text);
  // Revived from the inside out: an escaped object's entries are plain arrays, so nothing inside
  // it is taken for a tag before the object is rebuilt.
  return JSON.parse(text, (_key, v: unknown, context?: { source?: string }) => {
    // A plain integer a double cannot hold (a script's 9007199254740993) would be written back
    // rounded without a word: refused, naming the tag that carries it exactly. Where the engine
    // gives no source text, nothing is checked.
    if (typeof v === 'number') {
      const source = context?.source;
      if (source !== undefined && /^-?\d{16,}$/.test(source) && !sameInteger(v, source))
        throw new Error(
          `the integer ${source.length > 40 ? `${source.slice(0, 40)}…` : source} is beyond what a JSON number holds exactly (2^53): send it as {"${TAG}": "…"}`,
        );
      return v;
    }
    if (!hasTags || typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    if (keys.length !== 1) return v;
    const tagged = (v as Record<string, unknown>)[TAG];
    if (typeof tagged === 'string' && /^-?\d+$/.test(tagged)) return BigInt(tagged);
    const entries = (v as Record<string, unknown>)[ESCAPED];
    if (Array.isArray(entries) && entries.every(isEntry)) {
      const out: Record<string, unknown> = {};
      // defineProperty: a member named __proto__ stays an own member.
      for (const [key, item] of entries)
        Object.defineProperty(out, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    return v;
  });
}

/** Whether a literal's double is the literal: written back the same, or exactly its value. */
function sameInteger(value: number, source: string): boolean {
  return Number.isFinite(value) && (String(value) === source || BigInt(value) === BigInt(source));
}

function isEntry(entry: unknown): entry is [string, unknown] {
  return Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string';
}

// Framed bodies (browser mode, between the page and its host). A document text of megabytes is
// most of an open, save or conflict message; inside JSON every quote and newline of it is escaped
// on one side and unescaped on the other. A framed body carries such strings after the JSON, as
// they are:
//
//   {"frames":[{"path":["theirs","text"],"length":8123456}]}   ← header: where each string goes
//   {"kind":"conflict","theirs":{"text":null,…},…}             ← the message, those strings null
//   <the strings, one after another>
//
// Lengths count UTF-16 code units of the decoded text. Neither JSON line holds a raw newline, so
// each ends at the first one. Scripts never see this: the host answers framed only to a request
// that accepts FRAMES_TYPE, and reads one only when it says it is one.
//
// A frame may carry an `id`, under which either side may keep its text, and a string the other
// side already holds by id (a document it sent or received) may be sent as a `delta` of it
// (text-delta.ts): ranges of that text, the frame's characters for the rest, and the whole text's
// size and fingerprint, checked after it is rebuilt.
//
//   {"frames":[{"path":["text"],"length":5210,"id":"p-…","delta":{"base":"h-…","size":7898958,
//     "check":"…","parts":[[0,81233],37,[81270,160002],…]}}]}
export const FRAMES_TYPE = 'application/x-conflict-desk-frames';
/** Whether a content type (a request's or an answer's) says the body is framed. */
export function isFramed(contentType: string | null | undefined): boolean {
  return (contentType ?? '').startsWith(FRAMES_TYPE);
}

/** How a side names the strings it frames, and the texts the receiver holds by id. */
export type TextLinks = {
  /** A new id for a framed string (unique: the receiver may keep the text under it). */
  readonly newId: () => string;
  /**
   * Texts the receiver holds, by id, most likely base first: a framed string of DELTA_MIN_CHARS
   * or more is sent as a delta of the first of them it shares most of its text with.
   */
  readonly bases?: ReadonlyArray<readonly [string, string]>;
};

/** A body as encodeBody makes it, with the strings it framed under their ids. */
export type EncodedBody = {
  type: string;
  text: string;
  framed: Array<[string, string]>;
};

/**
 * A message as the page and its host send it, with its content type: framed when `frames` allows
 * it and a string is worth a frame, else JSON. With `links`, framed strings get ids and may be
 * sent as deltas of the texts it names.
 */
export function encodeBody(value: unknown, frames: boolean, links?: TextLinks): EncodedBody {
  const framed: Array<[string, string]> = [];
  const body = frames ? encodeFrames(value, links, framed) : undefined;
  return body === undefined
    ? { type: 'application/json', text: encodeWire(value), framed: [] }
    : { type: FRAMES_TYPE, text: body, framed };
}

/** A body back into its value, read as its content type says (framed or JSON). */
export function decodeBody(text: string, contentType: string | null | undefined): unknown {
  return decodeBodyWith(text, contentType).value;
}

/**
 * decodeBody, with the strings that came framed under their ids. A delta of a text `base` does
 * not hold, or that rebuilds to another text than the one sent, throws a TextBaseError (the
 * sender may send the message again without deltas); so do framed strings adding up to more than
 * `maxChars` characters.
 */
export function decodeBodyWith(
  text: string,
  contentType: string | null | undefined,
  base?: (id: string) => string | undefined,
  maxChars = Infinity,
): { value: unknown; framed: Array<[string, string]> } {
  return isFramed(contentType)
    ? decodeFramesWith(text, base ?? (() => undefined), maxChars)
    : { value: decodeWire(text), framed: [] };
}

/** A delta frame whose base the receiver does not hold (or not as the sender held it). */
export class TextBaseError extends Error {}

/** Strings shorter than this stay in the JSON (escaping them costs less than a frame). */
export const FRAME_MIN_CHARS = 32 * 1024;
/** Documents sit near the top of a message (args.text, answer.theirs.text); nothing deeper is framed. */
const FRAME_MAX_DEPTH = 4;

type FramePath = Array<string | number>;
type Delta = { base: string; size: number; check: string; parts: DeltaPart[] };
type Frame = { path: FramePath; length: number; id?: string; delta?: Delta };

/**
 * The framed body of `value`, or undefined when no string is worth a frame (send plain JSON).
 * A string with a lone surrogate stays in the JSON: UTF-8 cannot carry it, JSON's \u escape can.
 * With `links`, each frame gets an id (listed in `framed` with its string) and a long string is
 * sent as a delta when one of the bases holds most of it.
 */
export function encodeFrames(
  value: unknown,
  links?: TextLinks,
  framed: Array<[string, string]> = [],
): string | undefined {
  const frames: Frame[] = [];
  const texts: string[] = [];
  const envelope = lift(value, [], frames, texts);
  if (frames.length === 0) return undefined;
  if (links !== undefined) {
    frames.forEach((frame, n) => {
      const whole = texts[n]!;
      frame.id = links.newId();
      framed.push([frame.id, whole]);
      const delta = whole.length >= DELTA_MIN_CHARS ? deltaOf(whole, links.bases ?? []) : undefined;
      if (delta === undefined) return;
      frame.delta = delta.delta;
      frame.length = delta.sent.length;
      texts[n] = delta.sent;
    });
  }
  return `${JSON.stringify({ frames })}\n${encodeWire(envelope)}\n${texts.join('')}`;
}

/** How many bases a string is tried against (each costs a pass over it when it does not fit). */
const MAX_BASES_TRIED = 2;
/** A base holding fewer of a text's sampled places than this is not tried (see likeness). */
const MIN_LIKENESS = 0.5;

/** `text` as a delta of the base, of those most like it, that holds most of it. */
function deltaOf(
  text: string,
  bases: ReadonlyArray<readonly [string, string]>,
): { delta: Delta; sent: string } | undefined {
  const likely = bases
    .filter(([, base]) => base.length >= text.length / 2 && base.length <= text.length * 2)
    .map(([id, base]) => ({ id, base, score: likeness(text, base) }))
    .filter((candidate) => candidate.score >= MIN_LIKENESS)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_BASES_TRIED);
  for (const { id, base } of likely) {
    const found = textDelta(text, base);
    if (found === undefined) continue;
    const delta = { base: id, size: text.length, check: textCheck(text), parts: found.parts };
    return { delta, sent: found.sent };
  }
  return undefined;
}

/** `value` with its long strings replaced by null (copying only the containers on their paths). */
function lift(value: unknown, path: FramePath, frames: Frame[], texts: string[]): unknown {
  if (typeof value === 'string') {
    if (value.length < FRAME_MIN_CHARS || !wellFormed(value)) return value;
    frames.push({ path: [...path], length: value.length });
    texts.push(value);
    return null;
  }
  if (typeof value !== 'object' || value === null || path.length >= FRAME_MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      const lifted = lift(value[index], path, frames, texts);
      path.pop();
      if (lifted !== value[index]) (copy ??= [...value])[index] = lifted;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    path.push(key);
    const lifted = lift(record[key], path, frames, texts);
    path.pop();
    // defineProperty: a key named __proto__ stays an own member of the copy.
    if (lifted !== record[key])
      Object.defineProperty((copy ??= { ...record }), key, {
        value: lifted,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy ?? value;
}

/** A framed body back into its value; throws an Error naming what is wrong with it. */
export function decodeFrames(text: string): unknown {
  return decodeFramesWith(text, () => undefined).value;
}

/** decodeFrames, rebuilding delta frames from the texts `base` holds (see decodeBodyWith). */
export function decodeFramesWith(
  text: string,
  base: (id: string) => string | undefined,
  maxChars = Infinity,
): { value: unknown; framed: Array<[string, string]> } {
  const framed: Array<[string, string]> = [];
  const headerEnd = text.indexOf('\n');
  const envelopeEnd = headerEnd === -1 ? -1 : text.indexOf('\n', headerEnd + 1);
  if (envelopeEnd === -1) throw new Error('a framed body needs a header line and a message line');
  const frames = framesOf(JSON.parse(text.slice(0, headerEnd)) as unknown);
  const value = decodeWire(text.slice(headerEnd + 1, envelopeEnd));
  let at = envelopeEnd + 1;
  const total = frames.reduce((sum, frame) => sum + frame.length, 0);
  if (text.length - at !== total)
    throw new Error(
      `the frames' lengths add up to ${total} characters but ${text.length - at} follow the message`,
    );
  // Each delta is held to its base and its own characters, but many frames may name the same
  // base: a few hundred bytes a frame would add up to gigabytes. What the strings add up to is
  // held to what the sender could have sent whole.
  let chars = 0;
  for (const frame of frames) {
    chars += frame.delta === undefined ? frame.length : frame.delta.size;
    if (chars > maxChars)
      throw new TextBaseError(
        `the framed strings add up to more than the ${maxChars} characters a body may carry`,
      );
    let parent: unknown = value;
    for (const key of frame.path.slice(0, -1)) parent = ownValue(parent, key, frame.path);
    const last = frame.path[frame.path.length - 1]!;
    if (ownValue(parent, last, frame.path) !== null)
      throw new Error(`the message holds no null placeholder at ${describe(frame.path)}`);
    const carried = text.slice(at, at + frame.length);
    const string = frame.delta === undefined ? carried : rebuilt(frame, carried, base);
    Object.defineProperty(parent, last, {
      value: string,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (frame.id !== undefined) framed.push([frame.id, string]);
    at += frame.length;
  }
  return { value, framed };
}

/** A delta frame's string, from its base and its carried characters, checked against the sender's. */
function rebuilt(frame: Frame, carried: string, base: (id: string) => string | undefined): string {
  const delta = frame.delta!;
  const held = base(delta.base);
  const where = describe(frame.path);
  if (held === undefined)
    throw new TextBaseError(`the text at ${where} is a delta of a text this side does not hold`);
  const out = applyTextDelta(held, delta.parts, carried, delta.size);
  if (!out.ok) throw new TextBaseError(`the delta at ${where} does not fit its base: ${out.error}`);
  if (out.value.length !== delta.size || textCheck(out.value) !== delta.check)
    throw new TextBaseError(`the delta at ${where} rebuilds another text than the one sent`);
  return out.value;
}

function framesOf(header: unknown): Frame[] {
  const frames = (header as { frames?: unknown } | null)?.frames;
  if (!Array.isArray(frames) || frames.length === 0)
    throw new Error('the header of a framed body must list its frames');
  for (const frame of frames as unknown[]) {
    const { path, length, id, delta } = (frame ?? {}) as {
      path?: unknown;
      length?: unknown;
      id?: unknown;
      delta?: unknown;
    };
    const pathOk =
      Array.isArray(path) &&
      path.length > 0 &&
      path.length <= FRAME_MAX_DEPTH + 1 &&
      path.every(
        (key) => typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key)),
      );
    if (!pathOk || typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0)
      throw new Error('each frame needs a path of keys and a length in characters');
    if (id !== undefined && typeof id !== 'string')
      throw new Error("a frame's id must be a string");
    if (delta !== undefined && !isDelta(delta))
      throw new Error("a frame's delta needs a base id, a size, a check and a list of parts");
  }
  return frames as Frame[];
}

function isDelta(delta: unknown): delta is Delta {
  const d = delta as Partial<Record<keyof Delta, unknown>> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.base === 'string' &&
    typeof d.size === 'number' &&
    Number.isSafeInteger(d.size) &&
    d.size >= 0 &&
    typeof d.check === 'string' &&
    Array.isArray(d.parts)
  );
}

/** The value at `key` of an object or array parsed from the message (own members only). */
function ownValue(parent: unknown, key: string | number, path: FramePath): unknown {
  const fits =
    typeof parent === 'object' &&
    parent !== null &&
    (Array.isArray(parent)
      ? typeof key === 'number' && key >= 0 && key < parent.length
      : typeof key === 'string' && Object.hasOwn(parent, key));
  if (!fits) throw new Error(`the message has no member at ${describe(path)}`);
  return (parent as Record<string | number, unknown>)[key];
}

function describe(path: FramePath): string {
  return '/' + path.join('/');
}
