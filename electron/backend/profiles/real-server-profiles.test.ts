// The profile capabilities real servers need, as pure functions: paging kinds, WebDAV listings,
// composite ids, the server's words, and validation of the new profile fields.
import { describe, expect, it } from 'vitest';
import {
  AZURE_TABLE_ENTITY,
  COUCHDB_DOCUMENT,
  REST_ETAG,
  WEBDAV_JSON_FILE,
} from '../../../shared/profiles/built-in';
import { fillTemplate, idTemplateValues } from '../../../shared/profiles/spec';
import { checkProfileSpec } from '../../../shared/profiles/validate';
import { withQuery } from '../http-client';
import { listPagePath, listRequest, parseDavPage, parseListPage, summarise } from './listing';
import { serverWords } from './server-words';
import { parseMultistatus } from './webdav';

const query = { pageSize: 10 };

describe('paging', () => {
  const rows = (ids: string[]) => ({
    rows: ids.map((id) => ({
      id,
      key: id,
      value: { rev: '1-a' },
      doc: { _id: id, _rev: '1-a', name: `Doc ${id}` },
    })),
  });
  const docs = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => `d${String(from + i).padStart(2, '0')}`);

  it('offset paging counts items (skip), appended with & to a list path that has a query', () => {
    const list = {
      ...COUCHDB_DOCUMENT.list,
      paging: { kind: 'offset' as const, offsetParam: 'skip', limitParam: 'limit' },
    };
    const first = listPagePath(list, '/db/_all_docs?include_docs=true', query);
    expect(first).toBe('/db/_all_docs?include_docs=true&limit=10&skip=0');
    const page1 = parseListPage(list, rows(docs(0, 10)), first, 'http://h', query);
    expect(page1).toMatchObject({
      ok: true,
      value: { nextPageToken: '/db/_all_docs?include_docs=true&limit=10&skip=10' },
    });
    expect(
      parseListPage(
        list,
        rows(docs(20, 3)),
        '/db/_all_docs?include_docs=true&limit=10&skip=20',
        'http://h',
        query,
      ),
    ).toMatchObject({ ok: true, value: { nextPageToken: null } });
  });

  it('CouchDB pages by key: one row more than shown, whose key (JSON) starts the next page', () => {
    const first = listPagePath(COUCHDB_DOCUMENT.list, '/db/_all_docs?include_docs=true', query);
    expect(first).toBe('/db/_all_docs?include_docs=true&limit=11');
    const page1 = parseListPage(COUCHDB_DOCUMENT.list, rows(docs(0, 11)), first, 'http://h', query);
    if (!page1.ok) throw new Error(page1.error);
    // Ten shown; the eleventh starts the next page, inclusive.
    expect(page1.value.items.map((i) => i.id)).toEqual(docs(0, 10));
    const next = page1.value.nextPageToken!;
    expect(new URL(next, 'http://h').searchParams.get('startkey')).toBe('"d10"');
    expect(next).toMatch(/^\/db\/_all_docs\?include_docs=true&limit=11&startkey=/);
    // A row reads the document inside it, as a fetched document reads itself.
    expect(page1.value.items[3]).toEqual(
      summarise(COUCHDB_DOCUMENT.list, { _id: 'd03', _rev: '1-a', name: 'Doc d03' }),
    );
    expect(page1.value.items[3]).toMatchObject({ id: 'd03', title: 'Doc d03', revision: '1-a' });
    // The last page: fewer rows than asked for, no next page; exactly a page's worth: none either.
    for (const n of [3, 10]) {
      const last = parseListPage(COUCHDB_DOCUMENT.list, rows(docs(10, n)), next, 'http://h', query);
      expect(last).toMatchObject({ ok: true, value: { nextPageToken: null } });
      expect(last.ok && last.value.items).toHaveLength(n);
    }
    // A row without a key cannot start a page: said, not guessed.
    const keyless = rows(docs(0, 11));
    delete (keyless.rows[10] as { key?: string }).key;
    expect(parseListPage(COUCHDB_DOCUMENT.list, keyless, first, 'http://h', query)).toMatchObject({
      ok: false,
      error: expect.stringContaining('no key at /key'),
    });
  });

  it('continuation headers become the next page’s query parameters; $top stays $top', () => {
    const first = listPagePath(AZURE_TABLE_ENTITY.list, '/t()', query);
    expect(first).toBe('/t()?$top=10');
    const body = { value: [{ PartitionKey: 'p', RowKey: 'r1' }] };
    const next = parseListPage(AZURE_TABLE_ENTITY.list, body, first, 'http://h', query, [
      ['x-ms-continuation-nextpartitionkey', '1!4!cA--'],
      ['x-ms-continuation-nextrowkey', '1!4!cjI-'],
    ]);
    expect(next).toMatchObject({
      ok: true,
      value: {
        nextPageToken: '/t()?$top=10&NextPartitionKey=1%214%21cA--&NextRowKey=1%214%21cjI-',
      },
    });
    expect(
      parseListPage(AZURE_TABLE_ENTITY.list, body, first, 'http://h', query, []),
    ).toMatchObject({ ok: true, value: { nextPageToken: null } });
  });

  it('a WebDAV folder is listed with PROPFIND Depth 1 and paged in name order', () => {
    const path = listPagePath(WEBDAV_JSON_FILE.list, '/docs/', query);
    expect(listRequest(WEBDAV_JSON_FILE.list, path)).toMatchObject({
      method: 'PROPFIND',
      path: '/docs/',
      headers: { depth: '1' },
    });
    const xml = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:">
      <d:response><d:href>/docs/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
      ${Array.from({ length: 12 }, (_, i) => `<d:response><d:href>http://h/docs/f%20${String(12 - i).padStart(2, '0')}.json</d:href><d:propstat><d:prop><d:getetag>&quot;${i}&quot;</d:getetag><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>`).join('')}
      <d:response><d:href>/docs/notes.txt</d:href><d:propstat><d:prop><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
      <d:response><d:href>/docs/sub/deep.json</d:href><d:propstat><d:prop><d:resourcetype/></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
    </d:multistatus>`;
    const page1 = parseDavPage(WEBDAV_JSON_FILE.list, xml, path, query);
    expect(page1.ok && page1.value.items.map((i) => i.id)).toEqual(
      Array.from({ length: 10 }, (_, i) => `f ${String(i + 1).padStart(2, '0')}`),
    );
    expect(page1.ok && page1.value.items[0]!.revision).toBe('"11"');
    expect(page1.ok && page1.value.total).toBe(12);
    const page2 = parseDavPage(
      WEBDAV_JSON_FILE.list,
      xml,
      page1.ok ? page1.value.nextPageToken! : '',
      query,
    );
    expect(page2.ok && page2.value.items.map((i) => i.id)).toEqual(['f 11', 'f 12']);
    expect(page2.ok && page2.value.nextPageToken).toBe(null);
    expect(
      parseDavPage(WEBDAV_JSON_FILE.list, '<html><title>403 Forbidden</title></html>', path, query),
    ).toMatchObject({ ok: false });
  });

  it('reads only the properties a propstat answered 200 for', () => {
    const [entry] = parseMultistatus(
      '<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a.json</D:href><D:propstat><D:prop><D:getetag/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat></D:response></D:multistatus>',
    );
    expect(entry).toMatchObject({ href: '/a.json', etag: null });
  });
});

describe('composite ids', () => {
  it('joins PartitionKey and RowKey into one id and back into an OData key path', () => {
    const row = summarise(AZURE_TABLE_ENTITY.list, {
      PartitionKey: 'tenant/1',
      RowKey: "o'brien, pat",
      name: 'Pat',
    });
    expect(row.id).toBe(`tenant%2F1,${encodeURIComponent("o'brien, pat")}`);
    const ids = idTemplateValues(row.id, AZURE_TABLE_ENTITY.list.idParts);
    if (!ids.ok) throw new Error(ids.error);
    const path = fillTemplate(
      AZURE_TABLE_ENTITY.itemPath,
      { ...ids.value, table: 'docs' },
      ids.encoded,
    );
    // The quote is doubled for OData and every reserved character is escaped: no id changes the path's shape.
    expect(path).toEqual({
      ok: true,
      value: "/docs(PartitionKey='tenant%2F1',RowKey='o%27%27brien%2C%20pat')",
    });
    expect(idTemplateValues('only-one-part', AZURE_TABLE_ENTITY.list.idParts)).toMatchObject({
      ok: false,
      error: expect.stringContaining('2 parts'),
    });
    // An empty key is legal in Azure: inside the quotes it is the value '' (Azurite serves it).
    const empty = idTemplateValues('a,', AZURE_TABLE_ENTITY.list.idParts);
    if (!empty.ok) throw new Error(empty.error);
    expect(
      fillTemplate(
        AZURE_TABLE_ENTITY.itemPath,
        { ...empty.value, table: 'docs' },
        empty.encoded,
        empty.mayBeEmpty,
      ),
    ).toEqual({ ok: true, value: "/docs(PartitionKey='a',RowKey='')" });
    expect(summarise(AZURE_TABLE_ENTITY.list, { PartitionKey: '', RowKey: '' }).id).toBe(',');
  });

  it('encodes a plain id as one path segment', () => {
    expect(fillTemplate(WEBDAV_JSON_FILE.itemPath, { folder: 'docs', id: 'a/x?y#z' })).toEqual({
      ok: true,
      value: '/docs/a%2Fx%3Fy%23z.json',
    });
  });
});

describe('the server’s words', () => {
  it('reads the profile’s pointers, common places and an HTML title', () => {
    expect(
      serverWords('{"error":"not_found","reason":"missing"}', COUCHDB_DOCUMENT.errorPointers),
    ).toBe('missing');
    expect(
      serverWords(
        '{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"The specified resource does not exist.\\nRequestId:1"}}}',
        AZURE_TABLE_ENTITY.errorPointers,
      ),
    ).toBe('The specified resource does not exist. RequestId:1');
    expect(
      serverWords(
        '<?xml version="1.0"?><html><head>\n<title>412 Precondition &amp; Failed</title></head></html>',
      ),
    ).toBe('412 Precondition & Failed');
    expect(
      serverWords(
        '<?xml version="1.0"?>\n<Error>\n  <Code>AuthorizationFailure</Code>\n  <Message>Server failed to authenticate the request.\nRequestId:9</Message>\n</Error>',
      ),
    ).toBe('Server failed to authenticate the request. RequestId:9');
    expect(serverWords('{"unrelated":1}')).toBe(null);
    expect(serverWords('')).toBe(null);
  });
});

describe('query-string credentials', () => {
  it('are appended after a query the URL has, before a fragment', () => {
    expect(withQuery('http://h/t()?$top=1', 'sv=1&sig=x')).toBe('http://h/t()?$top=1&sv=1&sig=x');
    expect(withQuery('http://h/t', 'sig=x')).toBe('http://h/t?sig=x');
    expect(withQuery('http://h/t#f', 'sig=x')).toBe('http://h/t?sig=x#f');
    expect(withQuery('http://h/t', undefined)).toBe('http://h/t');
  });
});

describe('validation of the new profile fields', () => {
  it('accepts the real-server built-ins and refuses inconsistent ones, naming the field', () => {
    for (const spec of [COUCHDB_DOCUMENT, AZURE_TABLE_ENTITY, WEBDAV_JSON_FILE])
      expect(checkProfileSpec(JSON.parse(JSON.stringify(spec)))).toMatchObject({ ok: true });
    expect(checkProfileSpec({ ...REST_ETAG, headers: { authorization: 'x' } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('"authorization" is set by the app'),
    });
    expect(checkProfileSpec({ ...REST_ETAG, headers: { 'bad header': 'x' } })).toMatchObject({
      ok: false,
      error: expect.stringContaining('profile.headers'),
    });
    expect(
      checkProfileSpec({
        ...AZURE_TABLE_ENTITY,
        itemPath: "/{table}(PartitionKey='{PartitionKey}')",
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('every id part') });
    expect(
      checkProfileSpec({
        ...COUCHDB_DOCUMENT,
        write: { ...COUCHDB_DOCUMENT.write, answerRevision: { in: 'etag' } },
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('answerRevision') });
    expect(
      checkProfileSpec({
        ...REST_ETAG,
        list: { ...REST_ETAG.list, paging: { kind: 'offset', offsetParam: 'skip' } },
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('limitParam') });
    expect(
      checkProfileSpec({ ...REST_ETAG, write: { ...REST_ETAG.write, method: 'COPY' } }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('profile.write.method') });
  });
});
