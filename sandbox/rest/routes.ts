// Generic JSON REST: /rest/{collection}[/{id}] with weak ETags, If-Match on writes (strict or
// lenient comparison per collection), If-None-Match → 304, 412 or 409 on conflict, opt-in 428.
import { createHash, randomUUID } from 'node:crypto';
import { empty, header, isPlainObject, json, jsonText, parseJsonBody } from '../http';
import type { SandboxRequest, SandboxResponse } from '../http';
import { keepRecent } from '../../shared/recent-map';
import { applyMergePatch } from '../merge-patch';
import { evaluateIfMatch, evaluateIfNoneMatch } from '../preconditions';
import type { Context, Route } from '../router';
import { bodyText, storedText, type Row } from '../store';
import { restSettings } from '../switches';

export const REST = 'rest';

/**
 * W/"<hex length>-<hash>" like Express. The hash covers the revision too, so every write (even
 * one that leaves the body unchanged, e.g. an admin edit) yields a new tag and stale copies conflict.
 */
export function restEtag(row: Pick<Row, 'body' | 'version'>): string {
  // One request asks up to three times (preconditions, the answer's header); a row object is read
  // fresh from the store per request, so its tag is kept with it (a megabyte body hashes in ms).
  // A row whose body was never read is known by its stored text (reading the body would parse it).
  // Only a row read from the store has a stored text (a history entry is a body and a version).
  const text = storedText(row as Row);
  const source = text ?? row.body;
  const known = etags.get(row);
  if (known !== undefined && known.source === source && known.version === row.version)
    return known.etag;
  // A stored text unchanged since an earlier request (a 412 and the read after it, a watch's
  // polls) has the tag that request hashed: 20 ms of a 5 MB body each time otherwise.
  const stored = text === undefined ? undefined : storedKey(row as Row, text);
  const etag =
    (stored && storedTags.get(stored)) ??
    computeEtag(row.version, text ?? JSON.stringify(row.body));
  if (stored) keepRecent(storedTags, stored, etag, STORED_TAGS_KEPT);
  etags.set(row, { source, version: row.version, etag });
  return etag;
}

const etags = new WeakMap<object, { source: unknown; version: Row['version']; etag: string }>();

/**
 * Tags of stored texts, by the row and its revision: every write gives a row a new version and a
 * new `updated` time, and a row deleted and made again a new `ord` (SQLite's AUTOINCREMENT never
 * hands one out twice), so a key names one stored text. The most recent few hundred are kept.
 */
const storedTags = new Map<string, string>();
const STORED_TAGS_KEPT = 256;

const storedKey = (row: Row, text: string) =>
  [row.kind, row.scope, row.id, row.ord, row.version, row.updated, text.length].join('\u0000');

function computeEtag(version: Row['version'], text: string): string {
  const hash = createHash('sha1').update(`${version}\n${text}`).digest('base64url').slice(0, 27);
  return `W/"${Buffer.byteLength(text).toString(16)}-${hash}"`;
}

function problem(
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): SandboxResponse {
  return json(
    status,
    { type: 'about:blank', title, status, detail, ...extra },
    { 'content-type': 'application/problem+json', ...headers },
  );
}

const notFound = (req: SandboxRequest) => problem(404, 'Not Found', `No resource at ${req.path}`);

function represent(row: Row): SandboxResponse {
  // The stored text as it is: a body never read is neither parsed nor serialised again.
  return jsonText(200, bodyText(row), {
    etag: restEtag(row),
    'last-modified': new Date(row.updated).toUTCString(),
  });
}

function validId(id: string): boolean {
  return /^[\w.~-]{1,200}$/.test(id);
}

/**
 * Write preconditions in RFC 9110 §13.2.2 order. `row` is the current resource (undefined = none).
 * Returns a response to send, or null to proceed.
 */
