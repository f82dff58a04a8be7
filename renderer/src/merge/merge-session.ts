// The conflict view's model: a plain value with pure transitions, tested without any UI.
// It wraps the shared Resolution (per-conflict choices, rebase) and adds what the view needs:
// reverting an automatic change, a hand-edited result, and which conflict has focus.
import type { ConflictOutcome, MergeOptionsWire, Snapshot } from '../../../shared/api/types';
import {
  checkChoice,
  choose as chooseInResolution,
  COMPACT,
  conflictIn,
  createResolution,
  DEFAULT_ID_KEYS,
  detectStyle,
  fingerprint,
  formatParseError,
  getAt,
  isJsonObject,
  jsonEqual,
  merge3,
  onlyOtherFieldsChanged,
  parseJson,
  pendingConflicts,
  preview,
  PRETTY,
  rebase,
  setAt,
  stringifyJson,
  unchoose,
  valueForChoice,
  type Change,
  type Choice,
  type Conflict,
  type JsonValue,
  type ParseResult,
  type Resolution,
} from '../../../shared/json';
import { parseText } from '../lib/parsed-texts';

/**
 * What one merge is built from: the base the operator edited from, their text, Server now from the
 * conflict answer and the backend's merge options, so the renderer's merge is the backend's merge.
 */
export type MergeInputs = {
  base: Snapshot;
  theirs: Snapshot;
  mine: string;
  status: number;
  mergeOptions: MergeOptionsWire;
  afterLostAnswer: boolean;
};

/** A conflict answer seen by a merge in progress (the lean one: Server now and the options). */
export type ConflictAnswer = Pick<
  ConflictOutcome,
  'theirs' | 'status' | 'afterLostAnswer' | 'mergeOptions'
>;

export type MergeSession = {
  base: Snapshot;
  theirs: Snapshot;
  mineText: string;
  status: number;
  resolution: Resolution;
  /** Paths of automatic changes the operator undid (the base value stands there). */
  reverted: readonly string[];
  /** The result as the operator typed it, once they edit it by hand. */
  manualText: string | null;
  /** Hand edits set aside when the server moved again: kept so the operator can bring them back. */
  setAside: string | null;
  /** Index into the unresolved conflicts of the one in focus. */
  focus: number;
  /** One line about the last rebase, e.g. "The server changed again: 2 decisions kept, 1 reopened." */
  notice: string | null;
  /** The server moved, but none of the fields this merge's edit changed (from the merge itself). */
  onlyOtherFieldsChanged: boolean;
  /** The options the merge is built with (from the backend's answer). */
  options: MergeOptionsWire;
  /** The answer to an earlier write was lost: it may or may not have landed before Server now. */
  afterLostAnswer: boolean;
};

export type SessionResult = { ok: true; session: MergeSession } | { ok: false; error: string };

function parseOrThrow(text: string, what: string): JsonValue {
  // The base and the operator's text were parsed already (by the editor): kept parses answer.
  const parsed = parseText(text);
  if (!parsed.ok) throw new Error(`${what} is not valid JSON: ${formatParseError(parsed.error)}`);
  return parsed.value;
}

const mergeOptionsOf = (wire: MergeOptionsWire) => (wire.idKeys ? { idKeys: wire.idKeys } : {});

export function createMergeSession(inputs: MergeInputs): MergeSession {
  const resolution = createResolution(
    parseOrThrow(inputs.base.text, 'When you opened it'),
    parseOrThrow(inputs.mine, 'Your edit'),
    parseOrThrow(inputs.theirs.text, 'Server now'),
    mergeOptionsOf(inputs.mergeOptions),
  );
  return {
    base: inputs.base,
    theirs: inputs.theirs,
    mineText: inputs.mine,
    status: inputs.status,
    resolution,
    reverted: [],
    manualText: null,
    setAside: null,
    focus: 0,
    notice: null,
    onlyOtherFieldsChanged: onlyOtherFieldsChanged(resolution.result),
    options: inputs.mergeOptions,
    afterLostAnswer: inputs.afterLostAnswer,
  };
}

/** What a draft keeps of a merge in progress: enough to rebuild it from the journal. */
export type SavedMerge = {
  v: 1;
  status: number;
  baseJournalId: number;
  theirsJournalId: number;
  /**
   * The operator's text the merge was built from; '' with `mineIsDraftText` when it is the text of
   * the draft that keeps this merge (a 5 MB document is then stored and sent once, not twice).
   */
  mineText: string;
  mineIsDraftText?: true;
  choices: Record<string, Choice>;
  reverted: string[];
  manualText: string | null;
  setAside: string | null;
  idKeys?: string[];
  afterLostAnswer?: boolean;
};

/** What a draft keeps of `s`; `draftText` is the text stored beside it, if any. */
export function savedMergeOf(s: MergeSession, draftText?: string): SavedMerge {
  const mineIsDraftText = draftText !== undefined && draftText === s.mineText;
  return {
    v: 1,
    status: s.status,
    baseJournalId: s.base.journalId,
    theirsJournalId: s.theirs.journalId,
    mineText: mineIsDraftText ? '' : s.mineText,
    ...(mineIsDraftText ? { mineIsDraftText: true as const } : {}),
    choices: { ...s.resolution.choices },
    reverted: [...s.reverted],
    manualText: s.manualText,
    setAside: s.setAside,
    ...(s.options.idKeys ? { idKeys: [...s.options.idKeys] } : {}),
    afterLostAnswer: s.afterLostAnswer,
  };
}

