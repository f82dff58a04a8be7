// Checks a user-defined profile (JSON from the operator) before it is saved with a connection.
import { isReservedName, s, type Check } from '../api/schema';
import type { ProfileSpec } from './spec';

const pointer = s.string({ max: 500, pattern: /^(\/[^/]*)*$/, label: 'JSON Pointer (like /a/b)' });
const name = s.string({ min: 1, max: 100 });
const pathTemplate = s.string({ min: 1, max: 1000, pattern: /^\/\S*$/, label: 'path template starting with /' });

const paging = s.tagged('kind', {
  'next-url': s.object({ kind: s.literal('next-url'), nextPointer: pointer, pageSizeParam: name }),
  'page-number': s.object({ kind: s.literal('page-number'), pageParam: name, pageSizeParam: name, firstPage: s.integer({ min: 0, max: 1 }), totalPointer: s.optional(pointer) }),
  none: s.object({ kind: s.literal('none') }),
});

const revision = s.tagged('in', {
  etag: s.object({ in: s.literal('etag'), weak: s.literal('send-as-is', 'send-as-strong', 'unguarded') }),
  body: s.object({ in: s.literal('body'), pointer }),
});

const editable = s.tagged('kind', {
  whole: s.object({ kind: s.literal('whole'), hidden: s.array(pointer, { max: 100 }) }),
  member: s.object({ kind: s.literal('member'), pointer }),
  fields: s.object({ kind: s.literal('fields'), fields: s.array(s.object({ key: name, pointer, jsonString: s.optional(s.boolean()) }), { max: 100 }) }),
});

export const profileSpecCheck = s.object({
  id: s.string({ min: 1, max: 100, pattern: /^[a-z0-9][a-z0-9-]*$/, label: 'profile id (lowercase letters, digits and dashes)' }),
  label: name,
  family: s.literal('twilio-taskrouter', 'twilio-sync', 'rest', 'body-version'),
  description: s.string({ max: 1000 }),
  params: s.array(s.object({ name: s.string({ min: 1, max: 50, pattern: /^\w+$/, label: 'parameter name' }), label: name, placeholder: s.optional(s.string({ max: 100 })) }), { max: 10 }),
  list: s.object({
    path: pathTemplate,
    itemsPointer: pointer,
    idPointer: pointer,
    titlePointers: s.array(pointer, { max: 10 }),
    subtitlePointers: s.optional(s.array(pointer, { max: 10 })),
    statusPointer: s.optional(pointer),
    revisionPointer: s.optional(pointer),
    updatedPointer: s.optional(pointer),
    paging,
    filters: s.optional(s.array(s.object({ name, label: name, param: name, options: s.optional(s.array(name, { max: 50 })) }), { max: 20 })),
    searchParam: s.optional(name),
  }),
  itemPath: pathTemplate,
  revision,
  editable,
  write: s.object({
    method: s.literal('POST', 'PUT', 'PATCH'),
    encoding: s.literal('form-changed', 'form-member', 'json', 'merge-patch', 'json-changed'),
    formFields: s.optional(s.record(name, { maxKeys: 100 })),
    precondition: s.literal('if-match', 'body-version'),
    conflictStatuses: s.array(s.integer({ min: 400, max: 499 }), { max: 5 }),
  }),
  idKeys: s.optional(s.array(name, { max: 20 })),
}) as unknown as Check<ProfileSpec>;

/** Validates a profile and its internal consistency; the error names the field at fault. */
export function checkProfileSpec(value: unknown): { ok: true; value: ProfileSpec } | { ok: false; error: string } {
  const parsed = profileSpecCheck.parse(value, 'profile');
  if (!parsed.ok) return parsed;
  const spec = parsed.value;
  if (!spec.itemPath.includes('{id}')) return { ok: false, error: 'profile.itemPath: must contain {id}' };
  if (spec.write.precondition === 'body-version' && spec.revision.in !== 'body') {
    return { ok: false, error: 'profile.write.precondition: body-version needs revision.in = "body"' };
  }
  if (spec.write.precondition === 'if-match' && spec.revision.in !== 'etag') {
    return { ok: false, error: 'profile.write.precondition: if-match needs revision.in = "etag"' };
  }
  if (spec.write.precondition === 'body-version' && spec.write.encoding !== 'json' && spec.write.encoding !== 'json-changed') {
    return { ok: false, error: 'profile.write.encoding: a body version travels only in a "json" or "json-changed" body' };
  }
  if ((spec.write.encoding === 'form-changed' || spec.write.encoding === 'form-member') && !spec.write.formFields) {
    return { ok: false, error: 'profile.write.formFields: form encodings need form field names' };
  }
  const reserved = [...spec.params.map((p) => p.name), ...(spec.list.filters ?? []).map((f) => f.name)].find(isReservedName);
  if (reserved !== undefined) return { ok: false, error: `profile: "${reserved}" is a reserved name; call the parameter or filter something else` };
  const declared = new Set(spec.params.map((p) => p.name));
  for (const template of [spec.list.path, spec.itemPath]) {
    for (const [, param] of template.matchAll(/\{(\w+)\}/g)) {
      if (param !== 'id' && !declared.has(param!)) return { ok: false, error: `profile: the path uses {${param}} but params does not declare it` };
    }
  }
  return { ok: true, value: spec };
}
