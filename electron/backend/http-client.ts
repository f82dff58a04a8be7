// The backend's HTTP client. Every outcome is a value: a response, or an error with a kind.
// Reads are capped in size and time so a misbehaving server cannot hang or flood the app.
import type { FetchError, HeaderList } from '../../shared/api/types';
import { REDACTED, redactUrl } from './redact';

export type HttpRequest = {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'MERGE' | 'PROPFIND';
  url: string;
  /**
   * A credential carried in the query string (an Azure SAS, an API key): appended here, at the
   * last moment, so `url` — what the activity log and every message show — never holds it.
   */
  credentialQuery?: string;
  /**
   * Masks the connection's credentials in what the activity log shows. The headers alone cannot
   * say which value is the credential: an API key sent in Accept may look like a media type.
   */
  scrub?: (text: string) => string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
};

export type HttpResponse = {
  kind: 'response';
  status: number;
  headers: HeaderList;
  text: string;
  durationMs: number;
  /** The body is not UTF-8: `text` holds U+FFFD where its bytes did not decode. */
  notUtf8?: true;
};

/** `sent: 'maybe'` means the request may have reached the server: a write's outcome is unknown. */
export type HttpFailure = FetchError & { durationMs: number; sent: 'no' | 'maybe' };
export type HttpOutcome = HttpResponse | HttpFailure;

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

export function header(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  const found = headers.find(([n]) => n.toLowerCase() === lower);
  return found ? found[1] : null;
}

/** Validates a URL the operator typed: absolute http(s) only. */
export function checkHttpUrl(raw: string): { ok: true; url: URL } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return {
      ok: false,
      error: `"${raw}" is not a valid URL; include the scheme, e.g. http://127.0.0.1:4010/…`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      error: `Only http and https URLs can be opened, not ${url.protocol.replace(':', '')}.`,
    };
  }
  return { ok: true, url };
}

const MAX_REDIRECTS = 5;

/**
 * Redirects are handled here, not by fetch: a read follows them within the same origin only (so
 * credentials never travel to another host); a write never follows one (fetch would turn a 303
 * into a GET that "succeeds", or resend the body on a 307) — the caller sees the 3xx.
 */
export async function sendRequest(request: HttpRequest): Promise<HttpOutcome> {
  const started = performance.now();
  // One time limit for the whole read: given afresh at each hop, a chain of slow redirects took
  // six limits.
  const deadline = started + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let current = request;
  for (let hop = 0; ; hop++) {
    const outcome = await sendOnce(current, started, deadline);
    const location =
      outcome.kind === 'response' && outcome.status >= 300 && outcome.status < 400
        ? header(outcome.headers, 'location')
        : null;
    if (!location || (current.method !== 'GET' && current.method !== 'HEAD')) return outcome;
    // The server's text: a Location that does not parse ends the read as a value, not a throw.
    const next = URL.canParse(location, current.url) ? new URL(location, current.url) : null;
    if (next === null)
      return {
        kind: 'error',
        reason: 'http',
        message: `The server redirected (${outcome.kind === 'response' ? outcome.status : '3xx'}) to an address that is not a valid URL; the redirect was not followed.`,
        durationMs: outcome.durationMs,
        sent: 'maybe',
      };
    if (next.origin !== new URL(current.url).origin) {
      return {
        kind: 'error',
        reason: 'http',
        message: `The server redirected to another host (${next.host}); the redirect was not followed, so credentials stay with this server.`,
        durationMs: outcome.durationMs,
        sent: 'maybe',
      };
    }
    if (hop >= MAX_REDIRECTS)
      return {
        kind: 'error',
        reason: 'http',
        message: `The server redirected more than ${MAX_REDIRECTS} times.`,
        durationMs: outcome.durationMs,
        sent: 'maybe',
      };
    // A server that echoes the credential query in Location: it is added again when sent, never logged.
    for (const name of new URLSearchParams(current.credentialQuery ?? '').keys())
      next.searchParams.delete(name);
    current = { ...current, url: next.toString() };
  }
}

