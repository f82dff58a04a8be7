// Listing through a profile: the request for one page, and the page parsed into summaries.
// Page tokens are paths below the connection's base URL, so paging never leaves that server.
import type { ResourceSummary } from '../../../shared/api/types';
import type { ListSpec } from '../../../shared/profiles/spec';
import { getAt, type JsonValue } from '../../../shared/json';

export type ListQuery = { pageToken?: string; filters?: Record<string, string>; search?: string; pageSize: number };

/** The path and query (below the base URL) of the requested page. */
export function listPagePath(spec: ListSpec, listPath: string, query: ListQuery): string {
  if (query.pageToken) return query.pageToken;
  const params = new URLSearchParams();
  if (spec.paging.kind !== 'none') params.set(spec.paging.pageSizeParam, String(query.pageSize));
  if (spec.paging.kind === 'page-number') params.set(spec.paging.pageParam, String(spec.paging.firstPage));
  for (const filter of spec.filters ?? []) {
    const value = query.filters?.[filter.name];
    if (value) params.set(filter.param, value);
  }
  if (query.search && spec.searchParam) params.set(spec.searchParam, query.search);
  const qs = params.toString();
  return qs ? `${listPath}?${qs}` : listPath;
}

export type ParsedPage = { items: ResourceSummary[]; nextPageToken: string | null; total: number | null };

export function parseListPage(spec: ListSpec, body: JsonValue, requestPath: string, baseUrl: string, query: ListQuery): { ok: true; value: ParsedPage } | { ok: false; error: string } {
  const rawItems = spec.itemsPointer === '' ? body : getAt(body, spec.itemsPointer);
  if (!Array.isArray(rawItems)) return { ok: false, error: `The list response has no array at ${spec.itemsPointer || 'its root'}.` };
  let items = rawItems.map((item) => summarise(spec, item));
  // Without a search parameter, search is a case-insensitive match over each item's JSON.
  if (query.search && !spec.searchParam) {
    const needle = query.search.toLowerCase();
    items = items.filter((_, i) => JSON.stringify(rawItems[i], bigintSafe).toLowerCase().includes(needle));
  }
  const totalRaw = spec.paging.kind === 'page-number' && spec.paging.totalPointer ? getAt(body, spec.paging.totalPointer) : undefined;
  const total = typeof totalRaw === 'number' ? totalRaw : null;
  return { ok: true, value: { items, nextPageToken: nextToken(spec, body, requestPath, baseUrl, rawItems.length, total), total } };
}

function nextToken(spec: ListSpec, body: JsonValue, requestPath: string, baseUrl: string, count: number, total: number | null): string | null {
  const paging = spec.paging;
  switch (paging.kind) {
    case 'none':
      return null;
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
  if (url.origin === base.origin && url.pathname.startsWith(basePath)) return url.pathname.slice(basePath.length) + url.search;
  if (url.protocol === 'https:' && url.hostname.endsWith('.twilio.com')) return url.pathname + url.search;
  return null;
}

/** A resource as a list row, from the profile's list pointers (also applied to a fetched item). */
export function summarise(spec: ListSpec, item: JsonValue): ResourceSummary {
  const text = (pointer: string | undefined): string | null => {
    if (!pointer) return null;
    const v = getAt(item, pointer);
    return v === undefined || v === null || typeof v === 'object' ? null : String(v);
  };
  const first = (pointers: string[] | undefined) => (pointers ?? []).map(text).find((v) => v !== null && v !== '') ?? null;
  const id = text(spec.idPointer) ?? '';
  return {
    id,
    title: first(spec.titlePointers) ?? id,
    subtitle: first(spec.subtitlePointers),
    status: text(spec.statusPointer),
    revision: text(spec.revisionPointer),
    updatedAt: text(spec.updatedPointer),
  };
}

const bigintSafe = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);
