// One test per way a save used to claim more than it knew (issue "save truth"): each sets up the
// exact situation against a real HTTP server — the sandbox with injected faults, or a scripted
// upstream for answers the sandbox never gives — and checks the outcome, the wire and the audit.
import { describe, expect, it, vi } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ConnectionInput } from '../../shared/api/types';
import {
  connectScripted,
  edited,
  expectKind,
  harnessPerFile,
  startHarness,
} from '../test-support/desk-harness';
import {
  colleagueAfterOurWrite,
  etagUpstream,
  startScriptedServer,
  type ScriptedAnswer,
  type ScriptedRequest,
  type ScriptedServer,
} from '../test-support/scripted-server';

const h = harnessPerFile({ desk: { writeTimeoutMs: 300 } });

const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
const history = async (path: string) =>
  (
    await h.admin<{ revisions: Array<{ op: string; actor: string }> }>(
      'GET',
      `/history?path=${encodeURIComponent(path)}`,
    )
  ).body.revisions;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The task's priority saved as `priority`: the write lands, its answer is lost and the read after
 * it is cut off, so the outcome is unknown (the server holding the edit).
 */
async function editLanded(priority: number) {
  const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
  const base = await h.open(ref);
  await h.admin('POST', '/faults', { kind: 'close-after', method: 'POST', pathPrefix: TASK_PATH });
  await h.admin('POST', '/faults', { kind: 'close-before', method: 'GET', pathPrefix: TASK_PATH });
  const result = expectKind(
    await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['priority'] = priority)),
      baseJournalId: base.journalId,
    }),
    'unknown-outcome',
  );
  return { ref, result };
}

/** A connection to a scripted upstream. */
const connect = (server: ScriptedServer, input: Partial<ConnectionInput> = {}) =>
  connectScripted(h, server, input);