/**
 * Whether a draft would keep the same of `a` and `b` (savedMergeOf): moving the focus changes
 * nothing a draft holds, so it writes no draft (the tab's 5 MB text went out again on every F7).
 */
export function keepsSameDraft(a: MergeSession, b: MergeSession): boolean {
  return (
    a.resolution.choices === b.resolution.choices &&
    a.reverted === b.reverted &&
    a.manualText === b.manualText &&
    a.setAside === b.setAside &&
    a.status === b.status &&
    a.base.journalId === b.base.journalId &&
    a.theirs.journalId === b.theirs.journalId &&
    a.mineText === b.mineText &&
    a.options === b.options &&
    a.afterLostAnswer === b.afterLostAnswer
  );
}

/**
 * Rebuilds a saved merge over the two journalled revisions it was made between. `draftText` is the
 * text of the draft it was kept with (needed when the saved merge points at it).
 */
export function restoreMergeSession(
  saved: SavedMerge,
  base: Snapshot,
  theirs: Snapshot,
  draftText?: string,
): MergeSession {
  if (saved.mineIsDraftText && draftText === undefined)
    throw new Error('the merge was kept with the text of its draft, which is missing');
  const fresh = createMergeSession({
    status: saved.status,
    base,
    theirs,
    mine: saved.mineIsDraftText ? draftText! : saved.mineText,
    mergeOptions: saved.idKeys ? { idKeys: saved.idKeys } : {},
    afterLostAnswer: saved.afterLostAnswer ?? false,
  });
  const ids = new Set(allConflicts(fresh).map((c) => c.id));
  const choices = Object.fromEntries(Object.entries(saved.choices).filter(([id]) => ids.has(id)));
  return {
    ...fresh,
    resolution: { ...fresh.resolution, choices },
    // A draft kept before reverts in lists were refused may hold one: it is not applied.
    reverted: saved.reverted.filter((path) =>
      autoChanges(fresh).some((c) => c.path === path && revertible(fresh, c)),
    ),
    manualText: saved.manualText,
    setAside: saved.setAside,
  };
}

/** Whether leaving the merge would throw away decisions or hand edits. */
export function hasWork(s: MergeSession): boolean {
  return (
    Object.keys(s.resolution.choices).length > 0 || s.manualText !== null || s.reverted.length > 0
  );
}

/**
 * Whether an automatic change can be reverted by putting the base's value back at its path. Not
 * in a list: a change's path names an element of the merged list, and the base's element at that
 * index is another one once elements were added or removed before it (a removal put back wrote
 * over the next element, an addition reverted wrote a base element twice); a run of elements is
 * one change. Nor an order: the base's whole list would drop the changes made in its elements.
 * Such changes are undone by editing the Result.
 */
export function revertible(s: MergeSession, change: Change): boolean {
  if (change.op === 'reorder') return false;
  const { base, result } = s.resolution;
  let prefix = '';
  for (const token of change.path.split('/').slice(1)) {
    if (inList(base, prefix) || inList(result.merged, prefix)) return false;
    prefix += `/${token}`;
  }
  return true;
}

/** Whether the value at `path` is a list (or a string holding one). */
function inList(doc: JsonValue, path: string): boolean {
  const value = getAt(doc, path);
  if (typeof value !== 'string') return Array.isArray(value);
  const parsed = parseJson(value);
  return parsed.ok && Array.isArray(parsed.value);
}

/**
 * Brings back hand edits that a rebase set aside. Hand edits typed since take their place aside
 * (bringing those back swaps again): replaced, they were lost without a word.
 */
export function restoreSetAside(s: MergeSession): MergeSession {
  return s.setAside === null ? s : { ...s, manualText: s.setAside, setAside: s.manualText };
}

export const allConflicts = (s: MergeSession): readonly Conflict[] => s.resolution.result.conflicts;
export const unresolved = (s: MergeSession): Conflict[] => pendingConflicts(s.resolution);
export const choiceOf = (s: MergeSession, id: string): Choice | undefined =>
  s.resolution.choices[id];
export const autoChanges = (s: MergeSession): readonly Change[] => s.resolution.result.changes;

/**
 * Whether the hand-edited result no longer holds what a decision put at its conflict (the operator
 * undid it in the Result, or typed over it): the card must not go on saying the decision's value is
 * what will be saved. False while the hand-edited text does not parse (saving is blocked then) and
 * for a decision over several array elements (it cannot be made in a hand-edited result).
 */
