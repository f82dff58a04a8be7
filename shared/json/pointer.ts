// RFC 6901 JSON Pointers. One extension: a pointer may continue *through* a string that holds a JSON
// object or array (Twilio's `attributes`), since a string has no children otherwise.
import { parseJson } from './parse';
import { detectStyle, stringifyJson } from './serialize';
import type { JsonValue, Result } from './types';
import { getKey, isJsonObject, setKey } from './types';

export function encodePointer(tokens: readonly string[]): string {
  let out = '';
  for (const token of tokens) out += '/' + escapeToken(token);
  return out;
}

export function escapeToken(token: string): string {
  return token.includes('~') || token.includes('/')
    ? token.replace(/~/g, '~0').replace(/\//g, '~1')
    : token;
}

export function decodePointer(pointer: string): Result<string[]> {
  if (pointer === '') return { ok: true, value: [] };
  if (!pointer.startsWith('/'))
    return { ok: false, error: `JSON Pointer must be empty or start with "/": ${pointer}` };
  const tokens: string[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    if (/~[^01]|~$/.test(raw))
      return { ok: false, error: `invalid escape in JSON Pointer token "${raw}"` };
    tokens.push(raw.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  return { ok: true, value: tokens };
}

function arrayIndex(token: string, length: number, allowEnd: boolean): number | undefined {
  if (allowEnd && token === '-') return length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const index = Number(token);
  return index < length || (allowEnd && index === length) ? index : undefined;
}

function embedded(value: string): JsonValue | undefined {
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  const parsed = parseJson(value);
  return parsed.ok ? parsed.value : undefined;
}

/**
 * The value at `pointer`, or undefined when nothing is there. `intoStrings: false` reads the
 * document as it is: a string holding JSON is a string, with nothing below it.
 */
export function getAt(
  doc: JsonValue | undefined,
  pointer: string,
  intoStrings = true,
): JsonValue | undefined {
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return undefined;
  let current = doc;
  for (const token of tokens.value) {
    if (typeof current === 'string' && intoStrings) current = embedded(current);
    if (Array.isArray(current)) {
      const index = arrayIndex(token, current.length, false);
      current = index === undefined ? undefined : current[index];
    } else if (isJsonObject(current)) {
      current = getKey(current, token);
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/**
 * A copy of `doc` with `value` at `pointer` (undefined removes it). Only the spine is copied; inside
 * JSON-holding strings the string is re-serialised in its own style. Arrays accept "-" to append.
 */
export function setAt(
  doc: JsonValue,
  pointer: string,
  value: JsonValue | undefined,
): Result<JsonValue | undefined> {
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return tokens;
  return setTokens(doc, tokens.value, 0, value, pointer);
}

function setTokens(
  current: JsonValue | undefined,
  tokens: readonly string[],
  at: number,
  value: JsonValue | undefined,
  pointer: string,
): Result<JsonValue | undefined> {
  if (at === tokens.length) return { ok: true, value };
  if (typeof current === 'string') {
    const inner = embedded(current);
    if (inner === undefined)
      return { ok: false, error: `${pointer}: cannot descend into a plain string` };
    const next = setTokens(inner, tokens, at, value, pointer);
    if (!next.ok || next.value === undefined) return next;
    return { ok: true, value: stringifyJson(next.value, detectStyle(current)) };
  }
  const token = tokens[at]!;
  if (Array.isArray(current)) {
    const last = at === tokens.length - 1;
    const index = arrayIndex(token, current.length, last);
    if (index === undefined) return { ok: false, error: `${pointer}: no array element "${token}"` };
    const copy = current.slice();
    if (last && value === undefined) {
      copy.splice(index, 1);
      return { ok: true, value: copy };
    }
    const next = setTokens(current[index], tokens, at + 1, value, pointer);
    if (!next.ok) return next;
    if (next.value === undefined) copy.splice(index, 1);
    else copy[index] = next.value;
    return { ok: true, value: copy };
  }
  if (isJsonObject(current)) {
    const next = setTokens(getKey(current, token), tokens, at + 1, value, pointer);
    if (!next.ok) return next;
    const copy: Record<string, JsonValue> = {};
    let placed = false;
    for (const key of Object.keys(current)) {
      if (key === token) {
        placed = true;
        if (next.value !== undefined) setKey(copy, key, next.value);
      } else {
        setKey(copy, key, current[key]!);
      }
    }
    if (!placed && next.value !== undefined) setKey(copy, token, next.value);
    return { ok: true, value: copy };
  }
  return {
    ok: false,
    error: `${pointer}: no container at "${encodePointer(tokens.slice(0, at))}"`,
  };
}

/**
 * Whether `pointer` lies inside one of `containers` (or, with `orSelf`, is one of them); the root
 * holds everything. Its ancestors are looked up, one per "/" (tokens escape theirs), so the cost
 * is the pointer's depth, not the number of containers: compared with each, thousands of pointers
 * against thousands of containers took minutes.
 */
export function withinAny(
  pointer: string,
  containers: ReadonlySet<string>,
  orSelf: boolean,
): boolean {
  if (orSelf && containers.has(pointer)) return true;
  if (pointer === '') return false;
  for (let at = pointer.lastIndexOf('/'); at >= 0; at = pointer.lastIndexOf('/', at - 1)) {
    if (containers.has(pointer.slice(0, at))) return true;
    if (at === 0) break;
  }
  return false;
}
