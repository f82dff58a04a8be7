// Sync v1: Services, Documents, Lists + List Items, Maps + Map Items. Parents are addressable by
// SID or unique_name; If-Match applies to Document update and to item update/delete only.
import { empty, header, json, parseForm, twilioDate } from '../http';
import type { SandboxRequest, SandboxResponse } from '../http';
import { randomSid } from '../ids';
import { applyMergePatch } from '../merge-patch';
import type { Context, Route } from '../router';
import type { Row } from '../store';
import {
  productBase,
  twilioEtag,
  twilioFetched,
  twilioIfMatch,
  twilioPage,
} from '../twilio-common';
import {
  twilioBadRequest,
  twilioError,
  twilioNotFound,
  twilioPreconditionFailed,
  twilioPreconditionRequired,
} from '../twilio-errors';
import { SANDBOX_CREDENTIALS } from '../credentials';
import { proceed, refuse } from '../outcome';
import type { Outcome } from '../outcome';
import { alive, DOCUMENT, LISTS, MAPS, MAX_DATA_BYTES, revision, SERVICE } from './model';
import type { CollectionBody, CollectionSpec, DocumentBody, ItemBody, ServiceBody } from './model';

const PREFIX = '/sync/v1/Services';

const base = (req: SandboxRequest, ctx: Context) =>
  `${productBase(req, ctx.switches(), 'sync')}/v1/Services`;
const account = () => SANDBOX_CREDENTIALS.twilio.accountSid;