export function decisionOverwritten(
  s: MergeSession,
  id: string,
  manualParse: ParseResult | null,
): boolean {
  const choice = choiceOf(s, id);
  if (choice === undefined || s.manualText === null || manualParse === null || !manualParse.ok)
    return false;
  const conflict = conflictIn(allConflicts(s), id);
  if (conflict === undefined || conflict.slice) return false;
  const value = valueForChoice(conflict, choice);
  if (!value.ok) return false;
  // An order decision's value is the order of the ids, not the array the Result holds.
  const holds = (doc: JsonValue, path = conflict.path) =>
    conflict.kind === 'both-reordered'
      ? holdsOrder(getAt(doc, path), value.value, s.resolution.options.idKeys)
      : jsonEqual(
          valueAt(doc, {
            ...conflict,
            path,
            ...(conflict.inString === conflict.path ? { inString: path } : {}),
          }),
          value.value,
        );
  // Hand edits that moved list elements: the conflict's element is looked for where it went.
  const located = pathInHand(
    s.resolution.result.merged,
    manualParse.value,
    conflict.path,
    s.resolution.options.idKeys ?? DEFAULT_ID_KEYS,
  );
  if (holds(manualParse.value, located.ok ? located.path : conflict.path)) return false;
  // The conflict's path is where the merge without decisions put it: another decision (a run of
  // elements of another length, an order) may have moved it. Where the decided result does not
  // hold the decision there, the path does not find it, and nothing is claimed. Without such a
  // decision the path holds (and a 5 MB merge is not redone for the check).
  return !movesElements(s) || holds(decidedResult(s.resolution));
}

/**
 * The value at `conflict`'s path; for a conflict over the whole JSON a string holds, the value that
 * string holds (the conflict's sides are those values, not the strings).
 */
function valueAt(doc: JsonValue, conflict: Conflict): JsonValue | undefined {
  const value = getAt(doc, conflict.path);
  if (conflict.inString !== conflict.path || typeof value !== 'string') return value;
  const parsed = parseJson(value);
  return parsed.ok ? parsed.value : value;
}

/**
 * Whether a decision made in this merge can move elements: a run of elements, an order, or one
 * that takes a value out (an element removed moves the ones after it).
 */
function movesElements(s: MergeSession): boolean {
  // Asked once per decided card on every render of a hand-edited merge: kept per resolution.
  let moves = movesCache.get(s.resolution);
  if (moves === undefined) {
    moves = anyMovesElements(s);
    movesCache.set(s.resolution, moves);
  }
  return moves;
}

const movesCache = new WeakMap<Resolution, boolean>();

function anyMovesElements(s: MergeSession): boolean {
  return allConflicts(s).some((c) => {
    const choice = s.resolution.choices[c.id];
    return (
      choice !== undefined &&
      (c.slice !== undefined || c.kind === 'both-reordered' || removes(c, choice))
    );
  });
}

/** Whether `choice` takes `conflict`'s value out of the result. */
function removes(conflict: Conflict, choice: Choice): boolean {
  const value = valueForChoice(conflict, choice);
  return value.ok && value.value === undefined;
}

const decidedCache = new WeakMap<Resolution, JsonValue>();

/** The merge with the decisions made so far (without hand edits or reverts), once per resolution. */
function decidedResult(resolution: Resolution): JsonValue {
  let merged = decidedCache.get(resolution);
  if (merged === undefined) {
    merged = preview(resolution).merged;
    decidedCache.set(resolution, merged);
  }
  return merged;
}

/** Whether `array`'s elements with the ids in `order` (under the first id key they have) come in that order. */
function holdsOrder(
  array: JsonValue | undefined,
  order: JsonValue | undefined,
  idKeys: readonly string[] = DEFAULT_ID_KEYS,
): boolean {
  const found = orderedIn(array, order, idKeys);
  return found !== undefined && jsonEqual(found.ids, order);
}

/**
 * The elements of `array` whose id is in `order`, under the first id key any of them has: where
 * they are and their ids, in the array's order. Undefined when there is no such element.
 */
function orderedIn(
  array: JsonValue | undefined,
  order: JsonValue | undefined,
  idKeys: readonly string[],
): { positions: number[]; ids: JsonValue[] } | undefined {
  if (!Array.isArray(array) || !Array.isArray(order)) return undefined;
  const wanted = new Set(order.map((id) => fingerprint(id)));
  for (const key of idKeys) {
    const positions: number[] = [];
    const ids: JsonValue[] = [];
    array.forEach((item, i) => {
      if (isJsonObject(item) && Object.hasOwn(item, key) && wanted.has(fingerprint(item[key]!))) {
        positions.push(i);
        ids.push(item[key]!);
      }
    });
    if (ids.length > 0) return { positions, ids };
  }
  return undefined;
}

/**
 * `array` with its elements named in `order` (ids) put in that order, in the places those elements
 * held; the others stay where they are. An order decision made in a hand-edited result.
 */
function reordered(
  array: JsonValue | undefined,
  order: JsonValue | undefined,
  idKeys: readonly string[],
): JsonValue[] | undefined {
  const found = orderedIn(array, order, idKeys);
  if (found === undefined || !Array.isArray(array) || !Array.isArray(order)) return undefined;
  const byId = new Map<string, JsonValue>();
  found.positions.forEach((at, n) => byId.set(fingerprint(found.ids[n]!), array[at]!));
  // An id the hand edits removed is skipped; an id the result holds twice cannot be ordered.
  if (byId.size !== found.positions.length) return undefined;
  const present = order.filter((id) => byId.has(fingerprint(id)));
  const out = [...array];
  found.positions.forEach((at, n) => (out[at] = byId.get(fingerprint(present[n]!))!));
  return out;
}