async function sendOnce(
  request: HttpRequest,
  started: number,
  deadline: number,
): Promise<HttpOutcome> {
  const elapsed = () => Math.round(performance.now() - started);
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error('timeout')),
    Math.max(deadline - performance.now(), 0),
  );
  try {
    const { url, headers } = moveCredentialsToHeader(
      withQuery(request.url, request.credentialQuery),
      withIdentityEncoding(request.headers ?? {}),
    );
    const response = await fetch(url, {
      method: request.method,
      headers,
      body: request.body,
      signal: controller.signal,
      redirect: 'manual',
    });
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      await response.body?.cancel();
      return tooLarge(declared, maxBytes, elapsed());
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel();
          return tooLarge(total, maxBytes, elapsed());
        }
        chunks.push(value);
      }
    }
    const bytes = concat(chunks, total);
    let text: string;
    let notUtf8 = false;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder().decode(bytes);
      notUtf8 = true;
    }
    return {
      kind: 'response',
      status: response.status,
      headers: [...response.headers.entries()],
      text,
      durationMs: elapsed(),
      ...(notUtf8 ? { notUtf8: true as const } : {}),
    };
  } catch (error) {
    if (controller.signal.aborted) {
      return { ...timeoutError(timeoutMs), durationMs: elapsed(), sent: 'maybe' };
    }
    const failure = networkError(error, request.url);
    // A library message may quote the URL as sent, credential query included: never echo it.
    const sentUrl = withQuery(request.url, request.credentialQuery);
    const message = request.credentialQuery
      ? failure.message
          .replaceAll(sentUrl, redactUrl(request.url))
          .replaceAll(request.credentialQuery, REDACTED)
      : failure.message;
    return { ...failure, message, durationMs: elapsed(), sent: neverSent(error) ? 'no' : 'maybe' };
  } finally {
    clearTimeout(timer);
  }
}

/** `url` with a query-string credential appended (after any query it has, before a fragment). */
export function withQuery(url: string, query: string | undefined): string {
  if (!query) return url;
  const hash = url.indexOf('#');
  const [head, fragment] = hash === -1 ? [url, ''] : [url.slice(0, hash), url.slice(hash)];
  const separator = head.includes('?')
    ? head.endsWith('?') || head.endsWith('&')
      ? ''
      : '&'
    : '?';
  return `${head}${separator}${query}${fragment}`;
}

/**
 * Answers in their own bytes, not compressed: fetch asks for gzip by default, and a server that
 * compresses (lighttpd's mod_deflate, Apache's) tags the gzip answer "<tag>-gzip", which a
 * conditional write's If-Match never matches, so every save would conflict with itself.
 */
function withIdentityEncoding(headers: Record<string, string>): Record<string, string> {
  return Object.keys(headers).some((name) => name.toLowerCase() === 'accept-encoding')
    ? headers
    : { ...headers, 'accept-encoding': 'identity' };
}

/** fetch refuses user:pass@ URLs; operators paste them, so they become a Basic Authorization header. */
function moveCredentialsToHeader(
  raw: string,
  headers: Record<string, string>,
): { url: string; headers: Record<string, string> } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: raw, headers };
  const basic = Buffer.from(
    `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
  ).toString('base64');
  url.username = '';
  url.password = '';
  const hasAuth = Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
  return {
    url: url.toString(),
    headers: hasAuth ? headers : { ...headers, authorization: `Basic ${basic}` },
  };
}

/** Failures that prove nothing reached the server (no connection was made). */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ERR_INVALID_URL' ||
    (error instanceof TypeError && !code)
  );
}

function timeoutError(timeoutMs: number): FetchError {
  return {
    kind: 'error',
    reason: 'timeout',
    message: `The server did not answer within ${(timeoutMs / 1000).toFixed(timeoutMs % 1000 ? 1 : 0)} s.`,
  };
}

function tooLarge(bytes: number, maxBytes: number, durationMs: number): HttpOutcome {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  return {
    kind: 'error',
    reason: 'too-large',
    message: `The response is larger than the ${mb(maxBytes)} limit (at least ${mb(bytes)}).`,
    durationMs,
    sent: 'maybe',
  };
}

function networkError(error: unknown, url: string): FetchError {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const reasons: Record<string, string> = {
    ECONNREFUSED: `Nothing is listening at ${host} (connection refused).`,
    ENOTFOUND: `The host name in ${host} could not be found.`,
    ECONNRESET: `The connection to ${host} was closed before a full answer arrived.`,
    EAI_AGAIN: `The host name in ${host} could not be looked up right now.`,
    UND_ERR_SOCKET: `The connection to ${host} was closed before a full answer arrived.`,
  };
  // Library messages may quote the URL; never echo it, it can carry credentials.
  const detail = String(cause?.message ?? (error as Error)?.message ?? error).replaceAll(
    url,
    redactUrl(url),
  );
  const message = (code && reasons[code]) ?? `Could not reach ${host}: ${detail}`;
  return { kind: 'error', reason: 'network', message };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
