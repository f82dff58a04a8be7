// pouchdb-server (the CouchDB HTTP API, npm) with the built-in "CouchDB / PouchDB · Documents" profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COUCHDB_DOCUMENT } from '../../shared/profiles/built-in';
import {
  listAll,
  open,
  roundTrip,
  saveConnection,
  startRealDesk,
  textOf,
  type Doc,
  type RealDesk,
  type ServerSide,
} from '../test-support/real-round-trip';
import { startPouchDb, type RealServer } from '../test-support/real-servers';

const DOCS = 27;
const idOf = (n: number) => `ticket-${String(n).padStart(2, '0')}`;
const VALIDATE =
  'function (doc) { if (doc.locked === true) { throw({ forbidden: "This ticket is locked by the records team." }); } }';

describe('pouchdb-server, built-in CouchDB profile', () => {
  let server: RealServer;
  let desk: RealDesk;
  let connectionId: string;
  const url = (id: string) => `${server.url}/tickets/${encodeURIComponent(id)}`;
  const json = async (res: Response) => (await res.json()) as Doc;

  const direct: ServerSide = {
    async revision(id) {
      return (await json(await fetch(url(id))))['_rev'] as string;
    },
    async read(id) {
      return json(await fetch(url(id)));
    },
    async replace(id, doc) {
      const current = await json(await fetch(url(id)));
      const res = await fetch(url(id), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...doc, _id: id, _rev: current['_rev'] }),
      });
      expect(res.status).toBe(201);
    },
  };

  beforeAll(async () => {
    server = await startPouchDb();
    expect((await fetch(`${server.url}/tickets`, { method: 'PUT' })).status).toBe(201);
    const docs = Array.from({ length: DOCS }, (_, i) => ({
      _id: idOf(i + 1),
      name: `Ticket ${i + 1}`,
      status: 'open',
      priority: 1,
      notes: 'call back',
    }));
    docs.push({ _id: '_design/rules', validate_doc_update: VALIDATE } as never);
    const bulk = await fetch(`${server.url}/tickets/_bulk_docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ docs }),
    });
    expect(bulk.status).toBe(201);
    desk = startRealDesk();
    connectionId = await saveConnection(desk.api, {
      name: 'pouchdb',
      profileId: COUCHDB_DOCUMENT.id,
      baseUrl: server.url,
      params: { database: 'tickets' },
      auth: { kind: 'none' },
    });
  });
  afterAll(async () => {
    await desk?.close();
    await server?.stop();
  });

  it('lists every document once, paging by key (startkey)', async () => {
    const { ids, pages } = await listAll(desk.api, connectionId, 10);
    expect(pages).toBe(3);
    expect(ids).toEqual(
      ['_design/rules', ...Array.from({ length: DOCS }, (_, i) => idOf(i + 1))].sort(),
    );
  });

  it('a document deleted while the operator pages through the list moves no other document out of it', async () => {
    const first = await desk.api.listResources({ connectionId, pageSize: 10 });
    if (first.kind !== 'ok') throw new Error(first.message);
    // A colleague deletes a document the first page showed, and adds one further on.
    const gone = first.items[3]!.id;
    const current = await json(await fetch(url(gone)));
    expect(
      (await fetch(`${url(gone)}?rev=${current['_rev'] as string}`, { method: 'DELETE' })).status,
    ).toBe(200);
    expect(
      (
        await fetch(url('ticket-99'), {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Added meanwhile' }),
        })
      ).status,
    ).toBe(201);
    const ids = first.items.map((item) => item.id);
    let pageToken = first.nextPageToken;
    while (pageToken) {
      const page = await desk.api.listResources({ connectionId, pageSize: 10, pageToken });
      if (page.kind !== 'ok') throw new Error(page.message);
      ids.push(...page.items.map((item) => item.id));
      pageToken = page.nextPageToken;
    }
    // Every document that stayed is listed once (skip offsets shifted by one and lost the 11th).
    const all = [
      '_design/rules',
      ...Array.from({ length: DOCS }, (_, i) => idOf(i + 1)),
      'ticket-99',
    ];
    expect([...new Set(ids)].length).toBe(ids.length);
    for (const id of all.filter((id) => id !== gone)) expect(ids).toContain(id);
    // Put back as it was for the tests after this one.
    const { _rev: _deletedRev, ...restored } = current;
    await fetch(url(gone), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(restored),
    });
    const added = await json(await fetch(url('ticket-99')));
    await fetch(`${url('ticket-99')}?rev=${added['_rev'] as string}`, { method: 'DELETE' });
  });

  it('opens, saves (revision from the write’s acknowledgement), conflicts on 409, resolves and resubmits', async () => {
    const report = await roundTrip(desk.api, connectionId, idOf(12), direct, {
      conflictStatus: 409,
      managedOf: (doc) => ({ _id: doc['_id'], _rev: doc['_rev'] }),
    });
    const audit = await desk.api.auditLog({ ref: { connectionId, id: idOf(12) } });
    // Each saved write's revision is the one its own answer named ({ok, id, rev}).
    const saved = audit.entries.filter((e) => e.outcome === 'saved');
    expect(saved).toHaveLength(2);
    expect(saved.every((e) => /^\d+-[0-9a-f]+$/.test(e.toRevision ?? ''))).toBe(true);
    console.log('couchdb round trip', report);
  });

  it('a second save goes straight on from the first (the acknowledgement is never journalled as the document)', async () => {
    const ref = { connectionId, id: idOf(3) };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const first = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), priority: 2 }),
      baseJournalId: opened.snapshot.journalId,
    });
    if (first.kind !== 'saved') throw new Error(JSON.stringify(first));
    expect(first.proof).toBe('answer-revision-and-re-read');
    // The journal holds the document the re-read returned, not the acknowledgement.
    const journalled = await desk.api.revision({
      ref,
      journalId: first.snapshot.journalId,
      raw: true,
    });
    if (journalled.kind !== 'ok') throw new Error(journalled.message);
    expect(JSON.parse(journalled.snapshot.raw!)).toMatchObject({ _id: idOf(3), priority: 2 });
    const second = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(first.snapshot.text) as Doc), priority: 4 }),
      baseJournalId: first.snapshot.journalId,
    });
    expect(second).toMatchObject({ kind: 'saved' });
    expect((await direct.read(idOf(3)))['priority']).toBe(4);
  });

  it('a save CouchDB keeps only as a losing conflicting revision is not reported saved', async () => {
    // Replication brings in another branch of the document with a longer history while the
    // operator edits. CouchDB still accepts the write on the operator's revision (a leaf), but the
    // document everyone reads is the other branch's: the edit sits in `_conflicts`, unseen. Before,
    // this read "Saved … someone else has changed it since", as if the edit had been the document.
    // (A database of its own: pouchdb-server silently drops a replicated revision in a database
    // with a validate_doc_update function.)
    const db = `${server.url}/replicas`;
    expect((await fetch(db, { method: 'PUT' })).status).toBe(201);
    const put = async (doc: Doc) =>
      json(
        await fetch(`${db}/doc-1`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(doc),
        }),
      );
    const ancestor = (await put({ name: 'Doc 1', notes: 'call back' }))['rev'] as string;
    await put({ name: 'Doc 1', notes: 'call back', priority: 2, _rev: ancestor });
    const replicas = await saveConnection(desk.api, {
      name: 'pouchdb replicas',
      profileId: COUCHDB_DOCUMENT.id,
      baseUrl: server.url,
      params: { database: 'replicas' },
      auth: { kind: 'none' },
    });
    const ref = { connectionId: replicas, id: 'doc-1' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    // The other branch grows from the revision before the one the operator opened.
    const replicated = await fetch(`${db}/_bulk_docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        new_edits: false,
        docs: [
          {
            _id: 'doc-1',
            name: 'Doc 1',
            notes: 'call back',
            status: 'replicated',
            _rev: '4-cccc',
            _revisions: { start: 4, ids: ['cccc', 'bbbb', 'aaaa', ancestor.split('-')[1]] },
          },
        ],
      }),
    });
    expect(replicated.status).toBe(201);
    const sent = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), notes: 'mine' }),
      baseJournalId: opened.snapshot.journalId,
    });
    const conflicted = await json(await fetch(`${db}/doc-1?conflicts=true`));
    expect(conflicted).toMatchObject({ _rev: '4-cccc', notes: 'call back' });
    const losing = (conflicted['_conflicts'] as string[])[0]!;
    expect(losing).toMatch(/^3-/);
    expect(sent).toMatchObject({
      kind: 'partly-applied',
      savedRevision: losing,
      missing: [{ path: '/notes', wanted: '"mine"', found: '"call back"' }],
      message: expect.stringContaining('conflicting revision'),
    });
    const audit = await desk.api.auditLog({ ref });
    expect(audit.entries.find((e) => e.id === (sent as { auditId: number }).auditId)).toMatchObject(
      {
        outcome: expect.stringContaining(`losing conflicting revision ${losing}`),
      },
    );
    // The conflict is shown read-only, never written back.
    const reopened = await desk.api.openResource({ ref });
    if (reopened.kind !== 'ok') throw new Error(reopened.message);
    expect(reopened.snapshot.text).not.toContain('_conflicts');
    expect(reopened.snapshot.serverManaged).toContain(losing);
  });

  it('a top-level member starting with "_" that CouchDB keeps for itself is refused before sending, naming it', async () => {
    // CouchDB refuses `_foo` ("Bad special document member"); pouchdb-server fails with a 500,
    // which left the save an unknown outcome to settle by hand.
    const ref = { connectionId, id: idOf(9) };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const before = (await desk.api.activity({})).entries.length;
    const sent = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), _owner: 'ada' }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(sent).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('"_owner"'),
    });
    expect((await desk.api.activity({})).entries.length).toBe(before);
    // A member inside the document may start with "_".
    const nested = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), meta: { _owner: 'ada' } }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(nested).toMatchObject({ kind: 'saved' });
  });

  it('a `_rev` typed into the edit is refused before sending: it never replaces the revision opened', async () => {
    // The revision travels from what was opened. Were a typed `_rev` written instead, a copy of
    // the server's current document pasted into a stale tab would overwrite a colleague's change
    // with no conflict shown.
    const ref = { connectionId, id: idOf(5) };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    await direct.replace(idOf(5), { ...(await direct.read(idOf(5))), status: 'colleague' });
    const current = await direct.revision(idOf(5));
    const sent = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), priority: 9, _rev: current }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(sent).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('"_rev"'),
    });
    expect(await direct.read(idOf(5))).toMatchObject({
      status: 'colleague',
      priority: 1,
      _rev: current,
    });
    // `_id` alike: it names the document, which the URL already does.
    const renamed = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), _id: 'elsewhere' }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(renamed).toMatchObject({ kind: 'error', reason: 'invalid-input' });
    expect((await fetch(url('elsewhere'))).status).toBe(404);
    // `_deleted: true` would make the save a deletion (then "reading it back failed").
    const deleting = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), _deleted: true }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(deleting).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('"_deleted"'),
    });
    expect((await fetch(url(idOf(5)))).status).toBe(200);
  });

  it('an id naming a database endpoint (_security, _all_docs, _revs_limit) is refused before any request', async () => {
    // CouchDB keeps ids that start with "_" for itself: `_security` is the database's access list,
    // which an unconditional "save" of a document by that name would replace.
    for (const id of ['_security', '_all_docs', '_revs_limit', '_changes', '_']) {
      const before = (await desk.api.activity({})).entries.length;
      const opened = await desk.api.openResource({ ref: { connectionId, id } });
      expect(opened, id).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
        message: expect.stringContaining('reserved'),
      });
      expect((await desk.api.activity({})).entries.length, id).toBe(before);
    }
    // Design and local documents are documents.
    await expect(open(desk.api, connectionId, '_design/rules')).resolves.toMatchObject({
      guarded: true,
    });
  });

  it('shows the server’s words for a 404 and a 403', async () => {
    const missing = await desk.api.openResource({ ref: { connectionId, id: 'no-such-ticket' } });
    expect(missing).toMatchObject({
      kind: 'error',
      reason: 'not-found',
      status: 404,
      message: expect.stringContaining('“missing”'),
    });
    const ref = { connectionId, id: idOf(20) };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const refused = await desk.api.saveResource({
      ref,
      text: textOf({ ...(JSON.parse(opened.snapshot.text) as Doc), locked: true }),
      baseJournalId: opened.snapshot.journalId,
    });
    expect(refused).toMatchObject({
      kind: 'error',
      reason: 'rejected',
      status: 403,
      message: expect.stringContaining('“This ticket is locked by the records team.”'),
    });
  });

  it('a document whose id holds the connection’s key is left out, and no page token or activity URL hands the key on', async () => {
    const key = 'key-SECRET-c0ffee42';
    expect((await fetch(`${server.url}/accounts`, { method: 'PUT' })).status).toBe(201);
    const ids = ['acct-1', 'acct-2', `acct-3-${key}`, 'acct-4'];
    const bulk = await fetch(`${server.url}/accounts/_bulk_docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ docs: ids.map((_id) => ({ _id, name: 'Account' })) }),
    });
    expect(bulk.status).toBe(201);
    // pouchdb-server takes the header and ignores it: the database is listed as it is.
    const keyed = await saveConnection(desk.api, {
      name: 'pouchdb accounts',
      profileId: COUCHDB_DOCUMENT.id,
      baseUrl: server.url,
      params: { database: 'accounts' },
      auth: { kind: 'api-key-header', header: 'X-Tenant-Key', key },
    });
    const before = (await desk.api.activity({})).entries.length;
    const answers: unknown[] = [];
    const listed: string[] = [];
    let pageToken: string | undefined;
    do {
      // Two a page: the second page starts at the key of the document left out.
      const page = await desk.api.listResources({
        connectionId: keyed,
        pageSize: 2,
        ...(pageToken ? { pageToken } : {}),
      });
      answers.push(page);
      if (page.kind !== 'ok') throw new Error(page.message);
      listed.push(...page.items.map((item) => item.id));
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken && answers.length < 10);
    expect(listed).toEqual(['acct-1', 'acct-2', 'acct-4']);
    const counted = await desk.api.countMatching({ connectionId: keyed });
    expect(counted).toMatchObject({ kind: 'ok', count: 3 });
    answers.push(counted, (await desk.api.activity({})).entries.slice(before));
    expect(JSON.stringify(answers)).not.toContain(key);
  });
});
