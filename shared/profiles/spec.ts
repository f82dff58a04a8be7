// A profile describes one API family as data: where resources live, where the revision is, which
// part the operator edits and how a write is encoded. Built-ins and user-defined profiles share
// this shape, so a new API needs a JSON document, not code.

export type ProfileFamily =
  | 'twilio-taskrouter'
  | 'twilio-sync'
  | 'rest'
  | 'body-version'
  | 'couchdb'
  | 'azure-table'
  | 'webdav';

export type ParamSpec = { name: string; label: string; placeholder?: string };

/** A list filter the browser offers (e.g. task status), sent as a query parameter. */
export type FilterSpec = { name: string; label: string; param: string; options?: string[] };

export type PagingSpec =
  | { kind: 'next-url'; nextPointer: string; pageSizeParam: string }
  | {
      kind: 'page-number';
      pageParam: string;
      pageSizeParam: string;
      firstPage: number;
      totalPointer?: string;
    }
  /** `skip`/`limit` style: the offset counts items, not pages. */
  | { kind: 'offset'; offsetParam: string; limitParam: string }
  /**
   * Keyed pages (CouchDB `_all_docs`): each page asks for one item more than it shows, and that
   * item's key (at `keyPointer` in the item, sent JSON-encoded) starts the next page. An item
   * deleted or added between two pages moves no other item out of the list, as an offset would.
   */
  | { kind: 'start-key'; startParam: string; limitParam: string; keyPointer: string }
  /**
   * Continuation tokens in response headers, sent back as query parameters (Azure Table:
   * `x-ms-continuation-NextPartitionKey` → `NextPartitionKey`, `…-NextRowKey` → `NextRowKey`).
   */
  | {
      kind: 'continuation-headers';
      pageSizeParam: string;
      tokens: Array<{ header: string; param: string }>;
    }
  /**
   * A folder of files listed with WebDAV `PROPFIND` and `Depth: 1`; the files whose names end with
   * `suffix` are the resources (id = the name less the suffix), paged here in name order.
   */
  | { kind: 'webdav-propfind'; suffix: string }
  | { kind: 'none' };

/** One part of a composite id (Azure's PartitionKey + RowKey): where it is in an item, and its template name. */
export type IdPartSpec = {
  name: string;
  pointer: string;
  /** `odata-string`: the value sits inside '…' in an OData key, so a quote is doubled before encoding. */
  quote?: 'odata-string';
};