// Sessions are immutable values, so derived text can be cached by identity. The result text is
// keyed by what it is made of (the resolution and the reverted paths), not by the session: moving
// the focus makes a new session with the same result, and serialising a 5 MB merge again on every
// F7 blocked the page for about 100 ms per key press.
const resultCache = new WeakMap<Resolution, { reverted: readonly string[]; text: string }>();

/** The result document as text: the operator's own text once edited, else the merge with choices and reverts. */
export function resultText(s: MergeSession): string {
  if (s.manualText !== null) return s.manualText;
  const cached = resultCache.get(s.resolution);
  if (cached !== undefined && cached.reverted === s.reverted) return cached.text;
  const text = stringifyJson(derivedResult(s), PRETTY);
  resultCache.set(s.resolution, { reverted: s.reverted, text });
  return text;
}

/**
 * The indent resultText printed the result with, when it printed it (not the operator's own text):
 * its decorations are then found by layout (spansOfPointers' printedWith).
 */
export function resultPrintedWith(s: MergeSession): string | undefined {
  return s.manualText === null ? PRETTY.indent : undefined;
}

function derivedResult(s: MergeSession): JsonValue {
  // With no choices yet, the preview is the merge already computed.
  let doc =
    Object.keys(s.resolution.choices).length === 0
      ? s.resolution.result.merged
      : preview(s.resolution).merged;
  for (const path of s.reverted) {
    const next = setAt(doc, path, getAt(s.resolution.base, path));
    if (next.ok && next.value !== undefined) doc = next.value;
  }
  return doc;
}

/** Why the result cannot be saved yet, or null when it can. */
export function saveBlocker(s: MergeSession): string | null {
  if (s.manualText === null || unresolved(s).length > 0) return saveBlockerWith(s, null);
  // Through the kept parses: the same large hand edit is not parsed again for each new session.
  return saveBlockerWith(s, parseText(s.manualText));
}

/**
 * saveBlocker with the hand-edited result's parse given (the view passes the one made when typing
 * paused; `null` when there is none yet, which blocks nothing: saving checks again).
 */
export function saveBlockerWith(s: MergeSession, manualParse: ParseResult | null): string | null {
  const pending = unresolved(s).length;
  if (pending > 0)
    return `${pending} conflict${pending === 1 ? '' : 's'} still need${pending === 1 ? 's' : ''} a decision.`;
  // Derived results are valid by construction; only hand-edited text needs checking.
  if (s.manualText === null || manualParse === null || manualParse.ok) return null;
  return `The result is not valid JSON: ${formatParseError(manualParse.error)}.`;
}

/** Settles one conflict. With a hand-edited result, the chosen value is written into that text. */
export function choose(s: MergeSession, id: string, choice: Choice): SessionResult {
  const next = chooseInResolution(s.resolution, id, choice);
  if (!next.ok) return { ok: false, error: next.error };
  let manualText = s.manualText;
  if (manualText !== null) {
    const conflict = conflictIn(allConflicts(s), id)!;
    const previous = s.resolution.choices[id];
    const decided = decidedConflict(s, conflict);
    const written = writeChoiceInto(
      manualText,
      decided.conflict,
      decided.in,
      choice,
      s.resolution.options.idKeys ?? DEFAULT_ID_KEYS,
      previous !== undefined && removes(conflict, previous),
    );
    if (!written.ok) return written;
    manualText = written.text;
  }
  const session = { ...s, resolution: next.value, manualText };
  return { ok: true, session: { ...session, focus: focusKept(s, session), notice: null } };
}

/**
 * The focus index in `after` for the conflict focused in `before`: the focus is an index into the
 * open conflicts, so settling or reopening one before it would move it onto another (F7 then
 * skipped the one the operator was on). Settled itself, the next open one takes its place.
 */
function focusKept(before: MergeSession, after: MergeSession): number {
  const open = unresolved(after);
  const focused = focusedConflict(before)?.id;
  const at = focused === undefined ? -1 : open.findIndex((c) => c.id === focused);
  return at >= 0 ? at : Math.min(before.focus, Math.max(0, open.length - 1));
}

/**
 * `conflict` where the merge with the other decisions made puts it: a run of elements taken at
 * another length, or an order, moves the elements after it, and the merge without decisions
 * (`conflict.path`) then names another element of the Result.
 */
function decidedConflict(
  s: MergeSession,
  conflict: Conflict,
): { conflict: Conflict; in: JsonValue } {
  if (!movesElements(s)) return { conflict, in: s.resolution.result.merged };
  const open = preview(unchoose(s.resolution, conflict.id));
  const found = open.conflicts.find((c) => c.id === conflict.id);
  return found
    ? { conflict: found, in: open.merged }
    : { conflict, in: s.resolution.result.merged };
}

