// Rules a connection's settings must follow before they are saved or tested, about where its
// secret may go and which header may carry it.
import type { ConnectionInput } from '../../shared/api/types';
import { resolveBaseUrl, UNREADABLE } from './connection-context';
import { isForbiddenAuthHeader } from './request-headers';
import { secretOf, type StoredConnection } from './store/connections';

export function authHeaderProblem(input: ConnectionInput): string | null {
  const carried =
    input.auth.kind === 'bearer'
      ? { what: 'bearer token', value: input.auth.token }
      : input.auth.kind === 'api-key-header'
        ? { what: 'API key', value: input.auth.key }
        : null;
  const bad = carried?.value ? unsendableInHeader(carried.value) : null;
  if (carried && bad)
    return `The ${carried.what} holds a character an HTTP header cannot carry: ${bad}. Pasted text often brings invisible ones; remove it and try again. Nothing was sent.`;
  if (input.auth.kind !== 'api-key-header' || !isForbiddenAuthHeader(input.auth.header))
    return null;
  return `The API key cannot travel in the ${input.auth.header} header: that header belongs to the request itself (preconditions, framing). Name the header your API reads the key from, e.g. X-Api-Key.`;
}

/**
 * The first character of a header-borne secret outside printable ASCII, named by code point and
 * position (never the secret itself), or null. Sent anyway, it failed as "could not reach" the
 * server (fetch refuses it), or went out as other bytes than the ones typed (U+00A0).
 */
function unsendableInHeader(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) continue;
    const point = value.codePointAt(i)!;
    return `U+${point.toString(16).toUpperCase().padStart(4, '0')} at position ${i + 1}`;
  }
  return null;
}

/** scheme://host:port of a URL, or null when it does not parse. */
export function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * A saved secret belongs to the origin it was saved for. Settings that point it at another origin
 * must carry the secret again (typed, or cleared), or nothing is sent and nothing is saved.
 */
export function secretOriginProblem(
  input: ConnectionInput,
  previous: StoredConnection | null,
  sandboxUrl: string | null,
): string | null {
  // A secret that no longer decrypts is not kept by a form that leaves it out: say so, not save none.
  if (previous?.secretUnreadable && previous.auth.kind === input.auth.kind && !secretGiven(input))
    return UNREADABLE;
  if (
    !previous ||
    previous.auth.kind !== input.auth.kind ||
    !secretOf(previous.auth) ||
    secretGiven(input)
  )
    return null;
  if (input.baseUrl === previous.baseUrl) return null;
  const before = originOf(resolveBaseUrl(previous, sandboxUrl) ?? previous.baseUrl);
  const after = originOf(
    resolveBaseUrl({ ...previous, baseUrl: input.baseUrl }, sandboxUrl) ?? input.baseUrl,
  );
  if (before !== null && before === after) return null;
  return `The base URL now points at another server (${after ?? input.baseUrl}); the saved ${secretName(input)} belongs to ${before ?? previous.baseUrl}. Type it again to use it with the new server.`;
}

// Written over the fields, not the kinds, so a new auth kind is covered by default (a secret
// field that is not listed here counts as not given: the safe side).
const SECRET_FIELDS: Record<string, string> = {
  password: 'password',
  token: 'token',
  key: 'API key',
};

function secretGiven(input: ConnectionInput): boolean {
  if (input.auth.kind === 'none') return true;
  const auth = input.auth as Record<string, unknown>;
  return Object.keys(SECRET_FIELDS).some((field) => auth[field] !== undefined);
}

function secretName(input: ConnectionInput): string {
  const field = Object.keys(SECRET_FIELDS).find(
    (f) =>
      f in (input.auth as Record<string, unknown>) ||
      (f === 'password' && input.auth.kind === 'basic') ||
      (f === 'token' && input.auth.kind === 'bearer') ||
      (f === 'key' && input.auth.kind === 'api-key-header'),
  );
  return field ? SECRET_FIELDS[field]! : 'secret';
}
