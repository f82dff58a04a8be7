// Checks a user-defined profile (JSON from the operator) before it is saved with a connection.
import { isReservedName, s, type Check } from '../api/schema';
import type { ProfileSpec } from './spec';

const pointer = s.string({ max: 500, pattern: /^(\/[^/]*)*$/, label: 'JSON Pointer (like /a/b)' });
const name = s.string({ min: 1, max: 100 });
const pathTemplate = s.string({
  min: 1,
  max: 1000,
  pattern: /^\/\S*$/,
  label: 'path template starting with /',
});

const paging = s.tagged('kind', {
  'next-url': s.object({ kind: s.literal('next-url'), nextPointer: pointer, pageSizeParam: name }),
  'page-number': s.object({
    kind: s.literal('page-number'),
    pageParam: name,
    pageSizeParam: name,
    firstPage: s.integer({ min: 0, max: 1 }),
    totalPointer: s.optional(pointer),
  }),
  offset: s.object({ kind: s.literal('offset'), offsetParam: name, limitParam: name }),
  'start-key': s.object({
    kind: s.literal('start-key'),
    startParam: name,
    limitParam: name,
    keyPointer: pointer,
  }),
  'continuation-headers': s.object({
    kind: s.literal('continuation-headers'),
    pageSizeParam: name,
    tokens: s.array(
      s.object({
        header: s.string({ min: 1, max: 200, pattern: /^[A-Za-z0-9-]+$/, label: 'header name' }),
        param: name,
      }),
      { max: 5 },
    ),
  }),
  'webdav-propfind': s.object({
    kind: s.literal('webdav-propfind'),
    suffix: s.string({ max: 50, pattern: /^[^/?#]*$/, label: 'file name suffix (like .json)' }),
  }),
  none: s.object({ kind: s.literal('none') }),
});

const headerName = s.string({ min: 1, max: 200, pattern: /^[A-Za-z0-9-]+$/, label: 'header name' });
const idPart = s.object({
  name: s.string({ min: 1, max: 50, pattern: /^\w+$/, label: 'id part name' }),
  pointer,
  quote: s.optional(s.literal('odata-string')),
});

const revision = s.tagged('in', {
  etag: s.object({
    in: s.literal('etag'),
    weak: s.literal('send-as-is', 'send-as-strong', 'unguarded', 'reread-for-strong'),
  }),
  body: s.object({ in: s.literal('body'), pointer }),
});

const editable = s.tagged('kind', {
  whole: s.object({ kind: s.literal('whole'), hidden: s.array(pointer, { max: 100 }) }),
  member: s.object({ kind: s.literal('member'), pointer }),
  fields: s.object({
    kind: s.literal('fields'),
    fields: s.array(s.object({ key: name, pointer, jsonString: s.optional(s.boolean()) }), {
      max: 100,
    }),
  }),
});

export const profileSpecCheck = s.object({
  id: s.string({
    min: 1,
    max: 100,
    pattern: /^[a-z0-9][a-z0-9-]*$/,
    label: 'profile id (lowercase letters, digits and dashes)',
  }),
  label: name,
  family: s.literal(
    'twilio-taskrouter',
    'twilio-sync',
    'rest',
    'body-version',
    'couchdb',
    'azure-table',
    'webdav',
  ),
  description: s.string({ max: 1000 }),
  params: s.array(
    s.object({
      name: s.string({ min: 1, max: 50, pattern: /^\w+$/, label: 'parameter name' }),
      label: name,
      placeholder: s.optional(s.string({ max: 100 })),
    }),
    { max: 10 },
  ),
  list: s.object({
    path: pathTemplate,
    itemsPointer: pointer,
    itemPointer: s.optional(pointer),
    idPointer: pointer,
    idParts: s.optional(s.array(idPart, { max: 5 })),
    titlePointers: s.array(pointer, { max: 10 }),
    subtitlePointers: s.optional(s.array(pointer, { max: 10 })),
    statusPointer: s.optional(pointer),
    revisionPointer: s.optional(pointer),
    updatedPointer: s.optional(pointer),
    paging,
    filters: s.optional(
      s.array(
        s.object({
          name,
          label: name,
          param: name,
          options: s.optional(s.array(name, { max: 50 })),
        }),
        { max: 20 },
      ),
    ),
    searchParam: s.optional(name),
  }),
  itemPath: pathTemplate,
  revision,
  editable,
  write: s.object({
    method: s.literal('POST', 'PUT', 'PATCH', 'MERGE'),
    encoding: s.literal('form-changed', 'form-member', 'json', 'merge-patch', 'json-changed'),
    formFields: s.optional(s.record(name, { maxKeys: 100 })),
    precondition: s.literal('if-match', 'body-version'),
    conflictStatuses: s.array(s.integer({ min: 400, max: 499 }), { max: 5 }),
    answerRevision: s.optional(
      s.tagged('in', {
        etag: s.object({ in: s.literal('etag') }),
        body: s.object({ in: s.literal('body'), pointer }),
      }),
    ),
    annotationSuffix: s.optional(s.string({ max: 100 })),
    floatType: s.optional(s.string({ max: 100 })),
    losingRevisionsPointer: s.optional(pointer),
    flatProperties: s.optional(s.boolean()),
    stringTypes: s.optional(s.array(s.string({ max: 100 }), { max: 20 })),
    reservedMembers: s.optional(
      s.object({
        prefix: s.string({ min: 1, max: 100 }),
        allowed: s.array(s.string({ max: 100 }), { max: 50 }),
        reason: s.string({ max: 1000 }),
      }),
    ),
  }),
  idKeys: s.optional(s.array(name, { max: 20 })),
  headers: s.optional(s.record(s.string({ max: 1000 }), { maxKeys: 20 })),
  serverManaged: s.optional(s.array(pointer, { max: 100 })),
  errorPointers: s.optional(s.array(pointer, { max: 10 })),
  reservedIds: s.optional(
    s.object({
      prefixes: s.array(s.string({ min: 1, max: 100 }), { max: 20 }),
      except: s.optional(s.array(s.string({ min: 1, max: 100 }), { max: 20 })),
      reason: s.string({ min: 1, max: 300 }),
    }),
  ),
}) as unknown as Check<ProfileSpec>;

/** Validates a profile and its internal consistency; the error names the field at fault. */
export function checkProfileSpec(
  value: unknown,
): { ok: true; value: ProfileSpec } | { ok: false; error: string } {
  const parsed = profileSpecCheck.parse(value, 'profile');
  if (!parsed.ok) return parsed;
  const spec = parsed.value;
  const parts = spec.list.idParts ?? [];
  if (
    parts.length === 0
      ? !spec.itemPath.includes('{id}')
      : parts.some((p) => !spec.itemPath.includes(`{${p.name}}`))
  ) {
    return {
      ok: false,
      error:
        parts.length === 0
          ? 'profile.itemPath: must contain {id}'
          : 'profile.itemPath: must contain every id part ({Name} for each of list.idParts)',
    };
  }
  if (spec.write.answerRevision?.in === 'etag' && spec.revision.in !== 'etag') {
    return {
      ok: false,
      error: 'profile.write.answerRevision: an ETag answer needs revision.in = "etag"',
    };
  }
  if (spec.list.paging.kind === 'webdav-propfind' && spec.list.path.includes('?')) {
    return { ok: false, error: 'profile.list.path: a WebDAV folder path cannot carry a query' };
  }
  if (spec.write.precondition === 'body-version' && spec.revision.in !== 'body') {
    return {
      ok: false,
      error: 'profile.write.precondition: body-version needs revision.in = "body"',
    };
  }
  if (spec.write.precondition === 'if-match' && spec.revision.in !== 'etag') {
    return { ok: false, error: 'profile.write.precondition: if-match needs revision.in = "etag"' };
  }
  if (
    spec.write.precondition === 'body-version' &&
    spec.write.encoding !== 'json' &&
    spec.write.encoding !== 'json-changed'
  ) {
    return {
      ok: false,
      error:
        'profile.write.encoding: a body version travels only in a "json" or "json-changed" body',
    };
  }
  if (
    (spec.write.encoding === 'form-changed' || spec.write.encoding === 'form-member') &&
    !spec.write.formFields
  ) {
    return { ok: false, error: 'profile.write.formFields: form encodings need form field names' };
  }
  const reserved = [
    ...spec.params.map((p) => p.name),
    ...(spec.list.filters ?? []).map((f) => f.name),
  ].find(isReservedName);
  if (reserved !== undefined)
    return {
      ok: false,
      error: `profile: "${reserved}" is a reserved name; call the parameter or filter something else`,
    };
  for (const name of Object.keys(spec.headers ?? {})) {
    const checked = headerName.parse(name, `profile.headers["${name}"]`);
    if (!checked.ok) return checked;
    if (
      /^(authorization|cookie|if-match|if-none-match|content-type|content-length|host)$/i.test(name)
    ) {
      return {
        ok: false,
        error: `profile.headers: "${name}" is set by the app (auth, preconditions, body) and cannot be fixed by a profile`,
      };
    }
  }
  const declared = new Set(spec.params.map((p) => p.name));
  const idNames = new Set(['id', ...(spec.list.idParts ?? []).map((p) => p.name)]);
  for (const template of [spec.list.path, spec.itemPath]) {
    for (const [, param] of template.matchAll(/\{(\w+)\}/g)) {
      if (!idNames.has(param!) && !declared.has(param!))
        return {
          ok: false,
          error: `profile: the path uses {${param}} but params does not declare it`,
        };
    }
  }
  if (
    /\{\w+\}/.test(
      spec.list.path.replace(/\{(\w+)\}/g, (m, p: string) => (declared.has(p) ? '' : m)),
    )
  ) {
    return {
      ok: false,
      error: 'profile.list.path: only connection parameters can appear in the list path',
    };
  }
  return { ok: true, value: spec };
}
