// Masks secret values in text an upstream sent (error bodies, messages, header values) before it
// reaches the renderer: a server that echoes the Authorization header must not hand the secret on.
// Names are not enough here (redact.ts does names): this looks for the values themselves, in the
// forms a server may echo them (as sent, percent-encoded, Basic's base64 and its decoded parts).
import type { StoredAuth } from './store/connections';

export const MASK = '[redacted]';

/** Shorter values are not masked: they would blank out ordinary text. */
const MIN_SECRET_LENGTH = 4;

/**
 * Headers whose value is never a credential when it has the shape the backend writes there: a
 * media type, a length, a revision. An API key may be saved under any other name, Accept and
 * User-Agent included (request-headers refuses only the precondition and framing ones), and then
 * the value is the key: every other header value, or one of another shape, may be a credential.
 */
const MEDIA_TYPES = /^\s*[\w.+*-]+\/[\w.+*-]+\s*(;[^,]*)?(,\s*[\w.+*-]+\/[\w.+*-]+\s*(;[^,]*)?)*$/;
const PLAIN_REQUEST_HEADERS: Record<string, (value: string) => boolean> = {
  accept: (value) => MEDIA_TYPES.test(value),
  'content-type': (value) => MEDIA_TYPES.test(value),
  'content-length': (value) => /^\d+$/.test(value),
  'if-match': () => true,
  'if-none-match': () => true,
};

/**
 * The forms of one secret worth looking for: as written, percent-encoded (upper and lower case
 * hex), form-encoded (space as +), and as a JSON string spells it (solidus escaped or not).
 */
export function secretForms(secret: string | null | undefined): string[] {
  if (!secret) return [];
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = new Set([secret, json, json.replaceAll('/', '\\/')]);
  try {
    const encoded = encodeURIComponent(secret);
    forms.add(encoded);
    forms.add(encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  } catch {
    // Not valid Unicode (a lone surrogate): no URL carries it encoded.
  }
  return [...forms];
}

/** Every form of a connection's credentials, including the Basic header value a server may echo. */
export function authSecretForms(auth: StoredAuth): string[] {
  switch (auth.kind) {
    case 'none':
      return [];
    case 'basic': {
      if (!auth.password) return [];
      const pair = `${auth.username}:${auth.password}`;
      return [...secretForms(auth.password), pair, Buffer.from(pair).toString('base64')];
    }
    case 'bearer':
      return secretForms(auth.token);
    case 'api-key-header':
      return secretForms(auth.key);
    case 'query': {
      // The whole credential and each value in it (an Azure SAS's `sig=` is the secret part).
      if (!auth.query) return [];
      const values = auth.query
        .replace(/^\?/, '')
        .split('&')
        .map((pair) => pair.slice(pair.indexOf('=') + 1))
        .filter((v) => v.length >= 8);
      return [
        ...secretForms(auth.query),
        ...values.flatMap((v) => [v, ...secretForms(safeDecode(v))]),
      ];
    }
  }
}

/** Percent-decoded text, or the text itself when it is not valid percent-encoding. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Credential values in the headers of a request the backend sends (whatever the header is called). */
export function requestHeaderSecrets(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (PLAIN_REQUEST_HEADERS[name.toLowerCase()]?.(value)) continue;
    out.push(...secretForms(value));
    const scheme = /^(\S+)\s+(\S+)$/.exec(value);
    if (!scheme) continue;
    out.push(scheme[2]!);
    if (scheme[1]!.toLowerCase() === 'basic') {
      const pair = Buffer.from(scheme[2]!, 'base64').toString('utf8');
      out.push(pair, pair.slice(pair.indexOf(':') + 1));
    }
  }
  return out;
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  const sorted = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  for (const secret of sorted) {
    if (secret.length >= MIN_SECRET_LENGTH && out.includes(secret))
      out = out.split(secret).join(MASK);
  }
  return maskUnicodeEscaped(out, sorted);
}

/**
 * Masks each secret where a JSON text spells some of its characters as \uXXXX escapes (.NET's
 * encoder writes + < > & ' that way, Python every non-ASCII one): JSON.parse reads the secret
 * back as written, so the text holds it as surely as if it were written out.
 */
export function maskUnicodeEscaped(text: string, secrets: readonly string[]): string {
  if (!/\\u[0-9a-fA-F]{4}/.test(text)) return text;
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.replace(unicodeEscapedPattern(secret), MASK);
  }
  return out;
}

/** A test for text that spells one of the secrets with \uXXXX escapes, its patterns built once. */
export function unicodeEscapedTest(secrets: readonly string[]): (text: string) => boolean {
  const patterns = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    .map((secret) => new RegExp(unicodeEscapedPattern(secret).source));
  return (text) => /\\u[0-9a-fA-F]{4}/.test(text) && patterns.some((p) => p.test(text));
}

function unicodeEscapedPattern(secret: string): RegExp {
  let source = '';
  for (let i = 0; i < secret.length; i++) {
    const char = secret[i]!;
    const hex = [...secret.charCodeAt(i).toString(16).padStart(4, '0')]
      .map((digit) => (/[a-f]/.test(digit) ? `[${digit}${digit.toUpperCase()}]` : digit))
      .join('');
    const alternatives = [char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), `\\\\u${hex}`];
    if (char === '"' || char === '/') alternatives.push(`\\\\\\${char}`);
    if (char === '\\') alternatives.push('\\\\\\\\');
    source += `(?:${alternatives.join('|')})`;
  }
  return new RegExp(source, 'g');
}

/** An error value with its message and the upstream's words (bodyExcerpt) masked; other values as they are. */
export function maskError<T>(value: T, secrets: readonly string[]): T {
  if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'error')
    return value;
  const error = value as T & { message?: unknown; bodyExcerpt?: unknown };
  return {
    ...error,
    ...(typeof error.message === 'string' ? { message: maskSecrets(error.message, secrets) } : {}),
    ...(typeof error.bodyExcerpt === 'string'
      ? { bodyExcerpt: maskSecrets(error.bodyExcerpt, secrets) }
      : {}),
  };
}

/**
 * An exception (a bug) with every secret masked in what the host's log prints of it: its message,
 * its stack, a string `code`, and the same of its causes. Other properties an exception carries
 * (a URL's `input`, a request's options) are left out: the log gets what it needs to find the bug.
 * `secrets` is called once; when the secrets cannot be read, the exception's text is withheld.
 */
export function maskThrown(thrown: unknown, secrets: () => readonly string[]): Error {
  let forms: readonly string[];
  try {
    forms = secrets();
  } catch {
    return new Error(
      'An exception was thrown; its text is withheld from the log, since the saved secrets to mask it with could not be read.',
    );
  }
  const mask = (value: unknown, depth: number): Error => {
    if (!(value instanceof Error))
      return new Error(maskSecrets(`thrown: ${describeThrown(value)}`, forms));
    const masked = new Error(maskSecrets(value.message, forms));
    masked.name = value.name;
    masked.stack = value.stack === undefined ? undefined : maskSecrets(value.stack, forms);
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(masked, { code: maskSecrets(code, forms) });
    if (value.cause !== undefined && depth < 4) masked.cause = mask(value.cause, depth + 1);
    return masked;
  };
  return mask(thrown, 0);
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Masks every string inside a JSON-like value (a parsed body shown to the operator). */
export function maskStrings(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return maskSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskStrings(item, secrets));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      Object.defineProperty(out, maskSecrets(key, secrets), {
        value: maskStrings(item, secrets),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}
