// Which HTTP headers carry credentials, for every log and view that must not show them (the
// backend's responses and activity, the sandbox's request log).
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'x-auth-token']);

export function isSecretHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADERS.has(lower) || /(secret|token|password|api-?key)/.test(lower);
}