function checkWrite(
  req: SandboxRequest,
  ctx: Context,
  collection: string,
  row: Row | undefined,
): SandboxResponse | null {
  const settings = restSettings(ctx.switches(), collection);
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const current = row ? restEtag(row) : null;
  // Any precondition satisfies RFC 6585's "conditional request"; If-None-Match: * is how to create.
  if (ifMatch === undefined && ifNoneMatch === undefined && settings.requirePrecondition) {
    return problem(
      428,
      'Precondition Required',
      `Collection '${collection}' requires conditional writes: GET the resource and resend with If-Match: <ETag>` +
        (row === undefined ? ' (or If-None-Match: * to create).' : '.'),
      {},
      { 'cache-control': 'no-store' },
    );
  }
  if (ifMatch !== undefined) {
    // Strict: RFC strong comparison. Our tags are weak, so only the opaque value resent as a strong
    // tag ("1a-…") or * can pass; a W/ tag never does. Lenient: weak comparison.
    const strict = settings.comparison === 'strict';
    const result = evaluateIfMatch(
      ifMatch,
      current === null ? null : strict ? current.slice(2) : current,
      strict ? 'strong' : 'weak',
    );
    if (result.kind === 'malformed')
      return problem(400, 'Bad Request', `Invalid If-Match header: ${result.error}`);
    if (result.kind === 'fail') {
      if (row === undefined)
        return problem(
          412,
          'Precondition Failed',
          `If-Match was given but ${req.path} does not exist.`,
        );
      const status = settings.conflictStatus;
      return problem(
        status,
        status === 409 ? 'Conflict' : 'Precondition Failed',
        `The resource has changed: If-Match ${ifMatch} does not match the current ETag.`,
        { currentEtag: current },
      );
    }
  }
  // RFC 9110 §13.2.2: If-None-Match is evaluated whether or not If-Match was present and passed.
  if (ifNoneMatch !== undefined) {
    const result = evaluateIfNoneMatch(ifNoneMatch, current);
    if (result.kind === 'malformed')
      return problem(400, 'Bad Request', `Invalid If-None-Match header: ${result.error}`);
    if (result.kind === 'fail')
      return problem(412, 'Precondition Failed', 'If-None-Match failed: the resource exists.', {
        currentEtag: current,
      });
  }
  return null;
}

function listCollections(_req: SandboxRequest, ctx: Context): SandboxResponse {
  const names = new Set([
    ...Object.keys(ctx.switches().rest.collections),
    ...ctx.store.collections(REST),
  ]);
  return json(200, {
    collections: [...names].sort().map((name) => ({
      name,
      ...restSettings(ctx.switches(), name),
      count: ctx.store.count(REST, name),
    })),
  });
}

function listItems(req: SandboxRequest, ctx: Context): SandboxResponse {
  const collection = req.params.collection as string;
  const page = Number(req.query.get('page') ?? '1');
  const pageSize = Number(req.query.get('pageSize') ?? '20');
  if (!Number.isInteger(page) || page < 1)
    return problem(400, 'Bad Request', 'page must be an integer ≥ 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500)
    return problem(400, 'Bad Request', 'pageSize must be an integer between 1 and 500');
  // The page alone is read: listing the whole collection for each page made paging through it
  // quadratic (80,000 items at 500 a page: 84 s).
  const total = ctx.store.count(REST, collection);
  const offset = (page - 1) * pageSize;
  // Past the end (a page number of any size) is no page: SQLite is asked only for one that exists.
  const items = offset < total ? ctx.store.page(REST, collection, offset, pageSize) : [];
  const pageUrl = (p: number) =>
    `${req.origin}/rest/${encodeURIComponent(collection)}?page=${p}&pageSize=${pageSize}`;
  return json(200, {
    items: items.map((r) => r.body),
    page,
    pageSize,
    total,
    next: page * pageSize < total ? pageUrl(page + 1) : null,
    prev: page > 1 ? pageUrl(page - 1) : null,
  });
}

function create(req: SandboxRequest, ctx: Context): SandboxResponse {
  const collection = req.params.collection as string;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return problem(400, 'Bad Request', parsed.error);
  if (!isPlainObject(parsed.value))
    return problem(400, 'Bad Request', 'the body must be a JSON object');
  const id = parsed.value.id === undefined ? randomUUID() : String(parsed.value.id);
  if (!validId(id)) return problem(400, 'Bad Request', `invalid id: ${id}`);
  if (ctx.store.get(REST, collection, id))
    return problem(409, 'Conflict', `${collection}/${id} already exists`);
  const row = ctx.store.insert(REST, collection, id, { ...parsed.value, id }, 0);
  const res = represent(row);
  return {
    ...res,
    status: 201,
    headers: {
      ...res.headers,
      location: `/rest/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`,
    },
  };
}

function fetch(req: SandboxRequest, ctx: Context): SandboxResponse {
  const collection = req.params.collection as string;
  const row = ctx.store.get(REST, collection, req.params.id as string);
  if (!row) return notFound(req);
  // If-Match applies to reads too (RFC 9110 §13.1.1), before If-None-Match.
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined) {
    const strict = restSettings(ctx.switches(), collection).comparison === 'strict';
    const check = evaluateIfMatch(
      ifMatch,
      strict ? restEtag(row).slice(2) : restEtag(row),
      strict ? 'strong' : 'weak',
    );
    if (check.kind === 'malformed')
      return problem(400, 'Bad Request', `Invalid If-Match header: ${check.error}`);
    if (check.kind === 'fail')
      return problem(
        412,
        'Precondition Failed',
        `If-Match ${ifMatch} does not match the current ETag.`,
        { currentEtag: restEtag(row) },
      );
  }
  const result = evaluateIfNoneMatch(header(req, 'if-none-match'), restEtag(row));
  // 304 carries the headers a 200 would (RFC 9110 §15.4.5) but no body.
  if (result.kind === 'fail')
    return empty(304, {
      etag: restEtag(row),
      'last-modified': new Date(row.updated).toUTCString(),
    });
  return represent(row);
}

