// Where a resource's revision comes from, and whether a write can be made conditional on it.
import type { ProfileSpec } from '../../../shared/profiles/spec';
import { getAt, rawAt, type JsonValue } from '../../../shared/json';
import { formatEntityTag, parseEntityTag } from '../../../shared/etag';
import { isTagList, type Precondition } from './write-request';

export type RevisionInfo = {
  revision: string | null;
  guarded: boolean;
  unguardedReason: string | null;
  precondition: Precondition;
};

/** `rawText` (the body as sent) keeps a body version's JSON type and text: `"007"` stays a string, `1.0` stays `1.0`. */
export function revisionOf(
  spec: ProfileSpec,
  etag: string | null,
  body: JsonValue,
  rawText?: string,
): RevisionInfo {
  if (spec.revision.in === 'body') {
    const value = getAt(body, spec.revision.pointer);
    if (
      typeof value === 'number' ||
      typeof value === 'bigint' ||
      (typeof value === 'string' && value !== '')
    ) {
      const lexeme =
        (rawText === undefined ? undefined : rawAt(rawText, spec.revision.pointer)) ??
        (typeof value === 'string' ? JSON.stringify(value) : String(value));
      const revision = typeof value === 'string' ? value : lexeme;
      return {
        revision,
        guarded: true,
        unguardedReason: null,
        precondition: { kind: 'body-version', version: lexeme },
      };
    }
    return unguarded(
      `The resource has no version at ${spec.revision.pointer}, so a write cannot be made conditional.`,
    );
  }
  if (etag === null || etag.trim() === '')
    return unguarded('The server sent no ETag, so a write cannot be made conditional.');
  // "*" (or a list) is no entity-tag: sent back in If-Match it would match any revision. A comma
  // inside the quotes is part of one tag ("v1,2"); a list fails the single-tag parse below too.
  if (etag.trim() === '*' || isTagList(etag))
    return unguarded(
      `The server sent ETag ${etag}, which is not an entity-tag; sending it back would make the write unconditional.`,
    );
  const parsed = parseEntityTag(etag);
  if (!parsed.ok) return unguarded(`The server's ETag is malformed (${parsed.error}).`);
  if (
    parsed.value.weak &&
    (spec.revision.weak === 'unguarded' || spec.revision.weak === 'reread-for-strong')
  ) {
    return {
      ...unguarded(
        `The server's ETag ${etag} is weak; a strict server never matches a weak tag in If-Match.`,
      ),
      revision: etag,
    };
  }
  if (parsed.value.weak && spec.revision.weak === 'send-as-strong') {
    return {
      revision: etag,
      guarded: true,
      unguardedReason: null,
      precondition: {
        kind: 'if-match',
        etag: formatEntityTag({ opaque: parsed.value.opaque, weak: false }),
      },
    };
  }
  return {
    revision: etag,
    guarded: true,
    unguardedReason: null,
    precondition: { kind: 'if-match', etag },
  };
}

function unguarded(reason: string): RevisionInfo {
  return {
    revision: null,
    guarded: false,
    unguardedReason: reason,
    precondition: { kind: 'none' },
  };
}

/**
 * Whether two revisions are the same one. An ETag names its revision however it is quoted: a
 * server (or a proxy) may send Twilio's bare `3` one day and `"3"` the next, and that is no other
 * writer. Weakness still counts (W/"3" and "3" may differ); body versions compare as text.
 */
export function sameRevision(spec: ProfileSpec, a: string | null, b: string | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || spec.revision.in !== 'etag') return false;
  const x = parseEntityTag(a);
  const y = parseEntityTag(b);
  return x.ok && y.ok && x.value.opaque === y.value.opaque && x.value.weak === y.value.weak;
}

/**
 * The same revision by weak comparison (RFC 9110 8.8.3.2: the opaque tags match, weak or not).
 * For "does a write's answer name a revision other than the one it was based on": a proxy that
 * weakens ETags (compression) turns "3" into W/"3", which is no new revision; taken for one, an
 * unapplied write would be reported saved.
 */
export function weaklySameRevision(spec: ProfileSpec, a: string | null, b: string | null): boolean {
  if (sameRevision(spec, a, b)) return true;
  if (a === null || b === null || spec.revision.in !== 'etag') return false;
  const x = parseEntityTag(a);
  const y = parseEntityTag(b);
  return x.ok && y.ok && x.value.opaque === y.value.opaque;
}
