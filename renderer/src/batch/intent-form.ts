// The batch form as a plain value: rows the operator fills in, turned into the contract's intents
// with every problem named (no UI needed to test it).
import type { BatchIntent, JsonPatchOp } from '../../../shared/batch/intent';
import { parseJson, type JsonValue } from '../../../shared/json';

export type IntentKind = BatchIntent['kind'];

export type IntentRow = {
  kind: IntentKind;
  /** A JSON Pointer such as /priority or /attributes/skills. */
  path: string;
  /** JSON text (a bare word counts as a string) — the value to set, add or remove. */
  value: string;
  /** For add-element / remove-element: match elements by this key instead of by whole value. */
  idKey: string;
  /** For json-patch: the operations as JSON text. */
  patch: string;
};

export const KIND_LABELS: Record<IntentKind, string> = {
  set: 'Set a value',
  remove: 'Remove a field',
  'add-element': 'Add to a list',
  'remove-element': 'Remove from a list',
  'json-patch': 'JSON Patch (RFC 6902)',
};

export const emptyRow = (kind: IntentKind = 'set'): IntentRow => ({
  kind,
  path: '',
  value: '',
  idKey: '',
  patch: '[\n  { "op": "replace", "path": "/priority", "value": 5 }\n]',
});

/** A value typed in a field: JSON when it parses, else the text itself as a string. */
export function valueOf(text: string): JsonValue {
  const trimmed = text.trim();
  const parsed = parseJson(trimmed);
  return parsed.ok ? parsed.value : text;
}

export type FormResult = { ok: true; intents: BatchIntent[] } | { ok: false; errors: string[] };

export function intentsFromRows(rows: readonly IntentRow[]): FormResult {
  const errors: string[] = [];
  const intents: BatchIntent[] = [];
  rows.forEach((row, i) => {
    const n = `Change ${i + 1}`;
    if (row.kind === 'json-patch') {
      const parsed = parseJson(row.patch);
      if (!parsed.ok)
        return void errors.push(
          `${n}: the JSON Patch is not valid JSON (line ${parsed.error.line}, column ${parsed.error.column}).`,
        );
      if (!Array.isArray(parsed.value) || parsed.value.length === 0)
        return void errors.push(`${n}: a JSON Patch is a non-empty array of operations.`);
      const bad = parsed.value.findIndex(
        (op) =>
          typeof op !== 'object' ||
          op === null ||
          Array.isArray(op) ||
          typeof (op as Record<string, unknown>)['op'] !== 'string' ||
          typeof (op as Record<string, unknown>)['path'] !== 'string',
      );
      if (bad >= 0) return void errors.push(`${n}: operation ${bad + 1} needs "op" and "path".`);
      intents.push({ kind: 'json-patch', ops: parsed.value as unknown as JsonPatchOp[] });
      return;
    }
    const path = row.path.trim();
    if (!path.startsWith('/'))
      return void errors.push(
        `${n}: the path must be a JSON Pointer starting with /, e.g. /priority.`,
      );
    switch (row.kind) {
      case 'set':
        if (row.value.trim() === '')
          return void errors.push(`${n}: give the value to set (JSON, or a word for a string).`);
        intents.push({ kind: 'set', path, value: valueOf(row.value) });
        return;
      case 'remove':
        intents.push({ kind: 'remove', path });
        return;
      case 'add-element': {
        if (row.value.trim() === '') return void errors.push(`${n}: give the element to add.`);
        const idKey = row.idKey.trim();
        intents.push({
          kind: 'add-element',
          path,
          value: valueOf(row.value),
          ...(idKey ? { idKey } : {}),
        });
        return;
      }
      case 'remove-element': {
        if (row.value.trim() === '')
          return void errors.push(`${n}: give the element (or its id) to remove.`);
        const idKey = row.idKey.trim();
        const value = valueOf(row.value);
        if (idKey && typeof value !== 'string' && typeof value !== 'number')
          return void errors.push(`${n}: with an id key, give the id (a string or a number).`);
        intents.push({
          kind: 'remove-element',
          path,
          match: idKey ? { by: 'id', idKey, id: value as string | number } : { by: 'value', value },
        });
        return;
      }
    }
  });
  if (rows.length === 0) errors.push('Add at least one change.');
  return errors.length ? { ok: false, errors } : { ok: true, intents };
}

/** One line per intent, for the confirmation and the batch's name. */
export function describeIntent(intent: BatchIntent): string {
  const json = (v: unknown) =>
    JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  switch (intent.kind) {
    case 'set':
      return `set ${intent.path} to ${json(intent.value)}`;
    case 'remove':
      return `remove ${intent.path}`;
    case 'add-element':
      return `add ${json(intent.value)} to ${intent.path}`;
    case 'remove-element':
      return `remove ${intent.match.by === 'id' ? `the element with ${intent.match.idKey} ${json(intent.match.id)}` : json(intent.match.value)} from ${intent.path}`;
    case 'json-patch':
      return `apply a JSON Patch of ${intent.ops.length} operation${intent.ops.length === 1 ? '' : 's'}`;
  }
}