/**
 * `path` (a pointer into `merged`, the merge the conflict was found in) as it reads in `hand`, the
 * hand-edited Result: hand edits that add or remove list elements before it move the element it
 * names, and written at the same index the value went into another element. An element with an
 * id is found by its id; one without, only while the list keeps its length (else refused).
 */
function pathInHand(
  merged: JsonValue,
  hand: JsonValue,
  path: string,
  idKeys: readonly string[],
): { ok: true; path: string } | { ok: false; error: string } {
  const tokens = path.split('/').slice(1);
  let out = '';
  let prefix = '';
  for (const token of tokens) {
    const there = listAt(merged, prefix);
    const here = listAt(hand, prefix);
    let step = token;
    if (there !== undefined && /^(0|[1-9][0-9]*)$/.test(token)) {
      const moved = {
        ok: false as const,
        error: `${path}: your hand edits moved this list’s elements; reset the hand edits, or set the value by hand.`,
      };
      if (here === undefined) return moved;
      const element = there[Number(token)];
      const key = isJsonObject(element) ? idKeys.find((k) => Object.hasOwn(element, k)) : undefined;
      if (key !== undefined && isJsonObject(element)) {
        const at = idIndex(here, key).get(fingerprint(element[key]!));
        if (at === undefined || at < 0) return moved;
        step = String(at);
      } else if (here.length !== there.length) return moved;
    }
    prefix += `/${token}`;
    out += `/${step}`;
  }
  return { ok: true, path: out };
}

const idIndexCache = new WeakMap<readonly JsonValue[], Map<string, Map<string, number>>>();

/**
 * Where each id (fingerprinted) under `key` is in `list`: its index, or -1 when several elements
 * hold it. Kept per list (parsed values are not changed): each decided card looked through the
 * whole list for its element, and 4,000 cards over a list of 4,000 took a second per render.
 */
function idIndex(list: readonly JsonValue[], key: string): Map<string, number> {
  let byKey = idIndexCache.get(list);
  if (byKey === undefined) {
    byKey = new Map();
    idIndexCache.set(list, byKey);
  }
  let index = byKey.get(key);
  if (index === undefined) {
    index = new Map();
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (!isJsonObject(item) || !Object.hasOwn(item, key)) continue;
      const id = fingerprint(item[key]!);
      index.set(id, index.has(id) ? -1 : i);
    }
    byKey.set(key, index);
  }
  return index;
}

/** The list at `path` (or the list a string there holds), else undefined. */
function listAt(doc: JsonValue, path: string): JsonValue[] | undefined {
  const value = getAt(doc, path);
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return undefined;
  const parsed = parseJson(value);
  return parsed.ok && Array.isArray(parsed.value) ? parsed.value : undefined;
}

function writeChoiceInto(
  text: string,
  found: Conflict,
  merged: JsonValue,
  choice: Choice,
  idKeys: readonly string[] = DEFAULT_ID_KEYS,
  removed = false,
): { ok: true; text: string } | { ok: false; error: string } {
  const parsed = parseHand(text);
  if (!parsed.ok) return parsed;
  const written = writeChoiceIntoValue(parsed.value, found, merged, choice, idKeys, removed);
  return written.ok ? { ok: true, text: stringifyJson(written.value, PRETTY) } : written;
}

function parseHand(text: string): { ok: true; value: JsonValue } | { ok: false; error: string } {
  const parsed = parseJson(text);
  return parsed.ok
    ? parsed
    : {
        ok: false,
        error: `Your hand-edited result is not valid JSON: ${formatParseError(parsed.error)}`,
      };
}

/**
 * writeChoiceInto on the hand-edited Result as a value (`hand`, which it does not change). The
 * path is looked for in `locateIn`: `hand` itself, or the Result before a run of choices none of
 * which moves an element (its lists' id indexes are then made once, not once per choice).
 */
