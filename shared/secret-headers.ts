// Which HTTP headers carry credentials, for every log and view that must not show them (the
// backend's responses and activity, the sandbox's request log).
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'api-key',
  'x-auth-token',
]);

export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  // Custom API-key headers are named freely (X-Tenant-Key, X-Auth-Key, Ocp-Apim-Subscription-Key):
  // any name ending in "key" counts, as do signatures, credentials and sessions.
  return (
    SECRET_HEADERS.has(lower) ||
    /(secret|token|passw(or)?d|api-?key|credential|signature|session)/.test(lower) ||
    /(^|[-_])key$/.test(lower)
  );
}