describe('lost answers are never "saved" or "not saved" without proof', () => {
  it('close-before, a slow re-read, and someone else saving the same values meanwhile: unknown (holds your edit), not "saved (recovered)"', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    await h.admin('POST', '/faults', {
      kind: 'close-before',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'GET',
      pathPrefix: TASK_PATH,
      delayMs: 400,
    });
    const saving = h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['priority'] = 42)),
      baseJournalId: base.journalId,
    });
    await sleep(150);
    await h.admin('POST', '/edit', {
      path: TASK_PATH,
      fields: { priority: 42 },
      actor: 'colleague',
    });
    const result = expectKind(await saving, 'unknown-outcome');
    expect(result.serverHolds).toBe('your-edit');
    expect(result.message).toMatch(/could be someone else/);
    // The server's own history: only the colleague's write landed.
    expect((await history(TASK_PATH)).map((r) => r.actor)).toEqual([
      expect.any(String),
      'colleague',
    ]);
    const audit = (await h.api.auditLog({ ref })).entries.at(-1)!;
    expect(audit).toMatchObject({ state: 'pending', toRevision: null });
  });

  it('a write that outlives the timeout is unknown, not "nothing was written"; checking again later sees it land', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: TASK_PATH,
      delayMs: 700,
    });
    const result = expectKind(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['priority'] = 43)),
        baseJournalId: base.journalId,
      }),
      'unknown-outcome',
    );
    expect(result).toMatchObject({ cause: 'timeout', serverHolds: 'base' });
    expect(result.message).not.toMatch(/Nothing was written/);
    await sleep(900);
    const checked = await h.api.checkOutcome({ auditId: result.auditId });
    expect(checked).toMatchObject({
      kind: 'ok',
      pending: { serverHolds: 'your-edit', serverRevision: '1' },
    });
    expect((await history(TASK_PATH)).filter((r) => r.op !== 'create')).toHaveLength(1);
    // The operator accepts what the server holds; the audit keeps the write unproven.
    expect(
      await h.api.settleOutcome({ auditId: result.auditId, decision: 'accept-server' }),
    ).toEqual({ kind: 'ok' });
    expect((await h.api.pendingOutcomes({})).pending.map((p) => p.auditId)).not.toContain(
      result.auditId,
    );
    expect((await h.api.auditLog({ ref })).entries.at(-1)).toMatchObject({
      state: 'settled',
      outcome: expect.stringContaining('unproven'),
    });
  });

  it('a check still reading the server when the outcome is settled answers "no longer pending", and leaves the settled audit row as it was', async () => {
    const { ref, result } = await editLanded(44);
    // The check's read of the server is slow; the operator settles the outcome meanwhile.
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'GET',
      pathPrefix: TASK_PATH,
      delayMs: 500,
    });
    const checking = h.api.checkOutcome({ auditId: result.auditId });
    await sleep(150);
    expect(await h.api.settleOutcome({ auditId: result.auditId, decision: 'dismiss' })).toEqual({
      kind: 'ok',
    });
    const settledRow = (await h.api.auditLog({ ref })).entries.at(-1)!;
    expect(await checking).toMatchObject({
      kind: 'error',
      reason: 'not-found',
      message: expect.stringContaining('settled while it was being checked'),
    });
    expect((await h.api.pendingOutcomes({})).pending.map((p) => p.auditId)).not.toContain(
      result.auditId,
    );
    // The check wrote nothing over the settled row (no "checked", no new message).
    expect((await h.api.auditLog({ ref })).entries.at(-1)).toEqual(settledRow);
  });

  it('a check whose slow read answers after a later check\u2019s does not undo what the later one found (nor what Accept then records), and reads again', async () => {
    // The write's answer is lost; the server holds the base ("1") until the lost write lands.
    const { state, handler } = etagUpstream('{"id":"a","n":1}');
    const server = await startScriptedServer(handler);
    try {
      const ref = (await connect(server))('a');
      const base = await h.open(ref);
      state.dropNextWrite = true;
      const lost = expectKind(
        await h.api.saveResource({
          ref,
          text: edited(base, (d) => (d['n'] = 2)),
          baseJournalId: base.journalId,
        }),
        'unknown-outcome',
      );
      expect(lost.serverHolds).toBe('base');
      // Check A reads the base, slowly; the lost write lands; check B reads it and answers first.
      state.holdNextRead = 600;
      const checkA = h.api.checkOutcome({ auditId: lost.auditId });
      await sleep(150);
      state.etag++;
      state.doc = state.lost;
      expect(await h.api.checkOutcome({ auditId: lost.auditId })).toMatchObject({
        kind: 'ok',
        pending: { serverHolds: 'your-edit', serverRevision: '"2"' },
      });
      // A, overtaken, reads the server again rather than answer its older read.
      expect(await checkA).toMatchObject({
        kind: 'ok',
        pending: { serverHolds: 'your-edit', serverRevision: '"2"' },
        serverNow: { revision: '"2"' },
      });
      const listed = (await h.api.pendingOutcomes({})).pending.find(
        (p) => p.auditId === lost.auditId,
      );
      expect(listed).toMatchObject({ serverHolds: 'your-edit', serverRevision: '"2"' });
      expect(
        await h.api.settleOutcome({ auditId: lost.auditId, decision: 'accept-server' }),
      ).toEqual({ kind: 'ok' });
      expect((await h.api.auditLog({ ref })).entries.at(-1)!.outcome).not.toContain('"1"');
    } finally {
      await server.close();
    }
  });

  it('a check after the clock was set back still records what it found (checks are ordered by when they began, not by the clock)', async () => {
    const { result: lost } = await editLanded(46);
    expect(await h.api.checkOutcome({ auditId: lost.auditId })).toMatchObject({
      kind: 'ok',
      pending: { serverHolds: 'your-edit' },
    });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000 });
    try {
      await h.admin('POST', '/edit', {
        path: TASK_PATH,
        fields: { priority: 47 },
        actor: 'colleague',
      });
      expect(await h.api.checkOutcome({ auditId: lost.auditId })).toMatchObject({
        kind: 'ok',
        pending: { serverHolds: 'other' },
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it('a lost reply after our write landed, then someone else changes the same field: a conflict that says the answer was lost', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    await h.admin('POST', '/faults', {
      kind: 'close-after',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'GET',
      pathPrefix: TASK_PATH,
      delayMs: 400,
    });
    const saving = h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['priority'] = 44)),
      baseJournalId: base.journalId,
    });
    await sleep(150);
    await h.admin('POST', '/edit', {
      path: TASK_PATH,
      fields: { priority: 9 },
      actor: 'colleague',
    });
    const result = expectKind(await saving, 'conflict');
    expect(result.afterLostAnswer).toBe(true);
    expect(result.theirs.revision).toBe('2');
    // Ours did land first (the server's history says so) — the conflict never claimed otherwise.
    expect((await history(TASK_PATH)).map((r) => r.op)).toEqual(['create', 'update', 'edit']);
  });

  it('a lost reply whose re-read shows someone else changed another field: unknown, holding your edit', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    await h.admin('POST', '/faults', {
      kind: 'close-after',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'GET',
      pathPrefix: TASK_PATH,
      delayMs: 400,
    });
    const saving = h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['priority'] = 45)),
      baseJournalId: base.journalId,
    });
    await sleep(150);
    await h.admin('POST', '/edit', {
      path: TASK_PATH,
      fields: { reason: 'colleague was here' },
      actor: 'colleague',
    });
    expect(await saving).toMatchObject({ kind: 'unknown-outcome', serverHolds: 'your-edit' });
  });

  it('a connection refused before anything was sent is "not saved", proven', async () => {
    const upstream = await startScriptedServer(() => ({
      status: 200,
      headers: { etag: '"1"' },
      body: '{"id":"a","n":1}',
    }));
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    await upstream.close();
    const result = await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['n'] = 2)),
      baseJournalId: base.journalId,
    });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'network',
      message: expect.stringContaining('Nothing was sent'),
    });
  });
});

