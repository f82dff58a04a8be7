// Batches under an operator's worst day: faults, cancels at awkward moments, a finished batch
// cancelled late, a queue settled after its members moved again, and exports opened in a spreadsheet.
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../../sandbox/index';
import type { Api } from '../../../shared/api/contract';
import type { BatchSummary } from '../../../shared/api/types';
import {
  connectScripted,
  harnessPerFile,
  lockLeftByACrash,
  startHarness,
  type Harness,
} from '../../test-support/desk-harness';
import { startScriptedServer, type ScriptedAnswer } from '../../test-support/scripted-server';

const h = harnessPerFile();
const TASKS = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;
const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.twilio.accountSid}:${SANDBOX_CREDENTIALS.twilio.authToken}`).toString('base64')}`;
type Task = { sid: string; priority: number; attributes: string; assignment_status: string };
const getTask = async (sid: string): Promise<Task> =>
  (await (
    await fetch(`${h.sandbox.url}${TASKS}/${sid}`, { headers: { authorization: basic } })
  ).json()) as Task;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server holds the next write of task `sid` `delayMs` before it handles it. */
const holdNextWrite = (sid: string, delayMs: number) =>
  h.admin('POST', '/faults', {
    kind: 'delay',
    method: 'POST',
    pathPrefix: `${TASKS}/${sid}`,
    delayMs,
  });

/** A colleague's edit of task `sid` (a patch of its attributes, or fields such as priority). */
const colleagueEdits = (sid: string, edit: { patch?: unknown; fields?: Record<string, unknown> }) =>
  h.admin('POST', '/edit', { path: `${TASKS}/${sid}`, ...edit, actor: 'colleague' });

async function waitDone(batchId: string, api: Api = h.api): Promise<BatchSummary> {
  for (;;) {
    const status = await api.batchStatus({ batchId });
    if (status.kind !== 'ok') throw new Error(status.message);
    if (status.batch.state !== 'running') return status.batch;
    await sleep(50);
  }
}

async function start(
  ids: string[],
  intents: Parameters<Api['startBatch']>[0]['intents'],
  concurrency = 4,
  on: Harness = h,
) {
  const connection = await on.connection('TaskRouter');
  const started = await on.api.startBatch({
    connectionId: connection.id,
    resourceIds: ids,
    intents,
    concurrency,
  });
  if (started.kind !== 'ok') throw new Error(started.message);
  return started.batch.batchId;
}

describe('batch controls at awkward moments', () => {
  it('cancelling (or resuming) a finished batch leaves it done, as it ended', async () => {
    const id = await start(SANDBOX_IDS.taskSids.slice(0, 3), [
      { kind: 'set', path: '/priority', value: 4 },
    ]);
    const done = await waitDone(id);
    expect(done).toMatchObject({ state: 'done', counts: { applied: 3 } });
    const cancelled = await h.api.cancelBatch({ batchId: id });
    expect(cancelled).toMatchObject({
      kind: 'ok',
      batch: { state: 'done', finishedAt: done.finishedAt },
    });
    const resumed = await h.api.resumeBatch({ batchId: id });
    expect(resumed).toMatchObject({
      kind: 'ok',
      batch: { state: 'done', finishedAt: done.finishedAt },
    });
    expect((await h.api.batchStatus({ batchId: id })).kind === 'ok').toBe(true);
    expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
      batch: { state: 'done', counts: { applied: 3, cancelled: 0 } },
    });
  });

  it('resume asked while a pause waits for the write in flight: the run goes on to the end', async () => {
    const sids = SANDBOX_IDS.taskSids.slice(80, 84);
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: TASKS,
      delayMs: 300,
      times: null,
    });
    try {
      const id = await start(sids, [{ kind: 'set', path: '/priority', value: 31 }], 1);
      await sleep(100);
      const pausing = h.api.pauseBatch({ batchId: id });
      const resumed = await h.api.resumeBatch({ batchId: id });
      expect(resumed.kind).toBe('ok');
      await pausing;
      const done = await waitDone(id);
      expect(done).toMatchObject({ state: 'done', counts: { applied: 4 } });
    } finally {
      await h.admin('DELETE', '/faults');
    }
  });

  it('a 429 whose Retry-After is an HTTP date is waited out until that date, then written once', async () => {
    // The server refuses writes until a moment given as a date, 8 s ahead (RFC 9110 allows both forms).
    const openAt = Date.now() + 8000;
    let rev = 1;
    let body = '{"id":"one","status":"open"}';
    const server = await startScriptedServer((req): ScriptedAnswer => {
      const etag = `"r${rev}"`;
      if (req.method === 'GET') return { status: 200, headers: { etag }, body };
      if (Date.now() < openAt)
        return {
          status: 429,
          headers: { 'retry-after': new Date(openAt + 999).toUTCString() },
          body: '{}',
        };
      if (req.headers['if-match'] !== etag) return { status: 412, body: '{}' };
      rev++;
      body = req.body;
      return { status: 200, headers: { etag: `"r${rev}"` }, body };
    });
    try {
      const ref = await connectScripted(h, server);
      const started = await h.api.startBatch({
        connectionId: ref('x').connectionId,
        resourceIds: ['one'],
        intents: [{ kind: 'set', path: '/status', value: 'solved' }],
      });
      if (started.kind !== 'ok') throw new Error(started.message);
      expect(await waitDone(started.batch.batchId)).toMatchObject({ counts: { applied: 1 } });
      const writes = server.requests.filter((r) => r.method !== 'GET');
      // One refused write, then one after the date: no rapid retries in between.
      expect(writes).toHaveLength(2);
      expect(JSON.parse(body)).toMatchObject({ status: 'solved' });
    } finally {
      await server.close();
    }
  }, 30_000);

  /** Waits until the sandbox has answered a write to `sid` with 429. */
  async function rateLimited(sid: string): Promise<void> {
    for (;;) {
      const log = await h.admin<{ requests: Array<{ status: number }> }>(
        'GET',
        `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${sid}`)}`,
      );
      if (log.body.requests.some((r) => r.status === 429)) return;
      await sleep(20);
    }
  }
  const within = <T>(ms: number, work: Promise<T>): Promise<T | 'still waiting'> =>
    Promise.race([work, sleep(ms).then(() => 'still waiting' as const)]);

  it('cancel during a long Retry-After ends the wait: the refused write is reported, nothing else is sent', async () => {
    const [limited, ...others] = SANDBOX_IDS.taskSids.slice(20, 24) as [string, ...string[]];
    const before = await getTask(limited);
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'POST',
      pathPrefix: `${TASKS}/${limited}`,
      retryAfter: 120,
      times: null,
    });
    const id = await start(
      [limited, ...others],
      [{ kind: 'set', path: '/priority', value: 55 }],
      1,
    );
    await rateLimited(limited);
    const cancelled = await within(10_000, h.api.cancelBatch({ batchId: id }));
    if (cancelled === 'still waiting' || cancelled.kind !== 'ok')
      throw new Error(
        `the cancel waited on the server's Retry-After: ${JSON.stringify(cancelled)}`,
      );
    await h.admin('DELETE', '/faults');
    expect(cancelled.batch).toMatchObject({
      state: 'cancelled',
      total: 4,
      writesSent: 1,
      counts: { cancelled: 4, applied: 0 },
    });
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.targets[0]).toMatchObject({
      resourceId: limited,
      status: 'cancelled',
      sent: true,
      reason: expect.stringContaining('429'),
    });
    expect(report.targets.slice(1).every((t) => !t.sent && t.status === 'cancelled')).toBe(true);
    expect((await getTask(limited)).priority).toBe(before.priority);
  }, 30_000);

  it('pause during a long Retry-After ends the wait; resume reads the target afresh and writes it', async () => {
    const limited = SANDBOX_IDS.taskSids[30]!;
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'POST',
      pathPrefix: `${TASKS}/${limited}`,
      retryAfter: 120,
      times: null,
    });
    const id = await start([limited], [{ kind: 'set', path: '/priority', value: 56 }], 1);
    await rateLimited(limited);
    const paused = await within(10_000, h.api.pauseBatch({ batchId: id }));
    if (paused === 'still waiting' || paused.kind !== 'ok')
      throw new Error(`the pause waited on the server's Retry-After: ${JSON.stringify(paused)}`);
    expect(paused.batch).toMatchObject({ state: 'paused', counts: { pending: 1 } });
    await h.admin('DELETE', '/faults');
    await h.api.resumeBatch({ batchId: id });
    expect(await waitDone(id)).toMatchObject({ state: 'done', counts: { applied: 1 } });
    expect((await getTask(limited)).priority).toBe(56);
  }, 30_000);
});

