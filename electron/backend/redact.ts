// Secrets must never reach the renderer or a log. Header values are redacted by name, and any
// credential in a URL (user:pass@ or a token-like query parameter) is masked.
import type { HeaderList } from '../../shared/api/types';
import { isSecretHeader } from '../../shared/secret-headers';

const SECRET_QUERY =
  /^(token|access_token|api_key|apikey|key|secret|password|auth|signature|sig)$/i;
export const REDACTED = '[redacted]';

export function redactHeaders(headers: HeaderList): HeaderList {
  return headers.map(([name, value]) => [name, isSecretHeader(name) ? REDACTED : value]);
}

export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw;
  }
  if (url.username || url.password) {
    url.username = url.username ? REDACTED : '';
    url.password = url.password ? REDACTED : '';
  }
  for (const key of [...url.searchParams.keys()]) {
    if (SECRET_QUERY.test(key)) url.searchParams.set(key, REDACTED);
  }
  return url.toString();
}
