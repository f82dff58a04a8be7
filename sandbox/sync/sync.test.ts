// Sync over the official SDK and raw HTTP: revisions, If-Match placement, 412 codes, 409s.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../index';
import { SANDBOX_IDS } from '../index';
import { admin, sdkClient, start, twilioCall } from '../test-support';

let sb: RunningSandbox;
let client: ReturnType<typeof sdkClient>;
const SVC = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}`;

beforeAll(async () => {
  sb = await start();
  client = sdkClient(sb);
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset', { seed: 'demo' });
});

const service = () => client.sync.v1.services(SANDBOX_IDS.syncServiceSid);
const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe('documents', () => {
  it('fetches by SID and by unique name with revision == ETag, data as an object', async () => {
    const bySid = await service().documents(SANDBOX_IDS.documentSid).fetchWithHttpInfo();
    const byName = await service().documents(SANDBOX_IDS.documentUniqueName).fetchWithHttpInfo();
    expect(bySid.body.sid).toBe(SANDBOX_IDS.documentSid);
    expect(byName.body.sid).toBe(SANDBOX_IDS.documentSid);
    expect(bySid.body.revision).toBe('0');
    expect(bySid.headers.etag).toBe('0');
    expect(bySid.body.data).toMatchObject({ theme: 'dark' });
    expect(bySid.body.createdBy).toBe('system');
  });

  it('updates with ifMatch (hex revisions) and rejects a stale one with 412 / 54103', async () => {
    const doc = service().documents(SANDBOX_IDS.documentUniqueName);
    let revision = (await doc.fetch()).revision;
    for (let i = 0; i < 11; i++) {
      const res = await doc.updateWithHttpInfo({ data: { counter: i }, ifMatch: revision });
      expect(res.headers.etag).toBe(res.body.revision);
      revision = res.body.revision;
    }
    expect(revision).toBe('b');
    const stale = await errorOf(doc.update({ data: { counter: -1 }, ifMatch: 'a' }));
    expect(stale).toMatchObject({ status: 412, code: 54103 });
    expect((await doc.fetch()).data).toEqual({ counter: 10 });
  });

  it('creates with a unique name, refuses a duplicate with 409 / 54301, deletes ignoring If-Match', async () => {
    const created = await service().documents.createWithHttpInfo({
      uniqueName: 'new-doc',
      data: { a: 1 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers.etag).toBe('0');
    expect(await errorOf(service().documents.create({ uniqueName: 'new-doc' }))).toMatchObject({
      status: 409,
      code: 54301,
    });
    const del = await twilioCall(sb, 'DELETE', `${SVC}/Documents/new-doc`, {
      headers: { 'if-match': 'ff' },
    });
    expect(del.status).toBe(204);
    expect(await errorOf(service().documents('new-doc').fetch())).toMatchObject({
      status: 404,
      code: 54100,
    });
  });

  it('validates Data and requires a parameter on update', async () => {
    expect(
      (
        await twilioCall(sb, 'POST', `${SVC}/Documents/agent-settings`, { form: { Data: '{bad' } })
      ).json(),
    ).toMatchObject({ status: 400, code: 54008 });
    expect(
      (await twilioCall(sb, 'POST', `${SVC}/Documents/agent-settings`, { form: {} })).json(),
    ).toMatchObject({ status: 400, code: 54010 });
    const big = JSON.stringify({ x: 'y'.repeat(17 * 1024) });
    expect(
      (
        await twilioCall(sb, 'POST', `${SVC}/Documents/agent-settings`, { form: { Data: big } })
      ).json(),
    ).toMatchObject({ status: 413, code: 54006 });
  });

  it('keeps Data whose fields read like a response (status, body, headers) as data', async () => {
    const data = { status: 200, body: 'a note', headers: { from: 'crm' } };
    const created = await twilioCall(sb, 'POST', `${SVC}/Documents`, {
      form: { UniqueName: 'shaped', Data: JSON.stringify(data) },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ unique_name: 'shaped', data });
    const updated = await twilioCall(sb, 'POST', `${SVC}/Documents/shaped`, {
      form: { Data: JSON.stringify({ ...data, status: 410 }) },
    });
    expect(updated.status).toBe(200);
    expect((await service().documents('shaped').fetch()).data).toEqual({ ...data, status: 410 });
    const item = await twilioCall(sb, 'POST', `${SVC}/Maps/${SANDBOX_IDS.mapUniqueName}/Items`, {
      form: { Key: 'shaped', Data: JSON.stringify(data) },
    });
    expect(item.status).toBe(201);
    expect(item.json()).toMatchObject({ key: 'shaped', data });
  });

  it('can switch the Sync 412 code to 20412', async () => {
    await admin(sb, 'PATCH', '/switches', { twilio: { syncPreconditionCode: '20412' } });
    expect(
      await errorOf(
        service().documents(SANDBOX_IDS.documentSid).update({ data: {}, ifMatch: '9' }),
      ),
    ).toMatchObject({ status: 412, code: 20412 });
  });
});

describe('list items', () => {
  it('share the list revision counter; update/remove honour ifMatch with 54155', async () => {
    const list = service().syncLists(SANDBOX_IDS.listUniqueName);
    const items = await list.syncListItems.list();
    expect(items.map((i) => i.index)).toEqual([0, 1, 2, 3, 4]);
    expect(items.map((i) => i.revision)).toEqual(['1', '2', '3', '4', '5']);

    const created = await list.syncListItems.create({ data: { customer: 'New' } });
    expect(created.index).toBe(5);
    expect(created.revision).toBe('6');
    const updated = await list
      .syncListItems(2)
      .updateWithHttpInfo({ data: { customer: 'Changed' }, ifMatch: '3' });
    expect(updated.headers.etag).toBe('7');
    expect((await list.fetch()).revision).toBe('7');

    expect(await errorOf(list.syncListItems(2).update({ data: {}, ifMatch: '3' }))).toMatchObject({
      status: 412,
      code: 54155,
    });
    expect(await errorOf(list.syncListItems(2).remove({ ifMatch: '3' }))).toMatchObject({
      status: 412,
      code: 54155,
    });
    expect(await list.syncListItems(2).remove({ ifMatch: '7' })).toBe(true);
    expect(await errorOf(list.syncListItems(2).fetch())).toMatchObject({
      status: 404,
      code: 54151,
    });
    const desc = await list.syncListItems.list({ order: 'desc', from: '3', bounds: 'inclusive' });
    expect(desc.map((i) => i.index)).toEqual([3, 1, 0]);
  });
});

describe('map items', () => {
  it('update/remove with ifMatch (54205), duplicate key 409 / 54208, keys by name', async () => {
    const map = service().syncMaps(SANDBOX_IDS.mapUniqueName);
    const alice = await map.syncMapItems(SANDBOX_IDS.mapItemKey).fetchWithHttpInfo();
    expect(alice.headers.etag).toBe(alice.body.revision);
    const next = await map
      .syncMapItems('alice')
      .update({ data: { ...alice.body.data, status: 'busy' }, ifMatch: alice.body.revision });
    expect(next.data).toMatchObject({ status: 'busy' });
    expect(parseInt(next.revision, 16)).toBe(5);
    expect(
      await errorOf(map.syncMapItems('alice').update({ data: {}, ifMatch: alice.body.revision })),
    ).toMatchObject({ status: 412, code: 54205 });
    expect(await errorOf(map.syncMapItems.create({ key: 'alice', data: {} }))).toMatchObject({
      status: 409,
      code: 54208,
    });
    const created = await map.syncMapItems.create({ key: 'eve smith', data: { status: 'new' } });
    expect(created.key).toBe('eve smith');
    expect((await map.syncMapItems('eve smith').fetch()).data).toEqual({ status: 'new' });
    expect(await errorOf(map.syncMapItems('nobody').fetch())).toMatchObject({
      status: 404,
      code: 54201,
    });
    expect(await map.syncMapItems('bob').remove({ ifMatch: '2' })).toBe(true);
  });

  it('refuses CollectionTtl alone on an item update (OAI: only with Data or Ttl), leaving the revision', async () => {
    const path = `${SVC}/Maps/agent-status/Items/alice`;
    const before = await twilioCall(sb, 'GET', path);
    const res = await twilioCall(sb, 'POST', path, { form: { CollectionTtl: '3600' } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ status: 400, code: 54010 });
    const after = await twilioCall(sb, 'GET', path);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    const map = await twilioCall(sb, 'GET', `${SVC}/Maps/agent-status`);
    expect(map.json()).toMatchObject({ date_expires: null });
    const withData = await twilioCall(sb, 'POST', path, {
      form: { Data: '{"status":"away"}', CollectionTtl: '3600' },
    });
    expect(withData.status).toBe(200);
  });

  it('creates a list or map with CollectionTtl winning over its alias Ttl (SDK: "If both are provided, this value is ignored")', async () => {
    for (const segment of ['Lists', 'Maps']) {
      const t0 = Date.now();
      const res = await twilioCall(sb, 'POST', `${SVC}/${segment}`, {
        form: { UniqueName: `ttl-${segment}`, Ttl: '100000', CollectionTtl: '60' },
      });
      expect(res.status, segment).toBe(201);
      const expires = Date.parse(res.json<{ date_expires: string }>().date_expires);
      expect(expires - t0, segment).toBeLessThan(120_000);
      expect(expires - t0, segment).toBeGreaterThan(55_000);
      // Ttl alone still works.
      const alias = await twilioCall(sb, 'POST', `${SVC}/${segment}`, {
        form: { UniqueName: `ttl-alias-${segment}`, Ttl: '60' },
      });
      expect(alias.json<{ date_expires: string | null }>().date_expires, segment).not.toBeNull();
    }
  });

  it('refuses a bad PageToken with 54453 and a bad PageSize with 54454 (reference §2 error table)', async () => {
    const items = `${SVC}/Maps/agent-status/Items`;
    const token = await twilioCall(sb, 'GET', `${items}?PageToken=garbage`);
    expect(token.status).toBe(400);
    expect(token.json()).toMatchObject({ status: 400, code: 54453 });
    const size = await twilioCall(sb, 'GET', `${items}?PageSize=0`);
    expect(size.status).toBe(400);
    expect(size.json()).toMatchObject({ status: 400, code: 54454 });
    const docs = await twilioCall(sb, 'GET', `${SVC}/Documents?PageToken=garbage`);
    expect(docs.json()).toMatchObject({ status: 400, code: 54453 });
  });

  it('answers 428 for unconditional writes when required', async () => {
    await admin(sb, 'PATCH', '/switches', { requirePrecondition: { sync: true } });
    const res = await twilioCall(sb, 'POST', `${SVC}/Maps/agent-status/Items/alice`, {
      form: { Data: '{}' },
    });
    expect(res.status).toBe(428);
  });
});
