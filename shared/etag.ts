// Entity tags (RFC 9110 §8.8.3) as real APIs send them: quoted strong tags ("abc"), weak tags
// (W/"4c-6abdcf72"), and the bare values Twilio's clients use (3, 1a). One parser serves the
// client (what to send back in If-Match) and the sandbox (how to evaluate a precondition).

export type EntityTag = {
  /** The opaque tag without quotes or the W/ prefix. */
  readonly opaque: string;
  readonly weak: boolean;
};

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Parses one entity-tag; bare (unquoted) values are accepted for Twilio compatibility. */
export function parseEntityTag(raw: string): ParseResult<EntityTag> {
  let text = raw.trim();
  if (text === '') return { ok: false, error: 'empty entity-tag' };
  let weak = false;
  if (text.startsWith('W/') || text.startsWith('w/')) {
    weak = true;
    text = text.slice(2);
  }
  if (text.startsWith('"')) {
    if (text.length < 2 || !text.endsWith('"'))
      return { ok: false, error: `unterminated quoted entity-tag: ${raw}` };
    text = text.slice(1, -1);
    if (text.includes('"')) return { ok: false, error: `entity-tag contains a quote: ${raw}` };
  } else if (weak) {
    return { ok: false, error: `weak entity-tag must be quoted: ${raw}` };
  } else if (/[\s",]/.test(text)) {
    return { ok: false, error: `invalid bare entity-tag: ${raw}` };
  }
  return { ok: true, value: { opaque: text, weak } };
}

/** Parses an If-Match / If-None-Match field value: "*" or a comma-separated list of tags. */
export function parseEntityTagList(raw: string): ParseResult<'*' | EntityTag[]> {
  const text = raw.trim();
  if (text === '*') return { ok: true, value: '*' };
  const tags: EntityTag[] = [];
  // Split on commas outside quotes (opaque tags may not contain quotes, but may contain commas).
  // Only commas separate members (RFC 9110 §13.1.1, `#entity-tag`): each member must be exactly
  // one tag, so "0 1" or "0" "1" are malformed, not two tags one of which might match.
  const parts = text.match(/(?:[^,"]|"[^"]*"?)+/g) ?? [];
  for (const part of parts) {
    // Empty list elements are ignored (RFC 9110 §5.6.1.2).
    if (part.trim() === '') continue;
    const tag = parseEntityTag(part);
    if (!tag.ok) return tag;
    tags.push(tag.value);
  }
  if (tags.length === 0) return { ok: false, error: 'empty entity-tag list' };
  return { ok: true, value: tags };
}

/** Strong comparison (§8.8.3.2): both strong and identical. Used by If-Match. */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.weak && !b.weak && a.opaque === b.opaque;
}

/** Weak comparison (§8.8.3.2): identical opaque tags, W/ ignored. Used by If-None-Match. */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}

/** Renders a tag as a quoted header value (W/"x" or "x"). */
export function formatEntityTag(tag: EntityTag): string {
  return `${tag.weak ? 'W/' : ''}"${tag.opaque}"`;
}