describe('verify after write', () => {
  it('a merge-patch save the server answers 204 without applying is partly applied (nothing applied), naming the path', async () => {
    let etag = 1;
    const body = () => `{"id":"a","name":"old","n":1}`;
    const upstream = await startScriptedServer((req) => {
      if (req.method === 'GET')
        return { status: 200, headers: { etag: `"${etag}"` }, body: body() };
      etag++;
      return { status: 204, headers: { etag: `"${etag}"` } };
    });
    const profile = {
      id: 'scripted-merge-patch',
      label: 'Scripted',
      family: 'rest',
      description: 'merge patch, 204',
      params: [{ name: 'collection', label: 'Collection' }],
      list: {
        path: '/{collection}',
        itemsPointer: '/items',
        idPointer: '/id',
        titlePointers: ['/id'],
        paging: { kind: 'none' },
      },
      itemPath: '/{collection}/{id}',
      revision: { in: 'etag', weak: 'send-as-is' },
      editable: { kind: 'whole', hidden: ['/id'] },
      write: {
        method: 'PATCH',
        encoding: 'merge-patch',
        precondition: 'if-match',
        conflictStatuses: [412],
      },
    };
    const ref = (
      await connect(upstream, { profileId: 'scripted-merge-patch', customProfile: profile })
    )('a');
    const base = await h.open(ref);
    const result = expectKind(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['name'] = 'new')),
        baseJournalId: base.journalId,
      }),
      'partly-applied',
    );
    expect(result.missing).toEqual([{ path: '/name', wanted: '"new"', found: '"old"' }]);
    expect(result.message).toContain('/name');
    expect(upstream.requests.find((r) => r.method === 'PATCH')!.body).toBe('{"name":"new"}');
    await upstream.close();
  });

  it('a merge patch cannot set null, and a changed-fields PATCH cannot delete: refused before sending, naming the change', async () => {
    const ref = await h.ref('REST articles', 'article-1');
    const base = await h.open(ref);
    const nulled = await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['title'] = null)),
      baseJournalId: base.journalId,
    });
    expect(nulled).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringMatching(/cannot set \/title to null/),
    });
    const genesys = await h.ref('Genesys users', SANDBOX_IDS.genesysUserId);
    const user = await h.open(genesys);
    const deleted = await h.api.saveResource({
      ref: genesys,
      text: edited(user, (d) => delete d['title']),
      baseJournalId: user.journalId,
    });
    expect(deleted).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringMatching(/cannot delete "title"/),
    });
    const requests = (await h.admin<{ requests: unknown[] }>('GET', '/requests?method=PATCH')).body
      .requests;
    expect(requests).toEqual([]);
  });

  it('a form field cannot be set to null: refused before sending, naming it, instead of writing an empty string', async () => {
    await h.admin('POST', '/edit', {
      path: TASK_PATH,
      fields: { reason: 'busy' },
      actor: 'colleague',
    });
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    expect(JSON.parse(base.text)).toMatchObject({ reason: 'busy' });
    const result = await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['reason'] = null)),
      baseJournalId: base.journalId,
    });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringMatching(/"reason".*null.*Nothing was sent/),
    });
    const posts = (await h.admin<{ requests: unknown[] }>('GET', '/requests?method=POST')).body
      .requests;
    expect(posts).toEqual([]);
    expect(JSON.parse((await h.open(ref)).text)).toMatchObject({ reason: 'busy' });
  });

  it('keys named __proto__ and constructor are data: written, saved, and on the server', async () => {
    const ref = await h.ref('REST tickets', 'ticket-1');
    const base = await h.open(ref);
    const text = base.text.replace(
      /^\{/,
      '{\n  "__proto__": {"polluted": true},\n  "constructor": "plain",',
    );
    const saved = expectKind(
      await h.api.saveResource({ ref, text, baseJournalId: base.journalId }),
      'saved',
    );
    expect(saved.snapshot.text).toContain('"__proto__"');
    const put = (
      await h.admin<{ requests: Array<{ body: string }> }>('GET', '/requests?method=PUT')
    ).body.requests.at(-1)!;
    expect(put.body).toContain('"__proto__":{"polluted":true}');
    expect(put.body).toContain('"constructor":"plain"');
    const direct = await (await fetch(`${h.sandbox.url}/rest/tickets/ticket-1`)).text();
    expect(direct).toContain('"__proto__"');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('someone writing between our 2xx and the re-read: saved as the answer\u2019s revision, theirs journalled as seen, not as ours', async () => {
    // Our PUT lands as revision 2, and before we can read it back a colleague makes revision 3.
    const upstream = await startScriptedServer(colleagueAfterOurWrite());
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    const saved = expectKind(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['name'] = 'mine')),
        baseJournalId: base.journalId,
      }),
      'saved',
    );
    expect(saved).toMatchObject({
      savedRevision: '"2"',
      proof: 'answer-revision',
      movedSince: { savedRevision: '"2"', revision: '"3"', changedPaths: ['/n'] },
    });
    const audit = (await h.api.auditLog({ ref })).entries.at(-1)!;
    expect(audit).toMatchObject({ toRevision: '"2"', state: 'settled' });
    const journal =
      (await h.api.history({ ref })).kind === 'ok'
        ? (
            (await h.api.history({ ref })) as {
              entries: Array<{ revision: string | null; source: string }>;
            }
          ).entries
        : [];
    expect(journal.find((e) => e.revision === '"3"')?.source).toBe('verified');
    expect(journal.some((e) => e.source === 'saved')).toBe(false);
    await upstream.close();
  });
});