function writeChoiceIntoValue(
  hand: JsonValue,
  found: Conflict,
  merged: JsonValue,
  choice: Choice,
  idKeys: readonly string[],
  removed: boolean,
  locateIn: JsonValue = hand,
): { ok: true; value: JsonValue } | { ok: false; error: string } {
  if (found.slice)
    return {
      ok: false,
      error: 'This conflict covers several array elements; reset the hand edits to settle it.',
    };
  // Where the path reads in the hand-edited text. An element a replaced decision took out is not
  // there to find: its list is found, and it goes back in at its index (putBack).
  const cut = found.path.lastIndexOf('/');
  const located = removed
    ? pathInHand(merged, locateIn, found.path.slice(0, cut), idKeys)
    : pathInHand(merged, locateIn, found.path, idKeys);
  if (!located.ok) return located;
  const path = removed ? located.path + found.path.slice(cut) : located.path;
  // The string the path passes through is a prefix of it: the same prefix of the new path.
  const depth = (pointer: string) => (pointer === '' ? 0 : pointer.split('/').length - 1);
  const inString =
    found.inString === undefined
      ? undefined
      : path
          .split('/')
          .slice(0, depth(found.inString) + 1)
          .join('/');
  const conflict: Conflict = { ...found, path, ...(inString !== undefined ? { inString } : {}) };
  // The value the merge itself would put there, so hand edits and the derived result agree.
  const value = valueForChoice(conflict, choice);
  if (!value.ok) return { ok: false, error: `${conflict.path}: ${value.error}` };
  let written = value.value;
  if (conflict.kind === 'both-reordered') {
    // An order's value is the ids' order: the result's own list is put in it, not replaced by it.
    written = reordered(getAt(hand, conflict.path), value.value, idKeys);
    if (written === undefined)
      return {
        ok: false,
        error: `${conflict.path}: the hand-edited result does not hold this list's elements once each; reset the hand edits to settle its order.`,
      };
  }
  if (conflict.inString === conflict.path && written !== undefined) {
    // A conflict over the whole JSON a string holds (an object on one side, an array on the
    // other): the string holds the chosen value, as the merge writes it, in the string's layout.
    const held = getAt(hand, conflict.path);
    written = stringifyJson(written, typeof held === 'string' ? detectStyle(held) : COMPACT);
  }
  // The decision this one replaces took the value out of the Result: nothing of it is there to
  // write over. An element goes back in at its place (the element now there is another one).
  const next = removed
    ? putBack(hand, conflict.path, written)
    : setAt(hand, conflict.path, written);
  if (!next.ok || next.value === undefined)
    return { ok: false, error: next.ok ? 'The whole document cannot be removed.' : next.error };
  return { ok: true, value: next.value };
}

/** `doc` with `value` put back at `path`, where nothing is: inserted there when it is an element. */
function putBack(doc: JsonValue, path: string, value: JsonValue | undefined) {
  if (value === undefined) return { ok: true as const, value: doc };
  const cut = path.lastIndexOf('/');
  const parentPath = path.slice(0, cut);
  const token = path.slice(cut + 1);
  const holder = getAt(doc, parentPath);
  const embedded = typeof holder === 'string' ? parseJson(holder) : undefined;
  const array = embedded === undefined ? holder : embedded.ok ? embedded.value : undefined;
  if (!Array.isArray(array) || !/^(0|[1-9][0-9]*)$/.test(token) || Number(token) > array.length)
    return setAt(doc, path, value);
  const copy = [...array];
  copy.splice(Number(token), 0, value);
  return setAt(
    doc,
    parentPath,
    typeof holder === 'string' ? stringifyJson(copy, detectStyle(holder)) : copy,
  );
}

/** *Take mine / Server's for all remaining*: settles every open conflict with one side. */
export function chooseAllRemaining(s: MergeSession, side: 'mine' | 'theirs'): SessionResult {
  // Without hand edits, all at once: one choose per conflict looked the conflict up, copied the
  // choices and listed the open conflicts again each time (8,000 conflicts took 14 s). The same
  // checks, the same choices, and the first refusal stops it as choose's would.
  if (s.manualText === null) return chooseAllDerived(s, side);
  // With hand edits, each choice is also written into the hand-edited Result, as choose writes
  // it. One choose per conflict parsed and printed the whole Result, copied the choices and asked
  // again whether a decision moves elements: 2,000 conflicts took 2.4 s. When no decision moves
  // elements (each then goes where the merge without decisions put it), the choices are written
  // into one parse of the Result, printed once.
  const open = unresolved(s);
  const moves = (c: Conflict) =>
    c.slice !== undefined || c.kind === 'both-reordered' || removes(c, side);
  if (movesElements(s) || open.some(moves)) {
    let session = s;
    for (const { id } of open) {
      // An order conflict takes mine or theirs too, so one side always settles every kind.
      const next = choose(session, id, side);
      if (!next.ok) return next;
      session = next.session;
    }
    return { ok: true, session: { ...session, focus: 0 } };
  }
  if (open.length === 0) return { ok: true, session: { ...s, focus: 0 } };
  const manual = s.manualText;
  const idKeys = s.resolution.options.idKeys ?? DEFAULT_ID_KEYS;
  let before: JsonValue | undefined;
  let hand: JsonValue | undefined;
  const all = chooseAllAtOnce(s, side, (id) => {
    if (before === undefined) {
      const parsed = parseHand(manual);
      if (!parsed.ok) return parsed.error;
      before = hand = parsed.value;
    }
    const written = writeChoiceIntoValue(
      hand!,
      conflictIn(allConflicts(s), id)!,
      s.resolution.result.merged,
      side,
      idKeys,
      false,
      before,
    );
    if (!written.ok) return written.error;
    hand = written.value;
    return undefined;
  });
  return settledAll(s, all, all.ok ? stringifyJson(hand!, PRETTY) : s.manualText);
}

/** chooseAllRemaining for a derived Result: what choosing each open conflict in turn makes. */
function chooseAllDerived(s: MergeSession, side: 'mine' | 'theirs'): SessionResult {
  return settledAll(s, chooseAllAtOnce(s, side), s.manualText);
}

