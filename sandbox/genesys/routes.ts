// Genesys-style body-version family: the integer `version` travels in the JSON body, a stale one
// gets 409 with an ErrorBody, and each successful write adds one.
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { SANDBOX_CREDENTIALS } from '../credentials';
import { header, isPlainObject, json, parseJsonBody } from '../http';
import type { SandboxRequest, SandboxResponse } from '../http';
import { applyMergePatch } from '../merge-patch';
import { proceed, refuse } from '../outcome';
import type { Outcome } from '../outcome';
import type { Context, Route } from '../router';
import type { Row } from '../store';

export const USER = 'genesys-user';
export const PARTICIPANT_ATTRIBUTES = 'genesys-participant-attributes';
export const SECURE_ATTRIBUTES = 'genesys-secure-attributes';
const PREFIX = '/genesys/api/v2';

/** Fields of UpdateUser an operator may PATCH (id, version, selfUri are server-owned). */
const USER_FIELDS = [
  'name',
  'chat',
  'department',
  'email',
  'primaryContactInfo',
  'addresses',
  'state',
  'title',
  'username',
  'manager',
  'images',
  'routingStatus',
  'acdAutoAnswer',
  'certifications',
  'biography',
  'employerInfo',
  'languagePreference',
];

export function genesysError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): SandboxResponse {
  return json(status, {
    message,
    code,
    status,
    messageWithParams: message,
    messageParams: {},
    contextId: randomUUID(),
    details: [],
    errors: [],
    ...extra,
  });
}

export function checkGenesysAuth(req: SandboxRequest): SandboxResponse | null {
  const raw = header(req, 'authorization') ?? '';
  const m = /^bearer\s+(.+)$/i.exec(raw);
  const want = Buffer.from(SANDBOX_CREDENTIALS.genesys.bearerToken);
  const got = Buffer.from(m?.[1]?.trim() ?? '');
  if (got.length === want.length && timingSafeEqual(got, want)) return null;
  return genesysError(401, 'bad.credentials', 'Invalid login credentials.');
}

function renderUser(_req: SandboxRequest, row: Row): Record<string, unknown> {
  return {
    id: row.id,
    ...(row.body as Record<string, unknown>),
    version: row.version,
    selfUri: `/api/v2/users/${row.id}`,
  };
}

/** The body's `version`: a number, or a 400/428 response when it is missing or not an integer. */
function bodyVersion(body: Record<string, unknown>, ctx: Context): Outcome<number> {
  const v = body.version;
  if (v === undefined) {
    return refuse(
      ctx.switches().requirePrecondition.genesys
        ? genesysError(
            428,
            'precondition.required',
            'The request must include the current version of the resource in the body.',
          )
        : genesysError(
            400,
            'bad.request',
            'The version field is required. GET the resource and send its current version.',
          ),
    );
  }
  if (typeof v !== 'number' || !Number.isInteger(v))
    return refuse(genesysError(400, 'bad.request', 'The version field must be an integer.'));
  return proceed(v);
}

function conflict(ctx: Context, row: Row, entityName: string): SandboxResponse {
  return genesysError(
    409,
    ctx.switches().genesys.conflictCode,
    'The version number of the modified resource must match the version number in the database.',
    { entityId: row.id, entityName },
  );
}

