// Builds the conditional write a profile calls for: form fields or JSON, with the precondition
// as an If-Match header or as the version written into the body. Lossless: the body is the
// server's own text with only the operator's changed paths replaced by the operator's text for
// them (number lexemes, escapes and key order of everything else stay as the server sent them).
// An encoding that cannot express a change refuses before anything is sent, naming the change.
import type { ProfileSpec } from '../../../shared/profiles/spec';
import {
  compactText,
  decodePointer,
  encodePointer,
  getAt,
  isJsonObject,
  parseJson,
  patchText,
  rawAt,
  rawsAt,
  type JsonObject,
  type JsonValue,
  type PathChange,
} from '../../../shared/json';
import { parseEntityTag } from '../../../shared/etag';
import { editableOf } from './editable';

export type WriteParts = {
  method: 'POST' | 'PUT' | 'PATCH' | 'MERGE';
  headers: Record<string, string>;
  body: string;
};

/** `version` is the body version's JSON text as the server sent it (`7`, `"007"`). */
export type Precondition =
  { kind: 'if-match'; etag: string } | { kind: 'body-version'; version: string } | { kind: 'none' };

export type WriteInput = {
  /** The resource's text as the server sent it, its parsed value and the operator's part of it. */
  baseRaw: string;
  baseBody: JsonValue;
  baseEditable: JsonValue;
  mine: JsonValue;
  /** The operator's text: the source of every changed value's lexemes. */
  mineText: string;
  /** diffPaths(baseEditable, mine). */
  changes: readonly PathChange[];
  precondition: Precondition;
};

type Built = { ok: true; value: WriteParts } | { ok: false; error: string };
const refuse = (error: string): Built => ({ ok: false, error });

export function buildWrite(spec: ProfileSpec, input: WriteInput): Built {
  const { write } = spec;
  const { precondition } = input;
  // A body version can only travel in a JSON body; any other encoding would drop it silently.
  if (
    precondition.kind === 'body-version' &&
    write.encoding !== 'json' &&
    write.encoding !== 'json-changed'
  ) {
    return refuse(
      `This profile keeps the version in the body but encodes writes as "${write.encoding}", which cannot carry it; nothing was sent.`,
    );
  }
  const hidden = changeToHidden(spec, input.changes);
  if (hidden) return refuse(hidden);
  const reserved = reservedMember(spec, input.mine, input.changes);
  if (reserved) return refuse(reserved);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (precondition.kind === 'if-match') {
    const checked = checkIfMatch(precondition.etag);
    if (checked) return refuse(checked);
    headers['if-match'] = precondition.etag;
  }
  const body = encodeBody(spec, input);
  if (!body.ok) return body;
  headers['content-type'] = body.contentType;
  return { ok: true, value: { method: write.method, headers, body: body.text } };
}

/**
 * A field hidden from the editor (a revision such as CouchDB's `_rev`, an id, a server-managed
 * field) is the server's: a value typed for it would replace the revision opened (a blind
 * overwrite of whatever changed since) or rename the document, so such an edit is refused.
 */
function changeToHidden(spec: ProfileSpec, changes: readonly PathChange[]): string | null {
  const editable = editableOf(spec);
  if (editable.kind !== 'whole') return null;
  for (const change of changes) {
    const pointer = editable.hidden.find(
      (h) => change.path === h || change.path.startsWith(`${h}/`),
    );
    if (pointer === undefined) continue;
    const tokens = decodePointer(pointer);
    const name = tokens.ok ? tokens.value.join('.') : pointer;
    return `"${name}" is kept by the server and hidden from the editor, so it cannot be set from here (a typed revision would replace the one you opened, a typed id would name another document). Remove it from your edit. Nothing was sent.`;
  }
  return null;
}

/**
 * A top-level member the API keeps for itself (the profile's `reservedMembers`) that the edit sets:
 * refused, naming it, before the server refuses it in words that name nothing (or fails with a 500,
 * which leaves the outcome unknown).
 */
