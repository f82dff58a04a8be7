// Batches against the sandbox: 300 tasks while another writer changes 10 % of them between the
// batch's read and its write (half on the batch's paths, half elsewhere). Every target is
// accounted for, nothing is lost, every write carries its precondition, and the conflict queue
// survives a restart and is settled with one decision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../../sandbox/index';
import type { BatchSummary, ResourceRef } from '../../../shared/api/types';
import type { BatchIntent } from '../../../shared/batch/intent';
import { startHarness, type Harness } from '../../test-support/desk-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const TASKS = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;
const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.twilio.accountSid}:${SANDBOX_CREDENTIALS.twilio.authToken}`).toString('base64')}`;
const intents: BatchIntent[] = [
  { kind: 'set', path: '/priority', value: 7 },
  { kind: 'add-element', path: '/attributes/skills', value: 'vip-care' },
];
type Task = { sid: string; priority: number; attributes: string; assignment_status: string };
const getTask = async (sid: string): Promise<Task> =>
  (await (
    await fetch(`${h.sandbox.url}${TASKS}/${sid}`, { headers: { authorization: basic } })
  ).json()) as Task;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitDone(batchId: string, api = h.api): Promise<BatchSummary> {
  for (;;) {
    const status = await api.batchStatus({ batchId });
    if (status.kind !== 'ok') throw new Error(status.message);
    if (status.batch.state !== 'running') return status.batch;
    await sleep(50);
  }
}