/**
 * A batch setting /priority to 7 whose every target is changed by a colleague between the batch's
 * read and its write (each write is held 400 ms; the colleague acts when the audit shows it in flight).
 */
async function queuedBatch(
  ids: string[],
  colleague: Record<string, unknown> = { priority: 3 },
  on: Harness = h,
) {
  const id = await batchColleagueMoves(ids, colleague, on);
  const done = await waitDone(id, on.api);
  expect(done.counts.queued).toBe(ids.length);
  return id;
}

/**
 * Starts a batch over `ids` (and `others`, which nobody else touches) whose writes to `ids` are
 * held 400 ms, and has a colleague change each of `ids` while its write is held: each conflicts.
 * Returns once every colleague edit is made.
 */
async function batchColleagueMoves(
  ids: string[],
  colleague: Record<string, unknown>,
  on: Harness,
  others: string[] = [],
) {
  for (const sid of ids) await holdNextWrite(sid, 400);
  const id = await start(
    [...ids, ...others],
    [
      { kind: 'set', path: '/priority', value: 7 },
      { kind: 'add-element', path: '/attributes/skills', value: 'vip-care' },
    ],
    4 + others.length,
    on,
  );
  const pending = new Set(ids);
  while (pending.size > 0) {
    for (const entry of (await on.api.auditLog({})).entries)
      if (entry.state === 'in-flight' && pending.delete(entry.resourceId))
        await colleagueEdits(entry.resourceId, { fields: colleague });
    await sleep(15);
  }
  return id;
}

/** Waits until a write of one of `ids` is in flight (the audit log says so); fails after 2 s. */
/**
 * A batch whose `queued` targets a colleague moved (so they queue) while the writes of `slow` are
 * held 2.5 s by the sandbox: once they are queued, the batch is still running.
 */
async function queuedBesideHeldWrites(queued: string[], slow: string[]): Promise<string> {
  for (const sid of slow) await holdNextWrite(sid, 2500);
  const id = await batchColleagueMoves(queued, { priority: 3 }, h, slow);
  for (let i = 0; ; i++) {
    const status = await h.api.batchStatus({ batchId: id });
    if (status.kind === 'ok' && status.batch.counts.queued === queued.length) break;
    if (i > 100) throw new Error('the conflicting targets were never queued');
    await sleep(20);
  }
  return id;
}

async function untilInFlight(api: Api, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const log = await api.auditLog({});
    if (log.entries.some((e) => e.state === 'in-flight' && ids.includes(e.resourceId))) return;
    await sleep(10);
  }
  throw new Error(`no write of ${ids.join(', ')} went in flight within 2 s`);
}

/**
 * Keeps mine for the /priority group of batch `id`, the server holding its first member's write
 * `delayMs`: answers the group's members in their order and the decision, once that write is in
 * flight.
 */
async function decisionHeldAtFirst(api: Api, id: string, delayMs: number) {
  const queue = await api.batchQueue({ batchId: id });
  if (queue.kind !== 'ok') throw new Error(queue.message);
  const order = queue.groups[0]!.targets.map((t) => t.resourceId);
  await holdNextWrite(order[0], delayMs);
  const decision = api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' });
  await untilInFlight(api, [order[0]!]);
  return { order, decision };
}

describe('the conflict queue', () => {
  it('one decision does not overwrite a member that a colleague changed again after it was queued', async () => {
    const [still, again, elsewhere] = SANDBOX_IDS.taskSids.slice(40, 43) as [
      string,
      string,
      string,
    ];
    const id = await queuedBatch([still, again, elsewhere]);
    const queue = await h.api.batchQueue({ batchId: id });
    expect(queue).toMatchObject({ kind: 'ok', groups: [{ signature: '/priority' }] });
    // The operator looks at the group (Server now: priority 3) and decides "keep mine". Meanwhile
    // the colleague changes one of them again on the same path, and another elsewhere.
    await colleagueEdits(again, { fields: { priority: 1 } });
    await colleagueEdits(elsewhere, { patch: { note: 'later' } });
    const settled = await h.api.settleBatchGroup({
      batchId: id,
      signature: '/priority',
      decision: 'mine',
    });
    if (settled.kind !== 'ok') throw new Error(settled.message);
    // The decision was made over priority 3: the value 1, never seen, is not overwritten.
    expect((await getTask(again)).priority).toBe(1);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t]));
    expect(byId[again]).toMatchObject({ status: 'queued', signature: '/priority' });
    // Said as what happened on the server, not as who did it (it may be the operator's own tab).
    expect(byId[again]!.reason).toBe(
      '/priority changed on the server again after your decision was asked; it stays queued with what the server holds now.',
    );
    expect(byId[still]).toMatchObject({ status: 'reapplied' });
    expect(byId[elsewhere]).toMatchObject({ status: 'reapplied' });
    expect((await getTask(still)).priority).toBe(7);
    const moved = await getTask(elsewhere);
    expect(moved.priority).toBe(7);
    expect(JSON.parse(moved.attributes)).toMatchObject({
      note: 'later',
      skills: expect.arrayContaining(['vip-care']),
    });
    expect(settled.batch.counts).toMatchObject({ queued: 1, reapplied: 2 });
    const c = settled.batch.counts;
    expect(c.applied + c.reapplied + c.queued + c.failed + c.skipped + c.unknown).toBe(3);
  }, 30_000);

  it('a decision whose change no longer applies to what the server then holds stays queued, saying why', async () => {
    const sid = SANDBOX_IDS.taskSids[180]!;
    await colleagueEdits(sid, { patch: { skills: ['billing', 'es'] } });
    // The batch raises the priority and appends a skill at index 2 (the end, on that day).
    await holdNextWrite(sid, 400);
    const id = await start(
      [sid],
      [
        { kind: 'set', path: '/priority', value: 7 },
        {
          kind: 'json-patch',
          ops: [{ op: 'add', path: '/attributes/skills/2', value: 'vip-care' }],
        },
      ],
      1,
    );
    await untilInFlight(h.api, [sid]);
    await colleagueEdits(sid, { fields: { priority: 3 } });
    const done = await waitDone(id);
    expect(done.counts.queued).toBe(1);
    // Shown the group (Server now: priority 3), the operator keeps the batch's change. Before the
    // decision lands, a skill is taken away: index 2 is past the end, and nothing collides.
    await colleagueEdits(sid, { patch: { skills: ['billing'] } });
    const settled = await h.api.settleBatchGroup({
      batchId: id,
      signature: '/priority',
      decision: 'mine',
    });
    if (settled.kind !== 'ok') throw new Error(settled.message);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const target = report.targets.find((t) => t.resourceId === sid)!;
    expect(target.status).toBe('queued');
    expect(target.reason).toMatch(
      /^It changed on the server again after your decision was asked; it stays queued with what the server holds now\. On Server now: .*skills/,
    );
    // Nothing was written over it.
    const now = await getTask(sid);
    expect(now.priority).toBe(3);
    expect(JSON.parse(now.attributes)).toMatchObject({ skills: ['billing'] });
  }, 30_000);

  it('a member merged by hand and saved with the batch’s change leaves the queue as merged; one saved without it stays queued', async () => {
    const [merged, without] = SANDBOX_IDS.taskSids.slice(70, 72) as [string, string];
    const id = await queuedBatch([merged, without]);
    // The three-way merge the operator finished: the batch's priority and skill, their own note.
    const saved = await saveFromTab(merged, (doc) => {
      doc['priority'] = 7;
      const attributes = doc['attributes'] as { skills?: string[]; note?: string };
      attributes.skills = [...(attributes.skills ?? []), 'vip-care'];
      attributes.note = 'merged by hand';
    });
    expect(saved.kind).toBe('saved');
    // Another queued member saved for something else: the batch's change is still not there.
    expect((await saveFromTab(without, (doc) => (doc['priority'] = 5))).kind).toBe('saved');
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t]));
    expect(byId[merged]).toMatchObject({
      status: 'merged',
      toRevision: saved.kind === 'saved' ? saved.snapshot.revision : 'none',
      reason: expect.stringContaining('Merged by hand'),
    });
    expect(byId[without]).toMatchObject({ status: 'queued' });
    const status = await h.api.batchStatus({ batchId: id });
    expect(status).toMatchObject({ kind: 'ok', batch: { counts: { queued: 1, merged: 1 } } });
    const queue = await h.api.batchQueue({ batchId: id });
    expect(
      queue.kind === 'ok' && queue.groups.flatMap((g) => g.targets.map((t) => t.resourceId)),
    ).toEqual([without]);
  }, 30_000);

  it('the same decision sent twice at once (a double click) settles each member once', async () => {
    const sids = SANDBOX_IDS.taskSids.slice(60, 64);
    const id = await queuedBatch(sids);
    await h.admin('DELETE', '/requests');
    const [a, b] = await Promise.all([
      h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' }),
      h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' }),
    ]);
    expect(a.kind).toBe('ok');
    expect(b.kind).toBe('ok');
    const status = await h.api.batchStatus({ batchId: id });
    expect(status).toMatchObject({ kind: 'ok', batch: { counts: { queued: 0, reapplied: 4 } } });
    for (const sid of sids) expect((await getTask(sid)).priority).toBe(7);
    const writes = await h.admin<{ requests: Array<{ path: string }> }>(
      'GET',
      `/requests?method=POST&pathPrefix=${encodeURIComponent(TASKS)}`,
    );
    expect(writes.body.requests.map((r) => r.path.split('/').pop()).sort()).toEqual(
      [...sids].sort(),
    );
  }, 30_000);
});