function listUsers(req: SandboxRequest, ctx: Context): SandboxResponse {
  const pageNumber = Number(req.query.get('pageNumber') ?? '1');
  const pageSize = Number(req.query.get('pageSize') ?? '25');
  if (!Number.isInteger(pageNumber) || pageNumber < 1)
    return genesysError(400, 'bad.request', 'pageNumber must be an integer ≥ 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    return genesysError(400, 'bad.request', 'pageSize must be between 1 and 500');
  const state = req.query.get('state') ?? 'active';
  const rows = ctx.store
    .list(USER, '')
    .filter((r) => state === 'any' || (r.body as { state?: string }).state === state);
  const pageCount = Math.max(1, Math.ceil(rows.length / pageSize));
  const uri = (p: number) =>
    `/api/v2/users?pageSize=${pageSize}&pageNumber=${p}${state === 'active' ? '' : `&state=${state}`}`;
  return json(200, {
    entities: rows
      .slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
      .map((r) => renderUser(req, r)),
    pageSize,
    pageNumber,
    total: rows.length,
    pageCount,
    firstUri: uri(1),
    selfUri: uri(pageNumber),
    lastUri: uri(pageCount),
    ...(pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    ...(pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
  });
}

function fetchUser(req: SandboxRequest, ctx: Context): SandboxResponse {
  const row = ctx.store.get(USER, '', req.params.id as string);
  return row
    ? json(200, renderUser(req, row))
    : genesysError(404, 'not.found', `User ${req.params.id as string} not found`);
}

function patchUser(req: SandboxRequest, ctx: Context): SandboxResponse {
  const row = ctx.store.get(USER, '', req.params.id as string);
  if (!row) return genesysError(404, 'not.found', `User ${req.params.id as string} not found`);
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return genesysError(400, 'bad.request', parsed.error);
  if (!isPlainObject(parsed.value))
    return genesysError(400, 'bad.request', 'The body must be a JSON object.');
  const unknown = Object.keys(parsed.value).filter(
    (k) => k !== 'version' && k !== 'id' && !USER_FIELDS.includes(k),
  );
  if (unknown.length > 0)
    return genesysError(400, 'bad.request', `Unknown or read-only fields: ${unknown.join(', ')}`);
  const read = bodyVersion(parsed.value, ctx);
  if (!read.ok) return read.response;
  const version = read.value;
  if (version !== row.version) return conflict(ctx, row, 'user');
  const changes = Object.fromEntries(
    Object.entries(parsed.value).filter(([k]) => USER_FIELDS.includes(k)),
  );
  // PATCH replaces each top-level field given (Genesys semantics), it is not a deep merge.
  const updated = ctx.store.update(
    USER,
    '',
    row.id,
    { ...(row.body as Record<string, unknown>), ...changes },
    row.version + 1,
  );
  return json(200, renderUser(req, updated));
}

const attrKey = (req: SandboxRequest) =>
  `${req.params.conversation as string}/${req.params.participant as string}`;

// Participant attributes are NOT versioned in Genesys (reference §5): `PATCH …/attributes` takes
// `ParticipantAttributes {attributes: map<string,string>}`, merges it, returns no body, and two
// writers never conflict. The stored row still counts writes (for the admin history), but no
// version is shown or checked. The GET is a sandbox convenience (Genesys reads them from the
// conversation).
function renderAttributes(row: Row): Record<string, unknown> {
  const [conversationId, participantId] = row.id.split('/');
  return {
    conversationId,
    participantId,
    attributes: (row.body as { attributes: unknown }).attributes,
  };
}

const participantNotFound = (req: SandboxRequest) =>
  genesysError(
    404,
    'not.found',
    `Participant ${req.params.participant as string} not found in conversation ${req.params.conversation as string}`,
  );

function fetchAttributes(req: SandboxRequest, ctx: Context): SandboxResponse {
  const row = ctx.store.get(PARTICIPANT_ATTRIBUTES, '', attrKey(req));
  return row ? json(200, renderAttributes(row)) : participantNotFound(req);
}

function patchAttributes(req: SandboxRequest, ctx: Context): SandboxResponse {
  const row = ctx.store.get(PARTICIPANT_ATTRIBUTES, '', attrKey(req));
  if (!row) return participantNotFound(req);
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return genesysError(400, 'bad.request', parsed.error);
  if (!isPlainObject(parsed.value))
    return genesysError(400, 'bad.request', 'The body must be a JSON object.');
  const attributes = parsed.value.attributes;
  if (!isPlainObject(attributes) || Object.values(attributes).some((v) => typeof v !== 'string')) {
    return genesysError(400, 'bad.request', 'attributes must be an object of string values.');
  }
  const current = (row.body as { attributes: Record<string, string> }).attributes;
  ctx.store.update(
    PARTICIPANT_ATTRIBUTES,
    '',
    row.id,
    { attributes: { ...current, ...attributes } },
    row.version + 1,
  );
  // No body (the SDKs' return type is void); 202 is the sandbox's choice of 2xx [unverified].
  return { status: 202, headers: {}, body: '' };
}

// Conversation secure attributes: where Genesys does version conversation data (reference §5,
// `ConversationSecureAttributes.version`: "used to detect conflicting updates when using PUT").
function renderSecure(row: Row): Record<string, unknown> {
  return { attributes: (row.body as { attributes: unknown }).attributes, version: row.version };
}

const conversationNotFound = (req: SandboxRequest) =>
  genesysError(404, 'not.found', `Conversation ${req.params.conversation as string} not found`);

function fetchSecure(req: SandboxRequest, ctx: Context): SandboxResponse {
  const row = ctx.store.get(SECURE_ATTRIBUTES, '', req.params.conversation as string);
  return row ? json(200, renderSecure(row)) : conversationNotFound(req);
}

function putSecure(req: SandboxRequest, ctx: Context): SandboxResponse {
  const row = ctx.store.get(SECURE_ATTRIBUTES, '', req.params.conversation as string);
  if (!row) return conversationNotFound(req);
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return genesysError(400, 'bad.request', parsed.error);
  if (!isPlainObject(parsed.value))
    return genesysError(400, 'bad.request', 'The body must be a JSON object.');
  const attributes = parsed.value.attributes;
  if (!isPlainObject(attributes))
    return genesysError(400, 'bad.request', 'attributes must be a JSON object.');
  const read = bodyVersion(parsed.value, ctx);
  if (!read.ok) return read.response;
  if (read.value !== row.version) return conflict(ctx, row, 'conversationSecureAttributes');
  const updated = ctx.store.update(SECURE_ATTRIBUTES, '', row.id, { attributes }, row.version + 1);
  return json(200, renderSecure(updated));
}

export function editGenesys(
  ctx: Context,
  kind: typeof USER | typeof PARTICIPANT_ATTRIBUTES | typeof SECURE_ATTRIBUTES,
  id: string,
  patch: unknown,
  actor: string,
): Row | null {
  const row = ctx.store.get(kind, '', id);
  if (!row) return null;
  const body = row.body as Record<string, unknown>;
  const next =
    kind === USER
      ? applyMergePatch(body, patch ?? {})
      : { attributes: applyMergePatch(body.attributes, patch ?? {}) };
  // (For participant attributes the count is internal: the resource shows no version.)
  return ctx.store.update(kind, '', id, next, row.version + 1, { op: 'edit', actor });
}

export const genesysRoutes: Route[] = [
  { method: 'GET', pattern: `${PREFIX}/users`, handler: listUsers },
  { method: 'GET', pattern: `${PREFIX}/users/:id`, handler: fetchUser },
  { method: 'PATCH', pattern: `${PREFIX}/users/:id`, handler: patchUser },
  {
    method: 'GET',
    pattern: `${PREFIX}/conversations/:conversation/participants/:participant/attributes`,
    handler: fetchAttributes,
  },
  {
    method: 'PATCH',
    pattern: `${PREFIX}/conversations/:conversation/participants/:participant/attributes`,
    handler: patchAttributes,
  },
  {
    method: 'GET',
    pattern: `${PREFIX}/conversations/:conversation/secureattributes`,
    handler: fetchSecure,
  },
  {
    method: 'PUT',
    pattern: `${PREFIX}/conversations/:conversation/secureattributes`,
    handler: putSecure,
  },
];
