// Builds the conditional write a profile calls for: form fields or JSON, with the precondition
// as an If-Match header or as the version written into the body.
import type { ProfileSpec } from '../../../shared/profiles/spec';
import { COMPACT, isJsonObject, setAt, stringifyJson, type JsonObject, type JsonValue } from '../../../shared/json';
import { changedKeys } from './editable';
import { createMergePatch } from './merge-patch';

export type WriteParts = { method: 'POST' | 'PUT' | 'PATCH'; headers: Record<string, string>; body: string; changedKeys: string[] };

export type Precondition = { kind: 'if-match'; etag: string } | { kind: 'body-version'; version: string } | { kind: 'none' };

export function buildWrite(
  spec: ProfileSpec,
  input: { baseBody: JsonValue; baseEditable: JsonValue; mine: JsonValue; precondition: Precondition },
): { ok: true; value: WriteParts } | { ok: false; error: string } {
  const { write, editable } = spec;
  const changed = changedKeys(input.baseEditable, input.mine);
  // A body version can only travel in a JSON body; any other encoding would drop it silently.
  if (input.precondition.kind === 'body-version' && write.encoding !== 'json' && write.encoding !== 'json-changed') {
    return { ok: false, error: `This profile keeps the version in the body but encodes writes as "${write.encoding}", which cannot carry it; nothing was sent.` };
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (input.precondition.kind === 'if-match') headers['if-match'] = input.precondition.etag;
  let body: string;
  switch (write.encoding) {
    case 'form-changed': {
      if (!isJsonObject(input.mine)) return { ok: false, error: 'This resource is edited as an object; your edit is not one.' };
      const form = new URLSearchParams();
      const jsonFields = new Set(editable.kind === 'fields' ? editable.fields.filter((f) => f.jsonString).map((f) => f.key) : []);
      for (const key of changed) {
        const field = write.formFields?.[key];
        if (!field) return { ok: false, error: `"${key}" cannot be written through this API (it is not an editable field).` };
        const value = (input.mine as JsonObject)[key];
        form.set(field, formValue(value, jsonFields.has(key)));
      }
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = form.toString();
      break;
    }
    case 'form-member': {
      const field = Object.values(write.formFields ?? {})[0] ?? 'Data';
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams({ [field]: stringifyJson(input.mine, COMPACT) }).toString();
      break;
    }
    case 'json':
    case 'json-changed': {
      let doc: JsonValue;
      if (write.encoding === 'json') {
        doc = wholeBody(spec, input.baseBody, input.mine);
      } else {
        if (!isJsonObject(input.mine)) return { ok: false, error: 'This resource is edited as an object; your edit is not one.' };
        const partial: JsonObject = {};
        for (const key of changed) if (Object.hasOwn(input.mine, key)) partial[key] = (input.mine as JsonObject)[key]!;
        doc = partial;
      }
      if (input.precondition.kind === 'body-version' && spec.revision.in === 'body') {
        const numeric = /^-?\d+$/.test(input.precondition.version) ? Number(input.precondition.version) : input.precondition.version;
        const withVersion = setAt(doc, spec.revision.pointer, numeric);
        if (!withVersion.ok || withVersion.value === undefined) return { ok: false, error: `Cannot write the version at ${spec.revision.pointer}.` };
        doc = withVersion.value;
      }
      headers['content-type'] = 'application/json';
      body = stringifyJson(doc, COMPACT);
      break;
    }
    case 'merge-patch': {
      headers['content-type'] = 'application/merge-patch+json';
      body = stringifyJson(createMergePatch(input.baseEditable, input.mine) ?? {}, COMPACT);
      break;
    }
  }
  return { ok: true, value: { method: write.method, headers, body, changedKeys: changed } };
}

/** Hidden (server-managed) fields come from the body we opened; the operator's fields follow. */
function wholeBody(spec: ProfileSpec, baseBody: JsonValue, mine: JsonValue): JsonValue {
  if (spec.editable.kind === 'member') {
    const next = setAt(baseBody, spec.editable.pointer, mine);
    return next.ok && next.value !== undefined ? next.value : mine;
  }
  if (spec.editable.kind !== 'whole' || !isJsonObject(mine) || !isJsonObject(baseBody)) return mine;
  const out: JsonObject = {};
  for (const pointer of spec.editable.hidden) {
    const key = pointer.slice(1);
    if (!key.includes('/') && Object.hasOwn(baseBody, key)) out[key] = baseBody[key]!;
  }
  return { ...out, ...mine };
}

function formValue(value: JsonValue | undefined, jsonString: boolean): string {
  if (value === undefined || value === null) return '';
  if (jsonString || typeof value === 'object') return stringifyJson(value, COMPACT);
  return String(value);
}
