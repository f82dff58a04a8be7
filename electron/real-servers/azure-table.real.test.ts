// Azurite's Table service (the Azure Storage emulator, npm) with the built-in "Azure Table ·
// Entities" profile, authenticated by an account SAS carried as a query-string credential.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_TABLE_ENTITY } from '../../shared/profiles/built-in';
import type { ProfileSpec } from '../../shared/profiles/spec';
import {
  docOf,
  expectSaved,
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
import {
  AZURITE_ACCOUNT,
  AZURITE_SAS,
  startAzuriteTable,
  type RealServer,
} from '../test-support/real-servers';

const ENTITIES = 27;
const rowOf = (n: number) => `ticket-${String(n).padStart(2, '0')}`;
const partitionOf = (n: number) => (n % 2 === 0 ? 'even' : 'odd');
const NOMETA = { accept: 'application/json;odata=nometadata', 'content-type': 'application/json' };
const SIG = decodeURIComponent(/sig=([^&]+)/.exec(AZURITE_SAS)![1]!);

describe('Azurite Table, built-in Azure Table profile', () => {
  let server: RealServer;
  let desk: RealDesk;
  let connectionId: string;
  const base = () => `${server.url}/${AZURITE_ACCOUNT}`;
  const key = (v: string) => encodeURIComponent(v.replace(/'/g, "''")).replace(/'/g, '%27');
  const entityUrl = (id: string) => {
    const [pk, rk] = id.split(',').map(decodeURIComponent) as [string, string];
    return `${base()}/tickets(PartitionKey='${key(pk)}',RowKey='${key(rk)}')?${AZURITE_SAS}`;
  };

  const direct: ServerSide = {
    async revision(id) {
      return (await fetch(entityUrl(id), { headers: NOMETA })).headers.get('etag')!;
    },
    async read(id) {
      return (await (await fetch(entityUrl(id), { headers: NOMETA })).json()) as Doc;
    },
    async replace(id, doc) {
      const [PartitionKey, RowKey] = id.split(',').map(decodeURIComponent);
      const res = await fetch(entityUrl(id), {
        method: 'PUT',
        headers: NOMETA,
        body: JSON.stringify({ ...doc, PartitionKey, RowKey }),
      });
      expect(res.status).toBe(204);
    },
  };

  beforeAll(async () => {
    server = await startAzuriteTable();
    const created = await fetch(`${base()}/Tables?${AZURITE_SAS}`, {
      method: 'POST',
      headers: NOMETA,
      body: JSON.stringify({ TableName: 'tickets' }),
    });
    expect(created.status).toBe(201);
    const rows = [
      ...Array.from({ length: ENTITIES }, (_, i) => ({
        PartitionKey: partitionOf(i + 1),
        RowKey: rowOf(i + 1),
      })),
      { PartitionKey: 'odd', RowKey: "o'brien, pat" },
    ];
    for (const row of rows) {
      const res = await fetch(`${base()}/tickets?${AZURITE_SAS}`, {
        method: 'POST',
        headers: { ...NOMETA, prefer: 'return-no-content' },
        body: JSON.stringify({
          ...row,
          name: `Ticket ${row.RowKey}`,
          status: 'open',
          priority: 1,
          notes: 'call back',
        }),
      });
      expect(res.status).toBe(204);
    }
    desk = startRealDesk();
    connectionId = await saveConnection(desk.api, {
      name: 'azurite',
      profileId: AZURE_TABLE_ENTITY.id,
      baseUrl: base(),
      params: { table: 'tickets' },
      auth: { kind: 'query', query: AZURITE_SAS },
    });
  });
  afterAll(async () => {
    await desk?.close();
    await server?.stop();
  });

  it('lists every entity once across partitions, following the continuation headers', async () => {
    const { ids, pages } = await listAll(desk.api, connectionId, 10);
    const expected = [
      ...Array.from({ length: ENTITIES }, (_, i) => `${partitionOf(i + 1)},${rowOf(i + 1)}`),
      `odd,${encodeURIComponent("o'brien, pat")}`,
    ];
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expected.sort());
  });

  it('opens, MERGEs with If-Match (weak ETag sent as the server gave it), conflicts on 412, resolves and resubmits', async () => {
    const report = await roundTrip(desk.api, connectionId, `even,${rowOf(8)}`, direct, {
      conflictStatus: 412,
      managedOf: (doc) => ({
        PartitionKey: doc['PartitionKey'],
        RowKey: doc['RowKey'],
        Timestamp: doc['Timestamp'],
      }),
    });
    const writes = (await desk.api.activity({})).entries.filter((e) => e.method === 'MERGE');
    expect(writes.map((e) => e.status)).toEqual([204, 412, 204]);
    expect(writes.every((e) => e.ifMatch?.startsWith('W/"datetime'))).toBe(true);
    console.log('azure table round trip', report);
  });

  it('opens a composite key holding a quote and a comma, and shows server-managed fields read-only', async () => {
    const snapshot = await open(
      desk.api,
      connectionId,
      `odd,${encodeURIComponent("o'brien, pat")}`,
    );
    expect(docOf(snapshot)).toEqual({
      name: "Ticket o'brien, pat",
      status: 'open',
      priority: 1,
      notes: 'call back',
    });
    expect(JSON.parse(snapshot.serverManaged!)).toMatchObject({
      '/PartitionKey': 'odd',
      '/RowKey': "o'brien, pat",
      '/Timestamp': expect.any(String),
    });
  });

  it('a MERGE cannot delete a property: such a save is refused before anything is sent', async () => {
    const ref = { connectionId, id: `odd,${rowOf(3)}` };
    const opened = await open(desk.api, connectionId, ref.id);
    const before = (await desk.api.activity({})).entries.length;
    const { notes: _deleted, ...edit } = docOf(opened);
    const refused = await desk.api.saveResource({
      ref,
      text: textOf(edit),
      baseJournalId: opened.journalId,
    });
    expect(refused).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining(
        'MERGE sends only the fields you changed, so it cannot delete "notes"',
      ),
    });
    expect(
      (await desk.api.activity({})).entries.slice(before).filter((e) => e.method !== 'GET'),
    ).toEqual([]);
    expect(await direct.read(ref.id)).toHaveProperty('notes', 'call back');
  });

  it('a MERGE keeps the type of the properties it changes (Int64, DateTime, Guid are not turned into strings)', async () => {
    const typed = {
      PartitionKey: 'typed',
      RowKey: 'r1',
      count: '9007199254740993',
      'count@odata.type': 'Edm.Int64',
      due: '2026-01-01T00:00:00Z',
      'due@odata.type': 'Edm.DateTime',
      owner: 'c9da6455-213d-42c9-9a79-3e9149a57833',
      'owner@odata.type': 'Edm.Guid',
      status: 'open',
    };
    const created = await fetch(`${base()}/tickets?${AZURITE_SAS}`, {
      method: 'POST',
      headers: { ...NOMETA, prefer: 'return-no-content' },
      body: JSON.stringify(typed),
    });
    expect(created.status).toBe(204);
    const ref = { connectionId, id: 'typed,r1' };
    const opened = await open(desk.api, connectionId, ref.id);
    const saved = await desk.api.saveResource({
      ref,
      text: textOf({
        ...docOf(opened),
        count: '9007199254740995',
        due: '2026-02-01T00:00:00Z',
        owner: 'c9da6455-213d-42c9-9a79-3e9149a57834',
        status: 'closed',
      }),
      baseJournalId: opened.journalId,
    });
    expectSaved(saved);
    const stored = (await (
      await fetch(entityUrl(ref.id), {
        headers: { accept: 'application/json;odata=minimalmetadata' },
      })
    ).json()) as Doc;
    expect(stored).toMatchObject({
      count: '9007199254740995',
      'count@odata.type': 'Edm.Int64',
      due: '2026-02-01T00:00:00Z',
      'due@odata.type': 'Edm.DateTime',
      owner: 'c9da6455-213d-42c9-9a79-3e9149a57834',
      'owner@odata.type': 'Edm.Guid',
      status: 'closed',
    });
  });

  it('a MERGE keeps a Double a Double when the new value is a whole number (2, not Int32 2)', async () => {
    // Azure sends an Edm.Double as a JSON number with a fraction (1.5, 2.0) and no annotation; a
    // whole number sent back without one is stored as Edm.Int32: "saved", with another type.
    const created = await fetch(`${base()}/tickets?${AZURITE_SAS}`, {
      method: 'POST',
      headers: { ...NOMETA, prefer: 'return-no-content' },
      body: JSON.stringify({
        PartitionKey: 'typed',
        RowKey: 'double',
        ratio: 1.5,
        weight: 2.0,
        'weight@odata.type': 'Edm.Double',
        count: 7,
      }),
    });
    expect(created.status).toBe(204);
    const ref = { connectionId, id: 'typed,double' };
    const opened = await open(desk.api, connectionId, ref.id);
    expect(opened.text).toContain('"weight": 2.0');
    const saved = await desk.api.saveResource({
      ref,
      text: opened.text
        .replace('"ratio": 1.5', '"ratio": 2')
        .replace('"weight": 2.0', '"weight": 3')
        .replace('"count": 7', '"count": 8'),
      baseJournalId: opened.journalId,
    });
    expectSaved(saved);
    const raw = await (
      await fetch(entityUrl(ref.id), { headers: { accept: 'application/json;odata=fullmetadata' } })
    ).text();
    // Azurite writes a Double with its fraction and an Int32 without one.
    expect(raw).toContain('"ratio":2.0');
    expect(raw).toContain('"weight":3.0');
    expect(raw).toContain('"count":8,');
  });

  it('a save without a precondition after someone deleted the entity is not reported saved: the MERGE made a new entity of the changed fields alone', async () => {
    // Without If-Match a MERGE is an upsert: on an entity deleted meanwhile it creates one holding
    // only the properties sent. Before, this was "Saved" (every changed field was there), while
    // every other property of the operator's document was gone.
    const created = await fetch(`${base()}/tickets?${AZURITE_SAS}`, {
      method: 'POST',
      headers: { ...NOMETA, prefer: 'return-no-content' },
      body: JSON.stringify({
        PartitionKey: 'gone',
        RowKey: 'r1',
        name: 'Ticket',
        status: 'open',
        priority: 1,
      }),
    });
    expect(created.status).toBe(204);
    const ref = { connectionId, id: 'gone,r1' };
    const opened = await open(desk.api, connectionId, ref.id);
    const deleted = await fetch(entityUrl(ref.id), {
      method: 'DELETE',
      headers: { ...NOMETA, 'if-match': '*' },
    });
    expect(deleted.status).toBe(204);
    const sent = await desk.api.saveResource({
      ref,
      text: textOf({ ...docOf(opened), name: 'Renamed' }),
      baseJournalId: opened.journalId,
      unconditional: true,
    });
    const stored = await direct.read(ref.id);
    expect(stored).toMatchObject({ name: 'Renamed' });
    expect(stored).not.toHaveProperty('status');
    expect(sent).toMatchObject({
      kind: 'partly-applied',
      missing: [
        { path: '/status', wanted: '"open"', found: null },
        { path: '/priority', wanted: '1', found: null },
      ],
    });
    const audit = await desk.api.auditLog({ ref });
    expect(audit.entries.find((e) => e.id === (sent as { auditId: number }).auditId)).toMatchObject(
      {
        outcome: 'partly applied: missing /status, /priority',
      },
    );
  });

  it('a value Azure cannot store (an object, an array, an Int64 as a number) is refused before sending, naming the property', async () => {
    // Azurite answers each of these with a bare 400 "An error occurred while processing this
    // request", which names neither the property nor the problem.
    const created = await fetch(`${base()}/tickets?${AZURITE_SAS}`, {
      method: 'POST',
      headers: { ...NOMETA, prefer: 'return-no-content' },
      body: JSON.stringify({
        PartitionKey: 'typed',
        RowKey: 'flat',
        name: 'Ticket',
        count: '9007199254740993',
        'count@odata.type': 'Edm.Int64',
      }),
    });
    expect(created.status).toBe(204);
    const ref = { connectionId, id: 'typed,flat' };
    const opened = await open(desk.api, connectionId, ref.id);
    const before = (await desk.api.activity({})).entries.length;
    const cases: Array<[Doc, string]> = [
      [{ customer: { name: 'Ada' } }, '"customer"'],
      [{ tags: ['a', 'b'] }, '"tags"'],
      [{ count: 12345 }, '"count"'],
    ];
    for (const [change, named] of cases) {
      const sent = await desk.api.saveResource({
        ref,
        text: textOf({ ...docOf(opened), ...change }),
        baseJournalId: opened.journalId,
      });
      expect(sent, named).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
        message: expect.stringContaining(named),
      });
    }
    expect((await desk.api.activity({})).entries.length).toBe(before);
  });

  it('an entity whose PartitionKey or RowKey is empty (legal in Azure) is listed under its own id, opened and saved', async () => {
    // Before, each was listed with the id "" (three entities, one id) and could not be opened.
    expect(
      (
        await fetch(`${base()}/Tables?${AZURITE_SAS}`, {
          method: 'POST',
          headers: NOMETA,
          body: JSON.stringify({ TableName: 'empties' }),
        })
      ).status,
    ).toBe(201);
    const keys: Array<[string, string]> = [
      ['', 'r1'],
      ['p1', ''],
      ['', ''],
    ];
    for (const [PartitionKey, RowKey] of keys) {
      const res = await fetch(`${base()}/empties?${AZURITE_SAS}`, {
        method: 'POST',
        headers: { ...NOMETA, prefer: 'return-no-content' },
        body: JSON.stringify({ PartitionKey, RowKey, name: 'Ticket' }),
      });
      expect(res.status).toBe(204);
    }
    const empties = await saveConnection(desk.api, {
      name: 'azurite empties',
      profileId: AZURE_TABLE_ENTITY.id,
      baseUrl: base(),
      params: { table: 'empties' },
      auth: { kind: 'query', query: AZURITE_SAS },
    });
    const { ids } = await listAll(desk.api, empties, 10);
    expect([...ids].sort()).toEqual([',', ',r1', 'p1,']);
    for (const id of ids) {
      const opened = await open(desk.api, empties, id);
      expectSaved(
        await desk.api.saveResource({
          ref: { connectionId: empties, id },
          text: textOf({ ...docOf(opened), name: `Saved ${id}` }),
          baseJournalId: opened.journalId,
        }),
      );
    }
    const stored = (await (
      await fetch(`${base()}/empties()?${AZURITE_SAS}`, { headers: NOMETA })
    ).json()) as { value: Doc[] };
    expect(stored.value.map((e) => [e['PartitionKey'], e['RowKey'], e['name']]).sort()).toEqual([
      ['', '', 'Saved ,'],
      ['', 'r1', 'Saved ,r1'],
      ['p1', '', 'Saved p1,'],
    ]);
  });

  it('a PUT profile with minimal metadata never writes server-managed fields back', async () => {
    const replacing: ProfileSpec = {
      ...AZURE_TABLE_ENTITY,
      id: 'azure-table-put',
      headers: { accept: 'application/json;odata=minimalmetadata' },
      write: { ...AZURE_TABLE_ENTITY.write, method: 'PUT', encoding: 'json' },
    };
    const id = await saveConnection(desk.api, {
      name: 'azurite put',
      profileId: replacing.id,
      customProfile: replacing,
      baseUrl: base(),
      params: { table: 'tickets' },
      auth: { kind: 'query', query: AZURITE_SAS },
    });
    const ref = { connectionId: id, id: `odd,${rowOf(5)}` };
    const opened = await open(desk.api, id, ref.id);
    expect(JSON.parse(opened.raw!)).toHaveProperty(['odata.etag']);
    const { notes: _deleted, ...edit } = docOf(opened);
    const saved = await desk.api.saveResource({
      ref,
      text: textOf({ ...edit, status: 'closed' }),
      baseJournalId: opened.journalId,
    });
    expectSaved(saved);
    const stored = await direct.read(ref.id);
    expect(Object.keys(stored).sort()).toEqual([
      'PartitionKey',
      'RowKey',
      'Timestamp',
      'name',
      'priority',
      'status',
    ]);
    expect(stored).toMatchObject({ status: 'closed', priority: 1 });
  });

  it('shows the server’s words for a 404 and a 403, and never the SAS', async () => {
    const missing = await desk.api.openResource({
      ref: { connectionId, id: 'odd,no-such-ticket' },
    });
    expect(missing).toMatchObject({
      kind: 'error',
      reason: 'not-found',
      status: 404,
      message: expect.stringContaining('The specified resource does not exist.'),
    });
    const badSas = AZURITE_SAS.replace(
      /sig=[^&]+/,
      'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%3D',
    );
    const wrong = await saveConnection(desk.api, {
      name: 'azurite bad sas',
      profileId: AZURE_TABLE_ENTITY.id,
      baseUrl: base(),
      params: { table: 'tickets' },
      auth: { kind: 'query', query: badSas },
    });
    const refused = await desk.api.listResources({ connectionId: wrong });
    expect(refused).toMatchObject({
      kind: 'error',
      status: 403,
      message: expect.stringMatching(
        /The server says: “.*(authenticat|signature|Server failed).*”/i,
      ),
    });
    const leaked = JSON.stringify([
      refused,
      await desk.api.activity({}),
      await desk.api.listConnections({}),
    ]);
    expect(leaked).not.toContain(SIG);
    expect(leaked).not.toContain(encodeURIComponent(SIG));
    expect(leaked).not.toContain('AAAAAAAAAAAAAAAAAAAA');
    // Encrypted at rest: the store files never hold the SAS signature in clear text.
    for (const file of readdirSync(desk.dataDir)) {
      const bytes = readFileSync(path.join(desk.dataDir, file));
      expect(bytes.includes(SIG), file).toBe(false);
      expect(bytes.includes(encodeURIComponent(SIG)), file).toBe(false);
    }
  });
});
