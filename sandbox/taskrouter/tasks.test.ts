// TaskRouter over raw HTTP: the wire format the app's own HTTP client sees.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../index';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../index';
import { admin, call, start, twilioCall } from '../test-support';

let sb: RunningSandbox;
const WS = SANDBOX_IDS.workspaceSid;
const TASKS = `/taskrouter/v1/Workspaces/${WS}/Tasks`;
const TASK = `${TASKS}/${SANDBOX_IDS.taskSid}`;

beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(async () => {
  await admin(sb, 'POST', '/reset', { seed: 'demo' });
});

describe('auth', () => {
  it('rejects missing and wrong Basic credentials with 401 / 20003', async () => {
    const none = await call(sb, 'GET', TASK);
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({
      code: 20003,
      message: 'Authenticate',
      more_info: 'https://www.twilio.com/docs/errors/20003',
      status: 401,
    });
    const wrong = await call(sb, 'GET', TASK, {
      headers: {
        authorization: `Basic ${Buffer.from(`${SANDBOX_IDS.accountSid}:nope`).toString('base64')}`,
      },
    });
    expect(wrong.status).toBe(401);
    const apiKey = await call(sb, 'GET', TASK, {
      headers: {
        authorization: `Basic ${Buffer.from(`SK${'1'.repeat(32)}:${SANDBOX_CREDENTIALS.twilio.authToken}`).toString('base64')}`,
      },
    });
    expect(apiKey.status).toBe(200);
  });
});

describe('workspaces', () => {
  it('lists and fetches the demo workspace', async () => {
    const list = await twilioCall(sb, 'GET', '/taskrouter/v1/Workspaces');
    expect(list.status).toBe(200);
    const body = list.json<{ workspaces: Array<{ sid: string }>; meta: { key: string } }>();
    expect(body.meta.key).toBe('workspaces');
    expect(body.workspaces.map((w) => w.sid)).toEqual([WS]);
    const one = await twilioCall(sb, 'GET', `/taskrouter/v1/Workspaces/${WS}`);
    expect(one.json()).toMatchObject({ sid: WS, friendly_name: 'Conflict Desk Demo' });
    expect(
      (await twilioCall(sb, 'GET', '/taskrouter/v1/Workspaces/WS00000000000000000000000000000000'))
        .status,
    ).toBe(404);
  });
});

