// A batch change described as an intent, not a document: applied to each target's own state (and
// re-applied to *Server now* after a conflict), so a batch never writes back a stale copy.
// Paths are JSON Pointers into the operator's document, so they reach inside JSON-in-string fields
// (a task's `attributes` is edited parsed).
import {
  decodePointer,
  encodePointer,
  getAt,
  isJsonObject,
  jsonEqual,
  setAt,
  type JsonValue,
} from '../json';

export type JsonPatchOp =
  | { op: 'add' | 'replace' | 'test'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

/** How an array element is found: by the value of an id key, or by equal value. */
export type ElementMatch =
  { by: 'id'; idKey: string; id: string | number } | { by: 'value'; value: JsonValue };

export type BatchIntent =
  | { kind: 'set'; path: string; value: JsonValue }
  | { kind: 'remove'; path: string }
  /** Adds `value` to the array at `path` unless an element matching it is already there. */
  | { kind: 'add-element'; path: string; value: JsonValue; idKey?: string }
  | { kind: 'remove-element'; path: string; match: ElementMatch }
  | { kind: 'json-patch'; ops: JsonPatchOp[] };

export type Applied =
  { ok: true; value: JsonValue; touched: string[] } | { ok: false; error: string };

/** Applies the intents in order; `touched` names every path they write (for conflict detection). */
export function applyIntents(doc: JsonValue, intents: readonly BatchIntent[]): Applied {
  let value = doc;
  const touched: string[] = [];
  for (const intent of intents) {
    const result = applyIntent(value, intent);
    if (!result.ok) return result;
    value = result.value;
    touched.push(...result.touched);
  }
  return { ok: true, value, touched: [...new Set(touched)] };
}

function applyIntent(doc: JsonValue, intent: BatchIntent): Applied {
  switch (intent.kind) {
    case 'set':
      return write(doc, intent.path, intent.value);
    case 'remove':
      // Removing what is not there changes nothing (so the target is reported skipped).
      return getAt(doc, intent.path) === undefined
        ? { ok: true, value: doc, touched: [] }
        : write(doc, intent.path, undefined);
    case 'add-element': {
      const list = getAt(doc, intent.path);
      if (list === undefined) return write(doc, intent.path, [intent.value]);
      if (!Array.isArray(list)) return { ok: false, error: `${intent.path} is not an array` };
      const match: ElementMatch =
        intent.idKey && isJsonObject(intent.value) && intent.value[intent.idKey] !== undefined
          ? { by: 'id', idKey: intent.idKey, id: intent.value[intent.idKey] as string | number }
          : { by: 'value', value: intent.value };
      if (list.some((item) => matches(item, match))) return { ok: true, value: doc, touched: [] };
      return write(doc, intent.path, [...list, intent.value]);
    }
    case 'remove-element': {
      const list = getAt(doc, intent.path);
      if (list === undefined) return { ok: true, value: doc, touched: [] };
      if (!Array.isArray(list)) return { ok: false, error: `${intent.path} is not an array` };
      const kept = list.filter((item) => !matches(item, intent.match));
      return kept.length === list.length
        ? { ok: true, value: doc, touched: [] }
        : write(doc, intent.path, kept);
    }
    case 'json-patch':
      return applyPatch(doc, intent.ops);
  }
}

export function matches(item: JsonValue, match: ElementMatch): boolean {
  if (match.by === 'value') return jsonEqual(item, match.value);
  return isJsonObject(item) && item[match.idKey] === match.id;
}

function write(doc: JsonValue, path: string, value: JsonValue | undefined): Applied {
  if (path === '')
    return value === undefined
      ? { ok: false, error: 'the whole document cannot be removed' }
      : { ok: true, value, touched: [''] };
  const next = setAt(doc, path, value);
  if (!next.ok) return { ok: false, error: next.error };
  return { ok: true, value: next.value ?? null, touched: [path] };
}

/** RFC 6902 JSON Patch, `test` included; a failed test fails the target with the path named. */
function applyPatch(doc: JsonValue, ops: readonly JsonPatchOp[]): Applied {
  let value = doc;
  const touched: string[] = [];
  for (const [i, op] of ops.entries()) {
    const at = `operation ${i + 1} (${op.op} ${op.path})`;
    switch (op.op) {
      case 'test': {
        const found = getAt(value, op.path);
        if (found === undefined || !jsonEqual(found, op.value))
          return {
            ok: false,
            error: `${at}: test failed — ${op.path} is ${found === undefined ? 'absent' : JSON.stringify(found, bigintText)}`,
          };
        touched.push(op.path);
        continue;
      }
      case 'remove': {
        if (getAt(value, op.path) === undefined)
          return { ok: false, error: `${at}: nothing to remove at ${op.path}` };
        const r = write(value, op.path, undefined);
        if (!r.ok) return { ok: false, error: `${at}: ${r.error}` };
        value = r.value;
        break;
      }
      case 'replace': {
        if (getAt(value, op.path) === undefined)
          return { ok: false, error: `${at}: nothing to replace at ${op.path}` };
        const r = write(value, op.path, op.value);
        if (!r.ok) return { ok: false, error: `${at}: ${r.error}` };
        value = r.value;
        break;
      }
      case 'add': {
        const r = add(value, op.path, op.value);
        if (!r.ok) return { ok: false, error: `${at}: ${r.error}` };
        value = r.value;
        break;
      }
      case 'move':
      case 'copy': {
        const moved = getAt(value, op.from);
        if (moved === undefined) return { ok: false, error: `${at}: nothing at ${op.from}` };
        if (op.op === 'move' && (op.path === op.from || op.path.startsWith(`${op.from}/`)))
          return { ok: false, error: `${at}: cannot move ${op.from} into itself` };
        if (op.op === 'move') {
          const r = write(value, op.from, undefined);
          if (!r.ok) return { ok: false, error: `${at}: ${r.error}` };
          value = r.value;
          touched.push(op.from);
        }
        const r = add(value, op.path, moved);
        if (!r.ok) return { ok: false, error: `${at}: ${r.error}` };
        value = r.value;
        break;
      }
    }
    touched.push(op.path);
  }
  return { ok: true, value, touched: [...new Set(touched)] };
}

/** RFC 6902 "add": into an array it inserts (or appends with "-"); into an object it sets. */
function add(
  doc: JsonValue,
  path: string,
  value: JsonValue,
): { ok: true; value: JsonValue } | { ok: false; error: string } {
  const tokens = decodePointer(path);
  if (!tokens.ok) return tokens;
  if (tokens.value.length === 0) return { ok: true, value };
  const parentPath = encodePointer(tokens.value.slice(0, -1));
  const parent = getAt(doc, parentPath);
  const last = tokens.value[tokens.value.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
    if (index < 0 || index > parent.length)
      return { ok: false, error: `no array position "${last}" at ${parentPath || 'the root'}` };
    const copy = [...parent.slice(0, index), value, ...parent.slice(index)];
    const r = setAt(doc, parentPath, copy);
    return r.ok ? { ok: true, value: r.value ?? null } : r;
  }
  if (!isJsonObject(parent))
    return { ok: false, error: `no object or array at ${parentPath || 'the root'}` };
  const r = setAt(doc, path, value);
  return r.ok ? { ok: true, value: r.value ?? null } : r;
}

/**
 * The paths where another writer's change (base → theirs) collides with the intents: they changed
 * a value the intent writes (or a container above it). Element intents collide only on the element
 * they name: others' additions to the same array are kept when the intent is re-applied.
 */
export function collidingPaths(
  intents: readonly BatchIntent[],
  base: JsonValue,
  theirs: JsonValue,
): string[] {
  const out = new Set<string>();
  const changed = (path: string) =>
    !jsonEqual(getAt(base, path), getAt(theirs, path)) ||
    ancestors(path).some((a) => !sameShape(getAt(base, a), getAt(theirs, a)));
  for (const intent of intents) {
    switch (intent.kind) {
      case 'set':
      case 'remove':
        if (changed(intent.path)) out.add(intent.path);
        break;
      case 'add-element':
      case 'remove-element': {
        const match: ElementMatch =
          intent.kind === 'remove-element'
            ? intent.match
            : intent.idKey && isJsonObject(intent.value) && intent.value[intent.idKey] !== undefined
              ? { by: 'id', idKey: intent.idKey, id: intent.value[intent.idKey] as string | number }
              : { by: 'value', value: intent.value };
        const before = getAt(base, intent.path);
        const after = getAt(theirs, intent.path);
        const element = (list: JsonValue | undefined) =>
          Array.isArray(list) ? list.find((item) => matches(item, match)) : undefined;
        if (
          !sameShape(before, after) ||
          ancestors(intent.path).some((a) => !sameShape(getAt(base, a), getAt(theirs, a))) ||
          !jsonEqual(element(before), element(after))
        )
          out.add(intent.path);
        break;
      }
      case 'json-patch':
        for (const op of intent.ops) {
          if (changed(op.path)) out.add(op.path);
          if ((op.op === 'move' || op.op === 'copy') && changed(op.from)) out.add(op.from);
        }
        break;
    }
  }
  return [...out].sort();
}

const ancestors = (path: string): string[] => {
  const tokens = decodePointer(path);
  if (!tokens.ok) return [];
  return tokens.value.slice(0, -1).map((_, i) => encodePointer(tokens.value.slice(0, i + 1)));
};

/** A container that stayed a container of the same kind (its other members may have changed). */
function sameShape(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b);
  if (isJsonObject(a) || isJsonObject(b)) return isJsonObject(a) && isJsonObject(b);
  return true;
}

const bigintText = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
