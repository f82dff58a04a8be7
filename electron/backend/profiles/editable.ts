// Maps a resource to the operator's document and back, as the profile's `editable` spec says.
import type { EditableSpec, ProfileSpec } from '../../../shared/profiles/spec';
import {
  compactText,
  COMPACT,
  getAt,
  isJsonObject,
  parseJson,
  patchText,
  PRETTY,
  prettyText,
  rawAt,
  setAt,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '../../../shared/json';

/**
 * The profile's editable spec with its server-managed fields hidden too (a whole body): the
 * operator never edits them, and `serverManagedText` shows them read-only.
 */
export function editableOf(spec: ProfileSpec): EditableSpec {
  const managed = spec.serverManaged ?? [];
  const editable = spec.editable;
  if (editable.kind !== 'whole' || managed.length === 0) return editable;
  return {
    kind: 'whole',
    hidden: [...editable.hidden, ...managed.filter((p) => !editable.hidden.includes(p))],
  };
}

/** The server-managed fields a resource holds, as pretty JSON keyed by pointer (null when none). */
export function serverManagedText(spec: ProfileSpec, body: JsonValue): string | null {
  const found: JsonObject = {};
  for (const pointer of spec.serverManaged ?? []) {
    const value = getAt(body, pointer);
    if (value !== undefined) found[pointer] = value;
  }
  return Object.keys(found).length ? stringifyJson(found, PRETTY) : null;
}

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

/** Reads a pointer without descending into JSON-holding strings (the field itself is wanted). */
function getRaw(body: JsonValue, pointer: string): JsonValue | undefined {
  let current: JsonValue | undefined = body;
  for (const token of pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isJsonObject(current))
      current = Object.hasOwn(current, token) ? current[token] : undefined;
    else return undefined;
  }
  return current;
}

/**
 * The operator's document as text, lossless: every value keeps the text the server sent (number
 * lexemes, escapes, key order), re-indented. When a plain re-serialisation would give the very
 * same tokens (the common case), that faster road is taken.
 */
export function editableText(
  spec: EditableSpec,
  rawText: string,
  body: JsonValue,
  editable: JsonValue,
): string {
  // The server's text holds exactly the tokens a plain serialisation of its body gives (the
  // common case): so does any member of it, and so does it with hidden members cut out. That
  // check costs one pass over the text; cutting members out of it parses the whole text per member.
  if (canonicalCutsHold(spec, body)) {
    const plain = stringifyJson(body, COMPACT);
    // Compacting only removes whitespace: a text no longer than the plain one is either that very
    // text (a compact answer, the common case, compared natively) or not it at all.
    if (rawText === plain || (rawText.length > plain.length && compactText(rawText) === plain))
      return stringifyJson(editable, PRETTY);
  }
  const source = editableSource(spec, rawText, body);
  if (source === undefined) return stringifyJson(editable, PRETTY);
  const compact = compactText(source);
  if (compact === stringifyJson(editable, COMPACT)) return stringifyJson(editable, PRETTY);
  return prettyText(compact);
}

/**
 * Whether cutting the editable part out of a canonical text gives a canonical text: true for a
 * member and for hidden members, unless one lies inside a JSON-holding string (the text-level cut
 * leaves such a string as the server sent it).
 */
function canonicalCutsHold(spec: EditableSpec, body: JsonValue): boolean {
  if (spec.kind === 'member') return true;
  if (spec.kind === 'fields') return false;
  return spec.hidden.every((pointer) => {
    const tokens = pointer.split('/');
    for (let n = 1; n < tokens.length - 1; n++)
      if (typeof getAt(body, tokens.slice(0, n + 1).join('/')) === 'string') return false;
    return true;
  });
}

/** The server's text for the editable part, before re-indenting; undefined when it has none. */
function editableSource(spec: EditableSpec, rawText: string, body: JsonValue): string | undefined {
  switch (spec.kind) {
    case 'whole': {
      let text = rawText;
      for (const pointer of spec.hidden) {
        if (getAt(body, pointer) === undefined) continue;
        const next = patchText(text, text, [{ path: pointer, op: 'remove' }]);
        if (!next.ok) return undefined;
        text = next.value;
      }
      return text;
    }
    case 'member':
      return rawAt(rawText, spec.pointer);
    case 'fields': {
      const members: string[] = [];
      for (const field of spec.fields) {
        const raw = getRaw(body, field.pointer);
        if (raw === undefined) continue;
        const text =
          field.jsonString && typeof raw === 'string' && parseJson(raw).ok
            ? raw
            : rawAt(rawText, field.pointer);
        if (text === undefined) return undefined;
        members.push(`${JSON.stringify(field.key)}:${text}`);
      }
      return `{${members.join(',')}}`;
    }
  }
}