function reservedMember(
  spec: ProfileSpec,
  mine: JsonValue,
  changes: readonly PathChange[],
): string | null {
  const rule = spec.write.reservedMembers;
  if (!rule || editableOf(spec).kind !== 'whole' || !isJsonObject(mine)) return null;
  for (const change of changes) {
    const tokens = decodePointer(change.path);
    const key = tokens.ok ? tokens.value[0] : undefined;
    if (
      key !== undefined &&
      key.startsWith(rule.prefix) &&
      !rule.allowed.includes(key) &&
      Object.hasOwn(mine, key)
    )
      return `"${key}" cannot be a member of this document: ${rule.reason}. Rename it (or put it inside another member). Nothing was sent.`;
  }
  return null;
}

/** A precondition must name one entity-tag: never `*` or a list, which would match any revision. */
export function checkIfMatch(etag: string): string | null {
  const text = etag.trim();
  if (text === '*' || isTagList(text))
    return `The revision "${etag}" is a wildcard or a list, which would match any revision; a conditional write needs one entity-tag. Nothing was sent.`;
  const parsed = parseEntityTag(text);
  return parsed.ok
    ? null
    : `The server's ETag is not a valid entity-tag (${parsed.error}); it cannot be sent back as a precondition. Nothing was sent.`;
}

/** Whether a field value is a list of entity-tags: a comma outside the quotes ("a", "b"; 3,4). */
export function isTagList(etag: string): boolean {
  return etag.replace(/"[^"]*"/g, '').includes(',');
}

type Body = { ok: true; text: string; contentType: string } | { ok: false; error: string };