describe('lossless writes', () => {
  it('values the operator never touched are written exactly as the server sent them', async () => {
    const original =
      '{"id":"a","pi":3.141592653589793238462643383279,"tiny":1e-400,"neg":-0,"big":1E+2,"esc":"caf\\u00e9 \\/","2":"two","1":"one","name":"old"}';
    const upstream = await startScriptedServer((req) =>
      req.method === 'GET'
        ? { status: 200, headers: { etag: '"1"' }, body: original }
        : { status: 200, headers: { etag: '"2"' }, body: req.body },
    );
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    // The editor shows the server's text too.
    expect(base.text).toContain('3.141592653589793238462643383279');
    expect(base.text).toContain('1e-400');
    const saved = expectKind(
      await h.api.saveResource({
        ref,
        text: base.text.replace('"old"', '"new"'),
        baseJournalId: base.journalId,
      }),
      'saved',
    );
    expect(saved.proof).toBe('answer-body');
    expect(upstream.requests.find((r) => r.method === 'PUT')!.body).toBe(
      original.replace('"old"', '"new"'),
    );
    await upstream.close();
  });

  it('a body version keeps its JSON type and text ("007" stays a string)', async () => {
    const user = '{"id":"u1","name":"Ana","version":"007","title":"agent"}';
    const upstream = await startScriptedServer((req: ScriptedRequest): ScriptedAnswer =>
      req.method === 'GET'
        ? { status: 200, body: user }
        : { status: 200, body: '{"id":"u1","name":"Ana","version":"008","title":"lead"}' },
    );
    const ref = (await connect(upstream, { profileId: 'body-version', params: {} }))('u1');
    const base = await h.open(ref);
    expect(base.revision).toBe('007');
    expectKind(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['title'] = 'lead')),
        baseJournalId: base.journalId,
      }),
      'saved',
    );
    expect(upstream.requests.find((r) => r.method === 'PATCH')!.body).toBe(
      '{"title":"lead","version":"007"}',
    );
    await upstream.close();
  });
});

