// What TaskRouter and Sync share: Basic auth, absolute URLs, ETag rendering, the `meta` paging
// envelope and If-Match evaluation with Twilio's rules (bare or quoted values, strong comparison).
import { timingSafeEqual } from 'node:crypto';
import { SANDBOX_CREDENTIALS } from './credentials';
import { empty, header, json } from './http';
import type { SandboxRequest, SandboxResponse } from './http';
import { evaluateIfMatch, evaluateIfNoneMatch } from './preconditions';
import type { PreconditionResult } from './preconditions';
import type { Switches } from './switches';
import { twilioError } from './twilio-errors';

export type Product = 'taskrouter' | 'sync';

/** Returns a 401 response when Basic auth is missing or wrong, else null. */
export function checkTwilioAuth(req: SandboxRequest): SandboxResponse | null {
  const raw = header(req, 'authorization');
  const fail = twilioError(401, 20003, 'Authenticate');
  fail.headers['www-authenticate'] = 'Basic realm="Twilio API"';
  if (raw === undefined || !/^basic /i.test(raw)) return fail;
  const decoded = Buffer.from(raw.slice(6).trim(), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 0) return fail;
  const user = decoded.slice(0, sep);
  const pass = decoded.slice(sep + 1);
  const { accountSid, authToken } = SANDBOX_CREDENTIALS.twilio;
  // API keys (SK…) are accepted with the auth token as their secret: the sandbox has one secret.
  const userOk = same(user, accountSid) || /^SK[0-9a-fA-F]{32}$/.test(user);
  return userOk && same(pass, authToken) ? null : fail;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Base for absolute URLs: this server (default, so next_page_url works without rewriting) or twilio.com. */
export function productBase(req: SandboxRequest, switches: Switches, product: Product): string {
  return switches.twilio.urls === 'twilio'
    ? `https://${product}.twilio.com`
    : `${req.origin}/${product}`;
}

export function twilioEtag(switches: Switches, value: string): Record<string, string> {
  return { etag: switches.twilio.quotedEtags ? `"${value}"` : value };
}

/**
 * A fetch answer: 304 with the same ETag when If-None-Match matches (weak comparison; an operator-tool
 * extra — the SDK never sends it, so it never sees a 304), else 200 with the body.
 */
export function twilioFetched(
  req: SandboxRequest,
  switches: Switches,
  value: string,
  render: () => unknown,
): SandboxResponse {
  const headers = twilioEtag(switches, value);
  const check = evaluateIfNoneMatch(header(req, 'if-none-match'), `"${value}"`);
  if (check.kind === 'fail') return empty(304, headers);
  return json(200, render(), headers);
}

/** Twilio If-Match: bare `3` or quoted `"3"`, `*`; W/ tags never match (strong comparison). */
export function twilioIfMatch(req: SandboxRequest, current: string | null): PreconditionResult {
  return evaluateIfMatch(header(req, 'if-match'), current, 'strong');
}

export type PageSlice<T> = { items: T[]; meta: Record<string, unknown> };

/**
 * Slices `all` into Twilio's paging envelope. PageToken is `PT<offset>`; Page is client state.
 * `listUrl` is the absolute list URL, `echo` the filters to carry into the page URLs.
 */
export function twilioPage<T>(
  req: SandboxRequest,
  all: T[],
  listUrl: string,
  key: string,
  echo: Array<[string, string]>,
  maxPageSize: number,
):
  | { ok: true; value: PageSlice<T> }
  | { ok: false; error: string; param: 'PageSize' | 'Page' | 'PageToken' } {
  const sizeRaw = req.query.get('PageSize');
  const pageSize = sizeRaw === null ? 50 : Number(sizeRaw);
  if (!Number.isInteger(pageSize) || pageSize < 1)
    return { ok: false, error: `Invalid PageSize: ${sizeRaw}`, param: 'PageSize' };
  const size = Math.min(pageSize, maxPageSize);
  const pageRaw = req.query.get('Page');
  const page = pageRaw === null ? 0 : Number(pageRaw);
  if (!Number.isInteger(page) || page < 0)
    return { ok: false, error: `Invalid Page: ${pageRaw}`, param: 'Page' };
  const token = req.query.get('PageToken');
  let offset = page * size;
  if (token !== null) {
    const m = /^PT(\d+)$/.exec(token);
    if (!m) return { ok: false, error: `Invalid PageToken: ${token}`, param: 'PageToken' };
    offset = Number(m[1]);
  }
  const items = all.slice(offset, offset + size);
  const url = (p: number, off: number | null) => {
    const q = new URLSearchParams(echo);
    q.set('PageSize', String(size));
    q.set('Page', String(p));
    if (off !== null) q.set('PageToken', `PT${off}`);
    return `${listUrl}?${q.toString()}`;
  };
  const meta = {
    page,
    page_size: size,
    first_page_url: url(0, null),
    previous_page_url: page > 0 ? url(page - 1, Math.max(0, offset - size)) : null,
    url: url(page, token === null ? null : offset),
    next_page_url: offset + size < all.length ? url(page + 1, offset + size) : null,
    key,
  };
  return { ok: true, value: { items, meta } };
}

/** Query values for a repeatable parameter: repeated keys and comma lists both count. */
export function multiValue(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
