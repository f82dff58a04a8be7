// Weak ETags on a strict server, "your edit is already on the server", a query-string credential
// and per-profile headers — against a real HTTP server on loopback that behaves as each case needs.
import { describe, expect, it } from 'vitest';
import type { ProfileSpec } from '../../shared/profiles/spec';
import { COUCHDB_DOCUMENT, WEBDAV_JSON_FILE } from '../../shared/profiles/built-in';
import { loopbackPerTest } from '../test-support/loopback-server';
import { saveConnection, textOf, type RealDesk } from '../test-support/real-round-trip';

const loopback = loopbackPerTest();
const serve = loopback.serve;
let desk: RealDesk;

const jsonFiles = (profile: Partial<ProfileSpec> = {}): ProfileSpec => ({
  ...WEBDAV_JSON_FILE,
  id: 'strict-json',
  ...profile,
});

describe('a strict server that sometimes hands out weak ETags', () => {
  it('is re-read until it gives a strong tag, so no weak tag is ever sent in If-Match', async () => {
    let reads = 0;
    const { url, seen } = await serve((req) => {
      if (req.method === 'GET')
        return { status: 200, headers: { etag: ++reads < 3 ? 'W/"7"' : '"7"' }, body: '{"a":1}' };
      return { status: req.headers['if-match'] === '"7"' ? 204 : 412, headers: { etag: '"8"' } };
    });
    desk = loopback.startDesk();
    const connectionId = await saveConnection(desk.api, {
      name: 's',
      profileId: 'strict-json',
      customProfile: jsonFiles(),
      baseUrl: url,
      params: { folder: 'f' },
      auth: { kind: 'none' },
    });
    const opened = await desk.api.openResource({ ref: { connectionId, id: 'x' } });
    expect(opened).toMatchObject({ kind: 'ok', snapshot: { revision: '"7"', guarded: true } });
    expect(reads).toBe(3);
    if (opened.kind !== 'ok') return;
    reads = 10; // every later read is strong
    const saved = await desk.api.saveResource({
      ref: { connectionId, id: 'x' },
      text: '{"a":2}',
      baseJournalId: opened.snapshot.journalId,
    });
    expect(seen.filter((r) => r.method === 'PUT').map((r) => r.headers['if-match'])).toEqual([
      '"7"',
    ]);
    expect(saved.kind).not.toBe('conflict');
  });

  it('stays unguarded, saying why, when every bounded re-read is weak', async () => {
    let reads = 0;
    const { url, seen } = await serve(() => {
      reads++;
      return { status: 200, headers: { etag: 'W/"7"' }, body: '{"a":1}' };
    });
    desk = loopback.startDesk();
    const connectionId = await saveConnection(desk.api, {
      name: 's',
      profileId: 'strict-json',
      customProfile: jsonFiles(),
      baseUrl: url,
      params: { folder: 'f' },
      auth: { kind: 'none' },
    });
    const opened = await desk.api.openResource({ ref: { connectionId, id: 'x' } });
    expect(opened).toMatchObject({
      kind: 'ok',
      snapshot: { guarded: false, unguardedReason: expect.stringContaining('weak') },
    });
    expect(reads).toBe(3);
    if (opened.kind !== 'ok') return;
    const save = await desk.api.saveResource({
      ref: { connectionId, id: 'x' },
      text: '{"a":2}',
      baseJournalId: opened.snapshot.journalId,
    });
    expect(save).toMatchObject({ kind: 'error', reason: 'unguarded' });
    expect(seen.some((r) => r.method === 'PUT')).toBe(false);
  });
});