describe('pausing a batch', () => {
  it('stops a group decision under way too: once it says paused, nothing more is sent', async () => {
    const queued = SANDBOX_IDS.taskSids.slice(120, 123);
    const slow = SANDBOX_IDS.taskSids.slice(123, 125);
    // The other targets' writes are held 2.5 s: the batch still runs while its queue is decided.
    const id = await queuedBesideHeldWrites(queued, slow);
    await h.admin('DELETE', '/requests');
    const { order, decision } = await decisionHeldAtFirst(h.api, id, 1000);
    const paused = await h.api.pauseBatch({ batchId: id });
    expect(paused).toMatchObject({ kind: 'ok', batch: { state: 'paused' } });
    expect(paused.kind === 'ok' && paused.batch.deciding).toBeUndefined();
    expect(await decision).toMatchObject({ kind: 'ok', stopped: true });
    // The decision's write in flight finished; the members it had not reached were not written.
    const writes = await h.admin<{ requests: Array<{ path: string }> }>(
      'GET',
      `/requests?method=POST&pathPrefix=${encodeURIComponent(TASKS)}`,
    );
    expect(
      writes.body.requests
        .map((r) => r.path.split('/').pop())
        .filter((sid) => !slow.includes(sid!)),
    ).toEqual([order[0]]);
    for (const sid of order.slice(1)) expect((await getTask(sid)).priority).toBe(3);
    expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
      batch: { state: 'paused', counts: { queued: 2, reapplied: 1, applied: 2 } },
    });
  }, 30_000);
});

describe('stopping a group decision', () => {
  it('lets the write in flight finish and leaves the members not reached queued, with nothing more sent', async () => {
    const sids = SANDBOX_IDS.taskSids.slice(86, 90);
    const id = await queuedBatch(sids);
    await h.admin('DELETE', '/requests');
    // The decision's first write is held 1 s: the stop arrives while it is in flight.
    const { order, decision } = await decisionHeldAtFirst(h.api, id, 1000);
    // Every window (a reloaded one too) can see the decision under way, and so stop it.
    expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
      batch: { deciding: { signature: '/priority', stopping: false } },
    });
    // A second decision waiting behind the first is dropped by the stop too.
    const waiting = h.api.settleBatchGroup({
      batchId: id,
      signature: '/priority',
      decision: 'mine',
    });
    const stopped = await h.api.stopBatchDecision({ batchId: id });
    expect(stopped).toMatchObject({
      kind: 'ok',
      stopped: true,
      batch: { counts: { reapplied: 1, queued: 3 } },
    });
    expect(stopped.kind === 'ok' && stopped.batch.deciding).toBeUndefined();
    // Each answer says it was stopped: a window (or script) whose decision another caller stopped
    // can tell it from a decision that went through the group.
    expect(await decision).toMatchObject({ kind: 'ok', stopped: true });
    expect(await waiting).toMatchObject({ kind: 'ok', stopped: true });
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t.status]));
    expect(order.map((sid) => byId[sid])).toEqual(['reapplied', 'queued', 'queued', 'queued']);
    expect((await getTask(order[0]!)).priority).toBe(7);
    for (const sid of order.slice(1)) expect((await getTask(sid)).priority).toBe(3);
    const writes = await h.admin<{ requests: Array<{ path: string }> }>(
      'GET',
      `/requests?method=POST&pathPrefix=${encodeURIComponent(TASKS)}`,
    );
    expect(writes.body.requests.map((r) => r.path.split('/').pop())).toEqual([order[0]]);
    // Stopping again, with nothing under way, says so rather than claiming a stop.
    expect(await h.api.stopBatchDecision({ batchId: id })).toMatchObject({
      kind: 'ok',
      stopped: false,
    });
    // A decision made after the stop runs as usual.
    expect(
      await h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' }),
    ).toMatchObject({ kind: 'ok', stopped: false });
    for (const sid of order) expect((await getTask(sid)).priority).toBe(7);
  }, 30_000);

  it('the host closing mid-decision records the write in flight; the members not reached stay queued', async () => {
    const { rmSync } = await import('node:fs');
    const own = await startHarness({ sandbox: h.sandbox });
    let closed = false;
    try {
      const sids = SANDBOX_IDS.taskSids.slice(93, 96);
      const id = await queuedBatch(sids, { priority: 3 }, own);
      const { order, decision } = await decisionHeldAtFirst(own.api, id, 1000);
      // The host closes while the first write is held by the server.
      await own.desk.close();
      closed = true;
      expect(await decision).toMatchObject({ kind: 'ok', stopped: true });
      const again = await startHarness({ dataDir: own.dataDir, sandbox: h.sandbox });
      try {
        const report = await again.api.batchReport({ batchId: id });
        if (report.kind !== 'ok') throw new Error(report.message);
        const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t.status]));
        // The write landed and is reported so, not left queued as though nothing was sent.
        expect((await getTask(order[0]!)).priority).toBe(7);
        expect(order.map((sid) => byId[sid])).toEqual(['reapplied', 'queued', 'queued']);
        for (const sid of order.slice(1)) expect((await getTask(sid)).priority).toBe(3);
        expect(await again.api.pendingOutcomes({})).toMatchObject({ kind: 'ok', pending: [] });
      } finally {
        await again.desk.close();
      }
    } finally {
      if (!closed) await own.desk.close();
      rmSync(own.dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('a host that dies mid-decision leaves the member being written unknown, not queued as if nothing was sent', async () => {
    const { rmSync } = await import('node:fs');
    const own = await startHarness({ sandbox: h.sandbox });
    try {
      const sids = SANDBOX_IDS.taskSids.slice(107, 110);
      const id = await queuedBatch(sids, { priority: 3 }, own);
      const { order, decision } = await decisionHeldAtFirst(own.api, id, 1500);
      // A host starting on this data directory now finds what a crash mid-write would leave.
      const after = await startHarness({
        dataDir: own.dataDir,
        sandbox: h.sandbox,
        desk: { dataDirLock: lockLeftByACrash(own.dataDir) },
      });
      try {
        const report = await after.api.batchReport({ batchId: id });
        if (report.kind !== 'ok') throw new Error(report.message);
        const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t]));
        expect(byId[order[0]!]).toMatchObject({
          status: 'unknown',
          sent: true,
          auditId: expect.any(Number),
        });
        expect(order.slice(1).map((sid) => byId[sid]!.status)).toEqual(['queued', 'queued']);
        const queued = await after.api.batchQueue({ batchId: id });
        expect(queued.kind === 'ok' && queued.groups.map((g) => g.targets.length)).toEqual([2]);
      } finally {
        await after.desk.close();
      }
      await decision;
    } finally {
      await own.desk.close();
      rmSync(own.dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('cancelling a running batch stops its decision under way: the answer counts every write that went out', async () => {
    const [a, b, c] = SANDBOX_IDS.taskSids.slice(100, 103) as [string, string, string];
    const id = await runningWithQueue([a, b], c);
    // The decision's writes are held 1 s each: the cancel arrives while the first is in flight.
    for (const sid of [a, b]) await holdNextWrite(sid, 1000);
    const decision = h.api.settleBatchGroup({
      batchId: id,
      signature: '/priority',
      decision: 'mine',
    });
    await untilInFlight(h.api, [a, b]);
    const cancelled = await h.api.cancelBatch({ batchId: id });
    if (cancelled.kind !== 'ok') throw new Error(cancelled.message);
    expect(await decision).toMatchObject({ kind: 'ok', stopped: true });
    const after = await h.api.batchStatus({ batchId: id });
    if (after.kind !== 'ok') throw new Error(after.message);
    // Nothing went out after the cancel answered: its count of writes is the last word.
    expect(after.batch.writesSent).toBe(cancelled.batch.writesSent);
    expect(after.batch.counts).toMatchObject({ reapplied: 1, queued: 1, cancelled: 1 });
    expect(cancelled.batch).toMatchObject({
      state: 'cancelled',
      counts: { reapplied: 1, queued: 1, cancelled: 1 },
    });
    const priorities = [(await getTask(a)).priority, (await getTask(b)).priority].sort();
    expect(priorities).toEqual([3, 7]);
    await h.admin('DELETE', '/faults');
  }, 30_000);
});

describe('a decision on a stopped batch', () => {
  it('is refused on a cancelled batch, naming the state, and nothing is written', async () => {
    const [a, b, c] = SANDBOX_IDS.taskSids.slice(140, 143) as [string, string, string];
    const id = await runningWithQueue([a, b], c);
    expect(await h.api.cancelBatch({ batchId: id })).toMatchObject({
      batch: { state: 'cancelled', counts: { queued: 2, cancelled: 1 } },
    });
    await expectDecisionsRefused(id, expect.stringContaining('cancelled'));
    for (const sid of [a, b]) expect((await getTask(sid)).priority).toBe(3);
    expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
      batch: { state: 'cancelled', counts: { queued: 2, cancelled: 1 } },
    });
  }, 30_000);

  it('is refused on a paused batch until it is resumed, then taken', async () => {
    const [a, b, c] = SANDBOX_IDS.taskSids.slice(150, 153) as [string, string, string];
    const id = await runningWithQueue([a, b], c);
    expect(await h.api.pauseBatch({ batchId: id })).toMatchObject({
      batch: { state: 'paused', counts: { queued: 2, pending: 1 } },
    });
    await expectDecisionsRefused(id, expect.stringMatching(/paused.*Resume it/));
    expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
      batch: { state: 'paused', counts: { queued: 2 } },
    });
    await h.api.resumeBatch({ batchId: id });
    expect(await waitDone(id)).toMatchObject({ state: 'done', counts: { applied: 1 } });
    expect(
      await h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' }),
    ).toMatchObject({ kind: 'ok', stopped: false, batch: { counts: { queued: 0, reapplied: 2 } } });
    for (const sid of [a, b]) expect((await getTask(sid)).priority).toBe(7);
  }, 30_000);
});