export type ListSpec = {
  /** Path template below the connection's base URL; `{param}` placeholders come from the connection. */
  path: string;
  /** Pointer to the array of items in a list response ('' when the response is the array). */
  itemsPointer: string;
  /**
   * Where the resource itself sits inside a list item (CouchDB `_all_docs` rows: `/doc`). The
   * other list pointers then read the resource, so a row and a fetched resource read alike.
   */
  itemPointer?: string;
  idPointer: string;
  /**
   * A composite id: the parts are read from each item and joined into one id (each part
   * percent-encoded, joined by `,`); item paths name each part as `{PartName}`.
   */
  idParts?: IdPartSpec[];
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
 * How to treat a weak ETag (W/"…"): send it back as is (servers that compare weakly, like Azure
 * Table), send its value as a strong tag (strict servers that hand out weak tags), refuse to write
 * conditionally, or — for a strict server that sometimes sends a strong tag — re-read (bounded)
 * until a strong tag comes, never sending a weak one that a strong comparison (RFC 9110) rejects.
 */
export type WeakEtagHandling = 'send-as-is' | 'send-as-strong' | 'unguarded' | 'reread-for-strong';

export type RevisionSpec = { in: 'etag'; weak: WeakEtagHandling } | { in: 'body'; pointer: string };

/** The operator's document: the whole body less server-managed fields, one member, or chosen fields. */
export type EditableSpec =
  | { kind: 'whole'; hidden: string[] }
  | { kind: 'member'; pointer: string }
  | { kind: 'fields'; fields: Array<{ key: string; pointer: string; jsonString?: boolean }> };

export type WriteSpec = {
  /** MERGE is Azure Table's merge-update (PATCH behaves the same there). */
  method: 'POST' | 'PUT' | 'PATCH' | 'MERGE';
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
  /**
   * Where a 2xx answer names the new revision: its ETag header, or a pointer into an
   * acknowledgement body (CouchDB answers `{"ok":true,"id":…,"rev":"2-…"}` → `/rev`). Such an
   * answer is never taken for the resource itself. Default: the ETag, or the answer's body when it
   * is the resource.
   */
  answerRevision?: { in: 'etag' } | { in: 'body'; pointer: string };
  /**
   * json-changed: a changed key's annotation sibling (`count@odata.type` for `count`, with
   * suffix `@odata.type`) is sent with it, so the server keeps the value's type.
   */
  annotationSuffix?: string;
  /**
   * With `annotationSuffix`: the type annotation sent for a changed number whose server text had a
   * fraction or exponent (2.0, 1.5) when the new text has neither (2). Azure stores a number sent
   * without an annotation by its text, so a Double written as 2 would become an Int32
   * (`Edm.Double` keeps it a Double).
   */
  floatType?: string;
  /**
   * Where a read lists the revisions that lost to the resource's own (CouchDB `_conflicts`, read
   * with `?conflicts=true`): a write whose revision is listed there was stored on a branch that is
   * not the resource, so it is not reported saved.
   */
  losingRevisionsPointer?: string;
  /**
   * The resource is a flat bag of properties (Azure Table): a changed value that is an object or
   * an array is refused before sending, naming the property (the server's 400 names neither).
   */
  flatProperties?: boolean;
  /**
   * With `annotationSuffix`: the type annotations whose property travels as a JSON string (Azure:
   * Edm.Int64, Edm.DateTime, Edm.Guid, Edm.Binary); another value under one is refused, naming it.
   */
  stringTypes?: string[];
  /**
   * Top-level member names the API keeps for itself (CouchDB: any starting with `_` but its own
   * `_attachments`, `_conflicts`…): a document given another one is refused before sending, naming
   * it (CouchDB answers "Bad special document member"; pouchdb-server fails with a 500).
   */
  reservedMembers?: { prefix: string; allowed: string[]; reason: string };
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
  /** Headers sent with every request of this profile (e.g. Azure's `Accept: application/json;odata=nometadata`). */
  headers?: Record<string, string>;
  /**
   * Fields the server manages (Azure's `Timestamp`, `odata.etag`): hidden from the editor, shown
   * read-only, and never written back — a whole-body write drops them. (Unlike `editable.hidden`,
   * whose fields a whole-body write keeps from the server's text, e.g. CouchDB's `_rev`.)
   */
  serverManaged?: string[];
  /**
   * Where an error answer carries the server's words (`/reason`, `/odata.error/message/value`);
   * tried in order before the common places. An HTML error page's <title> is used otherwise.
   */
  errorPointers?: string[];
  /**
   * Ids the API keeps for itself (CouchDB: any id starting with "_" names a database endpoint such
   * as `_security`, except `_design/…` and `_local/…`): refused before any request.
   */
  reservedIds?: { prefixes: string[]; except?: string[]; reason: string };
};

/** Why the profile keeps `id` for the API itself (see `reservedIds`), or null when it may be used. */
export function reservedIdError(spec: ProfileSpec, id: string): string | null {
  const rule = spec.reservedIds;
  if (!rule) return null;
  const reserved =
    rule.prefixes.some((prefix) => id.startsWith(prefix)) &&
    !(rule.except ?? []).some((prefix) => id.startsWith(prefix));
  return reserved ? `a resource id may not be "${id}": it is reserved (${rule.reason})` : null;
}

/** The separator of a composite id's parts (each part is percent-encoded, so it never holds one). */
export const ID_PART_SEPARATOR = ',';

/** One id from its parts: each percent-encoded, joined by `,`. */
export function joinIdParts(parts: string[]): string {
  return parts.map((part) => encodeURIComponent(wellFormed(part))).join(ID_PART_SEPARATOR);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether text is valid Unicode: no lone UTF-16 surrogate (legal as a JSON escape, `"\ud800"`,
 * but no URL can carry one: encodeURIComponent throws on it).
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Text a URL can carry: each lone surrogate becomes U+FFFD, as a UTF-8 encoder writes it. */
function wellFormed(text: string): string {
  return isWellFormedText(text)
    ? text
    : text.replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * The template values of an id: `{id}` always; for a composite id also each part by name, encoded
 * for its place (an OData string doubles its quotes). Encoded values are marked so fillTemplate
 * does not encode them twice.
 */
export function idTemplateValues(
  id: string,
  parts: IdPartSpec[] | undefined,
):
  | { ok: true; value: Record<string, string>; encoded: Set<string>; mayBeEmpty: Set<string> }
  | { ok: false; error: string } {
  if (!parts || parts.length === 0)
    return { ok: true, value: { id }, encoded: new Set(), mayBeEmpty: new Set() };
  const pieces = id.split(ID_PART_SEPARATOR);
  if (pieces.length !== parts.length)
    return {
      ok: false,
      error: `The id "${id}" does not have ${parts.length} parts (${parts.map((p) => p.name).join(', ')}) joined by "${ID_PART_SEPARATOR}".`,
    };
  const value: Record<string, string> = { id };
  const encoded = new Set<string>();
  const mayBeEmpty = new Set<string>();
  for (const [i, part] of parts.entries()) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pieces[i]!);
    } catch {
      return { ok: false, error: `The id part "${pieces[i]}" is not valid percent-encoding.` };
    }
    // Inside quotes an empty value is a value (Azure allows an empty PartitionKey or RowKey:
    // `PartitionKey=''`); as a bare path segment it would leave `//`.
    if (part.quote === 'odata-string') mayBeEmpty.add(part.name);
    else if (decoded === '')
      return { ok: false, error: `The id "${id}" has an empty ${part.name}.` };
    const quoted = part.quote === 'odata-string' ? decoded.replace(/'/g, "''") : decoded;
    // encodeURIComponent leaves ' ( ) ! * unescaped; inside a key they are data, so escape them too.
    value[part.name] = encodeURIComponent(quoted).replace(
      /[!'()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
    encoded.add(part.name);
  }
  return { ok: true, value, encoded, mayBeEmpty };
}

/**
 * Fills `{name}` placeholders, each value encoded as one path segment, so no value can change the
 * shape of the path: `/` and `?` are encoded, and `.` or `..` (also percent-encoded, which URL
 * parsers and servers decode back into a dot segment) are refused. `preEncoded` names values
 * already encoded for their place (composite id parts), `mayBeEmpty` those that may be empty
 * (an id part inside quotes).
 */
export function fillTemplate(
  template: string,
  values: Record<string, string>,
  preEncoded?: ReadonlySet<string>,
  mayBeEmpty?: ReadonlySet<string>,
): { ok: true; value: string } | { ok: false; error: string } {
  let problem: string | null = null;
  const value = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    if (v === '' && mayBeEmpty?.has(name)) return '';
    if (v === undefined || v === '') {
      problem ??=
        name === 'id'
          ? 'a resource id may not be empty'
          : `the connection has no value for {${name}}`;
      return '';
    }
    if (!isWellFormedText(v)) {
      problem ??= `${name === 'id' ? 'a resource id' : `{${name}}`} is not valid Unicode text (it holds a lone UTF-16 surrogate, such as \\ud800), so no URL can carry it`;
      return '';
    }
    if (isDotSegment(v)) {
      problem ??= `${name === 'id' ? 'a resource id' : `{${name}}`} may not be "${v}": it would step out of its place in the path`;
      return '';
    }
    return preEncoded?.has(name) ? v : encodeURIComponent(v);
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
