// Structural merge of JSON with comments and trailing commas (tsconfig.json, editor settings): the
// three sides are read with jsonc-parser, merged by merge3, and the merge's changes are written
// into mine's own text with jsonc-parser's edits, so mine's comments and layout stay. It declines
// (and the caller falls back to a line merge) when it cannot keep everything: a side that does not
// parse, a conflict, or theirs having changed a comment, which no value carries.
import type { FormattingOptions, JSONPath, ParseError as JsoncError } from 'jsonc-parser';
import {
  applyEdits,
  createScanner,
  findNodeAtLocation,
  modify,
  parse,
  parseTree,
  visit,
} from 'jsonc-parser';
import { jsonEqual } from './canonical';
import { merge3 } from './merge3';
import type { MergeOptions } from './merge-types';
import type { JsonValue } from './types';
import { isJsonObject } from './types';

export type JsoncMergeResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

const JSONC = {
  allowTrailingComma: true,
  disallowComments: false,
  allowEmptyContent: false,
} as const;

/**
 * The value of JSON-with-comments text; undefined when it has errors, a repeated key (which a value
 * would lose) or a member named `__proto__` (jsonc-parser assigns members to a plain object, where
 * that name sets its prototype: the member would vanish).
 */
function read(text: string): JsonValue | undefined {
  const errors: JsoncError[] = [];
  const value = parse(text, errors, JSONC) as JsonValue;
  if (errors.length > 0) return undefined;
  const open: Array<Set<string>> = [];
  let repeated = false;
  visit(
    text,
    {
      onObjectBegin: () => void open.push(new Set()),
      onObjectEnd: () => void open.pop(),
      onObjectProperty: (key) => {
        const keys = open[open.length - 1]!;
        if (keys.has(key) || key === '__proto__') repeated = true;
        keys.add(key);
      },
    },
    JSONC,
  );
  return repeated ? undefined : value;
}

/** Whether the text reads as JSON with comments, each object's keys distinct. */
export function readsAsJsonc(text: string): boolean {
  try {
    return read(text) !== undefined;
  } catch (err) {
    if (err instanceof RangeError) return false; // nested too deeply for jsonc-parser
    throw err;
  }
}

// jsonc-parser's SyntaxKind is a const enum, which isolated modules cannot read: its values.
const NUMBER = 11;
const LINE_COMMENT = 12;
const BLOCK_COMMENT = 13;
const EOF = 17;

function comments(text: string): string[] {
  const scanner = createScanner(text, false);
  const out: string[] = [];
  for (let kind: number = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === LINE_COMMENT || kind === BLOCK_COMMENT) out.push(scanner.getTokenValue());
  }
  return out;
}

/** A number's significant digits: its mantissa without sign, point, or leading and trailing zeros. */
function digits(number: string): string {
  return number
    .replace(/[eE].*$/, '')
    .replace(/[-.]/g, '')
    .replace(/^0+|0+$/g, '');
}

/**
 * Whether a number in the text is not the double jsonc-parser reads it as (an integer beyond 2^53,
 * more digits than a double holds, 1e400): two such texts can read as one value, so a side's
 * change to one would vanish, and a merged one would be written rounded.
 */
function inexactNumber(text: string): boolean {
  const scanner = createScanner(text, false);
  for (let kind: number = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind !== NUMBER) continue;
    const number = scanner.getTokenValue();
    if (digits(number) !== digits(String(Math.abs(Number(number))))) return true;
  }
  return false;
}

/** The edits that turn `mine` into `merged`, one path at a time, smallest first. */
function changes(
  path: JSONPath,
  mine: JsonValue | undefined,
  merged: JsonValue | undefined,
  out: Array<[JSONPath, JsonValue | undefined]>,
): void {
  if (mine !== undefined && merged !== undefined && jsonEqual(mine, merged)) return;
  if (isJsonObject(mine) && isJsonObject(merged)) {
    for (const key of Object.keys(mine))
      if (!Object.hasOwn(merged, key)) out.push([[...path, key], undefined]);
    for (const key of Object.keys(merged))
      changes([...path, key], Object.hasOwn(mine, key) ? mine[key] : undefined, merged[key], out);
    return;
  }
  if (Array.isArray(mine) && Array.isArray(merged) && mine.length === merged.length) {
    merged.forEach((item, i) => changes([...path, i], mine[i], item, out));
    return;
  }
  out.push([path, merged]);
}