/** The session after chooseAllAtOnce, with `manualText` as the hand-edited Result. */
function settledAll(
  s: MergeSession,
  all: ReturnType<typeof chooseAllAtOnce>,
  manualText: string | null,
): SessionResult {
  if (!all.ok) return all;
  return {
    ok: true,
    // choose clears the notice; with nothing left to choose, nothing was chosen.
    session: {
      ...s,
      resolution: all.resolution,
      manualText,
      focus: 0,
      notice: all.settled > 0 ? null : s.notice,
    },
  };
}

/**
 * The resolution with every open conflict settled with `side`: choose's checks in choose's order,
 * the first refusal stopping it (as does one from `write`, which writes each choice elsewhere).
 */
function chooseAllAtOnce(
  s: MergeSession,
  side: 'mine' | 'theirs',
  write?: (id: string) => string | undefined,
): { ok: true; resolution: Resolution; settled: number } | { ok: false; error: string } {
  const { resolution } = s;
  const choices: Record<string, Choice> = { ...resolution.choices };
  const settled = new Set<string>();
  for (const { id } of unresolved(s)) {
    // The first conflict with that id, as choose finds it.
    const conflict = conflictIn(resolution.result.conflicts, id)!;
    const problem = checkChoice(conflict, side);
    if (problem !== undefined) return { ok: false, error: `${conflict.path}: ${problem}` };
    const refused = write?.(id);
    if (refused !== undefined) return { ok: false, error: refused };
    choices[id] = side;
    settled.add(id);
  }
  const reopened = resolution.reopened.filter((id) => !settled.has(id));
  return { ok: true, resolution: { ...resolution, choices, reopened }, settled: settled.size };
}

export function undoChoice(s: MergeSession, id: string): MergeSession {
  const next = { ...s, resolution: unchoose(s.resolution, id) };
  return { ...next, focus: focusKept(s, next) };
}

/**
 * Reverts and re-applies act on the derived result: a hand-edited Result is the operator's text,
 * which they leave as it is, so with hand edits neither is recorded (it would be listed as done
 * while the Result saved does not hold it). The change list offers them once hand edits are reset.
 */
export function revertChange(s: MergeSession, path: string): MergeSession {
  if (s.manualText !== null) return s;
  const change = autoChanges(s).find((c) => c.path === path);
  if (change === undefined || !revertible(s, change)) return s;
  return s.reverted.includes(path) ? s : { ...s, reverted: [...s.reverted, path] };
}

export function restoreChange(s: MergeSession, path: string): MergeSession {
  if (s.manualText !== null) return s;
  return { ...s, reverted: s.reverted.filter((p) => p !== path) };
}

export function editResult(s: MergeSession, text: string): MergeSession {
  return { ...s, manualText: text === resultText({ ...s, manualText: null }) ? null : text };
}

export function resetHandEdits(s: MergeSession): MergeSession {
  return { ...s, manualText: null };
}

/** F7 / Shift+F7: the next or previous unresolved conflict, wrapping around. */
export function moveFocus(s: MergeSession, delta: 1 | -1): MergeSession {
  const count = unresolved(s).length;
  if (count === 0) return s;
  return { ...s, focus: (((s.focus + delta) % count) + count) % count };
}

export function focusedConflict(s: MergeSession): Conflict | undefined {
  return unresolved(s)[s.focus];
}

/** The keyboard reached an open conflict's card: that conflict becomes the one in focus. */
export function focusOn(s: MergeSession, id: string): MergeSession {
  const index = unresolved(s).findIndex((c) => c.id === id);
  return index < 0 || index === s.focus ? s : { ...s, focus: index };
}

/**
 * The conflict the merge's keys (Alt+T / M / B / O) settle: the one whose card has the keyboard,
 * open or settled, else the one in focus.
 */
export function conflictForKeys(s: MergeSession, cardId: string | null): Conflict | undefined {
  const onCard = cardId === null ? undefined : allConflicts(s).find((c) => c.id === cardId);
  return onCard ?? focusedConflict(s);
}

/**
 * The server moved again while the operator merged: re-merge against the new Server now, keeping
 * every decision whose conflict did not change again. Hand edits are dropped (they were made
 * against an older server state) and the notice says so.
 */
