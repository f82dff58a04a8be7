// Where a revision lives when the server sends no ETag: a body field such as Twilio Sync's
// `revision` or a Genesys-style integer `version`.
const BODY_REVISION_FIELDS = ['revision', 'version', '_rev', 'etag'] as const;

export function revisionInBody(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  for (const field of BODY_REVISION_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}