describe('preconditions that cannot be forged', () => {
  it('an upstream ETag of "*" is no revision: the resource is unguarded, and even a deliberate unconditional save sends no If-Match', async () => {
    const upstream = await startScriptedServer((req) =>
      req.method === 'GET'
        ? { status: 200, headers: { etag: '*' }, body: '{"id":"a","n":1}' }
        : { status: 200, headers: { etag: '"9"' }, body: req.body },
    );
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    expect(base).toMatchObject({
      guarded: false,
      unguardedReason: expect.stringContaining('not an entity-tag'),
    });
    expect(
      await h.api.saveResource({
        ref,
        text: edited(base, (d) => (d['n'] = 2)),
        baseJournalId: base.journalId,
      }),
    ).toMatchObject({ kind: 'error', reason: 'unguarded' });
    expect(upstream.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['n'] = 2)),
      baseJournalId: base.journalId,
      unconditional: true,
    });
    const put = upstream.requests.find((r) => r.method === 'PUT')!;
    expect(put.headers['if-match']).toBeUndefined();
    await upstream.close();
  });

  it('a quoted ETag holding a comma is one entity-tag, not a list: the resource is guarded and the save sends it back in If-Match', async () => {
    // RFC 9110 etagc allows "," inside the quotes; "v1,2" is one tag (a list would be "a", "b").
    const upstream = await startScriptedServer((req) =>
      req.method === 'GET'
        ? { status: 200, headers: { etag: '"v1,2"' }, body: '{"id":"a","n":1}' }
        : { status: 200, headers: { etag: '"v2,3"' }, body: req.body },
    );
    const ref = (await connect(upstream))('a');
    const base = await h.open(ref);
    expect(base).toMatchObject({ guarded: true, revision: '"v1,2"' });
    await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['n'] = 2)),
      baseJournalId: base.journalId,
    });
    const put = upstream.requests.find((r) => r.method === 'PUT')!;
    expect(put.headers['if-match']).toBe('"v1,2"');
    await upstream.close();
  });

  it('a credential header named If-Match is refused when the connection is saved (the request-time filter is in security.test.ts)', async () => {
    const upstream = await startScriptedServer(() => ({
      status: 200,
      headers: { etag: '"1"' },
      body: '{"id":"a","n":1}',
    }));
    const saved = await h.api.saveConnection({
      connection: {
        name: 'Forged',
        profileId: 'rest-etag',
        baseUrl: upstream.url,
        params: { collection: 'things' },
        auth: { kind: 'api-key-header', header: 'If-Match', key: '*' },
      },
    });
    expect(saved).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('If-Match'),
    });
    expect(upstream.requests).toEqual([]);
    await upstream.close();
  });
});