describe('a decision while a pause finishes its writes in flight', () => {
  it('is refused as on a paused batch: nothing more is sent', async () => {
    const queued = SANDBOX_IDS.taskSids.slice(170, 172);
    const slow = SANDBOX_IDS.taskSids.slice(172, 173);
    const id = await queuedBesideHeldWrites(queued, slow);
    await untilInFlight(h.api, slow);
    await h.admin('DELETE', '/requests');
    const pausing = h.api.pauseBatch({ batchId: id });
    expect(
      await h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' }),
    ).toMatchObject({
      kind: 'error',
      reason: 'batch-state',
      message: expect.stringContaining('paused'),
    });
    expect(await pausing).toMatchObject({ batch: { state: 'paused', counts: { queued: 2 } } });
    // Only the write that was in flight when the pause came.
    const writes = await h.admin<{ requests: Array<{ path: string }> }>(
      'GET',
      `/requests?method=POST&pathPrefix=${encodeURIComponent(TASKS)}`,
    );
    expect(writes.body.requests.map((r) => r.path.split('/').pop())).toEqual(slow);
    for (const sid of queued) expect((await getTask(sid)).priority).toBe(3);
  }, 30_000);
});

/**
 * Either decision on the group `/priority` of batch `id` is refused (409, `batch-state`, the words
 * `message` matches), and no write reaches the sandbox (its faults and request log are cleared
 * first, so a held write of the run does not count).
 */
async function expectDecisionsRefused(id: string, message: unknown): Promise<void> {
  await h.admin('DELETE', '/faults');
  await h.admin('DELETE', '/requests');
  for (const decision of ['mine', 'theirs'] as const)
    expect(
      await h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision }),
    ).toMatchObject({ kind: 'error', reason: 'batch-state', status: 409, message });
  const writes = await h.admin<{ requests: unknown[] }>(
    'GET',
    `/requests?method=POST&pathPrefix=${encodeURIComponent(TASKS)}`,
  );
  expect(writes.body.requests).toEqual([]);
}

/**
 * A running batch setting /priority to 7 with `queued` in its conflict queue (a colleague changed
 * each while its write was held) and `limited` waiting out a 429 (60 s), so the run goes on.
 */
