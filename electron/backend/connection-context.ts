// A connection made ready for requests: its profile, real base URL and auth headers. Secrets stay
// inside this object; nothing here is ever returned through the contract.
import type { BackendError } from '../../shared/api/types';
import {
  fillTemplate,
  isDotSegment,
  idTemplateValues,
  reservedIdError,
  type ProfileSpec,
} from '../../shared/profiles/spec';
import { REDACTED } from './redact';
import { maskUnicodeEscaped, safeDecode, secretForms, unicodeEscapedTest } from './secret-mask';
import { profileFor } from './profiles/registry';
import { isForbiddenAuthHeader } from './request-headers';
import { SANDBOX_BASE_URL, type StoredConnection } from './store/connections';

export type ConnectionContext = {
  connection: StoredConnection;
  spec: ProfileSpec;
  baseUrl: string;
  authHeaders: Record<string, string>;
  /** A query-string credential, appended by the HTTP client to every request (never part of a logged URL). */
  credentialQuery?: string;
  /** The profile's own headers with the auth headers: what every request of this connection carries. */
  requestHeaders: Record<string, string>;
  /** Removes this connection's secrets from text that may echo them (an upstream error body). */
  scrub(text: string): string;
  /**
   * Whether text holds one of the connection's credentials, as is, percent-encoded, as Basic's
   * base64, as a JSON string spells it or with \uXXXX escapes, as scrub masks it (8 characters or
   * more: a shorter one could be any word of a document, and is only masked).
   */
  holdsSecret(text: string): boolean;
};

export const UNREADABLE =
  "This connection's saved credential could not be decrypted (the secret key changed, or the database is damaged). Type it again in the connection's settings; nothing was sent.";

export function resolveBaseUrl(
  connection: StoredConnection,
  sandboxUrl: string | null,
): string | null {
  if (!connection.baseUrl.startsWith(SANDBOX_BASE_URL))
    return connection.baseUrl.replace(/\/+$/, '');
  return sandboxUrl === null
    ? null
    : `${sandboxUrl}${connection.baseUrl.slice(SANDBOX_BASE_URL.length)}`.replace(/\/+$/, '');
}

export function connectionContext(
  connection: StoredConnection | null,
  sandboxUrl: string | null,
): { ok: true; value: ConnectionContext } | { ok: false; error: BackendError } {
  if (!connection)
    return {
      ok: false,
      error: {
        kind: 'error',
        reason: 'unknown-connection',
        message: 'That connection no longer exists.',
      },
    };
  if (connection.secretUnreadable)
    return { ok: false, error: { kind: 'error', reason: 'invalid-input', message: UNREADABLE } };
  const spec = profileFor(connection.profileId, connection.customProfile);
  if (!spec.ok)
    return { ok: false, error: { kind: 'error', reason: 'invalid-input', message: spec.error } };
  const baseUrl = resolveBaseUrl(connection, sandboxUrl);
  if (baseUrl === null)
    return {
      ok: false,
      error: {
        kind: 'error',
        reason: 'network',
        message:
          'This connection points at the embedded sandbox, which is not running in this session.',
      },
    };
  const headers = credentialHeaders(connection);
  const credentialQuery =
    connection.auth.kind === 'query' && connection.auth.query ? connection.auth.query : undefined;
  const secrets = secretValues(connection, headers);
  // What scrub masks: each secret in every form an echo may spell it, longest first.
  const scrubbed = [...echoedForms(connection, secrets)]
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
  // Each form of 8 characters or more, and as a JSON string spells it: worked out once, looked
  // for in every body read.
  const refused = refusedValues(connection, secrets);
  const credentials = echoedForms(connection, refused)
    .filter((secret) => secret.length >= 8)
    .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)]);
  // An ETag or a listed id is no JSON string: its escapes are never read, yet spell the credential.
  const escaped = unicodeEscapedTest(refused.filter((secret) => secret.length >= 8));
  return {
    ok: true,
    value: {
      connection,
      spec: spec.value,
      baseUrl,
      authHeaders: headers,
      ...(credentialQuery ? { credentialQuery } : {}),
      requestHeaders: { ...lowerCased(spec.value.headers ?? {}), ...headers },
      scrub: (text) =>
        maskUnicodeEscaped(
          scrubbed.reduce((out, secret) => out.replaceAll(secret, REDACTED), text),
          scrubbed,
        ),
      holdsSecret: (text) => credentials.some((secret) => text.includes(secret)) || escaped(text),
    },
  };
}

const lowerCased = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

/** Every secret string of a connection as it could appear in an echo: raw, and each query value raw and decoded. */
function secretValues(connection: StoredConnection, headers: Record<string, string>): string[] {
  const out = new Set<string>(Object.values(headers).filter((v) => v.length >= 4));
  const auth = connection.auth;
  if (auth.kind === 'basic' && auth.password) out.add(auth.password);
  if (auth.kind === 'bearer' && auth.token) out.add(auth.token);
  if (auth.kind === 'api-key-header' && auth.key) out.add(auth.key);
  if (auth.kind === 'query' && auth.query) {
    out.add(auth.query);
    for (const piece of auth.query.split('&')) {
      const raw = piece.slice(piece.indexOf('=') + 1);
      if (raw.length < 8) continue;
      out.add(raw);
      out.add(safeDecode(raw));
    }
  }
  return [...out].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length);
}