export function rebaseSession(s: MergeSession, outcome: ConflictAnswer): MergeSession {
  const theirs = parseOrThrow(outcome.theirs.text, 'Server now');
  const kept = Object.keys(s.resolution.choices).length;
  const resolution = rebase(s.resolution, theirs);
  const keptNow = Object.keys(resolution.choices).length;
  const reopened = resolution.reopened.length;
  const parts = [`The server changed again (now revision ${outcome.theirs.revision ?? '?'}).`];
  if (kept > 0)
    parts.push(
      `${keptNow} of your ${kept} decision${kept === 1 ? '' : 's'} kept${reopened > 0 ? `, ${reopened} reopened because the server changed those fields again` : ''}.`,
    );
  if (s.manualText !== null)
    parts.push(
      'Your hand edits of the result were set aside (you can bring them back); the merge was redone.',
    );
  // A revert stays only where the change it undid is still the same change: the server's new value
  // there was never shown, and putting the base value back would write over it unseen (as a
  // decision is reopened when its conflict changed again).
  const reverted = s.reverted.filter((path) => sameChange(s.resolution, resolution, path));
  const undone = s.reverted.length - reverted.length;
  if (undone > 0)
    parts.push(
      `${undone} change${undone === 1 ? '' : 's'} you had reverted ${undone === 1 ? 'was' : 'were'} changed again on the server and ${undone === 1 ? 'is' : 'are'} no longer reverted: review ${undone === 1 ? 'it' : 'them'}.`,
    );
  const session: MergeSession = {
    ...s,
    theirs: outcome.theirs,
    status: outcome.status,
    resolution,
    reverted,
    manualText: null,
    setAside: null,
    focus: 0,
    notice: parts.join(' '),
    onlyOtherFieldsChanged: onlyOtherFieldsChanged(resolution.result),
    afterLostAnswer: outcome.afterLostAnswer,
  };
  const handText = s.manualText ?? s.setAside;
  if (handText === null) return session;
  const carried = carryHandEdits(s, session, handText);
  if (carried.clashes > 0)
    parts.push(
      `${carried.clashes} field${carried.clashes === 1 ? '' : 's'} you edited by hand ${carried.clashes === 1 ? 'was' : 'were'} changed again on the server: brought back, your value${carried.clashes === 1 ? '' : 's'} stand${carried.clashes === 1 ? 's' : ''} there.`,
    );
  if (!carried.parsed)
    parts.push('(Your hand edits are not valid JSON: brought back, they are as you left them.)');
  return { ...session, setAside: carried.text, notice: parts.join(' ') };
}

/**
 * A new merge (`fresh`: another edit of the operator's, saved from the editor while `old` was in
 * progress, came back as a conflict) takes the place of `old`: its work is carried over where it
 * still applies, rather than dropped unsaid. A decision stays when its conflict is the same
 * question (same id, same three values); hand edits are carried onto the new result and set aside
 * (they were made over another edit), as a rebase does; reverts are not carried (the changes
 * differ), and the notice counts what did not come over.
 */
export function carriedInto(old: MergeSession, fresh: MergeSession): MergeSession {
  if (!hasWork(old)) return fresh;
  const choices: Record<string, Choice> = {};
  for (const [id, choice] of Object.entries(old.resolution.choices)) {
    const before = conflictIn(allConflicts(old), id);
    const after = conflictIn(allConflicts(fresh), id);
    if (
      before !== undefined &&
      after !== undefined &&
      jsonEqual(before.base, after.base) &&
      jsonEqual(before.mine, after.mine) &&
      jsonEqual(before.theirs, after.theirs)
    )
      choices[id] = choice;
  }
  const made = Object.keys(old.resolution.choices).length;
  const kept = Object.keys(choices).length;
  const session: MergeSession = { ...fresh, resolution: { ...fresh.resolution, choices } };
  const parts = ['This merge is of the edit you saved from the editor.'];
  if (made > 0)
    parts.push(
      `${kept} of your ${made} decision${made === 1 ? '' : 's'} kept (from the merge before it)${kept < made ? '; the others were about values that differ now' : ''}.`,
    );
  if (old.reverted.length > 0)
    parts.push(
      `The ${old.reverted.length === 1 ? 'change' : `${old.reverted.length} changes`} you had reverted there ${old.reverted.length === 1 ? 'is' : 'are'} not reverted here: review the automatic changes.`,
    );
  const hand = old.manualText ?? old.setAside;
  if (hand === null) return { ...session, notice: parts.join(' ') };
  const carried = carryHandEdits(old, session, hand);
  parts.push('Your hand edits of its result were set aside (you can bring them back).');
  return { ...session, setAside: carried.text, notice: parts.join(' ') };
}

/**
 * Hand edits set aside by a rebase, carried onto the redone merge: what they changed in the result
 * they were made over (`before`'s) is applied to `after`'s result. Kept verbatim, they held the
 * older Server now's values, and bringing them back wrote those over the server's newer change,
 * unseen. A field both changed keeps the hand-edited value (the operator typed it; `clashes`).
 * Text that does not parse is kept as it is.
 */
function carryHandEdits(
  before: MergeSession,
  after: MergeSession,
  handText: string,
): { text: string; clashes: number; parsed: boolean } {
  const hand = parseJson(handText);
  if (!hand.ok) return { text: handText, clashes: 0, parsed: false };
  const carried = merge3(derivedResult(before), hand.value, derivedResult(after), {
    ...after.resolution.options,
    changes: false,
  });
  return {
    text: stringifyJson(carried.merged, detectStyle(handText)),
    clashes: carried.conflicts.length,
    parsed: true,
  };
}

/** Whether `after` merges the same automatic change at `path` as `before` (same side and values). */
function sameChange(before: Resolution, after: Resolution, path: string): boolean {
  const was = before.result.changes.find((c) => c.path === path);
  const is = after.result.changes.find((c) => c.path === path);
  return (
    was !== undefined &&
    is !== undefined &&
    was.side === is.side &&
    was.op === is.op &&
    jsonEqual(getAt(before.theirs, path), getAt(after.theirs, path))
  );
}