describe('tasks list', () => {
  it('pages with the meta envelope and absolute next_page_url', async () => {
    const first = await twilioCall(sb, 'GET', `${TASKS}?PageSize=50`);
    const body = first.json<{ tasks: unknown[]; meta: Record<string, unknown> }>();
    expect(first.headers.get('etag')).toBeTruthy();
    expect(body.tasks).toHaveLength(50);
    expect(body.meta).toMatchObject({
      page: 0,
      page_size: 50,
      key: 'tasks',
      previous_page_url: null,
    });
    const next = new URL(body.meta.next_page_url as string);
    expect(next.origin).toBe(sb.url);
    expect(next.searchParams.get('PageToken')).toBe('PT50');
    const last = await twilioCall(sb, 'GET', `${TASKS}?PageSize=50&Page=3&PageToken=PT150`);
    const lastBody = last.json<{ tasks: unknown[]; meta: Record<string, unknown> }>();
    expect(lastBody.tasks).toHaveLength(50);
    expect(lastBody.meta.next_page_url).toBeNull();
  });

  it('filters by AssignmentStatus (repeated and comma forms), queue, priority and attributes', async () => {
    type T = {
      assignment_status: string;
      priority: number;
      task_queue_friendly_name: string;
      attributes: string;
      age?: number;
    };
    const repeated = (
      await twilioCall(
        sb,
        'GET',
        `${TASKS}?AssignmentStatus=pending&AssignmentStatus=reserved&PageSize=1000`,
      )
    ).json<{ tasks: T[] }>().tasks;
    const comma = (
      await twilioCall(sb, 'GET', `${TASKS}?AssignmentStatus=pending,reserved&PageSize=1000`)
    ).json<{ tasks: T[] }>().tasks;
    expect(repeated.length).toBeGreaterThan(0);
    expect(repeated.length).toBeLessThan(200);
    // The same tasks; "age" (seconds since creation, at the moment of each answer) may have
    // moved on by one between the two requests.
    const withoutAge = (tasks: T[]) => tasks.map(({ age: _age, ...t }) => t);
    expect(withoutAge(comma)).toEqual(withoutAge(repeated));
    expect(new Set(repeated.map((t) => t.assignment_status))).toEqual(
      new Set(['pending', 'reserved']),
    );

    const vip = (await twilioCall(sb, 'GET', `${TASKS}?TaskQueueName=VIP&PageSize=1000`)).json<{
      tasks: T[];
    }>().tasks;
    expect(vip.length).toBeGreaterThan(0);
    expect(vip.every((t) => t.task_queue_friendly_name === 'VIP')).toBe(true);

    const expr = encodeURIComponent('customer.tier == "gold" AND skills HAS "billing"');
    const gold = (
      await twilioCall(sb, 'GET', `${TASKS}?EvaluateTaskAttributes=${expr}&PageSize=1000`)
    ).json<{ tasks: T[] }>().tasks;
    expect(gold.length).toBeGreaterThan(0);
    for (const t of gold) {
      const a = JSON.parse(t.attributes) as { customer: { tier: string }; skills: string[] };
      expect(a.customer.tier).toBe('gold');
      expect(a.skills).toContain('billing');
    }
    const ordered = (
      await twilioCall(sb, 'GET', `${TASKS}?Ordering=Priority:desc,DateCreated:asc&PageSize=1000`)
    ).json<{ tasks: T[] }>().tasks;
    const priorities = ordered.map((t) => t.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    expect((await twilioCall(sb, 'GET', `${TASKS}?AssignmentStatus=bogus`)).status).toBe(400);
    expect(
      (await twilioCall(sb, 'GET', `${TASKS}?EvaluateTaskAttributes=${encodeURIComponent('a ==')}`))
        .status,
    ).toBe(400);
  });
});

describe('tasks CRUD with If-Match', () => {
  it('creates (201, ETag 0), fetches, updates with bare and quoted If-Match, and bumps the version', async () => {
    const created = await twilioCall(sb, 'POST', TASKS, {
      form: {
        Attributes: JSON.stringify({ customer: { name: 'Test' } }),
        Priority: '3',
        TaskChannel: 'chat',
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('0');
    const task = created.json<{
      sid: string;
      assignment_status: string;
      task_channel_unique_name: string;
      url: string;
    }>();
    expect(task.sid).toMatch(/^WT[0-9a-f]{32}$/);
    expect(task).toMatchObject({
      assignment_status: 'pending',
      task_channel_unique_name: 'chat',
      priority: 3,
    });
    const path = `${TASKS}/${task.sid}`;
    expect(task.url).toBe(sb.url + path);

    const u1 = await twilioCall(sb, 'POST', path, {
      form: { Priority: '4' },
      headers: { 'if-match': '0' },
    });
    expect(u1.status).toBe(200);
    expect(u1.headers.get('etag')).toBe('1');
    const u2 = await twilioCall(sb, 'POST', path, {
      form: { Priority: '5' },
      headers: { 'if-match': '"1"' },
    });
    expect(u2.headers.get('etag')).toBe('2');
    const fetched = await twilioCall(sb, 'GET', path);
    expect(fetched.headers.get('etag')).toBe('2');
    expect(fetched.json()).toMatchObject({ priority: 5 });
  });

  it('rejects a stale If-Match with 412 / 20412 and leaves the task unchanged', async () => {
    await twilioCall(sb, 'POST', TASK, { form: { Priority: '9' } });
    const stale = await twilioCall(sb, 'POST', TASK, {
      form: { Priority: '1' },
      headers: { 'if-match': '0' },
    });
    expect(stale.status).toBe(412);
    expect(stale.json()).toEqual({
      code: 20412,
      message: 'Precondition Failed',
      more_info: 'https://www.twilio.com/docs/errors/20412',
      status: 412,
    });
    const now = await twilioCall(sb, 'GET', TASK);
    expect(now.headers.get('etag')).toBe('1');
    expect(now.json()).toMatchObject({ priority: 9 });
  });

  it('never matches a W/ tag (strong comparison) and accepts *', async () => {
    expect(
      (
        await twilioCall(sb, 'POST', TASK, {
          form: { Priority: '1' },
          headers: { 'if-match': 'W/"0"' },
        })
      ).status,
    ).toBe(412);
    expect(
      (
        await twilioCall(sb, 'POST', TASK, {
          form: { Priority: '1' },
          headers: { 'if-match': '*' },
        })
      ).status,
    ).toBe(200);
  });

  it('refuses an If-Match whose tags are not comma-separated (400), instead of matching one of them', async () => {
    for (const value of ['1 0', '"1" "0"']) {
      const res = await twilioCall(sb, 'POST', TASK, {
        form: { Priority: '1' },
        headers: { 'if-match': value },
      });
      expect(res.status, value).toBe(400);
      expect(res.json()).toMatchObject({ code: 20001, status: 400 });
    }
    expect((await twilioCall(sb, 'GET', TASK)).headers.get('etag')).toBe('0');
    // A comma list is fine.
    const ok = await twilioCall(sb, 'POST', TASK, {
      form: { Priority: '1' },
      headers: { 'if-match': '1, 0' },
    });
    expect(ok.status).toBe(200);
  });

  it('answers 404 before 412 for an unknown task', async () => {
    const res = await twilioCall(sb, 'POST', `${TASKS}/WT00000000000000000000000000000000`, {
      form: { Priority: '1' },
      headers: { 'if-match': '99' },
    });
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({
      code: 20404,
      message: `The requested resource /v1/Workspaces/${WS}/Tasks/WT00000000000000000000000000000000 was not found`,
    });
  });

  it('validates Attributes as JSON and enforces status transitions', async () => {
    const badJson = await twilioCall(sb, 'POST', TASK, { form: { Attributes: '{not json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.json()).toMatchObject({ code: 20001 });
    // pending → assigned is not allowed; pending → canceled is.
    expect(
      (await twilioCall(sb, 'POST', TASK, { form: { AssignmentStatus: 'assigned' } })).status,
    ).toBe(400);
    const canceled = await twilioCall(sb, 'POST', TASK, {
      form: { AssignmentStatus: 'canceled', Reason: 'test' },
    });
    expect(canceled.json()).toMatchObject({ assignment_status: 'canceled', reason: 'test' });
    expect(
      (await twilioCall(sb, 'POST', TASK, { form: { AssignmentStatus: 'pending' } })).status,
    ).toBe(400);
    const version = (await twilioCall(sb, 'GET', TASK)).headers.get('etag');
    expect(version).toBe('1');
  });

  it('requires Reason when an update cancels or completes the task (OAI: "required only if the Task is canceled or completed")', async () => {
    const noReason = await twilioCall(sb, 'POST', TASK, {
      form: { AssignmentStatus: 'canceled' },
      headers: { 'if-match': '0' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.json()).toMatchObject({ code: 20001, status: 400 });
    expect(noReason.json<{ message: string }>().message).toMatch(/Reason/);
    const unchanged = await twilioCall(sb, 'GET', TASK);
    expect(unchanged.headers.get('etag')).toBe('0');
    expect(unchanged.json()).toMatchObject({ assignment_status: 'pending', reason: null });
    // Updates that do not cancel or complete need none.
    expect((await twilioCall(sb, 'POST', TASK, { form: { Priority: '3' } })).status).toBe(200);
  });

  it('deletes with 204, honouring If-Match', async () => {
    expect((await twilioCall(sb, 'DELETE', TASK, { headers: { 'if-match': '5' } })).status).toBe(
      412,
    );
    const del = await twilioCall(sb, 'DELETE', TASK, { headers: { 'if-match': '0' } });
    expect(del.status).toBe(204);
    expect(del.text).toBe('');
    expect(del.headers.get('etag')).toBeNull();
    expect((await twilioCall(sb, 'GET', TASK)).status).toBe(404);
  });

  it('switches: quoted ETags, 428 when If-Match is required, 412 for If-Match on a missing task', async () => {
    await admin(sb, 'PATCH', '/switches', {
      twilio: { quotedEtags: true, missingWithIfMatch: 412 },
      requirePrecondition: { taskrouter: true },
    });
    expect((await twilioCall(sb, 'GET', TASK)).headers.get('etag')).toBe('"0"');
    const unconditional = await twilioCall(sb, 'POST', TASK, { form: { Priority: '2' } });
    expect(unconditional.status).toBe(428);
    expect(unconditional.json()).toMatchObject({ status: 428 });
    const ok = await twilioCall(sb, 'POST', TASK, {
      form: { Priority: '2' },
      headers: { 'if-match': '"0"' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('"1"');
    expect(
      (
        await twilioCall(sb, 'POST', `${TASKS}/WT00000000000000000000000000000000`, {
          form: {},
          headers: { 'if-match': '*' },
        })
      ).status,
    ).toBe(412);
  });
});

describe('If-None-Match (operator-tool extra)', () => {
  it('answers 304 with the ETag when the revision is current (bare or quoted), 200 once it moved', async () => {
    for (const tag of ['0', '"0"', 'W/"0"']) {
      const same = await twilioCall(sb, 'GET', TASK, { headers: { 'if-none-match': tag } });
      expect(same.status).toBe(304);
      expect(same.text).toBe('');
      expect(same.headers.get('etag')).toBe('0');
    }
    expect((await twilioCall(sb, 'GET', TASK, { headers: { 'if-none-match': '7' } })).status).toBe(
      200,
    );
    await admin(sb, 'POST', '/edit', { path: TASK, fields: { priority: 9 } });
    const moved = await twilioCall(sb, 'GET', TASK, { headers: { 'if-none-match': '0' } });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).toBe('1');
  });
});