async function runningWithQueue(queued: string[], limited: string): Promise<string> {
  for (const sid of queued) await holdNextWrite(sid, 400);
  await h.admin('POST', '/faults', {
    kind: 'rate-limit',
    method: 'POST',
    pathPrefix: `${TASKS}/${limited}`,
    retryAfter: 60,
  });
  const id = await start([...queued, limited], [{ kind: 'set', path: '/priority', value: 7 }], 1);
  const struck = new Set(queued);
  while (struck.size > 0) {
    for (const entry of (await h.api.auditLog({})).entries)
      if (entry.state === 'in-flight' && struck.delete(entry.resourceId))
        await colleagueEdits(entry.resourceId, { fields: { priority: 3 } });
    await sleep(15);
  }
  for (let i = 0; i < 400; i++) {
    const writes = await h.admin<{ requests: unknown[] }>(
      'GET',
      `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${limited}`)}`,
    );
    if (writes.body.requests.length > 0) break;
    await sleep(10);
  }
  expect(await h.api.batchStatus({ batchId: id })).toMatchObject({
    batch: { state: 'running', counts: { queued: queued.length, running: 1 } },
  });
  return id;
}

describe('stopping a group decision, continued', () => {
  it('a write in flight that the server refuses after the stop (another writer moved it) is not sent again', async () => {
    const [sid] = SANDBOX_IDS.taskSids.slice(93, 94) as [string];
    const id = await queuedBatch([sid]);
    const queued = await h.api.batchReport({ batchId: id });
    if (queued.kind !== 'ok') throw new Error(queued.message);
    // The decision's write is held 1 s; meanwhile a colleague changes another field, so the held
    // write meets a 412 that the intent could simply be re-applied over.
    await holdNextWrite(sid, 1000);
    await h.admin('DELETE', '/requests');
    const decision = h.api.settleBatchGroup({
      batchId: id,
      signature: '/priority',
      decision: 'mine',
    });
    await untilInFlight(h.api, [sid]);
    await colleagueEdits(sid, { patch: { note: 'meanwhile' } });
    await h.api.stopBatchDecision({ batchId: id });
    expect(await decision).toMatchObject({ kind: 'ok', stopped: true });
    // One write went out, the one in flight when the stop came; none after it.
    const writes = await h.admin<{ requests: unknown[] }>(
      'GET',
      `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${sid}`)}`,
    );
    expect(writes.body.requests).toHaveLength(1);
    expect((await getTask(sid)).priority).toBe(3);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const before = queued.targets[0]!;
    expect(report.targets[0]).toMatchObject({
      status: 'queued',
      signature: '/priority',
      theirsJournalId: before.theirsJournalId,
      baseJournalId: before.baseJournalId,
      reason: expect.stringMatching(/another writer had changed the resource/),
    });
    // Decided again, the intent goes over what the server holds now.
    await h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' });
    const task = await getTask(sid);
    expect(task.priority).toBe(7);
    expect(JSON.parse(task.attributes)).toMatchObject({ note: 'meanwhile' });
  }, 30_000);

  it('a write the server refused with 429 while the decision waited goes back to its group', async () => {
    const [sid] = SANDBOX_IDS.taskSids.slice(91, 92) as [string];
    const id = await queuedBatch([sid]);
    const queued = await h.api.batchReport({ batchId: id });
    if (queued.kind !== 'ok') throw new Error(queued.message);
    const asQueued = queued.targets[0]!;
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'POST',
      pathPrefix: `${TASKS}/${sid}`,
      retryAfter: 30,
    });
    await h.admin('DELETE', '/requests');
    const decision = h.api.settleBatchGroup({
      batchId: id,
      signature: '/priority',
      decision: 'mine',
    });
    // The server refused the write (429, wait 30 s): the decision waits.
    for (let i = 0; i < 200; i++) {
      const writes = await h.admin<{ requests: unknown[] }>(
        'GET',
        `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${sid}`)}`,
      );
      if (writes.body.requests.length > 0) break;
      await sleep(10);
    }
    await sleep(100);
    const started = Date.now();
    await h.api.stopBatchDecision({ batchId: id });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await decision).toMatchObject({ kind: 'ok', stopped: true });
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.targets[0]).toMatchObject({
      status: 'queued',
      signature: '/priority',
      reason: expect.stringMatching(/stopped before this resource’s write landed.*429/),
    });
    // And still why it was queued in the first place.
    expect(asQueued.reason).toBeTruthy();
    expect(report.targets[0]!.reason).toContain(asQueued.reason!);
    // Back as the operator saw it: the three-way view opens on the revision the batch read and
    // the Server now the decision was asked over, not on that Server now twice (no conflict shown).
    expect(report.targets[0]).toMatchObject({
      baseJournalId: asQueued.baseJournalId,
      theirsJournalId: asQueued.theirsJournalId,
      fromRevision: asQueued.fromRevision,
    });
    expect(asQueued.baseJournalId).not.toBe(asQueued.theirsJournalId);
    const queue = await h.api.batchQueue({ batchId: id });
    expect(queue.kind === 'ok' && queue.groups.map((g) => g.targets.length)).toEqual([1]);
    // Decided again once the server takes writes: written over that Server now.
    await h.admin('DELETE', '/faults');
    await h.api.settleBatchGroup({ batchId: id, signature: '/priority', decision: 'mine' });
    expect((await getTask(sid)).priority).toBe(7);
    const after = await h.api.batchReport({ batchId: id });
    expect(after.kind === 'ok' && after.targets[0]!.status).toBe('reapplied');
  }, 30_000);
});

describe('a target whose outcome was unknown', () => {
  it('says what a later check found, not what the server held when it was written', async () => {
    const sid = SANDBOX_IDS.taskSids[80]!;
    // The write's connection is cut before the server reads it: unknown, the server holds the base.
    await h.admin('POST', '/faults', {
      kind: 'close-before',
      method: 'POST',
      pathPrefix: `${TASKS}/${sid}`,
    });
    const id = await start([sid], [{ kind: 'set', path: '/priority', value: 7 }], 1);
    await waitDone(id);
    const report = async () => {
      const r = await h.api.batchReport({ batchId: id });
      if (r.kind !== 'ok') throw new Error(r.message);
      return r.targets[0]!;
    };
    const unknown = await report();
    expect(unknown).toMatchObject({ status: 'unknown' });
    expect(unknown.reason).toMatch(/has not landed so far/);
    // The write arrives after all (a proxy that held it): the server holds the batch's value.
    await h.admin('POST', '/edit', { path: `${TASKS}/${sid}`, fields: { priority: 7 } });
    const checked = await h.api.checkOutcome({ auditId: unknown.auditId! });
    expect(checked).toMatchObject({ kind: 'ok', pending: { serverHolds: 'your-edit' } });
    const after = await report();
    // Still not proven (someone else could have saved the same value), so still unknown; but it
    // no longer says the write has not landed.
    expect(after.status).toBe('unknown');
    expect(after.reason).toMatch(/now holds exactly/);
    expect(after.reason).toMatch(/\(checked /);
    expect(after.reason).not.toMatch(/has not landed so far/);
  }, 30_000);
});

describe('a target whose outcome was unknown, then saved by hand', () => {
  it('is settled as merged by a save that holds the batch’s change, and stays unknown after one without it', async () => {
    const [held, without] = SANDBOX_IDS.taskSids.slice(82, 84) as [string, string];
    for (const sid of [held, without])
      await h.admin('POST', '/faults', {
        kind: 'close-before',
        method: 'POST',
        pathPrefix: `${TASKS}/${sid}`,
      });
    const id = await start([held, without], [{ kind: 'set', path: '/priority', value: 7 }], 1);
    await waitDone(id);
    const connection = await h.connection('TaskRouter');
    const save = async (sid: string, priority: number) => {
      const ref = { connectionId: connection.id, id: sid };
      const opened = await h.api.openResource({ ref });
      if (opened.kind !== 'ok') throw new Error(opened.message);
      const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
      doc['priority'] = priority;
      return h.api.saveResource({
        ref,
        text: JSON.stringify(doc, null, 2),
        baseJournalId: opened.snapshot.journalId,
      });
    };
    // The operator, told the batch's write may not have landed, saves its change by hand.
    const saved = await save(held, 7);
    expect(saved.kind).toBe('saved');
    expect((await save(without, 5)).kind).toBe('saved');
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t]));
    expect(byId[held]).toMatchObject({
      status: 'merged',
      toRevision: saved.kind === 'saved' ? saved.snapshot.revision : 'none',
      reason: expect.stringMatching(/Saved by hand .*never proven/),
    });
    expect(byId[without]).toMatchObject({ status: 'unknown' });
  }, 30_000);
});

/**
 * Starts a batch that appends to a list on each of `sids` (a JSON Patch: sent twice, it would
 * append twice) in a host of its own (test-support/batch-then-die.ts, on `dataDir`), holds the
 * first write `delayMs` in the sandbox, and kills that host with SIGKILL once the sandbox holds it,
 * before it is answered. Returns the batch's id.
 */
async function batchKilledMidWrite(
  dataDir: string,
  sids: readonly string[],
  delayMs: number,
): Promise<string> {
  return batchKilledAfter(dataDir, sids, { kind: 'delay', delayMs });
}

/**
 * As batchKilledMidWrite, the first write meeting `fault` instead; the host is killed `afterMs`
 * after the sandbox has applied it.
 */
async function batchKilledAfter(
  dataDir: string,
  sids: readonly string[],
  fault: Record<string, unknown>,
  afterMs = 0,
): Promise<string> {
  for (const sid of sids)
    await h.admin('POST', '/edit', { path: `${TASKS}/${sid}`, patch: { log: [] } });
  await h.admin('POST', '/faults', { method: 'POST', pathPrefix: `${TASKS}/${sids[0]}`, ...fault });
  const { spawn } = await import('node:child_process');
  const path = await import('node:path');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, '../../test-support/batch-then-die.ts'),
      dataDir,
      h.sandbox.url,
      SANDBOX_IDS.workspaceSid,
      SANDBOX_CREDENTIALS.twilio.accountSid,
      SANDBOX_CREDENTIALS.twilio.authToken,
      ...sids,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  const batchId = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /started (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error(`child ended before starting: ${output}`)));
  });
  for (;;) {
    const faults = await h.admin<{ faults: Array<{ remaining: number | null }> }>('GET', '/faults');
    if (faults.body.faults.every((f) => f.remaining === 0)) break;
    await sleep(20);
  }
  await sleep(afterMs);
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return batchId;
}

describe('a host killed mid-run', () => {
  it('reports the target whose write was in flight as unknown and sent, and never sends it again', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { startHarness } = await import('../../test-support/desk-harness');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-batch-crash-'));
    const sids = SANDBOX_IDS.taskSids.slice(50, 54);
    // The first write takes 4 s to commit: the host is killed while it is in flight.
    const batchId = await batchKilledMidWrite(dataDir, sids, 4000);
    await sleep(4500);
    const restarted = await startHarness({ dataDir, sandbox: h.sandbox });
    try {
      const status = await restarted.api.batchStatus({ batchId });
      expect(status).toMatchObject({ kind: 'ok', batch: { state: 'interrupted', writesSent: 1 } });
      const report = await restarted.api.batchReport({ batchId });
      if (report.kind !== 'ok') throw new Error(report.message);
      expect(report.targets[0]).toMatchObject({
        resourceId: sids[0],
        status: 'unknown',
        sent: true,
      });
      await restarted.api.resumeBatch({ batchId });
      const done = await waitDone(batchId, restarted.api);
      expect(done.counts).toMatchObject({ unknown: 1, applied: 3 });
      // Never sent twice: the write that landed after the crash appended once.
      const logs = await Promise.all(
        sids.map(
          async (sid) => (JSON.parse((await getTask(sid)).attributes) as { log: string[] }).log,
        ),
      );
      expect(logs).toEqual(sids.map(() => ['batch']));
    } finally {
      await restarted.desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the words of the report', () => {
  it('a refused write, a lost answer and a 5xx are reported without the editor\u2019s "your edit is kept"', async () => {
    const [refused, lost, failing] = SANDBOX_IDS.taskSids.slice(70, 73) as [string, string, string];
    await h.admin('POST', '/faults', {
      kind: 'close-after',
      method: 'POST',
      pathPrefix: `${TASKS}/${lost}`,
    });
    await h.admin('POST', '/faults', {
      kind: 'error',
      status: 503,
      method: 'POST',
      pathPrefix: `${TASKS}/${failing}`,
      times: null,
    });
    // A priority the server refuses (400); the other two never get its answer (dropped, 503).
    const id = await start(
      [refused, lost, failing],
      [{ kind: 'set', path: '/priority', value: 'urgent' }],
    );
    await waitDone(id);
    await h.admin('DELETE', '/faults');
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    const byId = Object.fromEntries(report.targets.map((t) => [t.resourceId, t]));
    expect(byId[refused]).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('400'),
    });
    expect(byId[lost]).toMatchObject({ status: 'unknown' });
    expect(byId[failing]).toMatchObject({ status: 'unknown' });
    for (const t of report.targets) expect(t.reason, t.resourceId).not.toMatch(/edit is kept/i);
  });
});

describe('every target accounted for under faults and a colleague', () => {
  it('200 tasks: totals add up, each outcome matches what the server holds, every write is conditional', async () => {
    const connection = await h.connection('TaskRouter');
    const all = await h.api.countMatching({ connectionId: connection.id });
    if (all.kind !== 'ok') throw new Error(all.message);
    const ids = all.ids;
    expect(ids).toHaveLength(200);
    const before = new Map((await Promise.all(ids.map(getTask))).map((t) => [t.sid, t]));
    // The colleague and the faults strike tasks the batch writes (pending ones: the test passes).
    const writable = ids.filter((sid) => before.get(sid)!.assignment_status === 'pending');
    expect(writable.length).toBeGreaterThan(60);
    const pick = (from: number) => writable.slice(from, from + 5);
    const onPath = [...pick(0), ...pick(5)];
    const elsewhere = [...pick(10), ...pick(15)];
    const [dropped, failing, limited, deleted] = [
      pick(20),
      pick(25),
      pick(30),
      pick(35).slice(0, 3),
    ];
    for (const sid of deleted)
      await fetch(`${h.sandbox.url}${TASKS}/${sid}`, {
        method: 'DELETE',
        headers: { authorization: basic },
      });
    const fault = (kind: string, sid: string, extra: Record<string, unknown> = {}) =>
      h.admin('POST', '/faults', { kind, method: 'POST', pathPrefix: `${TASKS}/${sid}`, ...extra });
    for (const sid of [...onPath, ...elsewhere]) await fault('delay', sid, { delayMs: 400 });
    for (const sid of dropped) await fault('close-after', sid);
    for (const sid of failing) await fault('error', sid, { status: 503, times: null });
    for (const sid of limited) await fault('rate-limit', sid, { retryAfter: 1 });
    const started = await h.api.startBatch({
      connectionId: connection.id,
      resourceIds: ids,
      intents: [
        // Only pending tasks: the test fails the others.
        {
          kind: 'json-patch',
          ops: [
            { op: 'test', path: '/assignment_status', value: 'pending' },
            { op: 'replace', path: '/priority', value: 7 },
          ],
        },
        { kind: 'add-element', path: '/attributes/skills', value: 'vip-care' },
      ],
      concurrency: 8,
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    const pending = new Set([...onPath, ...elsewhere]);
    const deadline = Date.now() + 60_000;
    while (pending.size > 0 && Date.now() < deadline) {
      for (const entry of (await h.api.auditLog({})).entries)
        if (entry.state === 'in-flight' && pending.delete(entry.resourceId))
          await h.admin('POST', '/edit', {
            path: `${TASKS}/${entry.resourceId}`,
            ...(onPath.includes(entry.resourceId)
              ? { fields: { priority: 3 } }
              : { patch: { note: 'colleague' } }),
            actor: 'colleague',
          });
      await sleep(15);
    }
    const done = await waitDone(started.batch.batchId);
    await h.admin('DELETE', '/faults');
    const c = done.counts;
    expect(c.applied + c.reapplied + c.queued + c.failed + c.skipped + c.unknown).toBe(200);
    expect(c.pending + c.running + c.cancelled + c['kept-theirs']).toBe(0);

    const report = await h.api.batchReport({ batchId: started.batch.batchId });
    if (report.kind !== 'ok') throw new Error(report.message);
    const posted = (
      await h.admin<{ requests: Array<{ path: string; headers: Record<string, string> }> }>(
        'GET',
        `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/`)}`,
      )
    ).body.requests;
    expect(posted.filter((r) => !r.headers['if-match'])).toEqual([]);
    const postedTo = new Set(posted.map((r) => r.path.split('/').pop()!));
    // Every write that left counts, a target retried (a 429, a conflict) once per attempt.
    expect(done.writesSent).toBe(posted.length);
    expect(posted.length).toBeGreaterThan(postedTo.size);
    for (const t of report.targets) {
      const why = `${t.resourceId} ${t.status}: ${t.reason}`;
      expect(t.sent, why).toBe(postedTo.has(t.resourceId));
      const was = before.get(t.resourceId)!;
      if (deleted.includes(t.resourceId)) {
        expect(t, why).toMatchObject({ status: 'failed', sent: false });
        continue;
      }
      const now = await getTask(t.resourceId);
      const skills = (JSON.parse(now.attributes) as { skills?: string[] }).skills ?? [];
      switch (t.status) {
        case 'applied':
        case 'reapplied':
          expect(now.priority, why).toBe(7);
          expect(
            skills.filter((x) => x === 'vip-care'),
            why,
          ).toHaveLength(1);
          break;
        case 'queued':
          expect(onPath, why).toContain(t.resourceId);
          expect(now.priority, why).toBe(3);
          break;
        case 'failed':
          // Nothing of the batch landed.
          expect(now.priority, why).toBe(was.priority);
          expect(now.attributes, why).toBe(was.attributes);
          break;
        case 'unknown':
          expect([...dropped, ...failing], why).toContain(t.resourceId);
          break;
        case 'skipped':
          expect(t.sent, why).toBe(false);
          break;
        default:
          throw new Error(why);
      }
    }
    for (const sid of [...dropped, ...failing]) {
      const t = report.targets.find((x) => x.resourceId === sid)!;
      expect(t.status === 'applied' || t.status === 'reapplied', `${sid}: ${t.status}`).toBe(false);
    }
  }, 120_000);
});

