// Maps a resource to the operator's document and back, as the profile's `editable` spec says.
import type { EditableSpec } from '../../../shared/profiles/spec';
import { getAt, isJsonObject, jsonEqual, setAt, type JsonObject, type JsonValue } from '../../../shared/json';
import { parseJson } from '../../../shared/json';

/** The part of `body` the operator edits. Task attributes (JSON in a string) come back parsed. */
export function toEditable(spec: EditableSpec, body: JsonValue): JsonValue {
  switch (spec.kind) {
    case 'whole': {
      let doc: JsonValue | undefined = body;
      for (const pointer of spec.hidden) {
        if (getAt(doc, pointer) === undefined) continue;
        const next = setAt(doc!, pointer, undefined);
        if (next.ok && next.value !== undefined) doc = next.value;
      }
      return doc ?? {};
    }
    case 'member':
      return getAt(body, spec.pointer) ?? null;
    case 'fields': {
      const doc: JsonObject = {};
      for (const field of spec.fields) {
        const raw = getRaw(body, field.pointer);
        if (raw === undefined) continue;
        if (field.jsonString && typeof raw === 'string') {
          const parsed = parseJson(raw);
          doc[field.key] = parsed.ok ? parsed.value : raw;
        } else {
          doc[field.key] = raw;
        }
      }
      return doc;
    }
  }
}

/** The top-level keys of the editable document whose values differ. */
export function changedKeys(base: JsonValue, mine: JsonValue): string[] {
  if (!isJsonObject(base) || !isJsonObject(mine)) return jsonEqual(base, mine) ? [] : [''];
  const keys = new Set([...Object.keys(base), ...Object.keys(mine)]);
  return [...keys].filter((key) => !jsonEqual(base[key], mine[key]));
}

/** Reads a pointer without descending into JSON-holding strings (the field itself is wanted). */
function getRaw(body: JsonValue, pointer: string): JsonValue | undefined {
  let current: JsonValue | undefined = body;
  for (const token of pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current)) current = Object.hasOwn(current, token) ? current[token] : undefined;
    else return undefined;
  }
  return current;
}