describe('a stale write whose Server now already equals the edit', () => {
  it('is reported as already on the server, never as a conflict with nothing to resolve', async () => {
    let doc = '{"a":1,"b":1}';
    let etag = '"1"';
    const { url } = await serve((req) =>
      req.method === 'GET'
        ? { status: 200, headers: { etag }, body: doc }
        : { status: 412, body: '<html><title>412 Precondition Failed</title></html>' },
    );
    desk = loopback.startDesk();
    const connectionId = await saveConnection(desk.api, {
      name: 's',
      profileId: 'strict-json',
      customProfile: jsonFiles(),
      baseUrl: url,
      params: { folder: 'f' },
      auth: { kind: 'none' },
    });
    const ref = { connectionId, id: 'x' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    // Someone else saved exactly the same edit.
    doc = '{"a":2,"b":1}';
    etag = '"2"';
    const result = await desk.api.saveResource({
      ref,
      text: textOf({ a: 2, b: 1 }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'already-on-server',
      status: 412,
      message: expect.stringContaining('Your edit is already on the server (revision "2"'),
    });
    // A different edit on the same stale base is still a real conflict.
    const other = await desk.api.saveResource({
      ref,
      text: textOf({ a: 3, b: 1 }),
      baseJournalId: opened.snapshot.journalId,
      full: true,
    });
    expect(other).toMatchObject({ kind: 'conflict', conflicts: [{ path: '/a' }] });
  });
});

describe('a query-string credential and per-profile headers', () => {
  it('go with every read, list and write; the credential never shows in the activity log or a view', async () => {
    // The write lands: read back, the server holds it at the revision its answer named.
    let stored = { etag: '"1"', body: '{"a":1}' };
    const { url, seen } = await serve((req) => {
      if (!req.url.includes('api_key=s3cr3t-k3y-value'))
        return { status: 403, body: '{"message":"no key"}' };
      if (req.method === 'GET' && req.url.startsWith('/items/_all'))
        return { status: 200, body: '{"rows":[{"id":"x"}]}' };
      if (req.method === 'GET')
        return { status: 200, headers: { etag: stored.etag }, body: stored.body };
      stored = { etag: '"2"', body: '{"a":5}' };
      return { status: 204, headers: { etag: '"2"' } };
    });
    const profile: ProfileSpec = {
      ...jsonFiles(),
      id: 'keyed',
      params: [{ name: 'folder', label: 'Folder' }],
      list: {
        path: '/{folder}/_all?include=all',
        itemsPointer: '/rows',
        idPointer: '/id',
        titlePointers: ['/id'],
        paging: { kind: 'offset', offsetParam: 'skip', limitParam: 'limit' },
      },
      itemPath: '/{folder}/{id}',
      revision: { in: 'etag', weak: 'send-as-is' },
      write: {
        method: 'MERGE',
        encoding: 'json-changed',
        precondition: 'if-match',
        conflictStatuses: [412],
      },
      headers: { Accept: 'application/json;odata=nometadata', 'X-Api-Version': '7' },
    };
    desk = loopback.startDesk();
    const connectionId = await saveConnection(desk.api, {
      name: 'k',
      profileId: 'keyed',
      customProfile: profile,
      baseUrl: url,
      params: { folder: 'items' },
      auth: { kind: 'query', query: '?api_key=s3cr3t-k3y-value' },
    });
    const page = await desk.api.listResources({ connectionId, pageSize: 5 });
    expect(page).toMatchObject({ kind: 'ok', items: [{ id: 'x' }] });
    const opened = await desk.api.openResource({ ref: { connectionId, id: 'x' } });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const saved = await desk.api.saveResource({
      ref: { connectionId, id: 'x' },
      text: '{"a":5}',
      baseJournalId: opened.snapshot.journalId,
    });
    expect(saved).toMatchObject({ kind: 'saved', savedRevision: '"2"' });
    expect(seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /items/_all?include=all&limit=5&skip=0&api_key=s3cr3t-k3y-value',
      'GET /items/x?api_key=s3cr3t-k3y-value',
      'MERGE /items/x?api_key=s3cr3t-k3y-value',
      'GET /items/x?api_key=s3cr3t-k3y-value',
    ]);
    expect(
      seen.every(
        (r) =>
          r.headers['accept'] === 'application/json;odata=nometadata' &&
          r.headers['x-api-version'] === '7',
      ),
    ).toBe(true);
    expect(seen.find((r) => r.method === 'MERGE')).toMatchObject({
      body: '{"a":5}',
      headers: { 'if-match': '"1"' },
    });
    const shown = JSON.stringify([
      await desk.api.activity({}),
      await desk.api.listConnections({}),
      await desk.api.auditLog({}),
    ]);
    expect(shown).not.toContain('s3cr3t');
    expect((await desk.api.listConnections({}))[0]!.auth).toEqual({
      kind: 'query',
      hasSecret: true,
    });
  });

  it('a base URL carrying a query (a SAS pasted there) is refused, pointing to the query credential', async () => {
    desk = loopback.startDesk();
    const saved = await desk.api.saveConnection({
      connection: {
        name: 'a',
        profileId: 'azure-table-entity',
        baseUrl: 'https://acct.table.core.windows.net/?sv=1&sig=abcdefgh',
        params: { table: 't' },
        auth: { kind: 'none' },
      },
    });
    expect(saved).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('Credential in the query string'),
    });
    expect(await desk.api.listConnections({})).toEqual([]);
    const badQuery = await desk.api.saveConnection({
      connection: {
        name: 'a',
        profileId: 'azure-table-entity',
        baseUrl: 'https://acct.table.core.windows.net',
        params: { table: 't' },
        auth: { kind: 'query', query: 'sig=a b' },
      },
    });
    expect(badQuery).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('query-string credential must look like'),
    });
  });
});

describe('a write acknowledged with its revision ({ok, id, rev})', () => {
  it('takes the revision from the acknowledgement, not from a re-read another writer already moved', async () => {
    let doc = '{"_id":"a","_rev":"1-aaa","n":1}';
    const { url } = await serve((req) => {
      if (req.method === 'GET') return { status: 200, body: doc };
      // Our write lands as 2-bbb; someone else writes 3-ccc before the app reads it back.
      doc = '{"_id":"a","_rev":"3-ccc","n":2,"other":true}';
      return { status: 201, body: '{"ok":true,"id":"a","rev":"2-bbb"}' };
    });
    desk = loopback.startDesk();
    const connectionId = await saveConnection(desk.api, {
      name: 'c',
      profileId: COUCHDB_DOCUMENT.id,
      baseUrl: url,
      params: { database: 'db' },
      auth: { kind: 'none' },
    });
    const opened = await desk.api.openResource({ ref: { connectionId, id: 'a' } });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const saved = await desk.api.saveResource({
      ref: { connectionId, id: 'a' },
      text: '{"n":2}',
      baseJournalId: opened.snapshot.journalId,
    });
    expect(saved).toMatchObject({
      kind: 'saved',
      savedRevision: '2-bbb',
      proof: 'answer-revision',
      movedSince: { savedRevision: '2-bbb', revision: '3-ccc', changedPaths: ['/other'] },
    });
  });
});
