// Body-version family: version in the JSON body, 409 with an ErrorBody on a stale one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../index';
import { SANDBOX_IDS } from '../index';
import { admin, call, genesysAuth, start } from '../test-support';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset', { seed: 'demo' });
});

const g = (method: string, path: string, json?: unknown) =>
  call(sb, method, `/genesys/api/v2${path}`, {
    headers: { authorization: genesysAuth() },
    ...(json === undefined ? {} : { json }),
  });
const USER = `/users/${SANDBOX_IDS.genesysUserId}`;
const ATTRS = `/conversations/${SANDBOX_IDS.genesysConversationId}/participants/${SANDBOX_IDS.genesysParticipantId}/attributes`;

describe('genesys users', () => {
  it('requires the bearer token', async () => {
    const res = await call(sb, 'GET', `/genesys/api/v2${USER}`);
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ status: 401, code: 'bad.credentials' });
  });

  it('lists users with the entities envelope', async () => {
    const body = (await g('GET', '/users?pageNumber=2&pageSize=5')).json<
      Record<string, unknown> & { entities: Array<{ id: string; version: number }> }
    >();
    expect(body).toMatchObject({
      pageNumber: 2,
      pageSize: 5,
      total: 12,
      pageCount: 3,
      nextUri: '/api/v2/users?pageSize=5&pageNumber=3',
    });
    expect(body.entities.map((e) => e.id)).toEqual(SANDBOX_IDS.genesysUserIds.slice(5, 10));
    expect(body.entities[0]?.version).toBe(1);
  });

  it('PATCH with the current version bumps it; a stale version gets 409 with the Genesys message', async () => {
    const user = (await g('GET', USER)).json<{ version: number; title: string }>();
    const ok = await g('PATCH', USER, { title: 'Team Lead', version: user.version });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ title: 'Team Lead', version: user.version + 1 });
    const stale = await g('PATCH', USER, { title: 'Agent', version: user.version });
    expect(stale.status).toBe(409);
    const body = stale.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      message:
        'The version number of the modified resource must match the version number in the database.',
      code: 'general.conflict',
      status: 409,
      entityId: SANDBOX_IDS.genesysUserId,
    });
    expect(body.contextId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await g('GET', USER)).json()).toMatchObject({ title: 'Team Lead', version: 2 });
  });

  it('missing version → 400 (428 when required); unknown fields → 400; unknown user → 404', async () => {
    expect((await g('PATCH', USER, { title: 'x' })).status).toBe(400);
    expect((await g('PATCH', USER, { title: 'x', version: '1' })).status).toBe(400);
    expect((await g('PATCH', USER, { salary: 1, version: 1 })).status).toBe(400);
    expect(
      (await g('PATCH', '/users/00000000-0000-4000-a000-000000000000', { version: 1 })).status,
    ).toBe(404);
    await admin(sb, 'PATCH', '/switches', {
      requirePrecondition: { genesys: true },
      genesys: { conflictCode: 'conflict.version' },
    });
    expect((await g('PATCH', USER, { title: 'x' })).status).toBe(428);
    expect((await g('PATCH', USER, { title: 'x', version: 0 })).json()).toMatchObject({
      status: 409,
      code: 'conflict.version',
    });
  });
});

describe('participant attributes (reference §5: PATCH, merged, no version — last writer wins)', () => {
  it('PATCH merges the attributes with no version, answers without a body, and never conflicts', async () => {
    const before = (await g('GET', ATTRS)).json<Record<string, unknown>>();
    expect(before).toMatchObject({ attributes: { customerTier: 'gold' } });
    // The real resource has no version: the sandbox must not show one a client could rely on.
    expect(before).not.toHaveProperty('version');
    const first = await g('PATCH', ATTRS, { attributes: { customerTier: 'platinum' } });
    expect(first.status).toBe(202);
    expect(first.text).toBe('');
    // A second writer working from the same read is not refused: participant edits are LWW.
    const second = await g('PATCH', ATTRS, { attributes: { intent: 'upgrade' } });
    expect(second.status).toBe(202);
    expect((await g('GET', ATTRS)).json()).toMatchObject({
      attributes: { customerTier: 'platinum', intent: 'upgrade', accountId: 'ACCT-10001' },
    });
    // Values are strings (map<string,string>).
    expect((await g('PATCH', ATTRS, { attributes: { n: 1 } })).status).toBe(400);
  });

  it('has no versioned PUT (the real API has none): 405', async () => {
    const res = await g('PUT', ATTRS, { version: 1, attributes: { customerTier: 'platinum' } });
    expect(res.status).toBe(405);
  });
});

describe('conversation secure attributes (reference §5: PUT with a body version → 409)', () => {
  const SECURE = `/conversations/${SANDBOX_IDS.genesysConversationId}/secureattributes`;

  it('PUT with the current version replaces the attributes; a stale one → 409 ErrorBody; none → 400', async () => {
    const current = (await g('GET', SECURE)).json<{
      version: number;
      attributes: Record<string, unknown>;
    }>();
    expect(current.version).toBe(1);
    expect(current.attributes).toMatchObject({ paymentToken: expect.any(String) });
    const ok = await g('PUT', SECURE, {
      version: current.version,
      attributes: { paymentToken: 'tok-2' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ version: 2, attributes: { paymentToken: 'tok-2' } });
    const stale = await g('PUT', SECURE, { version: current.version, attributes: {} });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({
      status: 409,
      code: 'general.conflict',
      message:
        'The version number of the modified resource must match the version number in the database.',
    });
    expect((await g('PUT', SECURE, { attributes: {} })).status).toBe(400);
    expect((await g('GET', `/conversations/nope/secureattributes`)).status).toBe(404);
  });

  it('an admin edit bumps the version, so the holder of the old one conflicts', async () => {
    const path = `/genesys/api/v2${SECURE}`;
    const edited = await admin(sb, 'POST', '/edit', { path, patch: { note: 'x' } });
    expect(edited.status).toBe(200);
    expect(edited.json()).toMatchObject({ version: 2 });
    expect((await g('PUT', SECURE, { version: 1, attributes: {} })).status).toBe(409);
  });
});
