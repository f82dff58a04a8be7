// The backend's transport policy on top of sendRequest: every exchange goes to the activity log;
// reads are retried (network errors, 5xx, 429 honouring Retry-After) with backoff and jitter;
// writes are sent exactly once — a lost write response is the caller's to verify, never to resend.
import type { ActivityLog } from './activity-log';
import { header, sendRequest, type HttpOutcome, type HttpRequest } from './http-client';
import { maskSecrets, requestHeaderSecrets, safeDecode, secretForms } from './secret-mask';

export type RetryPolicy = { attempts: number; baseDelayMs: number; maxDelayMs: number };
export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 10_000 };

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export type Transport = {
  read(request: HttpRequest): Promise<HttpOutcome>;
  write(request: HttpRequest): Promise<HttpOutcome>;
};

export function createTransport(
  activity: ActivityLog,
  retry: RetryPolicy = DEFAULT_RETRY,
  sleep = defaultSleep,
): Transport {
  const once = async (request: HttpRequest): Promise<HttpOutcome> => {
    const outcome = await sendRequest(request);
    const headers = request.headers ?? {};
    const ifMatch =
      Object.entries(headers).find(([k]) => k.toLowerCase() === 'if-match')?.[1] ?? null;
    // What the server sent back is shown in the activity panel: masked for the credentials we sent it.
    // Every credential sent (headers and query), in each spelling an echo may use: an ETag may
    // quote it percent-encoded or JSON-escaped as readily as a URL.
    const secrets = urlForms([
      ...requestHeaderSecrets(headers),
      ...queryValues(request.credentialQuery),
    ]);
    const scrub = request.scrub ?? ((text: string) => text);
    const mask = (text: string | null) =>
      text === null ? null : maskSecrets(scrub(text), secrets);
    activity.add({
      method: request.method,
      // The URL too: a page of CouchDB starts at a document's key, which may hold the credential.
      url: mask(request.url)!,
      status: outcome.kind === 'response' ? outcome.status : null,
      etag: mask(outcome.kind === 'response' ? header(outcome.headers, 'etag') : null),
      ifMatch: mask(ifMatch),
      durationMs: outcome.durationMs,
      outcome:
        outcome.kind === 'response'
          ? String(outcome.status)
          : mask(`${outcome.reason}: ${outcome.message}`)!,
    });
    return outcome;
  };
  return {
    async read(request) {
      for (let attempt = 1; ; attempt++) {
        const outcome = await once(request);
        const retryable =
          outcome.kind === 'error'
            ? outcome.reason === 'network' || outcome.reason === 'timeout'
            : RETRYABLE_STATUS.has(outcome.status);
        if (!retryable || attempt >= retry.attempts) return outcome;
        await sleep(delayFor(outcome, attempt, retry));
      }
    },
    write: once,
  };
}

/** Each secret as a URL may spell it: as written, percent-encoded (secretForms), and form-encoded. */
function urlForms(secrets: readonly string[]): string[] {
  return secrets.flatMap((secret) => {
    const forms = secretForms(secret);
    // Not valid Unicode (a lone surrogate): no URL carries it encoded, so the text is the one form.
    return forms.length > 1
      ? [...forms, new URLSearchParams({ s: secret }).toString().slice(2)]
      : forms;
  });
}

/** The values of a query-string credential, as written and decoded. */
function queryValues(query: string | undefined): string[] {
  if (!query) return [];
  return query
    .replace(/^\?/, '')
    .split('&')
    .map((pair) => pair.slice(pair.indexOf('=') + 1))
    .flatMap((value) => [value, safeDecode(value)]);
}

/** Retry-After (seconds or HTTP date) when the server gave one, else exponential backoff with full jitter. */
export function delayFor(
  outcome: HttpOutcome,
  attempt: number,
  retry: RetryPolicy,
  random = Math.random,
): number {
  if (outcome.kind === 'response') {
    const ms = retryAfterMs(header(outcome.headers, 'retry-after'));
    if (ms !== null) return Math.min(ms, retry.maxDelayMs);
  }
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A Retry-After value (seconds, or an HTTP date) as milliseconds from now; null when it is neither. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.max(ms, 0) : null;
}