describe('intents inside a task\u2019s JSON-in-string attributes', () => {
  it('an integer beyond 2^53 is written, reported and kept across a restart exactly as typed', async () => {
    const connection = await h.connection('TaskRouter');
    const sid = SANDBOX_IDS.taskSids[90]!;
    const started = await h.api.startBatch({
      connectionId: connection.id,
      resourceIds: [sid],
      intents: [{ kind: 'set', path: '/attributes/account', value: 12345678901234567890n }],
    });
    if (started.kind !== 'ok') throw new Error(started.message);
    expect(await waitDone(started.batch.batchId)).toMatchObject({ counts: { applied: 1 } });
    // The server's attributes string holds the digits as typed.
    expect((await getTask(sid)).attributes).toContain('"account":12345678901234567890');
    const report = await h.api.batchReport({ batchId: started.batch.batchId, format: 'json' });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.text).toContain('"value": 12345678901234567890');
    // The next host on the same data directory (this one standing for a host gone) reads the
    // batch back as it was stored.
    const { startHarness } = await import('../../test-support/desk-harness');
    const again = await startHarness({
      dataDir: h.dataDir,
      sandbox: h.sandbox,
      desk: { dataDirLock: lockLeftByACrash(h.dataDir) },
    });
    try {
      const status = await again.api.batchStatus({ batchId: started.batch.batchId });
      expect(status).toMatchObject({
        kind: 'ok',
        batch: { intents: [{ value: 12345678901234567890n }] },
      });
    } finally {
      await again.desk.close();
    }
  });
});