describe('a batch over 300 tasks with another writer in the middle', () => {
  it('accounts for every target, loses nothing, and keeps its queue across a restart', async () => {
    await h.admin('POST', '/reset', { seed: 'demo' });
    // 100 more tasks beside the 200 of the seed.
    for (let i = 0; i < 100; i++) {
      const res = await fetch(`${h.sandbox.url}${TASKS}`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          Attributes: JSON.stringify({ subject: `extra ${i}`, skills: ['billing'] }),
          Priority: '1',
        }).toString(),
      });
      expect(res.status).toBe(201);
    }
    const connection = await h.connection('TaskRouter');
    const all = await h.api.countMatching({ connectionId: connection.id });
    if (all.kind !== 'ok') throw new Error(all.message);
    expect(all.count).toBe(300);
    const before = new Map((await Promise.all(all.ids.map(getTask))).map((t) => [t.sid, t]));

    // The other writer: 30 tasks, each changed right after the batch read it (its write is held 400 ms).
    const onPath = all.ids.filter((_, i) => i % 10 === 3);
    const elsewhere = all.ids.filter((_, i) => i % 10 === 7);
    for (const sid of [...onPath, ...elsewhere])
      await h.admin('POST', '/faults', {
        kind: 'delay',
        method: 'POST',
        pathPrefix: `${TASKS}/${sid}`,
        delayMs: 400,
      });
    const started = await h.api.startBatch({
      connectionId: connection.id,
      resourceIds: all.ids,
      intents,
      concurrency: 4,
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    // The batch records each write in flight before sending it: that is the other writer's cue.
    const interfere = (async () => {
      const pending = new Set([...onPath, ...elsewhere]);
      while (pending.size > 0) {
        const inFlight = (await h.api.auditLog({})).entries.filter(
          (e) => e.state === 'in-flight' && pending.has(e.resourceId),
        );
        for (const entry of inFlight) {
          pending.delete(entry.resourceId);
          const path = `${TASKS}/${entry.resourceId}`;
          if (onPath.includes(entry.resourceId))
            await h.admin('POST', '/edit', { path, fields: { priority: 3 }, actor: 'colleague' });
          else
            await h.admin('POST', '/edit', {
              path,
              patch: { note: 'colleague was here' },
              actor: 'colleague',
            });
        }
        await sleep(15);
      }
    })();
    await interfere;
    const done = await waitDone(started.batch.batchId);
    const c = done.counts;
    expect(c.applied + c.reapplied + c.queued + c.failed + c.skipped + c.unknown).toBe(300);
    expect(c.pending + c.running + c.cancelled).toBe(0);
    expect(c.reapplied).toBe(elsewhere.length);
    expect(c.queued).toBe(onPath.length);

    // Nothing lost: each target is base + the batch's intent + the other writer's change where they don't overlap.
    const report = await h.api.batchReport({ batchId: started.batch.batchId, format: 'csv' });
    if (report.kind !== 'ok') throw new Error(report.message);
    for (const target of report.targets) {
      const now = await getTask(target.resourceId);
      const was = before.get(target.resourceId)!;
      const attributes = JSON.parse(now.attributes) as Record<string, unknown>;
      const wasAttributes = JSON.parse(was.attributes) as Record<string, unknown>;
      if (target.status === 'applied' || target.status === 'reapplied') {
        expect(now.priority).toBe(7);
        expect(attributes['skills']).toEqual([
          ...((wasAttributes['skills'] as string[] | undefined) ?? []),
          'vip-care',
        ]);
        if (elsewhere.includes(target.resourceId))
          expect(attributes['note']).toBe('colleague was here');
      } else if (target.status === 'queued') {
        expect(onPath).toContain(target.resourceId);
        expect(now.priority).toBe(3);
        expect(attributes['skills']).toEqual(wasAttributes['skills']);
      } else {
        expect(target.status, `${target.resourceId}: ${target.reason}`).toBe('skipped');
      }
    }
    expect(report.text!.split('\r\n')[0]).toBe(
      'resourceId,status,attempts,sent,fromRevision,toRevision,signature,reason,auditId',
    );
    expect(report.text!.trim().split('\r\n')).toHaveLength(301);

    // No write without a precondition.
    const writes = (
      await h.admin<{ requests: Array<{ headers: Record<string, string> }> }>(
        'GET',
        `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/WT`)}`,
      )
    ).body.requests;
    expect(writes.length).toBeGreaterThanOrEqual(300 - c.skipped);
    expect(writes.filter((w) => !w.headers['if-match'])).toEqual([]);
    // One audit row per write, tagged with the batch.
    const audit = (await h.api.auditLog({})).entries.filter(
      (e) => e.batchId === started.batch.batchId,
    );
    expect(audit.length).toBe(writes.length);

    // The queue survives a restart, grouped by signature; one decision settles the group.
    const restarted = await h.restart();
    h = restarted;
    const queue = await h.api.batchQueue({ batchId: started.batch.batchId });
    if (queue.kind !== 'ok') throw new Error(queue.message);
    expect(queue.groups).toHaveLength(1);
    expect(queue.groups[0]).toMatchObject({ signature: '/priority', paths: ['/priority'] });
    expect(queue.groups[0]!.targets.map((t) => t.resourceId).sort()).toEqual([...onPath].sort());
    const settled = await h.api.settleBatchGroup({
      batchId: started.batch.batchId,
      signature: '/priority',
      decision: 'mine',
    });
    expect(settled.kind === 'ok' && settled.batch.counts.queued).toBe(0);
    for (const sid of onPath) {
      const now = await getTask(sid);
      expect(now.priority).toBe(7);
      expect((JSON.parse(now.attributes) as { skills: string[] }).skills).toContain('vip-care');
    }
  }, 120_000);
});

describe('batch controls', () => {
  it('cancel stops scheduling and the report says exactly which writes were sent', async () => {
    await h.admin('POST', '/reset', { seed: 'demo' });
    const connection = await h.connection('TaskRouter');
    // Every write takes 100 ms, so the cancel lands mid-run.
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: TASKS,
      delayMs: 100,
      times: null,
    });
    const ids = SANDBOX_IDS.taskSids.slice(0, 40);
    const started = await h.api.startBatch({
      connectionId: connection.id,
      resourceIds: ids,
      intents: [{ kind: 'set', path: '/priority', value: 8 }],
      concurrency: 2,
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    await sleep(350);
    const cancelled = await h.api.cancelBatch({ batchId: started.batch.batchId });
    await h.admin('DELETE', '/faults');
    if (cancelled.kind !== 'ok') throw new Error(cancelled.message);
    expect(cancelled.batch.state).toBe('cancelled');
    expect(cancelled.batch.counts.cancelled).toBeGreaterThan(20);
    const report = await h.api.batchReport({ batchId: started.batch.batchId });
    if (report.kind !== 'ok') throw new Error(report.message);
    const sent = report.targets.filter((t) => t.sent).map((t) => t.resourceId);
    const posted = (
      await h.admin<{ requests: Array<{ path: string }> }>(
        'GET',
        `/requests?method=POST&pathPrefix=${encodeURIComponent(TASKS)}`,
      )
    ).body.requests.map((r) => r.path.split('/').pop());
    expect(cancelled.batch.writesSent).toBe(posted.length);
    expect([...new Set(posted)].sort()).toEqual([...sent].sort());
  });

  it('honours 429 with Retry-After: the same write is tried again, once applied', async () => {
    await h.admin('POST', '/reset', { seed: 'demo' });
    const connection = await h.connection('TaskRouter');
    const sid = SANDBOX_IDS.taskSids[3]!;
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'POST',
      pathPrefix: `${TASKS}/${sid}`,
      retryAfter: 1,
      times: 2,
    });
    const t0 = Date.now();
    const started = await h.api.startBatch({
      connectionId: connection.id,
      resourceIds: [sid],
      intents: [{ kind: 'set', path: '/priority', value: 9 }],
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    const done = await waitDone(started.batch.batchId);
    expect(done.counts.applied).toBe(1);
    // Three writes left the app (two refused with 429, then the one applied), for one target.
    expect(done.writesSent).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    expect((await getTask(sid)).priority).toBe(9);
  });

  it('skips targets the intent does not change, fails a failed JSON Patch test with its reason, previews the diff', async () => {
    await h.admin('POST', '/reset', { seed: 'demo' });
    const connection = await h.connection('TaskRouter');
    const [a, b] = [SANDBOX_IDS.taskSids[4]!, SANDBOX_IDS.taskSids[5]!];
    const ref: ResourceRef = { connectionId: connection.id, id: a };
    const current = await getTask(a);
    const preview = await h.api.previewBatch({
      connectionId: connection.id,
      resourceIds: [a],
      intents: [{ kind: 'set', path: '/priority', value: current.priority + 1 }],
    });
    expect(preview.kind === 'ok' && preview.previews[0]).toMatchObject({
      kind: 'change',
      changedPaths: ['/priority'],
    });
    const started = await h.api.startBatch({
      connectionId: connection.id,
      resourceIds: [a, b],
      intents: [
        {
          kind: 'json-patch',
          ops: [
            { op: 'test', path: '/priority', value: current.priority },
            { op: 'replace', path: '/priority', value: current.priority },
          ],
        },
      ],
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    await waitDone(started.batch.batchId);
    const report = await h.api.batchReport({ batchId: started.batch.batchId });
    if (report.kind !== 'ok') throw new Error(report.message);
    const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t]));
    expect(byId[a]).toMatchObject({ status: 'skipped', sent: false });
    if ((await getTask(b)).priority !== current.priority)
      expect(byId[b]).toMatchObject({
        status: 'failed',
        reason: expect.stringContaining('test failed'),
      });
    expect((await h.api.openResource({ ref })).kind).toBe('ok');
  });
});
