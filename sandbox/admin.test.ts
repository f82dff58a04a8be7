// The admin API: edit as someone else, history, faults, request log, switches, reset.
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from './index';
import { SANDBOX_IDS } from './index';
import { admin, call, genesysAuth, sdkClient, start, twilioCall } from './test-support';

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

const TASK = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
const DOC = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/${SANDBOX_IDS.documentUniqueName}`;
const MAP_ITEM = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Maps/${SANDBOX_IDS.mapUniqueName}/Items/alice`;

describe('overview and reset', () => {
  it('shows ids, credentials, counts and switches', async () => {
    const body = (await admin(sb, 'GET', '')).json<{
      ids: typeof SANDBOX_IDS;
      counts: Record<string, number>;
      seed: string;
    }>();
    expect(body.ids.workspaceSid).toBe(SANDBOX_IDS.workspaceSid);
    expect(body.seed).toBe('demo');
    expect(body.counts.task).toBe(200);
    expect(body.counts['genesys-user']).toBe(12);
  });

  it('reset with seed none empties everything; seed restores the demo deterministically', async () => {
    const before = (await twilioCall(sb, 'GET', TASK)).json();
    expect((await admin(sb, 'POST', '/reset', { seed: 'none' })).json()).toMatchObject({
      ok: true,
      seed: 'none',
      counts: {},
    });
    expect((await twilioCall(sb, 'GET', TASK)).status).toBe(404);
    expect((await admin(sb, 'POST', '/seed')).status).toBe(200);
    const after = (await twilioCall(sb, 'GET', TASK)).json<Record<string, unknown>>();
    expect({ ...after, age: 0 }).toEqual({ ...(before as Record<string, unknown>), age: 0 });
    expect((await admin(sb, 'POST', '/reset', { seed: 'other' })).status).toBe(400);
  });
});