describe('the report', () => {
  it('exports as CSV with no cell a spreadsheet would run as a formula', async () => {
    // A server whose record ids and revisions would each start a formula in a spreadsheet.
    const ids = ['=HYPERLINK("http://example.test","x")', '+1+2', '-3+4', '@SUM(1)'];
    const docs = new Map(ids.map((id) => [id, { rev: 1, body: { id, status: 'open' } }]));
    const server = await startScriptedServer((req) => {
      const id = decodeURIComponent(req.path.split('?')[0]!.split('/').pop()!);
      const doc = docs.get(id);
      if (!doc) return { status: 404, body: '{}' };
      const etag = `"=${doc.rev}+1"`;
      if (req.method === 'GET')
        return { status: 200, headers: { etag }, body: JSON.stringify(doc.body) };
      if (req.headers['if-match'] !== etag) return { status: 412, body: '{}' };
      doc.rev++;
      doc.body = JSON.parse(req.body) as typeof doc.body;
      return { status: 200, headers: { etag: `"=${doc.rev}+1"` }, body: req.body };
    });
    try {
      const ref = await connectScripted(h, server);
      const started = await h.api.startBatch({
        connectionId: ref('x').connectionId,
        resourceIds: ids,
        intents: [{ kind: 'set', path: '/status', value: 'solved' }],
      });
      if (started.kind !== 'ok') throw new Error(started.message);
      const done = await waitDone(started.batch.batchId);
      expect(done.counts.applied).toBe(4);
      const report = await h.api.batchReport({ batchId: started.batch.batchId, format: 'csv' });
      if (report.kind !== 'ok') throw new Error(report.message);
      const rows = parseCsv(report.text!);
      expect(rows).toHaveLength(5);
      const cells = rows.slice(1).flat();
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
      // The id is still there to read, behind the apostrophe a spreadsheet hides.
      expect(rows.slice(1).map((r) => r[0])).toEqual(ids.map((id) => `'${id}`));
    } finally {
      await server.close();
    }
  });
});

/** RFC 4180 as a spreadsheet reads it: quoted cells, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

/**
 * Starts a batch of `intents` on `sid` whose write is held `delayMs`, and runs `meanwhile` while
 * the write is held. Returns the batch's id.
 */
async function writeHeldWhile(
  sid: string,
  intents: Parameters<Api['startBatch']>[0]['intents'],
  delayMs: number,
  meanwhile: () => Promise<unknown>,
): Promise<string> {
  await holdNextWrite(sid, delayMs);
  const id = await start([sid], intents);
  await untilInFlight(h.api, [sid]);
  await meanwhile();
  return id;
}

/** Has a colleague set `fields` on `sid` while a batch's write of it is held 400 ms. */
const writeHeldWhileColleagueEdits = (
  sid: string,
  intents: Parameters<Api['startBatch']>[0]['intents'],
  fields: Record<string, unknown>,
): Promise<string> =>
  writeHeldWhile(sid, intents, 400, () =>
    h.admin('POST', '/edit', { path: `${TASKS}/${sid}`, fields, actor: 'colleague' }),
  );

/** The operator's own save of task `sid` from a tab of this desk: opened, changed, saved. */
async function saveFromTab(sid: string, change: (doc: Record<string, unknown>) => void) {
  const connection = await h.connection('TaskRouter');
  const ref = { connectionId: connection.id, id: sid };
  const opened = await h.api.openResource({ ref });
  if (opened.kind !== 'ok') throw new Error(opened.message);
  const doc = JSON.parse(opened.snapshot.text) as Record<string, unknown>;
  change(doc);
  return h.api.saveResource({
    ref,
    text: JSON.stringify(doc, null, 2),
    baseJournalId: opened.snapshot.journalId,
  });
}

describe('a colleague who made the same change', () => {
  it('between the batch’s read and its write: the target is skipped (the change is there), not failed', async () => {
    const sid = SANDBOX_IDS.taskSids[90]!;
    const id = await writeHeldWhileColleagueEdits(
      sid,
      [{ kind: 'set', path: '/priority', value: 7 }],
      { priority: 7 },
    );
    const done = await waitDone(id);
    expect((await getTask(sid)).priority).toBe(7);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.targets[0]).toMatchObject({ status: 'skipped', sent: true });
    expect(done.counts).toMatchObject({ skipped: 1, failed: 0 });
  }, 30_000);
});

describe('the operator who made the same change from a tab', () => {
  it('between the batch’s read and its write: the target is skipped, and its reason blames no one else', async () => {
    const sid = SANDBOX_IDS.taskSids[91]!;
    let saved: Awaited<ReturnType<typeof saveFromTab>> | undefined;
    // Held long enough for the operator's open and save to land first on a busy machine (the
    // fault holds the batch's write only).
    const id = await writeHeldWhile(
      sid,
      [{ kind: 'set', path: '/priority', value: 7 }],
      2000,
      async () => (saved = await saveFromTab(sid, (doc) => (doc['priority'] = 7))),
    );
    expect(saved?.kind).toBe('saved');
    await waitDone(id);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.targets[0]).toMatchObject({ status: 'skipped', sent: true });
    expect(report.targets[0]!.reason).toBe(
      'The server already holds this change: another write made it.',
    );
  }, 30_000);
});

