// Public API of the JSON toolkit: strict parsing, pointers, the three-way merge and its resolution.
export type { JsonArray, JsonObject, JsonPrimitive, JsonValue, Result } from './types';
export { isJsonObject } from './types';
export type { ParseError, ParseResult } from './parse';
export { formatParseError, MAX_JSON_DEPTH, parseJson, parseJsonStrict, positionOf } from './parse';
export type { AlikeParse, Pieces } from './parse-alike';
export { parseAlike, piecesAlong } from './parse-alike';
export type { InexactNumber } from './exact-numbers';
export { holdsExactly, inexactNumber, inexactNumberEdits, inexactNumbers } from './exact-numbers';
export type { JsonStyle } from './serialize';
export {
  COMPACT,
  PRETTY,
  detectStyle,
  lineBreakOf,
  stringifyJson,
  withLineBreaks,
} from './serialize';
export { fingerprint, jsonEqual } from './canonical';
export { decodePointer, encodePointer, escapeToken, getAt, setAt, withinAny } from './pointer';
export type {
  Change,
  ChangeOp,
  Choice,
  Conflict,
  ConflictKind,
  MergeOptions,
  MergeResult,
  Side,
} from './merge-types';
export { DEFAULT_ID_KEYS, onlyOtherFieldsChanged } from './merge-types';
export { merge3 } from './merge3';
export type { ChoiceTarget } from './choice-value';
export { valueForChoice } from './choice-value';
export type { Resolution } from './resolve';
export {
  applyChoices,
  checkChoice,
  choose,
  conflictById,
  conflictIn,
  createResolution,
  pendingConflicts,
  preview,
  rebase,
  unchoose,
} from './resolve';
export type { TextPosition, TextRange, TextSpan } from './positions';
export { pointerAtOffset, rangeOfPointer, rangesOfPointers, spansOfPointers } from './positions';
export type { MergeTextResult } from './merge-text';
export { mergeText, withoutMark } from './merge-text';
export type { PathChange } from './diff-paths';
export { diffPaths } from './diff-paths';
export { compactText, patchText, prettyText, rawAt, rawsAt } from './lossless-text';
export type { ConflictTextOptions } from './conflict-text';
export { conflictTextParts, writeConflictText } from './conflict-text';
export { SideTexts } from './side-texts';
export type { LineMergeResult } from './line-merge';
export { mergeLines } from './line-merge';
export type { JsoncMergeResult } from './jsonc-merge';
export { mergeJsonc, readsAsJsonc } from './jsonc-merge';