function indentOf(text: string): { insertSpaces: boolean; tabSize: number; eol: string } {
  const indent = /\n([ \t]+)\S/.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

/**
 * For each edit that writes a number or string theirs holds at that path (theirs' change), the
 * literal as theirs wrote it, when printing the value would write it otherwise (`2.50`, `1e3`, an
 * escape).
 */
function theirsLiterals(
  theirsText: string,
  theirs: JsonValue,
  edits: ReadonlyArray<[JSONPath, JsonValue | undefined]>,
): Map<number, string> {
  const out = new Map<number, string>();
  let tree: ReturnType<typeof parseTree> | undefined;
  for (const [n, [path, value]] of edits.entries()) {
    if (typeof value !== 'number' && typeof value !== 'string') continue;
    tree ??= parseTree(theirsText, [], JSONC);
    const node = tree && findNodeAtLocation(tree, path);
    if (node === undefined || node.value !== value || !sameKey(theirs, path)) continue;
    const raw = theirsText.slice(node.offset, node.offset + node.length);
    if (raw !== JSON.stringify(value)) out.set(n, raw);
  }
  return out;
}

/**
 * `text` with the value at `path` written as the literal `raw`: jsonc-parser writes values (it
 * would print theirs' `2.50` as 2.5 and `"caf\u00e9"` as "café"), so a stand-in string the text
 * does not hold yet is written there first, then replaced. Undefined when the stand-in is not
 * found exactly once after the edit (the value is then written as printed).
 */
function withLiteral(
  text: string,
  path: JSONPath,
  raw: string,
  formattingOptions: FormattingOptions,
): string | undefined {
  let standIn = '\u0000conflict-desk literal';
  for (let k = 1; text.includes(JSON.stringify(standIn)); k++)
    standIn = `\u0000conflict-desk literal ${k}`;
  const quoted = JSON.stringify(standIn);
  const edited = applyEdits(text, modify(text, path, standIn, { formattingOptions }));
  const at = edited.indexOf(quoted);
  if (at === -1 || edited.includes(quoted, at + 1)) return undefined;
  return edited.slice(0, at) + raw + edited.slice(at + quoted.length);
}

/** Whether each key of `path` is theirs' own member (not one read through a prototype). */
function sameKey(value: JsonValue, path: JSONPath): boolean {
  let at: JsonValue | undefined = value;
  for (const key of path) {
    if (typeof key === 'number') at = Array.isArray(at) ? at[key] : undefined;
    else at = isJsonObject(at) && Object.hasOwn(at, key) ? at[key] : undefined;
    if (at === undefined) return false;
  }
  return true;
}

/**
 * `maxEdits`: decline when writing the merge would take more edits than this (each edit reads the
 * text again): a caller with another way to write the merge gives a bound.
 */
export function mergeJsonc(
  baseText: string,
  mineText: string,
  theirsText: string,
  options: MergeOptions = {},
  maxEdits = Infinity,
): JsoncMergeResult {
  // jsonc-parser and merge3 recurse once per level: text nested thousands deep (which the strict
  // parser refuses) overflowed the stack, and the command crashed leaving mine's file as it was.
  try {
    return mergeReadable(baseText, mineText, theirsText, options, maxEdits);
  } catch (err) {
    if (err instanceof RangeError) return { ok: false, reason: 'nested too deeply' };
    throw err;
  }
}

function mergeReadable(
  baseText: string,
  mineText: string,
  theirsText: string,
  options: MergeOptions,
  maxEdits: number,
): JsoncMergeResult {
  const base = read(baseText);
  const mine = read(mineText);
  const theirs = read(theirsText);
  if (base === undefined || mine === undefined || theirs === undefined)
    return { ok: false, reason: 'not JSON with comments either' };
  if (inexactNumber(baseText) || inexactNumber(mineText) || inexactNumber(theirsText))
    return { ok: false, reason: 'a number a double cannot hold exactly (e.g. beyond 2^53)' };
  const result = merge3(base, mine, theirs, options);
  if (result.conflicts.length > 0)
    return { ok: false, reason: `${result.conflicts.length} conflict(s) in JSON with comments` };
  const theirsComments = comments(theirsText);
  const baseComments = comments(baseText);
  if (
    theirsComments.length !== baseComments.length ||
    theirsComments.some((c, i) => c !== baseComments[i])
  ) {
    return { ok: false, reason: 'theirs changed comments, which a structural merge cannot carry' };
  }
  const edits: Array<[JSONPath, JsonValue | undefined]> = [];
  changes([], mine, result.merged, edits);
  if (edits.length > maxEdits)
    return {
      ok: false,
      reason: `writing the merge into mine would take ${edits.length} edits, too many for its size`,
    };
  const formattingOptions = indentOf(mineText);
  let text = mineText;
  const literals = theirsLiterals(theirsText, theirs, edits);
  for (const [n, [path, value]] of edits.entries()) {
    const raw = literals.get(n);
    text =
      (raw !== undefined ? withLiteral(text, path, raw, formattingOptions) : undefined) ??
      applyEdits(text, modify(text, path, value, { formattingOptions }));
  }
  const written = read(text);
  if (written === undefined || !jsonEqual(written, result.merged))
    return { ok: false, reason: 'the edits did not reproduce the merge' };
  // A value replaced whole (an array that changed length) takes the comments inside it along.
  const kept = comments(text);
  const mineComments = comments(mineText);
  if (kept.length !== mineComments.length || kept.some((c, i) => c !== mineComments[i]))
    return { ok: false, reason: "writing the merge would drop mine's comments inside a value" };
  return { ok: true, text };
}
