// Listing through a profile: the request for one page, and the page parsed into summaries.
// Page tokens are paths below the connection's base URL, so paging never leaves that server.
import type { HeaderList, ResourceSummary } from '../../../shared/api/types';
import { joinIdParts, type ListSpec } from '../../../shared/profiles/spec';
import { getAt, stringifyJson, type JsonValue } from '../../../shared/json';
import { davFiles, parseMultistatus, PROPFIND_BODY } from './webdav';

export type ListQuery = {
  pageToken?: string;
  filters?: Record<string, string>;
  search?: string;
  pageSize: number;
};

/** The path and query (below the base URL) of the requested page. */
export function listPagePath(spec: ListSpec, listPath: string, query: ListQuery): string {
  if (query.pageToken) return query.pageToken;
  const params = new URLSearchParams();
  const paging = spec.paging;
  if (
    paging.kind === 'next-url' ||
    paging.kind === 'page-number' ||
    paging.kind === 'continuation-headers'
  )
    params.set(paging.pageSizeParam, String(query.pageSize));
  if (paging.kind === 'page-number') params.set(paging.pageParam, String(paging.firstPage));
  if (paging.kind === 'offset') {
    params.set(paging.limitParam, String(query.pageSize));
    params.set(paging.offsetParam, '0');
  }
  // One item more than the page shows: its key starts the next page.
  if (paging.kind === 'start-key') params.set(paging.limitParam, String(query.pageSize + 1));
  // A folder is listed whole; its page (offset and size) is cut here, named in the token.
  if (paging.kind === 'webdav-propfind')
    return `${listPath}?${new URLSearchParams({ offset: '0', size: String(query.pageSize) })}`;
  for (const filter of spec.filters ?? []) {
    const value = query.filters?.[filter.name];
    if (value) params.set(filter.param, value);
  }
  if (query.search && spec.searchParam) params.set(spec.searchParam, query.search);
  // URLSearchParams writes `$top` as `%24top`, which OData servers do not read as `$top`.
  const qs = params.toString().replace(/%24/g, '$');
  // A list path may carry a query already (`/db/_all_docs?include_docs=true`): append with `&`.
  return qs ? `${listPath}${listPath.includes('?') ? '&' : '?'}${qs}` : listPath;
}

/** The request for one page: a GET, or a PROPFIND (Depth 1) of the folder for a WebDAV listing. */
export function listRequest(
  spec: ListSpec,
  pagePath: string,
): { method: 'GET' | 'PROPFIND'; path: string; headers: Record<string, string>; body?: string } {
  if (spec.paging.kind !== 'webdav-propfind') return { method: 'GET', path: pagePath, headers: {} };
  const path = pagePath.split('?')[0]!;
  return {
    method: 'PROPFIND',
    path,
    headers: {
      depth: '1',
      'content-type': 'application/xml; charset=utf-8',
      accept: 'application/xml, text/xml',
    },
    body: PROPFIND_BODY,
  };
}

/**
 * A WebDAV multistatus answer as one page of the folder's files (cut by the token's offset and
 * size). `basePath` is the base URL's own path: the server lists files by their whole path.
 */
export function parseDavPage(
  spec: ListSpec,
  xml: string,
  pagePath: string,
  query: ListQuery,
  basePath = '',
): { ok: true; value: ParsedPage } | { ok: false; error: string } {
  if (spec.paging.kind !== 'webdav-propfind')
    return { ok: false, error: 'This profile does not list with PROPFIND.' };
  if (!/multistatus/i.test(xml))
    return { ok: false, error: 'The PROPFIND answer is not a WebDAV multistatus document.' };
  const [folderPath, search = ''] = pagePath.split('?') as [string, string?];
  const params = new URLSearchParams(search);
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const size = Math.min(
    1000,
    Math.max(1, Number(params.get('size') ?? query.pageSize) || query.pageSize),
  );
  let files = davFiles(parseMultistatus(xml), `${basePath}/${folderPath}`, spec.paging.suffix);
  if (query.search) {
    const needle = query.search.toLowerCase();
    files = files.filter((f) => f.id.toLowerCase().includes(needle));
  }
  const page = files
    .slice(offset, offset + size)
    .map((file) => summarise(spec, { id: file.id, etag: file.etag, modified: file.modified }));
  const next =
    offset + size < files.length
      ? `${folderPath}?${new URLSearchParams({ offset: String(offset + size), size: String(size) })}`
      : null;
  return { ok: true, value: { items: page, nextPageToken: next, total: files.length } };
}

