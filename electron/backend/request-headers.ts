// Headers an API key may not be sent in: the request's own framing and the preconditions that
// make every write conditional (a key there would replace If-Match, or break the request).
const FORBIDDEN_AUTH_HEADERS = new Set([
  'if-match',
  'if-none-match',
  'if-unmodified-since',
  'if-modified-since',
  'if-range',
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'upgrade',
  'expect',
]);

export function isForbiddenAuthHeader(name: string): boolean {
  return FORBIDDEN_AUTH_HEADERS.has(name.toLowerCase());
}