describe('durable intent', () => {
  it('kill -9 mid-write: the audit row was in flight; the next start settles it as unknown and checks the server', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { SANDBOX_CREDENTIALS } = await import('../../sandbox/index');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-crash-'));
    const taskSid = SANDBOX_IDS.taskSids[7]!;
    const taskPath = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${taskSid}`;
    // The server takes 1.5 s to commit: the process is killed while the write is in flight.
    await h.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: taskPath,
      delayMs: 1500,
    });
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, '../test-support/save-then-die.ts'),
        dataDir,
        h.sandbox.url,
        SANDBOX_IDS.workspaceSid,
        taskSid,
        SANDBOX_CREDENTIALS.twilio.accountSid,
        SANDBOX_CREDENTIALS.twilio.authToken,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    const connectionId = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /saving (\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      child.on('exit', () => reject(new Error(`child ended before saving: ${output}`)));
    });
    await sleep(400);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(output).not.toContain('answered');
    // The server commits the write after the process died.
    await sleep(1500);
    expect((await history(taskPath)).map((r) => r.op)).toEqual(['create', 'update']);

    const restarted = await startHarness({ dataDir, sandbox: h.sandbox });
    try {
      const ref = { connectionId, id: taskSid };
      await expect
        .poll(async () => (await restarted.api.pendingOutcomes({})).pending[0]?.serverHolds, {
          timeout: 5000,
        })
        .toBe('your-edit');
      const [pending] = (await restarted.api.pendingOutcomes({})).pending;
      expect(pending).toMatchObject({
        ref,
        cause: 'host-stopped',
        baseRevision: '0',
        serverRevision: '1',
        changedPaths: ['/priority'],
      });
      expect(restarted.events).toContainEqual({
        type: 'outcome-checked',
        pending: expect.objectContaining({ auditId: pending!.auditId }),
      });
      const opened = await restarted.api.openResource({ ref });
      expect(opened.kind === 'ok' && opened.pending.map((p) => p.auditId)).toEqual([
        pending!.auditId,
      ]);
    } finally {
      await restarted.desk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('a desk closed while a save is mid-write lets it finish: the save answers, its audit row settled, not left in flight', async () => {
    const { rmSync } = await import('node:fs');
    const own = await startHarness({ sandbox: h.sandbox });
    const ref = await own.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await own.open(ref);
    await own.admin('POST', '/faults', {
      kind: 'delay',
      method: 'POST',
      pathPrefix: TASK_PATH,
      delayMs: 400,
    });
    const saving = own.api.saveResource({
      ref,
      text: edited(base, (d) => (d['priority'] = 45)),
      baseJournalId: base.journalId,
    });
    await sleep(100);
    await own.desk.close();
    expect(await saving).toMatchObject({ kind: 'saved' });
    const again = await startHarness({ dataDir: own.dataDir, sandbox: h.sandbox });
    try {
      expect((await again.api.auditLog({ ref })).entries.at(-1)).toMatchObject({
        state: 'settled',
      });
      expect((await again.api.pendingOutcomes({})).pending).toEqual([]);
    } finally {
      await again.desk.close();
      rmSync(own.dataDir, { recursive: true, force: true });
    }
  });
});
