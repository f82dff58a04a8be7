// The official twilio SDK, unchanged except for the HTTP client that points at the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../index';
import { SANDBOX_IDS } from '../index';
import { sdkClient, start } from '../test-support';

let sb: RunningSandbox;
let client: ReturnType<typeof sdkClient>;

beforeAll(async () => {
  sb = await start();
  client = sdkClient(sb);
});
afterAll(async () => {
  await sb.close();
});

const tasks = () => client.taskrouter.v1.workspaces(SANDBOX_IDS.workspaceSid).tasks;

describe('twilio SDK against TaskRouter', () => {
  it('fetches a workspace and a task, reading the ETag via fetchWithHttpInfo', async () => {
    const ws = await client.taskrouter.v1.workspaces(SANDBOX_IDS.workspaceSid).fetch();
    expect(ws.friendlyName).toBe('Conflict Desk Demo');
    const info = await tasks()(SANDBOX_IDS.taskSid).fetchWithHttpInfo();
    expect(info.statusCode).toBe(200);
    expect(info.headers.etag).toBe('0');
    expect(info.body.sid).toBe(SANDBOX_IDS.taskSid);
    expect(JSON.parse(info.body.attributes)).toMatchObject({
      customer: { tier: expect.any(String) },
    });
  });

  it('updates with ifMatch and rejects a stale update as RestException 412 / 20412', async () => {
    const task = await tasks()(SANDBOX_IDS.taskSid).fetch();
    const attributes = JSON.parse(task.attributes) as Record<string, unknown>;
    const updated = await tasks()(SANDBOX_IDS.taskSid).updateWithHttpInfo({
      attributes: JSON.stringify({ ...attributes, note: 'mine' }),
      ifMatch: '0',
    });
    expect(updated.headers.etag).toBe('1');
    expect(JSON.parse(updated.body.attributes)).toMatchObject({ note: 'mine' });

    const error = await tasks()(SANDBOX_IDS.taskSid)
      .update({ priority: 1, ifMatch: '0' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error?.constructor.name).toBe('RestException');
    expect(error).toMatchObject({
      status: 412,
      code: 20412,
      message: 'Precondition Failed',
      moreInfo: 'https://www.twilio.com/docs/errors/20412',
    });
  });

  it('surfaces 404 as RestException 20404', async () => {
    const error = await tasks()('WT00000000000000000000000000000000')
      .fetch()
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ status: 404, code: 20404 });
  });

  it('pages through tasks with list({pageSize, limit}) and each()', async () => {
    const listed = await tasks().list({ pageSize: 20, limit: 60 });
    expect(listed).toHaveLength(60);
    expect(new Set(listed.map((t) => t.sid)).size).toBe(60);
    expect(listed[0]?.sid).toBe(SANDBOX_IDS.taskSid);

    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      tasks().each(
        {
          pageSize: 30,
          assignmentStatus: ['pending', 'reserved'],
          done: (err?: Error) => (err ? reject(err) : resolve()),
        },
        (t) => {
          seen.push(t.assignmentStatus);
        },
      );
    });
    expect(seen.length).toBeGreaterThan(30);
    expect(seen.every((s) => s === 'pending' || s === 'reserved')).toBe(true);
    const page = await tasks().page({ pageSize: 20 });
    const next = await page.nextPage();
    expect(next?.instances).toHaveLength(20);
    expect(next?.instances[0]?.sid).not.toBe(page.instances[0]?.sid);
  });

  it('creates and removes a task (remove with a stale ifMatch fails, the right one succeeds)', async () => {
    const created = await tasks().create({
      attributes: JSON.stringify({ customer: { name: 'SDK' } }),
      priority: 2,
    });
    expect(created.assignmentStatus).toBe('pending');
    const stale = await tasks()(created.sid)
      .remove({ ifMatch: '3' })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(stale).toMatchObject({ status: 412, code: 20412 });
    expect(await tasks()(created.sid).remove({ ifMatch: '0' })).toBe(true);
  });
});
