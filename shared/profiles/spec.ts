// A profile describes one API family as data: where resources live, where the revision is, which
// part the operator edits and how a write is encoded. Built-ins and user-defined profiles share
// this shape, so a new API needs a JSON document, not code.

export type ProfileFamily = 'twilio-taskrouter' | 'twilio-sync' | 'rest' | 'body-version';

export type ParamSpec = { name: string; label: string; placeholder?: string };

/** A list filter the browser offers (e.g. task status), sent as a query parameter. */
export type FilterSpec = { name: string; label: string; param: string; options?: string[] };

export type PagingSpec =
  | { kind: 'next-url'; nextPointer: string; pageSizeParam: string }
  | { kind: 'page-number'; pageParam: string; pageSizeParam: string; firstPage: number; totalPointer?: string }
  | { kind: 'none' };

export type ListSpec = {
  /** Path template below the connection's base URL; `{param}` placeholders come from the connection. */
  path: string;
  /** Pointer to the array of items in a list response ('' when the response is the array). */
  itemsPointer: string;
  idPointer: string;
  titlePointers: string[];
  subtitlePointers?: string[];
  statusPointer?: string;
  revisionPointer?: string;
  updatedPointer?: string;
  paging: PagingSpec;
  filters?: FilterSpec[];
  /** Query parameter for free-text search, if the API has one; else the backend filters the page. */
  searchParam?: string;
};

/**
 * How to treat a weak ETag (W/"…"): send it back as is (servers that compare weakly), send its
 * value as a strong tag (strict servers that hand out weak tags), or refuse to write conditionally.
 */
export type WeakEtagHandling = 'send-as-is' | 'send-as-strong' | 'unguarded';

export type RevisionSpec =
  | { in: 'etag'; weak: WeakEtagHandling }
  | { in: 'body'; pointer: string };

/** The operator's document: the whole body less server-managed fields, one member, or chosen fields. */
export type EditableSpec =
  | { kind: 'whole'; hidden: string[] }
  | { kind: 'member'; pointer: string }
  | { kind: 'fields'; fields: Array<{ key: string; pointer: string; jsonString?: boolean }> };

export type WriteSpec = {
  method: 'POST' | 'PUT' | 'PATCH';
  /**
   * form-changed: one form field per changed editable key (Twilio Task);
   * form-member: the whole editable document as one JSON form field (Twilio Sync `Data`);
   * json: the whole body (PUT); merge-patch: RFC 7396 patch of base → mine;
   * json-changed: the changed top-level keys plus the body version (Genesys PATCH).
   */
  encoding: 'form-changed' | 'form-member' | 'json' | 'merge-patch' | 'json-changed';
  /** Form field names for editable keys (form encodings). */
  formFields?: Record<string, string>;
  precondition: 'if-match' | 'body-version';
  conflictStatuses: number[];
};

export type ProfileSpec = {
  id: string;
  label: string;
  family: ProfileFamily;
  description: string;
  params: ParamSpec[];
  list: ListSpec;
  /** Item path template; `{id}` is the item's id. */
  itemPath: string;
  revision: RevisionSpec;
  editable: EditableSpec;
  write: WriteSpec;
  /** Keys that identify array elements for the merge (tried in order). */
  idKeys?: string[];
};

/**
 * Fills `{name}` placeholders, each value encoded as one path segment, so no value can change the
 * shape of the path: `/` and `?` are encoded, and `.` or `..` (also percent-encoded, which URL
 * parsers and servers decode back into a dot segment) are refused.
 */
export function fillTemplate(template: string, values: Record<string, string>): { ok: true; value: string } | { ok: false; error: string } {
  let problem: string | null = null;
  const value = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    if (v === undefined || v === '') {
      problem ??= name === 'id' ? 'a resource id may not be empty' : `the connection has no value for {${name}}`;
      return '';
    }
    if (isDotSegment(v)) {
      problem ??= `${name === 'id' ? 'a resource id' : `{${name}}`} may not be "${v}": it would step out of its place in the path`;
      return '';
    }
    return encodeURIComponent(v);
  });
  return problem === null ? { ok: true, value } : { ok: false, error: problem };
}

/**
 * `.` or `..`, alone or between slashes, as typed or percent-encoded (once or more: a server may
 * decode `%2F` and `%2e` before it routes).
 */
export function isDotSegment(value: string): boolean {
  let current = value;
  for (let round = 0; round < 4; round++) {
    if (current.split(/[/\\]/).some((part) => part === '.' || part === '..')) return true;
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return false;
    }
    if (decoded === current) return false;
    current = decoded;
  }
  return false;
}