export type ParsedPage = {
  items: ResourceSummary[];
  nextPageToken: string | null;
  total: number | null;
};

export function parseListPage(
  spec: ListSpec,
  body: JsonValue,
  requestPath: string,
  baseUrl: string,
  query: ListQuery,
  headers: HeaderList = [],
): { ok: true; value: ParsedPage } | { ok: false; error: string } {
  const listed = spec.itemsPointer === '' ? body : getAt(body, spec.itemsPointer);
  if (!Array.isArray(listed))
    return {
      ok: false,
      error: `The list response has no array at ${spec.itemsPointer || 'its root'}.`,
    };
  const keyed = keyedPage(spec, listed, requestPath);
  if (!keyed.ok) return keyed;
  const rawItems = keyed.items;
  const resources = spec.itemPointer
    ? rawItems.map((item) => getAt(item, spec.itemPointer!) ?? item)
    : rawItems;
  let items = resources.map((item) => summarise(spec, item));
  // Without a search parameter, search is a case-insensitive match over each item's JSON.
  if (query.search && !spec.searchParam) {
    const needle = query.search.toLowerCase();
    items = items.filter((_, i) =>
      JSON.stringify(rawItems[i], bigintSafe).toLowerCase().includes(needle),
    );
  }
  const totalRaw =
    spec.paging.kind === 'page-number' && spec.paging.totalPointer
      ? getAt(body, spec.paging.totalPointer)
      : undefined;
  const total = typeof totalRaw === 'number' ? totalRaw : null;
  return {
    ok: true,
    value: {
      items,
      nextPageToken:
        keyed.next !== undefined
          ? keyed.next
          : nextToken(spec, body, requestPath, baseUrl, rawItems.length, total, headers),
      total,
    },
  };
}

/**
 * A keyed page (start-key paging): the items it shows, and the next page's token from the one
 * item it asked for beyond them (null when there is none: the list ends here). `next` is
 * undefined for the other kinds of paging.
 */
function keyedPage(
  spec: ListSpec,
  listed: JsonValue[],
  requestPath: string,
): { ok: true; items: JsonValue[]; next?: string | null } | { ok: false; error: string } {
  const paging = spec.paging;
  if (paging.kind !== 'start-key') return { ok: true, items: listed };
  const url = new URL(requestPath, 'http://placeholder');
  const asked = Number(url.searchParams.get(paging.limitParam));
  if (!Number.isInteger(asked) || asked < 2 || listed.length < asked)
    return { ok: true, items: listed, next: null };
  const key = getAt(listed[asked - 1], paging.keyPointer);
  if (key === undefined)
    return {
      ok: false,
      error: `A listed item has no key at ${paging.keyPointer} to start the next page from.`,
    };
  url.searchParams.set(paging.startParam, stringifyJson(key));
  return {
    ok: true,
    items: listed.slice(0, asked - 1),
    next: `${url.pathname}${url.search.replace(/%24/g, '$')}`,
  };
}