function encodeBody(spec: ProfileSpec, input: WriteInput): Body {
  const { write, editable } = spec;
  const { changes, mineText } = input;
  switch (write.encoding) {
    case 'form-changed': {
      if (!isJsonObject(input.mine))
        return { ok: false, error: 'This resource is edited as an object; your edit is not one.' };
      const form = new URLSearchParams();
      const jsonFields = new Set(
        editable.kind === 'fields'
          ? editable.fields.filter((f) => f.jsonString).map((f) => f.key)
          : [],
      );
      for (const [key, keyChanges] of byTopKey(changes)) {
        const field = write.formFields?.[key];
        if (!field)
          return {
            ok: false,
            error: `"${key}" cannot be written through this API (it is not an editable field); nothing was sent.`,
          };
        if (!Object.hasOwn(input.mine, key))
          return {
            ok: false,
            error: `This API cannot delete "${key}" (a form field can only be set); put a value back or leave it as it was. Nothing was sent.`,
          };
        const value = input.mine[key];
        // A form value is text: null would go as "" (or as the text "null"), which is not it.
        if (value === null)
          return {
            ok: false,
            error: `This API cannot set "${key}" to null (a form field can only be set to a value, and an empty one would be written as ""); put a value back or leave it as it was. Nothing was sent.`,
          };
        if (jsonFields.has(key) && typeof value === 'object') {
          // JSON inside a string (a task's attributes): the server's string, patched where you changed it.
          const baseInner =
            getAt(input.baseEditable, `/${key}`) === undefined
              ? undefined
              : stringAt(input.baseBody, editable, key);
          const mineInner = rawAt(mineText, `/${key}`) ?? '';
          const inner =
            baseInner === undefined || keyChanges.some((c) => c.path === `/${key}`)
              ? { ok: true as const, value: compactText(mineInner) }
              : patchText(
                  baseInner,
                  mineInner,
                  keyChanges.map((c) => ({ ...c, path: c.path.slice(key.length + 1) })),
                );
          if (!inner.ok) return { ok: false, error: `${key}: ${inner.error}` };
          form.set(field, inner.value);
        } else if (
          typeof value === 'string' &&
          jsonFields.has(key) &&
          heldJson(input.baseBody, editable, key)
        ) {
          // A field that held JSON text holds JSON text: a string goes as its JSON ("world"),
          // not as the bare word, which is no JSON at all.
          form.set(
            field,
            compactText(rawAt(mineText, `/${encodeToken(key)}`) ?? JSON.stringify(value)),
          );
        } else {
          form.set(field, formValue(value, rawAt(mineText, `/${encodeToken(key)}`)));
        }
      }
      return { ok: true, text: form.toString(), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'form-member': {
      const field = Object.values(write.formFields ?? {})[0] ?? 'Data';
      const base = editable.kind === 'member' ? rawAt(input.baseRaw, editable.pointer) : undefined;
      const text =
        base === undefined
          ? { ok: true as const, value: compactText(mineText) }
          : patchText(base, mineText, changes, input.mine);
      if (!text.ok) return { ok: false, error: text.error };
      return {
        ok: true,
        text: new URLSearchParams({ [field]: text.value }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      };
    }
    case 'json': {
      if (editable.kind === 'fields')
        return {
          ok: false,
          error: 'A whole-body JSON write needs a whole or member editable document.',
        };
      const text =
        editable.kind === 'member'
          ? patchMember(input.baseRaw, editable.pointer, mineText, input.mine, changes)
          : patchText(input.baseRaw, mineText, changes, input.mine);
      if (!text.ok) return { ok: false, error: text.error };
      const dropped =
        editable.kind === 'whole' ? dropServerManaged(text.value, spec.serverManaged ?? []) : text;
      if (!dropped.ok) return { ok: false, error: dropped.error };
      return { ok: true, text: dropped.value, contentType: 'application/json' };
    }
    case 'json-changed': {
      if (!isJsonObject(input.mine))
        return { ok: false, error: 'This resource is edited as an object; your edit is not one.' };
      const members: string[] = [];
      const changed = [...byTopKey(changes).keys()];
      const keys = write.annotationSuffix
        ? withAnnotations(changed, input.mine, write.annotationSuffix)
        : changed;
      const raws = rawsAt(
        mineText,
        keys.map((key) => `/${encodeToken(key)}`),
      );
      for (const key of keys) {
        if (!Object.hasOwn(input.mine, key)) {
          return {
            ok: false,
            error: `This API's ${write.method} sends only the fields you changed, so it cannot delete "${key}"; set it to a value instead. Nothing was sent.`,
          };
        }
        const unstorable = unstorableValue(spec, input.mine, key);
        if (unstorable) return { ok: false, error: unstorable };
        members.push(
          `${JSON.stringify(key)}:${compactText(raws.get(`/${encodeToken(key)}`) ?? 'null')}`,
        );
      }
      members.push(...floatTypeKept(spec, input, keys, raws));
      if (input.precondition.kind === 'body-version' && spec.revision.in === 'body') {
        const tokens = decodePointer(spec.revision.pointer);
        if (!tokens.ok || tokens.value.length !== 1)
          return { ok: false, error: `Cannot write the version at ${spec.revision.pointer}.` };
        members.push(`${JSON.stringify(tokens.value[0])}:${input.precondition.version}`);
      }
      return { ok: true, text: `{${members.join(',')}}`, contentType: 'application/json' };
    }
    case 'merge-patch': {
      const patch = mergePatchText(input.mine, mineText, changes);
      if (!patch.ok) return patch;
      return { ok: true, text: patch.value, contentType: 'application/merge-patch+json' };
    }
  }
}

/** Server-managed fields are never written back: a whole-body write leaves them out of the server's text. */
function dropServerManaged(
  text: string,
  pointers: readonly string[],
): { ok: true; value: string } | { ok: false; error: string } {
  let out = text;
  for (const pointer of pointers) {
    if (rawAt(out, pointer) === undefined) continue;
    const next = patchText(out, out, [{ path: pointer, op: 'remove' }]);
    if (!next.ok) return next;
    out = next.value;
  }
  return { ok: true, value: out };
}

/** The whole body with the member at `pointer` patched, reading the operator's values from their text. */
function patchMember(
  baseRaw: string,
  pointer: string,
  mineText: string,
  mine: JsonValue,
  changes: readonly PathChange[],
): { ok: true; value: string } | { ok: false; error: string } {
  const member = rawAt(baseRaw, pointer);
  if (member === undefined)
    return { ok: false, error: `The resource has nothing at ${pointer} to write into.` };
  const patched = patchText(member, mineText, changes, mine);
  if (!patched.ok) return patched;
  return patchText(baseRaw, wrapAt(pointer, patched.value), [{ path: pointer, op: 'replace' }]);
}

/** A document holding `value` at `pointer` (objects all the way down), so patchText can read it there. */
function wrapAt(pointer: string, value: string): string {
  const tokens = decodePointer(pointer);
  if (!tokens.ok) return value;
  return tokens.value.reduceRight((inner, token) => `{${JSON.stringify(token)}:${inner}}`, value);
}

/**
 * RFC 7396: members to set, `null` to delete, arrays replaced whole. A value set to `null`
 * cannot be expressed (it means "delete"), so such a save is refused.
 */
function mergePatchText(
  mine: JsonValue,
  mineText: string,
  changes: readonly PathChange[],
): { ok: true; value: string } | { ok: false; error: string } {
  type Tree = { [key: string]: Tree | string };
  const root: Tree = {};
  const entries: Array<{ path: string[]; pointer: string; removed: boolean }> = [];
  for (const change of changes) {
    const tokens = decodePointer(change.path);
    if (!tokens.ok) return { ok: false, error: tokens.error };
    if (tokens.value.length === 0)
      return {
        ok: false,
        error:
          'A merge patch cannot replace the whole document with something that is not an object.',
      };
    // Inside an array, the patch replaces the whole array.
    let cut = tokens.value.length;
    for (let i = 0; i < tokens.value.length; i++) {
      if (Array.isArray(getAt(mine, encodePointer(tokens.value.slice(0, i))))) {
        cut = i;
        break;
      }
    }
    const path = tokens.value.slice(0, cut);
    // A change inside a root array: the patch would be the whole document, an array.
    if (path.length === 0)
      return {
        ok: false,
        error:
          'A merge patch cannot replace the whole document with something that is not an object.',
      };
    const pointer = encodePointer(path);
    const removed = change.op === 'remove' && cut === tokens.value.length;
    const nulled = removed ? null : nullInObjects(getAt(mine, pointer), pointer);
    if (nulled !== null) {
      return {
        ok: false,
        error: `A JSON merge patch cannot set ${nulled} to null (null means "delete" in a merge patch). Nothing was sent.`,
      };
    }
    entries.push({ path, pointer, removed });
  }
  // The operator's text at every path, read in one scan and compacted once: changes inside one
  // array share its pointer (the patch replaces the array), so a pointer can come up many times.
  const raws = new Map(
    [
      ...rawsAt(mineText, [...new Set(entries.filter((e) => !e.removed).map((e) => e.pointer))]),
    ].map(([pointer, raw]) => [pointer, compactText(raw ?? 'null')]),
  );
  for (const { path, pointer, removed } of entries) {
    let node = root;
    for (const token of path.slice(0, -1)) {
      const next = node[token];
      if (typeof next === 'string') break;
      node = next ?? (node[token] = {});
    }
    node[path[path.length - 1]!] = removed ? 'null' : raws.get(pointer)!;
  }
  const render = (tree: Tree): string =>
    `{${Object.keys(tree)
      .map(
        (k) =>
          `${JSON.stringify(k)}:${typeof tree[k] === 'string' ? tree[k] : render(tree[k] as Tree)}`,
      )
      .join(',')}}`;
  return { ok: true, value: render(root) };
}

/**
 * Where `value` (sent at `pointer` in a merge patch) is or holds a null that the patch would take
 * for "delete": itself, or a member of an object in it. Arrays are replaced whole, so a null
 * inside one is sent as a value.
 */
function nullInObjects(value: JsonValue | undefined, pointer: string): string | null {
  if (value === null) return pointer;
  if (!isJsonObject(value)) return null;
  for (const [key, member] of Object.entries(value)) {
    const found = nullInObjects(member, `${pointer}/${encodeToken(key)}`);
    if (found !== null) return found;
  }
  return null;
}

/**
 * The changed keys with their annotation partners (`count` with `count@odata.type`, and back):
 * a value sent without its type annotation takes the type the server infers, so an Azure Int64,
 * DateTime or Guid would become a string.
 */
function withAnnotations(keys: string[], mine: JsonObject, suffix: string): string[] {
  const out = new Set<string>();
  for (const key of keys) {
    const partner = key.endsWith(suffix) ? key.slice(0, -suffix.length) : `${key}${suffix}`;
    if (key.endsWith(suffix) && Object.hasOwn(mine, partner)) out.add(partner);
    out.add(key);
    if (!key.endsWith(suffix) && Object.hasOwn(mine, partner)) out.add(partner);
  }
  return [...out];
}

/**
 * Annotations that keep a floating-point property floating-point (`"ratio@odata.type":"Edm.Double"`):
 * Azure sends a Double as a number with a fraction (1.5, 2.0) and no annotation, and infers the
 * type of a number sent without one from its text, so a whole number (2) would be stored as an
 * Int32 — reported saved, with another type. Only for a changed top-level number whose server
 * text had a fraction or exponent and whose new text has neither, when the operator's document
 * carries no annotation of its own for it.
 */
function floatTypeKept(
  spec: ProfileSpec,
  input: WriteInput,
  keys: readonly string[],
  mineRaws: ReadonlyMap<string, string | undefined>,
): string[] {
  const { annotationSuffix, floatType } = spec.write;
  if (!annotationSuffix || !floatType || spec.editable.kind !== 'whole') return [];
  const mine = input.mine;
  if (!isJsonObject(mine)) return [];
  const candidates = keys.filter(
    (key) =>
      !key.endsWith(annotationSuffix) &&
      (typeof mine[key] === 'number' || typeof mine[key] === 'bigint') &&
      !Object.hasOwn(mine, `${key}${annotationSuffix}`),
  );
  if (candidates.length === 0) return [];
  const pointers = candidates.map((key) => `/${encodeToken(key)}`);
  const baseRaws = rawsAt(input.baseRaw, pointers);
  const fractional = (raw: string | undefined) =>
    raw !== undefined && /^-?\d/.test(raw.trim()) && /[.eE]/.test(raw);
  return candidates
    .filter((_key, i) => {
      const pointer = pointers[i]!;
      return fractional(baseRaws.get(pointer)) && !fractional(mineRaws.get(pointer));
    })
    .map((key) => `${JSON.stringify(`${key}${annotationSuffix}`)}:${JSON.stringify(floatType)}`);
}

/**
 * Why the server cannot store `mine[key]` as sent (the profile's `flatProperties`, `stringTypes`),
 * or null. Checked before sending: Azure answers either with a bare 400 that names no property.
 */
function unstorableValue(spec: ProfileSpec, mine: JsonObject, key: string): string | null {
  const { flatProperties, stringTypes, annotationSuffix } = spec.write;
  const value = mine[key];
  if (flatProperties && value !== null && typeof value === 'object')
    return `"${key}" holds ${Array.isArray(value) ? 'an array' : 'an object'}, but this API stores flat properties only (a string, a number, a boolean); store it as JSON text in a string instead. Nothing was sent.`;
  if (!annotationSuffix || !stringTypes || key.endsWith(annotationSuffix)) return null;
  const type = mine[`${key}${annotationSuffix}`];
  if (typeof type === 'string' && stringTypes.includes(type) && typeof value !== 'string')
    return `"${key}" is typed ${type} ("${key}${annotationSuffix}"), which this API takes as a string: write its value in quotes (e.g. "${value === null ? '…' : String(value)}"). Nothing was sent.`;
  return null;
}

/** Changes grouped by the top-level key they fall under. */
function byTopKey(changes: readonly PathChange[]): Map<string, PathChange[]> {
  const out = new Map<string, PathChange[]>();
  for (const change of changes) {
    const tokens = decodePointer(change.path);
    const key = tokens.ok && tokens.value.length > 0 ? tokens.value[0]! : '';
    out.set(key, [...(out.get(key) ?? []), change]);
  }
  return out;
}

/** Whether the server's string for a JSON-holding field held JSON (so the editor shows it parsed). */
function heldJson(body: JsonValue, editable: ProfileSpec['editable'], key: string): boolean {
  const base = stringAt(body, editable, key);
  return base !== undefined && parseJson(base).ok;
}

/** The JSON text inside a field that holds JSON in a string (as the server sent it). */
function stringAt(
  body: JsonValue,
  editable: ProfileSpec['editable'],
  key: string,
): string | undefined {
  if (editable.kind !== 'fields') return undefined;
  const field = editable.fields.find((f) => f.key === key);
  const value = field ? getAt(body, field.pointer) : undefined;
  return typeof value === 'string' ? value : undefined;
}

const encodeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** A form field's value: strings as they are, numbers and booleans as written, JSON otherwise. */
function formValue(value: JsonValue | undefined, raw: string | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return raw === undefined ? String(value) : compactText(raw);
}