describe('a 429 whose Retry-After is beyond what a timer holds', () => {
  it('(30 days) is waited, not turned into an immediate retry: nothing more is sent until cancel', async () => {
    const limited = SANDBOX_IDS.taskSids[91]!;
    const before = await getTask(limited);
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'POST',
      pathPrefix: `${TASKS}/${limited}`,
      retryAfter: 30 * 24 * 3600,
      times: 1,
    });
    const id = await start([limited], [{ kind: 'set', path: '/priority', value: 57 }], 1);
    const posts = async () =>
      (
        await h.admin<{ requests: Array<{ status: number }> }>(
          'GET',
          `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${limited}`)}`,
        )
      ).body.requests;
    for (let i = 0; i < 200 && (await posts()).length === 0; i++) await sleep(10);
    await sleep(500);
    // The server asked to wait 30 days: its one refused write is all that was sent.
    expect((await posts()).map((r) => r.status)).toEqual([429]);
    const cancelled = await h.api.cancelBatch({ batchId: id });
    await h.admin('DELETE', '/faults');
    expect(cancelled).toMatchObject({
      kind: 'ok',
      batch: { state: 'cancelled', writesSent: 1, counts: { cancelled: 1, applied: 0 } },
    });
    expect((await getTask(limited)).priority).toBe(before.priority);
  }, 30_000);
});

describe('a host killed after a 429, no write in flight', () => {
  it('while waiting out Retry-After: the target is read afresh on resume and written once', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-batch-429-kill-'));
    const sids = SANDBOX_IDS.taskSids.slice(160, 162);
    // The first write meets a 429 asking for 120 s; the host is killed while it waits.
    const batchId = await batchKilledAfter(
      dataDir,
      sids,
      { kind: 'rate-limit', retryAfter: 120, times: 1 },
      500,
    );
    const restarted = await startHarness({ dataDir, sandbox: h.sandbox });
    try {
      const report = await restarted.api.batchReport({ batchId });
      if (report.kind !== 'ok') throw new Error(report.message);
      // The 429 applied nothing and nothing else was sent: not unknown, simply to retry.
      expect(report.batch).toMatchObject({ state: 'interrupted', writesSent: 1 });
      expect(report.targets[0]).toMatchObject({
        resourceId: sids[0],
        status: 'pending',
        sent: true,
      });
      await restarted.api.resumeBatch({ batchId });
      const done = await waitDone(batchId, restarted.api);
      expect(done).toMatchObject({ counts: { applied: 2, unknown: 0 }, writesSent: 3 });
      // Appended once each (a JSON Patch add: sent twice, it would append twice).
      const logs = await Promise.all(
        sids.map(
          async (sid) => (JSON.parse((await getTask(sid)).attributes) as { log: string[] }).log,
        ),
      );
      expect(logs).toEqual(sids.map(() => ['batch']));
    } finally {
      await restarted.desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('while re-reading it on resume after a pause in a 429: it restarts pending, not unknown', async () => {
    const { rmSync } = await import('node:fs');
    const own = await startHarness({ sandbox: h.sandbox });
    try {
      const sid = SANDBOX_IDS.taskSids[165]!;
      await h.admin('POST', '/faults', {
        kind: 'rate-limit',
        method: 'POST',
        pathPrefix: `${TASKS}/${sid}`,
        retryAfter: 120,
        times: 1,
      });
      const id = await start([sid], [{ kind: 'set', path: '/priority', value: 57 }], 1, own);
      for (let i = 0; ; i++) {
        const log = await h.admin<{ requests: Array<{ status: number }> }>(
          'GET',
          `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${sid}`)}`,
        );
        if (log.body.requests.some((r) => r.status === 429)) break;
        if (i > 200) throw new Error('no 429');
        await sleep(20);
      }
      await sleep(200);
      expect(await own.api.pauseBatch({ batchId: id })).toMatchObject({
        batch: { state: 'paused', counts: { pending: 1 } },
      });
      // The re-read on resume is held 3 s: a host starting on this data directory meanwhile
      // finds what a crash mid-read would leave.
      await h.admin('POST', '/faults', {
        kind: 'delay',
        method: 'GET',
        pathPrefix: `${TASKS}/${sid}`,
        delayMs: 3000,
        times: 1,
      });
      await own.api.resumeBatch({ batchId: id });
      for (let i = 0; ; i++) {
        const status = await own.api.batchStatus({ batchId: id });
        if (status.kind === 'ok' && status.batch.counts.running === 1) break;
        if (i > 200) throw new Error('never running');
        await sleep(10);
      }
      const after = await startHarness({
        dataDir: own.dataDir,
        sandbox: h.sandbox,
        desk: { dataDirLock: lockLeftByACrash(own.dataDir) },
      });
      try {
        const report = await after.api.batchReport({ batchId: id });
        if (report.kind !== 'ok') throw new Error(report.message);
        expect(report.targets[0]).toMatchObject({ status: 'pending', sent: true });
      } finally {
        await after.desk.close();
      }
    } finally {
      await own.desk.close();
      await h.admin('DELETE', '/faults');
      rmSync(own.dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('a host killed mid-run, then started again', () => {
  it('links the target whose write was in flight to its audit entry, and says what the check at start found', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-batch-crash-check-'));
    const sids = SANDBOX_IDS.taskSids.slice(92, 93);
    const batchId = await batchKilledMidWrite(dataDir, sids, 1500);
    await sleep(2000);
    const restarted = await startHarness({ dataDir, sandbox: h.sandbox });
    try {
      const entry = (await restarted.api.auditLog({})).entries.find(
        (e) => e.resourceId === sids[0],
      );
      let target: { auditId: number | null; reason: string | null; status: string } | undefined;
      for (let i = 0; i < 100; i++) {
        const report = await restarted.api.batchReport({ batchId });
        if (report.kind !== 'ok') throw new Error(report.message);
        target = report.targets[0];
        if (target?.reason?.includes('checked')) break;
        await sleep(30);
      }
      expect(target).toMatchObject({
        status: 'unknown',
        auditId: entry?.id,
        reason: expect.stringContaining('checked'),
      });
    } finally {
      await restarted.desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a batch that sets the whole document', () => {
  it('queues a target another writer changed under the path it writes ("" ), not as "the intent no longer applies"', async () => {
    const sid = SANDBOX_IDS.taskSids[93]!;
    const ref = await h.ref('TaskRouter', sid);
    const whole = JSON.parse((await h.open(ref)).text) as Record<string, unknown>;
    const id = await writeHeldWhileColleagueEdits(
      sid,
      [{ kind: 'set', path: '', value: { ...whole, priority: 42 } }],
      { priority: 3 },
    );
    await waitDone(id);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.targets[0]).toMatchObject({ status: 'queued', signature: '' });
    expect(report.targets[0]!.reason).not.toContain('changed  since');
    const queue = await h.api.batchQueue({ batchId: id });
    expect(queue).toMatchObject({ kind: 'ok', groups: [{ signature: '', paths: [''] }] });
  }, 30_000);
});

describe('a write refused as stale whose Server now cannot be read', () => {
  it('is reported as sent: the server answered it, so writesSent counts it', async () => {
    const sid = SANDBOX_IDS.taskSids[94]!;
    const id = await writeHeldWhileColleagueEdits(
      sid,
      [{ kind: 'set', path: '/priority', value: 8 }],
      { priority: 2 },
    );
    // Every read of it fails from now on: the conflict's re-read of Server now too.
    await h.admin('POST', '/faults', {
      kind: 'error',
      method: 'GET',
      pathPrefix: `${TASKS}/${sid}`,
      status: 503,
      times: null,
    });
    const done = await waitDone(id);
    await h.admin('DELETE', '/faults');
    const posted = (
      await h.admin<{ requests: Array<{ status: number }> }>(
        'GET',
        `/requests?method=POST&pathPrefix=${encodeURIComponent(`${TASKS}/${sid}`)}`,
      )
    ).body.requests;
    expect(posted.map((r) => r.status)).toEqual([412]);
    const report = await h.api.batchReport({ batchId: id });
    if (report.kind !== 'ok') throw new Error(report.message);
    expect(report.targets[0]).toMatchObject({ status: 'failed', sent: true });
    expect(done.writesSent).toBe(1);
  }, 30_000);
});