function nextToken(
  spec: ListSpec,
  body: JsonValue,
  requestPath: string,
  baseUrl: string,
  count: number,
  total: number | null,
  headers: HeaderList,
): string | null {
  const paging = spec.paging;
  switch (paging.kind) {
    case 'none':
    case 'webdav-propfind':
      return null;
    case 'start-key':
      return null; // see keyedPage
    case 'offset': {
      // `skip` counts items: the next page starts after the items this one returned.
      const url = new URL(requestPath, 'http://placeholder');
      const offset = Number(url.searchParams.get(paging.offsetParam) ?? 0) || 0;
      const limit = Number(url.searchParams.get(paging.limitParam) ?? count) || count;
      if (count === 0 || count < limit) return null;
      url.searchParams.set(paging.offsetParam, String(offset + count));
      return `${url.pathname}${url.search.replace(/%24/g, '$')}`;
    }
    case 'continuation-headers': {
      const url = new URL(requestPath, 'http://placeholder');
      let any = false;
      for (const token of paging.tokens) {
        const value = headers.find(
          ([name]) => name.toLowerCase() === token.header.toLowerCase(),
        )?.[1];
        url.searchParams.delete(token.param);
        if (value) {
          url.searchParams.set(token.param, value);
          any = true;
        }
      }
      return any ? `${url.pathname}${url.search.replace(/%24/g, '$')}` : null;
    }
    case 'next-url': {
      const next = getAt(body, paging.nextPointer);
      return typeof next === 'string' && next ? pathBelowBase(next, baseUrl) : null;
    }
    case 'page-number': {
      const url = new URL(requestPath, 'http://placeholder');
      const page = Number(url.searchParams.get(paging.pageParam) ?? paging.firstPage);
      const size = Number(url.searchParams.get(paging.pageSizeParam) ?? count);
      const seen = (page - paging.firstPage + 1) * size;
      if (count === 0 || (total !== null ? seen >= total : count < size)) return null;
      url.searchParams.set(paging.pageParam, String(page + 1));
      return `${url.pathname}${url.search}`;
    }
  }
}

/**
 * A next-page URL as a path below the base URL. Twilio's URLs name the product host
 * (https://taskrouter.twilio.com/v1/…), whose root is the connection's base URL.
 */
export function pathBelowBase(next: string, baseUrl: string): string | null {
  let url: URL;
  let base: URL;
  try {
    base = new URL(baseUrl);
    url = new URL(next, base);
  } catch {
    return null;
  }
  const basePath = base.pathname.replace(/\/$/, '');
  if (url.origin === base.origin && url.pathname.startsWith(basePath))
    return url.pathname.slice(basePath.length) + url.search;
  if (url.protocol === 'https:' && url.hostname.endsWith('.twilio.com'))
    return url.pathname + url.search;
  return null;
}

/**
 * A resource as a list row, from the profile's list pointers (also applied to a fetched item,
 * where `known` gives the id and revision the app already holds for it).
 */
export function summarise(
  spec: ListSpec,
  item: JsonValue,
  known?: { id: string; revision: string | null },
): ResourceSummary {
  const text = (pointer: string | undefined): string | null => {
    if (!pointer) return null;
    const v = getAt(item, pointer);
    return v === undefined || v === null || typeof v === 'object' ? null : String(v);
  };
  const first = (pointers: string[] | undefined) =>
    (pointers ?? []).map(text).find((v) => v !== null && v !== '') ?? null;
  const parts = spec.idParts?.map((part) => text(part.pointer));
  const id =
    known?.id ??
    (parts && parts.length
      ? // An empty part inside quotes is a value (Azure's PartitionKey ''); joined, the id is not empty.
        parts.every(
          (p, i) => p !== null && (p !== '' || spec.idParts![i]!.quote === 'odata-string'),
        )
        ? joinIdParts(parts as string[])
        : ''
      : (text(spec.idPointer) ?? ''));
  return {
    id,
    title: first(spec.titlePointers) ?? id,
    subtitle: first(spec.subtitlePointers),
    status: text(spec.statusPointer),
    revision: text(spec.revisionPointer) ?? known?.revision ?? null,
    updatedAt: text(spec.updatedPointer),
  };
}

const bigintSafe = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
