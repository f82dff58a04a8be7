// A connection made ready for requests: its profile, real base URL and auth headers. Secrets stay
// inside this object; nothing here is ever returned through the contract.
import type { BackendError } from '../../shared/api/types';
import { fillTemplate, type ProfileSpec } from '../../shared/profiles/spec';
import { profileFor } from './profiles/registry';
import { isForbiddenAuthHeader } from './request-headers';
import { SANDBOX_BASE_URL, type StoredConnection } from './store/connections';

export type ConnectionContext = {
  connection: StoredConnection;
  spec: ProfileSpec;
  baseUrl: string;
  authHeaders: Record<string, string>;
};

export function resolveBaseUrl(connection: StoredConnection, sandboxUrl: string | null): string | null {
  if (!connection.baseUrl.startsWith(SANDBOX_BASE_URL)) return connection.baseUrl.replace(/\/+$/, '');
  return sandboxUrl === null ? null : `${sandboxUrl}${connection.baseUrl.slice(SANDBOX_BASE_URL.length)}`.replace(/\/+$/, '');
}

export function connectionContext(connection: StoredConnection | null, sandboxUrl: string | null): { ok: true; value: ConnectionContext } | { ok: false; error: BackendError } {
  if (!connection) return { ok: false, error: { kind: 'error', reason: 'unknown-connection', message: 'That connection no longer exists.' } };
  const spec = profileFor(connection.profileId, connection.customProfile);
  if (!spec.ok) return { ok: false, error: { kind: 'error', reason: 'invalid-input', message: spec.error } };
  const baseUrl = resolveBaseUrl(connection, sandboxUrl);
  if (baseUrl === null) return { ok: false, error: { kind: 'error', reason: 'network', message: 'This connection points at the embedded sandbox, which is not running in this session.' } };
  return { ok: true, value: { connection, spec: spec.value, baseUrl, authHeaders: authHeaders(connection) } };
}

/**
 * Headers a credential may never set: they would forge or drop a precondition, or break framing.
 * Checked here, where every request's auth headers come from, whatever was stored.
 */
export const RESERVED_HEADERS = new Set(['if-match', 'if-none-match', 'if-unmodified-since', 'if-modified-since', 'if-range', 'host', 'content-length', 'transfer-encoding', 'connection']);

function authHeaders(connection: StoredConnection): Record<string, string> {
  const headers = credentialHeaders(connection);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !RESERVED_HEADERS.has(name.toLowerCase())));
}

function credentialHeaders(connection: StoredConnection): Record<string, string> {
  const auth = connection.auth;
  switch (auth.kind) {
    case 'none':
      return {};
    case 'basic':
      return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}` };
    case 'bearer':
      return auth.token ? { authorization: `Bearer ${auth.token}` } : {};
    case 'api-key-header':
      // Never in a header that carries the request's precondition or framing (refused at save,
      // and not applied here for a connection saved before that rule).
      return auth.key && !isForbiddenAuthHeader(auth.header) ? { [auth.header]: auth.key } : {};
  }
}

export function templateValues(ctx: ConnectionContext, id?: string): Record<string, string> {
  return id === undefined ? { ...ctx.connection.params } : { ...ctx.connection.params, id };
}

export function itemUrl(ctx: ConnectionContext, id: string): { ok: true; value: string } | { ok: false; error: string } {
  const path = fillTemplate(ctx.spec.itemPath, templateValues(ctx, id));
  return path.ok ? urlBelowBase(ctx, path.value) : path;
}

/**
 * The absolute URL of a path below the connection's base URL, checked once resolved: the same
 * origin (the one its secret was saved for) and still below the base path. Every URL the backend
 * builds for a connection goes through here.
 */
export function urlBelowBase(ctx: ConnectionContext, pathAndQuery: string): { ok: true; value: string } | { ok: false; error: string } {
  const raw = ctx.baseUrl + pathAndQuery;
  try {
    const base = new URL(ctx.baseUrl);
    const url = new URL(raw);
    const basePath = base.pathname.replace(/\/$/, '');
    if (url.origin === base.origin && (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`)) && !url.username && !url.password) return { ok: true, value: raw };
  } catch {
    // Falls through to the refusal.
  }
  return { ok: false, error: `The request would leave the connection's server or base path (${ctx.baseUrl}); nothing was sent.` };
}

export function listPath(ctx: ConnectionContext): { ok: true; value: string } | { ok: false; error: string } {
  return fillTemplate(ctx.spec.list.path, templateValues(ctx));
}