/** The Data parameter as a JSON object; undefined when absent and not required. */
function readData(
  raw: string | null,
  code: number,
  required: boolean,
): Outcome<Record<string, unknown> | undefined> {
  if (raw === null)
    return required
      ? refuse(twilioBadRequest('Missing required parameter Data', 54008))
      : proceed(undefined);
  if (Buffer.byteLength(raw) > MAX_DATA_BYTES)
    return refuse(twilioError(413, 54006, 'Data exceeds the 16 KiB limit'));
  let data: unknown;
  try {
    data = JSON.parse(raw) as unknown;
  } catch {
    return refuse(twilioBadRequest('Data is not valid JSON', 54008));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return refuse(twilioBadRequest('Data must be a JSON object', code));
  return proceed(data as Record<string, unknown>);
}

/** Ttl/ItemTtl (alias; ItemTtl wins) → absolute expiry, null for none; undefined when absent. */
function readTtl(form: URLSearchParams, ...names: string[]): Outcome<string | null | undefined> {
  const raw = names.map((n) => form.get(n)).find((v) => v !== null);
  if (raw === undefined || raw === null) return proceed(undefined);
  if (!/^\d+$/.test(raw) || Number(raw) > 31536000)
    return refuse(twilioBadRequest(`Invalid TTL: ${raw}`, 54011));
  const ttl = Number(raw);
  return proceed(ttl === 0 ? null : new Date(Date.now() + ttl * 1000).toISOString());
}

/** Sync's paging codes (reference §2): 54453 for a bad PageToken, 54454 for PageSize (and Page). */
const pagingCode = (param: 'PageSize' | 'Page' | 'PageToken'): number =>
  param === 'PageToken' ? 54453 : 54454;

function preconditionCode(ctx: Context, specific: number): number {
  return ctx.switches().twilio.syncPreconditionCode === '20412' ? 20412 : specific;
}

/** 428 (opt-in) and If-Match against `current`; null when the write may proceed. */
function checkIfMatch(
  req: SandboxRequest,
  ctx: Context,
  current: string,
  code: number,
): SandboxResponse | null {
  if (header(req, 'if-match') === undefined && ctx.switches().requirePrecondition.sync)
    return twilioPreconditionRequired();
  const result = twilioIfMatch(req, current);
  if (result.kind === 'malformed')
    return twilioBadRequest(`Invalid If-Match header: ${result.error}`, 54003);
  if (result.kind === 'fail') return twilioPreconditionFailed(preconditionCode(ctx, code));
  return null;
}

/** Missing target with If-Match: 404 Twilio-style or 412 RFC-style (switch). */
function missing(
  req: SandboxRequest,
  ctx: Context,
  notFound: number,
  mismatch: number,
  honoursIfMatch: boolean,
): SandboxResponse {
  if (
    honoursIfMatch &&
    header(req, 'if-match') !== undefined &&
    ctx.switches().twilio.missingWithIfMatch === 412
  ) {
    return twilioPreconditionFailed(preconditionCode(ctx, mismatch));
  }
  return twilioNotFound(req.path, notFound);
}

// ---- services

function renderService(req: SandboxRequest, ctx: Context, row: Row) {
  const s = row.body as ServiceBody;
  const url = `${base(req, ctx)}/${row.id}`;
  return {
    sid: row.id,
    account_sid: account(),
    friendly_name: s.friendly_name,
    unique_name: s.unique_name,
    date_created: twilioDate(row.created),
    date_updated: twilioDate(row.updated),
    url,
    webhook_url: null,
    webhooks_from_rest_enabled: false,
    reachability_webhooks_enabled: false,
    acl_enabled: false,
    reachability_debouncing_enabled: false,
    reachability_debouncing_window: 5000,
    links: {
      documents: `${url}/Documents`,
      lists: `${url}/Lists`,
      maps: `${url}/Maps`,
      streams: `${url}/Streams`,
    },
  };
}

function serviceOr404(req: SandboxRequest, ctx: Context): Outcome<Row> {
  const key = req.params.svc as string;
  const row =
    ctx.store.get(SERVICE, '', key) ??
    ctx.store.list(SERVICE, '').find((r) => (r.body as ServiceBody).unique_name === key);
  return row ? proceed(row) : refuse(twilioNotFound(req.path));
}

const listServices: (req: SandboxRequest, ctx: Context) => SandboxResponse = (req, ctx) => {
  const page = twilioPage(req, ctx.store.list(SERVICE, ''), base(req, ctx), 'services', [], 100);
  if (!page.ok) return twilioBadRequest(page.error, pagingCode(page.param));
  return json(200, {
    services: page.value.items.map((r) => renderService(req, ctx, r)),
    meta: page.value.meta,
  });
};

function createService(req: SandboxRequest, ctx: Context): SandboxResponse {
  const form = parseForm(req);
  const row = ctx.store.insert(
    SERVICE,
    '',
    randomSid('IS'),
    {
      friendly_name: form.get('FriendlyName') ?? '',
      unique_name: form.get('UniqueName'),
    } satisfies ServiceBody,
    0,
  );
  return json(201, renderService(req, ctx, row));
}

function fetchService(req: SandboxRequest, ctx: Context): SandboxResponse {
  const service = serviceOr404(req, ctx);
  return service.ok ? json(200, renderService(req, ctx, service.value)) : service.response;
}

// ---- documents

function findDocument(ctx: Context, svc: string, key: string): Row | undefined {
  return alive(
    ctx.store.get(DOCUMENT, svc, key) ??
      ctx.store.list(DOCUMENT, svc).find((r) => (r.body as DocumentBody).unique_name === key),
  );
}

function renderDocument(req: SandboxRequest, ctx: Context, svc: string, row: Row) {
  const d = row.body as DocumentBody;
  const url = `${base(req, ctx)}/${svc}/Documents/${row.id}`;
  return {
    sid: row.id,
    unique_name: d.unique_name,
    account_sid: account(),
    service_sid: svc,
    url,
    links: { permissions: `${url}/Permissions` },
    revision: revision(row.version),
    data: d.data,
    date_expires: twilioDate(d.expires),
    date_created: twilioDate(row.created),
    date_updated: twilioDate(row.updated),
    created_by: 'system',
  };
}

function listDocuments(req: SandboxRequest, ctx: Context): SandboxResponse {
  const service = serviceOr404(req, ctx);
  if (!service.ok) return service.response;
  const svc = service.value;
  const rows = ctx.store.list(DOCUMENT, svc.id).filter((r) => alive(r));
  const page = twilioPage(req, rows, `${base(req, ctx)}/${svc.id}/Documents`, 'documents', [], 100);
  if (!page.ok) return twilioBadRequest(page.error, pagingCode(page.param));
  return json(200, {
    documents: page.value.items.map((r) => renderDocument(req, ctx, svc.id, r)),
    meta: page.value.meta,
  });
}

function uniqueNameTaken(ctx: Context, kind: string, svc: string, name: string): boolean {
  return ctx.store
    .list(kind, svc)
    .some(
      (r) =>
        alive(r) &&
        ((r.body as { unique_name: string | null }).unique_name === name || r.id === name),
    );
}

function createDocument(req: SandboxRequest, ctx: Context): SandboxResponse {
  const service = serviceOr404(req, ctx);
  if (!service.ok) return service.response;
  const svc = service.value;
  const form = parseForm(req);
  const dataParam = readData(form.get('Data'), 54101, false);
  if (!dataParam.ok) return dataParam.response;
  const data = dataParam.value;
  const ttl = readTtl(form, 'Ttl');
  if (!ttl.ok) return ttl.response;
  const expires = ttl.value;
  const name = form.get('UniqueName');
  if (name !== null) {
    if (name.length > 320)
      return twilioBadRequest('UniqueName is longer than 320 characters', 54302);
    if (uniqueNameTaken(ctx, DOCUMENT, svc.id, name))
      return twilioError(409, 54301, `Unique name already exists: ${name}`);
  }
  const body: DocumentBody = { unique_name: name, data: data ?? {}, expires: expires ?? null };
  const row = ctx.store.insert(DOCUMENT, svc.id, randomSid('ET'), body, 0);
  return json(
    201,
    renderDocument(req, ctx, svc.id, row),
    twilioEtag(ctx.switches(), revision(row.version)),
  );
}

function fetchDocument(req: SandboxRequest, ctx: Context): SandboxResponse {
  const service = serviceOr404(req, ctx);
  if (!service.ok) return service.response;
  const svc = service.value;
  const row = findDocument(ctx, svc.id, req.params.doc as string);
  if (!row) return twilioNotFound(req.path, 54100);
  return twilioFetched(req, ctx.switches(), revision(row.version), () =>
    renderDocument(req, ctx, svc.id, row),
  );
}

function updateDocument(req: SandboxRequest, ctx: Context): SandboxResponse {
  const service = serviceOr404(req, ctx);
  if (!service.ok) return service.response;
  const svc = service.value;
  const row = findDocument(ctx, svc.id, req.params.doc as string);
  if (!row) return missing(req, ctx, 54100, 54103, true);
  const form = parseForm(req);
  const dataParam = readData(form.get('Data'), 54101, false);
  if (!dataParam.ok) return dataParam.response;
  const data = dataParam.value;
  const ttl = readTtl(form, 'Ttl');
  if (!ttl.ok) return ttl.response;
  const expires = ttl.value;
  if (data === undefined && expires === undefined)
    return twilioBadRequest('At least one of Data or Ttl must be provided', 54010);
  const blocked = checkIfMatch(req, ctx, revision(row.version), 54103);
  if (blocked) return blocked;
  const current = row.body as DocumentBody;
  const next: DocumentBody = {
    ...current,
    data: data ?? current.data,
    expires: expires === undefined ? current.expires : expires,
  };
  const updated = ctx.store.update(DOCUMENT, svc.id, row.id, next, row.version + 1);
  return json(
    200,
    renderDocument(req, ctx, svc.id, updated),
    twilioEtag(ctx.switches(), revision(updated.version)),
  );
}

function deleteDocument(req: SandboxRequest, ctx: Context): SandboxResponse {
  const service = serviceOr404(req, ctx);
  if (!service.ok) return service.response;
  const svc = service.value;
  const row = findDocument(ctx, svc.id, req.params.doc as string);
  // If-Match on Document delete was removed from the API in 2021: it is ignored here.
  if (!row) return twilioNotFound(req.path, 54100);
  ctx.store.remove(DOCUMENT, svc.id, row.id, row.version);
  return empty(204);
}

export function editDocument(
  ctx: Context,
  svc: string,
  key: string,
  patch: unknown,
  actor: string,
): Row | null {
  const row = findDocument(ctx, svc, key);
  if (!row) return null;
  const current = row.body as DocumentBody;
  return ctx.store.update(
    DOCUMENT,
    svc,
    row.id,
    { ...current, data: applyMergePatch(current.data, patch ?? {}) },
    row.version + 1,
    { op: 'edit', actor },
  );
}

// ---- lists and maps (one implementation, two specs)

function findCollection(
  ctx: Context,
  spec: CollectionSpec,
  svc: string,
  key: string,
): Row | undefined {
  return alive(
    ctx.store.get(spec.parentKind, svc, key) ??
      ctx.store
        .list(spec.parentKind, svc)
        .find((r) => (r.body as CollectionBody).unique_name === key),
  );
}

function renderCollection(
  req: SandboxRequest,
  ctx: Context,
  spec: CollectionSpec,
  svc: string,
  row: Row,
) {
  const c = row.body as CollectionBody;
  const url = `${base(req, ctx)}/${svc}/${spec.segment}/${row.id}`;
  return {
    sid: row.id,
    unique_name: c.unique_name,
    account_sid: account(),
    service_sid: svc,
    url,
    links: { items: `${url}/Items`, permissions: `${url}/Permissions` },
    revision: revision(row.version),
    date_expires: twilioDate(c.expires),
    date_created: twilioDate(row.created),
    date_updated: twilioDate(row.updated),
    created_by: 'system',
  };
}

function renderItem(
  req: SandboxRequest,
  ctx: Context,
  spec: CollectionSpec,
  svc: string,
  parent: Row,
  row: Row,
) {
  const i = row.body as ItemBody;
  const idField = spec === LISTS ? { index: Number(row.id) } : { key: row.id };
  return {
    ...idField,
    account_sid: account(),
    service_sid: svc,
    [spec.parentField]: parent.id,
    url: `${base(req, ctx)}/${svc}/${spec.segment}/${parent.id}/Items/${encodeURIComponent(row.id)}`,
    revision: revision(row.version),
    data: i.data,
    date_expires: twilioDate(i.expires),
    date_created: twilioDate(row.created),
    date_updated: twilioDate(row.updated),
    created_by: 'system',
  };
}

function collectionRoutes(spec: CollectionSpec): Route[] {
  const path = `${PREFIX}/:svc/${spec.segment}`;

  function parentOr404(req: SandboxRequest, ctx: Context): Outcome<{ svc: Row; parent: Row }> {
    const service = serviceOr404(req, ctx);
    if (!service.ok) return service;
    const svc = service.value;
    const parent = findCollection(ctx, spec, svc.id, req.params.col as string);
    return parent
      ? proceed({ svc, parent })
      : refuse(twilioNotFound(req.path, spec.codes.parentNotFound));
  }

  const list: Route['handler'] = (req, ctx) => {
    const service = serviceOr404(req, ctx);
    if (!service.ok) return service.response;
    const svc = service.value;
    const page = twilioPage(
      req,
      ctx.store.list(spec.parentKind, svc.id).filter((r) => alive(r)),
      `${base(req, ctx)}/${svc.id}/${spec.segment}`,
      spec.collectionKey,
      [],
      100,
    );
    if (!page.ok) return twilioBadRequest(page.error, pagingCode(page.param));
    return json(200, {
      [spec.collectionKey]: page.value.items.map((r) =>
        renderCollection(req, ctx, spec, svc.id, r),
      ),
      meta: page.value.meta,
    });
  };
  const create: Route['handler'] = (req, ctx) => {
    const service = serviceOr404(req, ctx);
    if (!service.ok) return service.response;
    const svc = service.value;
    const form = parseForm(req);
    // Ttl is an alias of CollectionTtl; "If both are provided, this value [Ttl] is ignored" (OAI).
    const ttl = readTtl(form, 'CollectionTtl', 'Ttl');
    if (!ttl.ok) return ttl.response;
    const expires = ttl.value;
    const name = form.get('UniqueName');
    if (name !== null && uniqueNameTaken(ctx, spec.parentKind, svc.id, name))
      return twilioError(409, 54301, `Unique name already exists: ${name}`);
    const row = ctx.store.insert(
      spec.parentKind,
      svc.id,
      randomSid(spec.sidPrefix),
      { unique_name: name, expires: expires ?? null, next_index: 0 } satisfies CollectionBody,
      0,
    );
    return json(
      201,
      renderCollection(req, ctx, spec, svc.id, row),
      twilioEtag(ctx.switches(), revision(row.version)),
    );
  };
  const fetch: Route['handler'] = (req, ctx) => {
    const lookup = parentOr404(req, ctx);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    return json(
      200,
      renderCollection(req, ctx, spec, found.svc.id, found.parent),
      twilioEtag(ctx.switches(), revision(found.parent.version)),
    );
  };
  const remove: Route['handler'] = (req, ctx) => {
    const lookup = parentOr404(req, ctx);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    ctx.store.removeScope(spec.itemKind, found.parent.id);
    ctx.store.remove(spec.parentKind, found.svc.id, found.parent.id, found.parent.version);
    return empty(204);
  };

  const sortedItems = (ctx: Context, parent: Row): Row[] => {
    const rows = ctx.store.list(spec.itemKind, parent.id).filter((r) => alive(r));
    return spec === LISTS
      ? rows.sort((a, b) => Number(a.id) - Number(b.id))
      : rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };

  const listItems: Route['handler'] = (req, ctx) => {
    const lookup = parentOr404(req, ctx);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    const order = req.query.get('Order') ?? 'asc';
    if (order !== 'asc' && order !== 'desc')
      return twilioBadRequest(`Invalid Order: ${order}`, 54451);
    const bounds = req.query.get('Bounds') ?? 'inclusive';
    if (bounds !== 'inclusive' && bounds !== 'exclusive')
      return twilioBadRequest(`Invalid Bounds: ${bounds}`, 54452);
    const from = req.query.get('From');
    let rows = sortedItems(ctx, found.parent);
    if (order === 'desc') rows.reverse();
    if (from !== null) {
      const cmp = (id: string) =>
        spec === LISTS ? Number(id) - Number(from) : id < from ? -1 : id > from ? 1 : 0;
      rows = rows.filter((r) => {
        const c = cmp(r.id) * (order === 'desc' ? -1 : 1);
        return bounds === 'inclusive' ? c >= 0 : c > 0;
      });
    }
    const echo: Array<[string, string]> = [
      ['Order', order],
      ['Bounds', bounds],
    ];
    if (from !== null) echo.push(['From', from]);
    const page = twilioPage(
      req,
      rows,
      `${base(req, ctx)}/${found.svc.id}/${spec.segment}/${found.parent.id}/Items`,
      'items',
      echo,
      100,
    );
    if (!page.ok) return twilioBadRequest(page.error, pagingCode(page.param));
    return json(200, {
      items: page.value.items.map((r) => renderItem(req, ctx, spec, found.svc.id, found.parent, r)),
      meta: page.value.meta,
    });
  };

  const createItem: Route['handler'] = (req, ctx) => {
    const lookup = parentOr404(req, ctx);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    const form = parseForm(req);
    let key: string;
    const parentBody = found.parent.body as CollectionBody;
    if (spec === MAPS) {
      const k = form.get('Key');
      if (k === null || k === '') return twilioBadRequest('Missing required parameter Key', 54209);
      if (k.length > 320) return twilioBadRequest('Key is longer than 320 characters', 54209);
      if (alive(ctx.store.get(spec.itemKind, found.parent.id, k)))
        return twilioError(409, 54208, `Map Item with key ${k} already exists`);
      key = k;
    } else {
      key = String(parentBody.next_index);
    }
    const dataParam = readData(form.get('Data'), spec.codes.invalidData, true);
    if (!dataParam.ok) return dataParam.response;
    const data = dataParam.value;
    const ttl = readTtl(form, 'ItemTtl', 'Ttl');
    if (!ttl.ok) return ttl.response;
    const expires = ttl.value;
    const collectionTtl = readTtl(form, 'CollectionTtl');
    if (!collectionTtl.ok) return collectionTtl.response;
    const collectionExpires = collectionTtl.value;
    const counter = found.parent.version + 1;
    const nextParent: CollectionBody = {
      ...parentBody,
      next_index: spec === LISTS ? parentBody.next_index + 1 : parentBody.next_index,
      expires: collectionExpires === undefined ? parentBody.expires : collectionExpires,
    };
    ctx.store.update(spec.parentKind, found.svc.id, found.parent.id, nextParent, counter);
    const stale = ctx.store.get(spec.itemKind, found.parent.id, key);
    if (stale)
      ctx.store.remove(spec.itemKind, found.parent.id, key, stale.version, { actor: 'expiry' });
    const row = ctx.store.insert(
      spec.itemKind,
      found.parent.id,
      key,
      { data, expires: expires ?? null } satisfies ItemBody,
      counter,
    );
    return json(
      201,
      renderItem(req, ctx, spec, found.svc.id, found.parent, row),
      twilioEtag(ctx.switches(), revision(row.version)),
    );
  };

  function itemOrError(
    req: SandboxRequest,
    ctx: Context,
    honoursIfMatch: boolean,
  ): Outcome<{ svc: Row; parent: Row; item: Row }> {
    const lookup = parentOr404(req, ctx);
    if (!lookup.ok) return lookup;
    const found = lookup.value;
    const item = alive(ctx.store.get(spec.itemKind, found.parent.id, req.params.item as string));
    if (!item)
      return refuse(
        missing(req, ctx, spec.codes.itemNotFound, spec.codes.mismatch, honoursIfMatch),
      );
    return proceed({ ...found, item });
  }

  const fetchItem: Route['handler'] = (req, ctx) => {
    const lookup = itemOrError(req, ctx, false);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    return twilioFetched(req, ctx.switches(), revision(found.item.version), () =>
      renderItem(req, ctx, spec, found.svc.id, found.parent, found.item),
    );
  };
  const updateItem: Route['handler'] = (req, ctx) => {
    const lookup = itemOrError(req, ctx, true);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    const form = parseForm(req);
    const dataParam = readData(form.get('Data'), spec.codes.invalidData, false);
    if (!dataParam.ok) return dataParam.response;
    const data = dataParam.value;
    const ttl = readTtl(form, 'ItemTtl', 'Ttl');
    if (!ttl.ok) return ttl.response;
    const expires = ttl.value;
    const collectionTtl = readTtl(form, 'CollectionTtl');
    if (!collectionTtl.ok) return collectionTtl.response;
    const collectionExpires = collectionTtl.value;
    // CollectionTtl "can only be used when the item's data or ttl is updated in the same request"
    // (OAI): on its own it is refused, not applied with a bump of the item's revision.
    if (data === undefined && expires === undefined)
      return twilioBadRequest(
        collectionExpires === undefined
          ? 'At least one of Data, Ttl or ItemTtl must be provided'
          : 'CollectionTtl can only be used when Data, Ttl or ItemTtl is updated in the same request',
        54010,
      );
    const blocked = checkIfMatch(req, ctx, revision(found.item.version), spec.codes.mismatch);
    if (blocked) return blocked;
    const updated = bumpItem(
      ctx,
      spec,
      found.svc.id,
      found.parent,
      found.item,
      (cur) => ({
        data: data ?? cur.data,
        expires: expires === undefined ? cur.expires : expires,
      }),
      collectionExpires,
      {},
    );
    return json(
      200,
      renderItem(req, ctx, spec, found.svc.id, found.parent, updated),
      twilioEtag(ctx.switches(), revision(updated.version)),
    );
  };
  const deleteItem: Route['handler'] = (req, ctx) => {
    const lookup = itemOrError(req, ctx, true);
    if (!lookup.ok) return lookup.response;
    const found = lookup.value;
    const blocked = checkIfMatch(req, ctx, revision(found.item.version), spec.codes.mismatch);
    if (blocked) return blocked;
    const counter = found.parent.version + 1;
    ctx.store.update(spec.parentKind, found.svc.id, found.parent.id, found.parent.body, counter);
    ctx.store.remove(spec.itemKind, found.parent.id, found.item.id, counter);
    return empty(204);
  };

  return [
    { method: 'GET', pattern: path, handler: list },
    { method: 'POST', pattern: path, handler: create },
    { method: 'GET', pattern: `${path}/:col`, handler: fetch },
    { method: 'DELETE', pattern: `${path}/:col`, handler: remove },
    { method: 'GET', pattern: `${path}/:col/Items`, handler: listItems },
    { method: 'POST', pattern: `${path}/:col/Items`, handler: createItem },
    { method: 'GET', pattern: `${path}/:col/Items/:item`, handler: fetchItem },
    { method: 'POST', pattern: `${path}/:col/Items/:item`, handler: updateItem },
    { method: 'DELETE', pattern: `${path}/:col/Items/:item`, handler: deleteItem },
  ];
}

/** Writes an item at the parent's next revision (items share their collection's counter). */
function bumpItem(
  ctx: Context,
  spec: CollectionSpec,
  svc: string,
  parent: Row,
  item: Row,
  change: (cur: ItemBody) => ItemBody,
  collectionExpires: string | null | undefined,
  meta: { op?: 'edit'; actor?: string },
): Row {
  const counter = parent.version + 1;
  const parentBody = parent.body as CollectionBody;
  ctx.store.update(
    spec.parentKind,
    svc,
    parent.id,
    {
      ...parentBody,
      expires: collectionExpires === undefined ? parentBody.expires : collectionExpires,
    },
    counter,
    meta,
  );
  return ctx.store.update(
    spec.itemKind,
    parent.id,
    item.id,
    change(item.body as ItemBody),
    counter,
    meta,
  );
}

export function editItem(
  ctx: Context,
  kind: 'list' | 'map',
  svc: string,
  col: string,
  key: string,
  patch: unknown,
  actor: string,
): Row | null {
  const spec = kind === 'list' ? LISTS : MAPS;
  const parent = findCollection(ctx, spec, svc, col);
  const item = parent && alive(ctx.store.get(spec.itemKind, parent.id, key));
  if (!parent || !item) return null;
  return bumpItem(
    ctx,
    spec,
    svc,
    parent,
    item,
    (cur) => ({ ...cur, data: applyMergePatch(cur.data, patch ?? {}) }),
    undefined,
    { op: 'edit', actor },
  );
}

/** Resolves an API path's Sync parent to its stored ids (admin history needs SIDs, not names). */
export function resolveSync(
  ctx: Context,
  svcKey: string,
  segment: string,
  key: string,
): { svc: string; kind: string; scope: string; id: string } | null {
  const svc =
    ctx.store.get(SERVICE, '', svcKey) ??
    ctx.store.list(SERVICE, '').find((r) => (r.body as ServiceBody).unique_name === svcKey);
  if (!svc) return null;
  if (segment === 'Documents') {
    const doc = findDocument(ctx, svc.id, key);
    return doc ? { svc: svc.id, kind: DOCUMENT, scope: svc.id, id: doc.id } : null;
  }
  const spec = segment === 'Lists' ? LISTS : segment === 'Maps' ? MAPS : null;
  if (!spec) return null;
  const col = findCollection(ctx, spec, svc.id, key);
  return col ? { svc: svc.id, kind: spec.parentKind, scope: svc.id, id: col.id } : null;
}

export const syncRoutes: Route[] = [
  { method: 'GET', pattern: PREFIX, handler: listServices },
  { method: 'POST', pattern: PREFIX, handler: createService },
  { method: 'GET', pattern: `${PREFIX}/:svc`, handler: fetchService },
  { method: 'GET', pattern: `${PREFIX}/:svc/Documents`, handler: listDocuments },
  { method: 'POST', pattern: `${PREFIX}/:svc/Documents`, handler: createDocument },
  { method: 'GET', pattern: `${PREFIX}/:svc/Documents/:doc`, handler: fetchDocument },
  { method: 'POST', pattern: `${PREFIX}/:svc/Documents/:doc`, handler: updateDocument },
  { method: 'DELETE', pattern: `${PREFIX}/:svc/Documents/:doc`, handler: deleteDocument },
  ...collectionRoutes(LISTS),
  ...collectionRoutes(MAPS),
];