function put(req: SandboxRequest, ctx: Context): SandboxResponse {
  const collection = req.params.collection as string;
  const id = req.params.id as string;
  if (!validId(id)) return problem(400, 'Bad Request', `invalid id: ${id}`);
  // Preconditions before the content (RFC 9110 §13.2.1), as servers do: a stale write of a
  // megabyte document is refused without parsing it.
  const row = ctx.store.get(REST, collection, id);
  const blocked = checkWrite(req, ctx, collection, row);
  if (blocked) return blocked;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return problem(400, 'Bad Request', parsed.error);
  if (!isPlainObject(parsed.value))
    return problem(400, 'Bad Request', 'the body must be a JSON object');
  if (parsed.value.id !== undefined && String(parsed.value.id) !== id)
    return problem(
      400,
      'Bad Request',
      `body id ${String(parsed.value.id)} does not match the URL id ${id}`,
    );
  const body = { ...parsed.value, id };
  if (!row) {
    const created = ctx.store.insert(REST, collection, id, body, 0);
    return { ...represent(created), status: 201 };
  }
  return represent(ctx.store.update(REST, collection, id, body, row.version + 1));
}

function patch(req: SandboxRequest, ctx: Context): SandboxResponse {
  const collection = req.params.collection as string;
  const id = req.params.id as string;
  const type = header(req, 'content-type') ?? '';
  if (type !== '' && !/^application\/(merge-patch\+)?json\s*(;|$)/i.test(type)) {
    return json(
      415,
      {
        type: 'about:blank',
        title: 'Unsupported Media Type',
        status: 415,
        detail: 'PATCH takes application/merge-patch+json (RFC 7396)',
      },
      { 'accept-patch': 'application/merge-patch+json' },
    );
  }
  const row = ctx.store.get(REST, collection, id);
  if (!row)
    return header(req, 'if-match') !== undefined
      ? problem(412, 'Precondition Failed', `If-Match was given but ${req.path} does not exist.`)
      : notFound(req);
  const blocked = checkWrite(req, ctx, collection, row);
  if (blocked) return blocked;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return problem(400, 'Bad Request', parsed.error);
  const next = applyMergePatch(row.body, parsed.value);
  if (!isPlainObject(next))
    return problem(400, 'Bad Request', 'the patched resource must stay a JSON object');
  return represent(ctx.store.update(REST, collection, id, { ...next, id }, row.version + 1));
}

function remove(req: SandboxRequest, ctx: Context): SandboxResponse {
  const collection = req.params.collection as string;
  const row = ctx.store.get(REST, collection, req.params.id as string);
  if (!row)
    return header(req, 'if-match') !== undefined
      ? problem(412, 'Precondition Failed', `If-Match was given but ${req.path} does not exist.`)
      : notFound(req);
  const blocked = checkWrite(req, ctx, collection, row);
  if (blocked) return blocked;
  ctx.store.remove(REST, collection, row.id, row.version);
  return empty(204);
}

export function editRest(
  ctx: Context,
  collection: string,
  id: string,
  mergePatch: unknown,
  actor: string,
): Row | null {
  const row = ctx.store.get(REST, collection, id);
  if (!row) return null;
  const next = applyMergePatch(row.body, mergePatch ?? {});
  return ctx.store.update(
    REST,
    collection,
    id,
    { ...(isPlainObject(next) ? next : {}), id },
    row.version + 1,
    { op: 'edit', actor },
  );
}

export const restRoutes: Route[] = [
  { method: 'GET', pattern: '/rest', handler: listCollections },
  { method: 'GET', pattern: '/rest/:collection', handler: listItems },
  { method: 'POST', pattern: '/rest/:collection', handler: create },
  { method: 'GET', pattern: '/rest/:collection/:id', handler: fetch },
  { method: 'PUT', pattern: '/rest/:collection/:id', handler: put },
  { method: 'PATCH', pattern: '/rest/:collection/:id', handler: patch },
  { method: 'DELETE', pattern: '/rest/:collection/:id', handler: remove },
];