/**
 * The secrets whose presence in a body refuses it (holdsSecret). A query credential's parameters
 * are not all secret: an Azure SAS's version (sv=2019-02-02), expiry and protocols, or a presigned
 * URL's date, are plain words a document may hold, so those parameters (named in PLAIN_PARAMETER)
 * do not count; every other one, and the whole query, does. scrub still masks every parameter
 * (masking a date in an error text costs nothing).
 */
function refusedValues(connection: StoredConnection, secrets: readonly string[]): string[] {
  const auth = connection.auth;
  if (auth.kind !== 'query' || !auth.query) return [...secrets];
  const plain = new Set<string>();
  for (const piece of auth.query.replace(/^\?/, '').split('&')) {
    const at = piece.indexOf('=');
    if (at === -1 || !PLAIN_PARAMETER.test(piece.slice(0, at))) continue;
    const raw = piece.slice(at + 1);
    plain.add(raw);
    plain.add(safeDecode(raw));
  }
  return secrets.filter((secret) => !plain.has(secret));
}

/**
 * The refused secrets in the other forms a document may hold them: percent-encoded (a callback
 * URL's `?access_token=`), and Basic's base64 of user:password without its scheme.
 */
function echoedForms(connection: StoredConnection, secrets: readonly string[]): string[] {
  const out = new Set(secrets.flatMap(secretForms));
  const auth = connection.auth;
  if (auth.kind === 'basic' && auth.password)
    out.add(Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
  return [...out];
}

/** Parameters of a SAS (Azure) or presigned (S3) query that are not secret: version, dates, scopes, ids. */
const PLAIN_PARAMETER =
  /^(sv|ss|srt|sp|se|st|spr|sip|sr|sdd|skoid|sktid|skt|ske|sks|skv|saoid|suoid|scid|tn|spk|srk|epk|erk|rscc|rscd|rsce|rscl|rsct|api-version|x-amz-algorithm|x-amz-date|x-amz-expires|x-amz-signedheaders)$/i;

/**
 * The headers a connection's credential adds to each request. The only header whose name the user
 * chooses (an API key's) is never one of request-headers' forbidden ones: those would forge or
 * drop a precondition, or break framing.
 */
function credentialHeaders(connection: StoredConnection): Record<string, string> {
  const auth = connection.auth;
  switch (auth.kind) {
    case 'none':
      return {};
    case 'basic':
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`,
      };
    case 'bearer':
      return auth.token ? { authorization: `Bearer ${auth.token}` } : {};
    case 'api-key-header':
      // Never in a header that carries the request's precondition or framing (refused at save,
      // and not applied here for a connection saved before that rule).
      return auth.key && !isForbiddenAuthHeader(auth.header) ? { [auth.header]: auth.key } : {};
    case 'query':
      return {};
  }
}

export function templateValues(ctx: ConnectionContext, id?: string): Record<string, string> {
  return id === undefined ? { ...ctx.connection.params } : { ...ctx.connection.params, id };
}

export function itemUrl(
  ctx: ConnectionContext,
  id: string,
): { ok: true; value: string } | { ok: false; error: string } {
  // `.`/`..` (also encoded) are refused whatever the profile, before the id is split into parts.
  if (isDotSegment(id) || id === '')
    return {
      ok: false,
      error:
        id === ''
          ? 'a resource id may not be empty'
          : `a resource id may not be "${id}": it would step out of its place in the path`,
    };
  const reserved = reservedIdError(ctx.spec, id);
  if (reserved) return { ok: false, error: reserved };
  // A composite id (PartitionKey,RowKey) fills one placeholder per part, each encoded for its place.
  const ids = idTemplateValues(id, ctx.spec.list.idParts);
  if (!ids.ok) return ids;
  const path = fillTemplate(
    ctx.spec.itemPath,
    { ...templateValues(ctx, id), ...ids.value },
    ids.encoded,
    ids.mayBeEmpty,
  );
  return path.ok ? urlBelowBase(ctx, path.value) : path;
}

/**
 * The absolute URL of a path below the connection's base URL, checked once resolved: the same
 * origin (the one its secret was saved for) and still below the base path. Every URL the backend
 * builds for a connection goes through here.
 */
export function urlBelowBase(
  ctx: ConnectionContext,
  pathAndQuery: string,
): { ok: true; value: string } | { ok: false; error: string } {
  const raw = ctx.baseUrl + pathAndQuery;
  try {
    const base = new URL(ctx.baseUrl);
    const url = new URL(raw);
    const basePath = base.pathname.replace(/\/$/, '');
    if (
      url.origin === base.origin &&
      (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) &&
      !url.username &&
      !url.password
    )
      return { ok: true, value: raw };
  } catch {
    // Falls through to the refusal.
  }
  return {
    ok: false,
    error: `The request would leave the connection's server or base path (${ctx.baseUrl}); nothing was sent.`,
  };
}

export function listPath(
  ctx: ConnectionContext,
): { ok: true; value: string } | { ok: false; error: string } {
  return fillTemplate(ctx.spec.list.path, templateValues(ctx));
}