describe('edit as someone else', () => {
  it('task: merge-patches the parsed attributes, bumps the version, and a stale SDK write gets 412', async () => {
    const edit = await admin(sb, 'POST', '/edit', {
      path: TASK,
      patch: { customer: { tier: 'platinum' }, notes: null },
      fields: { priority: 42 },
      actor: 'supervisor',
    });
    expect(edit.status).toBe(200);
    expect(edit.json()).toMatchObject({
      previousRevision: '0',
      revision: '1',
      version: 1,
      actor: 'supervisor',
    });
    const task = (await twilioCall(sb, 'GET', TASK)).json<{
      attributes: string;
      priority: number;
    }>();
    const attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    expect(attributes.customer).toMatchObject({ tier: 'platinum' });
    expect('notes' in attributes).toBe(false);
    expect(task.priority).toBe(42);

    const client = sdkClient(sb);
    const stale = await client.taskrouter.v1
      .workspaces(SANDBOX_IDS.workspaceSid)
      .tasks(SANDBOX_IDS.taskSid)
      .update({ priority: 1, ifMatch: '0' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(stale).toMatchObject({ status: 412, code: 20412 });

    const history = (await admin(sb, 'GET', `/history?path=${encodeURIComponent(TASK)}`)).json<{
      revisions: Array<{ op: string; actor: string; revision: string; version: number }>;
    }>();
    expect(history.revisions.map((r) => [r.op, r.actor, r.revision])).toEqual([
      ['create', 'seed', '0'],
      ['edit', 'supervisor', '1'],
    ]);
  });

  it('sync document and map item: revision bumps, stale writes get 54103 / 54205', async () => {
    const doc = (await admin(sb, 'POST', '/edit', { path: DOC, patch: { theme: 'light' } })).json<{
      revision: string;
    }>();
    expect(doc.revision).toBe('1');
    const staleDoc = await twilioCall(sb, 'POST', DOC, {
      form: { Data: '{}' },
      headers: { 'if-match': '0' },
    });
    expect(staleDoc.json()).toMatchObject({ status: 412, code: 54103 });
    const item = (
      await admin(sb, 'POST', '/edit', { path: MAP_ITEM, patch: { status: 'away' } })
    ).json<{ previousRevision: string; revision: string }>();
    expect(parseInt(item.revision, 16)).toBe(parseInt(item.previousRevision, 16) + 4);
    const staleItem = await twilioCall(sb, 'POST', MAP_ITEM, {
      form: { Data: '{}' },
      headers: { 'if-match': item.previousRevision },
    });
    expect(staleItem.json()).toMatchObject({ status: 412, code: 54205 });
    expect(
      (
        await admin(sb, 'POST', '/edit', {
          path: `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Lists/callbacks`,
          patch: {},
        })
      ).status,
    ).toBe(400);
  });

  it('rest and genesys: a new ETag / version, then 412 / 409 for the old one', async () => {
    const etag = (await call(sb, 'GET', '/rest/articles/article-1')).headers.get('etag') as string;
    const edit = (
      await admin(sb, 'POST', '/edit', { path: '/rest/articles/article-1', patch: {} })
    ).json<{ revision: string }>();
    expect(edit.revision).not.toBe(etag);
    expect((await call(sb, 'GET', '/rest/articles/article-1')).headers.get('etag')).toBe(
      edit.revision,
    );
    expect(
      (
        await call(sb, 'PUT', '/rest/articles/article-1', {
          json: {},
          headers: { 'if-match': etag.slice(2) },
        })
      ).status,
    ).toBe(412);

    const user = `/genesys/api/v2/users/${SANDBOX_IDS.genesysUserId}`;
    expect(
      (await admin(sb, 'POST', '/edit', { path: user, patch: { department: 'QA' } })).json(),
    ).toMatchObject({ revision: 2 });
    const stale = await call(sb, 'PATCH', user, {
      json: { title: 'x', version: 1 },
      headers: { authorization: genesysAuth() },
    });
    expect(stale.status).toBe(409);
    expect(
      (await admin(sb, 'POST', '/edit', { path: '/rest/articles/none', patch: {} })).status,
    ).toBe(404);
    expect((await admin(sb, 'POST', '/edit', { path: '/nowhere' })).status).toBe(404);
  });
});

describe('fault injection', () => {
  it('429 with Retry-After, one-shot', async () => {
    const fault = await admin(sb, 'POST', '/faults', {
      kind: 'rate-limit',
      method: 'GET',
      pathPrefix: '/rest/tickets',
      retryAfter: 7,
    });
    expect(fault.status).toBe(201);
    const limited = await call(sb, 'GET', '/rest/tickets/ticket-1');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await call(sb, 'GET', '/rest/tickets/ticket-1')).status).toBe(200);
    expect((await admin(sb, 'GET', '/faults')).json()).toEqual({ faults: [] });
  });

  it('the SDK surfaces a 429 as RestException, and retries it with autoRetry', async () => {
    const fault = { kind: 'rate-limit', method: 'GET', pathPrefix: TASK, retryAfter: 0 };
    await admin(sb, 'POST', '/faults', fault);
    const tasks = (c: ReturnType<typeof sdkClient>) =>
      c.taskrouter.v1.workspaces(SANDBOX_IDS.workspaceSid).tasks(SANDBOX_IDS.taskSid);
    expect(
      await tasks(sdkClient(sb))
        .fetch()
        .then(
          () => null,
          (e: unknown) => e,
        ),
    ).toMatchObject({ status: 429, code: 20429 });
    await admin(sb, 'POST', '/faults', fault);
    const task = await tasks(sdkClient(sb, { autoRetry: true, maxRetries: 2 })).fetch();
    expect(task.sid).toBe(SANDBOX_IDS.taskSid);
    const log = (await admin(sb, 'GET', `/requests?pathPrefix=${encodeURIComponent(TASK)}`)).json<{
      requests: Array<{ status: number }>;
    }>();
    expect(log.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('5xx N times with the Twilio error shape, only for the matching method', async () => {
    await admin(sb, 'POST', '/faults', {
      kind: 'error',
      method: 'POST',
      pathPrefix: '/taskrouter/',
      status: 503,
      times: 2,
    });
    expect((await twilioCall(sb, 'GET', TASK)).status).toBe(200);
    const first = await twilioCall(sb, 'POST', TASK, { form: { Priority: '3' } });
    expect(first.status).toBe(503);
    expect(first.json()).toMatchObject({ status: 503, code: 20500 });
    expect((await twilioCall(sb, 'POST', TASK, { form: { Priority: '3' } })).status).toBe(503);
    expect((await twilioCall(sb, 'POST', TASK, { form: { Priority: '3' } })).status).toBe(200);
    expect((await twilioCall(sb, 'GET', TASK)).headers.get('etag')).toBe('1');
  });

  it('5xx and 429 in the REST and Genesys error shapes too (problem+json; ErrorBody with a code)', async () => {
    await admin(sb, 'POST', '/faults', { kind: 'error', pathPrefix: '/rest/', status: 503 });
    const rest = await call(sb, 'GET', '/rest/tickets/ticket-1');
    expect(rest.status).toBe(503);
    expect(rest.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(rest.json()).toMatchObject({ type: 'about:blank', status: 503 });
    expect(typeof rest.json().title).toBe('string');
    await admin(sb, 'POST', '/faults', {
      kind: 'rate-limit',
      pathPrefix: '/genesys/',
      retryAfter: 3,
    });
    const user = `/genesys/api/v2/users/${SANDBOX_IDS.genesysUserId}`;
    const limited = await call(sb, 'GET', user, { headers: { authorization: genesysAuth() } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(limited.json()).toMatchObject({ status: 429, code: 'too.many.requests' });
    expect(typeof limited.json().contextId).toBe('string');
  });

  it('delay', async () => {
    await admin(sb, 'POST', '/faults', { kind: 'delay', pathPrefix: '/rest/', delayMs: 250 });
    const t0 = performance.now();
    expect((await call(sb, 'GET', '/rest/tickets/ticket-1')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
  });

  it('delay after: the answer is made at once and held, so it says what was there before a write made meanwhile', async () => {
    const before = await call(sb, 'GET', '/rest/tickets/ticket-1');
    await admin(sb, 'POST', '/faults', {
      kind: 'delay-after',
      method: 'GET',
      pathPrefix: '/rest/tickets/ticket-1',
      delayMs: 400,
    });
    const t0 = performance.now();
    const late = call(sb, 'GET', '/rest/tickets/ticket-1');
    // The fault goes once the read has taken it: its answer is made and held from then on.
    while ((await admin(sb, 'GET', '/faults')).json<{ faults: unknown[] }>().faults.length > 0)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const written = await call(sb, 'PATCH', '/rest/tickets/ticket-1', {
      json: { status: 'closed' },
    });
    expect(written.status).toBe(200);
    const held = await late;
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390);
    expect(held.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(held.json<{ status: string }>().status).not.toBe('closed');
    // One-shot: the next read is answered at once, with the write.
    const now = await call(sb, 'GET', '/rest/tickets/ticket-1');
    expect(now.headers.get('etag')).toBe(written.headers.get('etag'));
    const log = (
      await admin(
        sb,
        'GET',
        `/requests?method=GET&pathPrefix=${encodeURIComponent('/rest/tickets/ticket-1')}`,
      )
    ).json<{ requests: Array<{ fault?: string }> }>();
    expect(log.requests.filter((r) => r.fault === 'delay-after')).toHaveLength(1);
  });

  it('close before commit: no response and the write is not applied', async () => {
    await admin(sb, 'POST', '/faults', {
      kind: 'close-before',
      method: 'PATCH',
      pathPrefix: '/rest/tickets/ticket-1',
    });
    const etag = (await call(sb, 'GET', '/rest/tickets/ticket-1')).headers.get('etag');
    await expect(
      call(sb, 'PATCH', '/rest/tickets/ticket-1', { json: { status: 'closed' } }),
    ).rejects.toThrow();
    const now = await call(sb, 'GET', '/rest/tickets/ticket-1');
    expect(now.headers.get('etag')).toBe(etag);
    expect(now.json<{ status: string }>().status).not.toBe('closed');
  });

  it('close after commit: no response but the write IS applied', async () => {
    await admin(sb, 'POST', '/faults', { kind: 'close-after', method: 'POST', pathPrefix: TASK });
    await expect(
      twilioCall(sb, 'POST', TASK, { form: { Priority: '77' }, headers: { 'if-match': '0' } }),
    ).rejects.toThrow();
    const now = await twilioCall(sb, 'GET', TASK);
    expect(now.headers.get('etag')).toBe('1');
    expect(now.json()).toMatchObject({ priority: 77 });
    const log = (
      await admin(sb, 'GET', `/requests?method=POST&pathPrefix=${encodeURIComponent(TASK)}`)
    ).json<{ requests: Array<{ status: number | null; fault: string }> }>();
    expect(log.requests.at(-1)).toMatchObject({ status: null, fault: 'close-after' });
  });

  it('takes a definition whose fields read like a response (status, body, headers) as a definition', async () => {
    const res = await admin(sb, 'POST', '/faults', {
      kind: 'error',
      pathPrefix: '/rest/',
      status: 503,
      times: 1,
      body: 'down',
      headers: {},
    });
    expect(res.status).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'error', pathPrefix: '/rest/', status: 503 });
    expect((await call(sb, 'GET', '/rest/tickets/ticket-1')).status).toBe(503);
  });

  it('validates fault definitions and removes by id', async () => {
    expect((await admin(sb, 'POST', '/faults', { kind: 'explode' })).status).toBe(400);
    expect((await admin(sb, 'POST', '/faults', { kind: 'error', status: 404 })).status).toBe(400);
    const f = (
      await admin(sb, 'POST', '/faults', { kind: 'delay', times: null, delayMs: 1 })
    ).json<{ id: number; remaining: null }>();
    expect(f.remaining).toBeNull();
    expect((await admin(sb, 'DELETE', `/faults/${f.id}`)).status).toBe(200);
    expect((await admin(sb, 'DELETE', `/faults/${f.id}`)).status).toBe(404);
  });
});

describe('request log', () => {
  it('records method, path, headers (auth masked), body and status of SDK requests', async () => {
    await admin(sb, 'DELETE', '/requests');
    const client = sdkClient(sb);
    await client.taskrouter.v1
      .workspaces(SANDBOX_IDS.workspaceSid)
      .tasks(SANDBOX_IDS.taskSid)
      .update({ attributes: '{"a":1}', ifMatch: '0' });
    await call(sb, 'GET', '/rest/tickets/nope');
    const { requests } = (await admin(sb, 'GET', '/requests')).json<{
      requests: Array<{
        method: string;
        path: string;
        headers: Record<string, string>;
        body: string;
        status: number;
      }>;
    }>();
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: TASK,
      status: 200,
      body: 'Attributes=%7B%22a%22%3A1%7D',
    });
    expect(requests[0]?.headers).toMatchObject({
      'if-match': '0',
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ***',
    });
    expect(requests[0]?.headers['user-agent']).toMatch(/^twilio-node\//);
    expect(requests[1]).toMatchObject({ method: 'GET', path: '/rest/tickets/nope', status: 404 });
    expect(
      (await admin(sb, 'GET', '/requests?limit=1')).json<{ requests: unknown[] }>().requests,
    ).toHaveLength(1);
  });
});

describe('switches', () => {
  it('merge-patches, validates and reports them', async () => {
    const next = (await admin(sb, 'PATCH', '/switches', { twilio: { quotedEtags: true } })).json<{
      twilio: { quotedEtags: boolean; syncPreconditionCode: string };
    }>();
    expect(next.twilio).toMatchObject({ quotedEtags: true, syncPreconditionCode: 'sync' });
    expect((await admin(sb, 'PATCH', '/switches', { twilio: { urls: 'elsewhere' } })).status).toBe(
      400,
    );
    await admin(sb, 'PATCH', '/switches', { twilio: { urls: 'twilio' } });
    expect((await twilioCall(sb, 'GET', TASK)).json<{ url: string }>().url).toBe(
      `https://taskrouter.twilio.com/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`,
    );
  });
});

describe('request log masking', () => {
  it('masks every credential header, with or without a scheme', async () => {
    await admin(sb, 'DELETE', '/requests');
    await call(sb, 'GET', '/rest/tickets/ticket-1', {
      headers: {
        authorization: 'sandbox-genesys-token',
        'proxy-authorization': 'Basic Zm9vOmJhcg==',
        cookie: 'session=abc',
        'x-api-key': 'k-123',
      },
    });
    const logged = (await admin(sb, 'GET', '/requests'))
      .json<{ requests: Array<{ headers: Record<string, string> }> }>()
      .requests.at(-1)!;
    expect(logged.headers).toMatchObject({
      authorization: '***',
      'proxy-authorization': 'Basic ***',
      cookie: '***',
      'x-api-key': '***',
    });
    expect(JSON.stringify(logged)).not.toMatch(
      /sandbox-genesys-token|Zm9vOmJhcg|session=abc|k-123/,
    );
  });
});

describe('the admin API refuses cross-site requests (CSRF, DNS rebinding)', () => {
  const raw = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    fetch(`${sb.url}/_sandbox${path}`, { method, headers, body });

  it('a text/plain POST from a foreign origin does not reset anything', async () => {
    const before = (await admin(sb, 'GET', '')).json<{ counts: Record<string, number> }>().counts;
    const attempts: Array<Record<string, string>> = [
      { 'content-type': 'text/plain', origin: 'http://evil.example' },
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
      { 'content-type': 'application/json', origin: 'http://evil.example' },
      { 'content-type': 'application/json', origin: `http://127.0.0.1:${sb.port + 1}` },
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of attempts) {
      const res = await raw('POST', '/reset', headers, '{"seed":"none"}');
      expect([403, 415], JSON.stringify(headers)).toContain(res.status);
      expect(((await res.json()) as { message: string }).message).toMatch(
        /refused|application\/json/,
      );
    }
    // A body-less POST with a foreign origin, as a no-cors form or fetch sends it.
    expect((await raw('POST', '/seed', { origin: 'http://evil.example' })).status).toBe(403);
    expect((await raw('DELETE', '/requests', { origin: 'null' })).status).toBe(403);
    expect((await admin(sb, 'GET', '')).json<{ counts: Record<string, number> }>().counts).toEqual(
      before,
    );
  });

  it('refuses a rebound Host name, and still takes its own tools: same origin, JSON, or no body', async () => {
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: sb.port,
          method: 'GET',
          path: '/_sandbox/requests',
          headers: { host: `evil.example:${sb.port}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    expect(
      (
        await raw(
          'POST',
          '/reset',
          { 'content-type': 'application/json', origin: sb.url },
          '{"seed":"demo"}',
        )
      ).status,
    ).toBe(200);
    expect((await raw('POST', '/seed', {})).status).toBe(200);
    expect((await raw('GET', '', { origin: sb.url })).status).toBe(200);
  });
});

describe('request log masking of API-key headers', () => {
  it('masks custom API-key headers, and any header a client names as a credential', async () => {
    await admin(sb, 'DELETE', '/requests');
    sb.maskHeaders(['X-Tenant']);
    await call(sb, 'GET', '/rest/tickets/ticket-1', {
      headers: {
        'x-tenant-key': 'tenant-secret-1',
        'ocp-apim-subscription-key': 'sub-secret-2',
        'x-tenant': 'named-secret-3',
        'x-request-id': 'r-1',
      },
    });
    const { requests } = (await admin(sb, 'GET', '/requests')).json<{
      requests: Array<{ headers: Record<string, string> }>;
    }>();
    expect(requests.at(-1)!.headers).toMatchObject({
      'x-tenant-key': '***',
      'ocp-apim-subscription-key': '***',
      'x-tenant': '***',
      'x-request-id': 'r-1',
    });
    expect(JSON.stringify(requests)).not.toMatch(/secret-\d/);
  });
});
