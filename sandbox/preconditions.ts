// Evaluates If-Match / If-None-Match (RFC 9110 §13.1) for every family. Tag parsing and the two
// comparison functions come from shared/etag so the client and the sandbox agree on the grammar.
import { parseEntityTag, parseEntityTagList, strongMatch, weakMatch } from '../shared/etag';
import type { EntityTag } from '../shared/etag';

export type Comparison = 'strong' | 'weak';

export type PreconditionResult =
  { kind: 'absent' } | { kind: 'pass' } | { kind: 'fail' } | { kind: 'malformed'; error: string };

/**
 * If-Match against the current tag (null = the resource does not exist).
 * Strong comparison (RFC): a W/ tag never matches. Weak comparison ignores W/ on both sides.
 * `currentTag` is the header value the server would send as ETag (bare Twilio values included).
 */
export function evaluateIfMatch(
  raw: string | undefined,
  currentTag: string | null,
  comparison: Comparison,
): PreconditionResult {
  if (raw === undefined) return { kind: 'absent' };
  const parsed = parseEntityTagList(raw);
  if (!parsed.ok) return { kind: 'malformed', error: parsed.error };
  if (currentTag === null) return { kind: 'fail' };
  if (parsed.value === '*') return { kind: 'pass' };
  const current = toTag(currentTag, comparison);
  const match = comparison === 'strong' ? strongMatch : weakMatch;
  return parsed.value.some((tag) => match(tag, current)) ? { kind: 'pass' } : { kind: 'fail' };
}

/** If-None-Match for GET/HEAD: 'fail' means the client's copy is current (→ 304). Always weak. */
export function evaluateIfNoneMatch(
  raw: string | undefined,
  currentTag: string | null,
): PreconditionResult {
  if (raw === undefined) return { kind: 'absent' };
  const parsed = parseEntityTagList(raw);
  if (!parsed.ok) return { kind: 'malformed', error: parsed.error };
  if (currentTag === null) return { kind: 'pass' };
  if (parsed.value === '*') return { kind: 'fail' };
  const current = toTag(currentTag, 'weak');
  return parsed.value.some((tag) => weakMatch(tag, current)) ? { kind: 'fail' } : { kind: 'pass' };
}

function toTag(header: string, comparison: Comparison): EntityTag {
  const parsed = parseEntityTag(header);
  if (parsed.ok) return parsed.value;
  // Our own tags always parse; keep a safe fallback so a bug shows up as a mismatch, not a crash.
  return { opaque: header, weak: comparison === 'weak' };
}
