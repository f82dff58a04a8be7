// The harder paths of a save: chained conflicts, force save, 428, unguarded resources, lost
// responses, and retries that apply to reads only — with faults injected through the sandbox.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../../sandbox/index';
import type { ResourceRef, Snapshot } from '../../shared/api/types';
import { startJsonServer, type TestServer } from '../test-support/json-server';
import { expectFullConflict, expectKind, harnessPerFile } from '../test-support/desk-harness';

const h = harnessPerFile();

const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
const DOC_PATH = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`;

const open = (ref: ResourceRef): Promise<Snapshot> => h.open(ref);
const withDoc = (text: string, change: (doc: Record<string, unknown>) => void) => {
  const doc = JSON.parse(text) as Record<string, unknown>;
  change(doc);
  return JSON.stringify(doc, null, 2);
};
const history = async (path: string) =>
  (
    await h.admin<{ revisions: Array<{ op: string; actor: string; revision: string }> }>(
      'GET',
      `/history?path=${encodeURIComponent(path)}`,
    )
  ).body.revisions;

describe('conflicts', () => {
  it('chained: the server moves again while the operator merges; the second round saves against the newest revision', async () => {
    const ref = await h.ref('Sync documents', 'agent-settings');
    const base = await open(ref);
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { theme: 'light' } });
    const first = expectFullConflict(
      await h.api.saveResource({
        ref,
        text: withDoc(base.text, (d) => (d['autoAccept'] = true)),
        baseJournalId: base.journalId,
        full: true,
      }),
    );
    // While the operator looks at the merge, someone changes the document again.
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { wrapUpSeconds: 60 } });
    const second = expectFullConflict(
      await h.api.saveResource({
        ref,
        text: first.merged,
        baseJournalId: first.theirs.journalId,
        full: true,
      }),
    );
    expect(second.base.journalId).toBe(first.theirs.journalId);
    expect(second.conflicts).toEqual([]);
    const saved = expectKind(
      await h.api.saveResource({
        ref,
        text: second.merged,
        baseJournalId: second.theirs.journalId,
      }),
      'saved',
    );
    expect(JSON.parse(saved.snapshot.text)).toMatchObject({
      theme: 'light',
      autoAccept: true,
      wrapUpSeconds: 60,
    });
    expect((await history(DOC_PATH)).map((r) => r.op)).toEqual([
      'create',
      'edit',
      'edit',
      'update',
    ]);
  });

  it('force save overwrites on purpose, still conditional on Server now, and audits what it replaced', async () => {
    const ref = await h.ref('Sync documents', 'agent-settings');
    const base = await open(ref);
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { maxConcurrentTasks: 9 } });
    const conflict = expectKind(
      await h.api.saveResource({
        ref,
        text: withDoc(base.text, (d) => (d['maxConcurrentTasks'] = 4)),
        baseJournalId: base.journalId,
      }),
      'conflict',
    );
    const forced = expectKind(
      await h.api.forceSave({
        ref,
        text: withDoc(base.text, (d) => (d['maxConcurrentTasks'] = 4)),
        overJournalId: conflict.theirs.journalId,
      }),
      'saved',
    );
    expect(JSON.parse(forced.snapshot.text)).toMatchObject({ maxConcurrentTasks: 4 });
    const writes = await h.requests('POST', DOC_PATH);
    expect(writes.at(-1)!.headers['if-match']).toBe(conflict.theirs.revision);
    const audit = await h.api.auditLog({ ref });
    const last = audit.entries.at(-1)!;
    expect(last).toMatchObject({
      mode: 'force',
      fromRevision: conflict.theirs.revision,
      toRevision: forced.snapshot.revision,
      paths: ['/maxConcurrentTasks'],
    });
    expect(last.replaced).toEqual({ '/maxConcurrentTasks': 9 });
    expect(last.osUser).toBeTruthy();
  });

  it('a force save against a revision that moved again is refused and merged again, not written', async () => {
    const ref = await h.ref('Sync documents', 'agent-settings');
    const base = await open(ref);
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { theme: 'blue' } });
    const conflict = expectKind(
      await h.api.saveResource({
        ref,
        text: withDoc(base.text, (d) => (d['theme'] = 'green')),
        baseJournalId: base.journalId,
      }),
      'conflict',
    );
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { theme: 'red' } });
    const again = await h.api.forceSave({
      ref,
      text: withDoc(base.text, (d) => (d['theme'] = 'green')),
      overJournalId: conflict.theirs.journalId,
    });
    expect(again.kind).toBe('conflict');
    expect(JSON.parse((await open(ref)).text)).toMatchObject({ theme: 'red' });
  });

  it('428: a server that requires a precondition refuses an unconditional write, and says so', async () => {
    const ref = await h.ref('settings', 'general');
    const base = await open(ref);
    const result = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['x'] = 1)),
      baseJournalId: base.journalId,
      unconditional: true,
    });
    expect(result).toMatchObject({ kind: 'error', reason: 'precondition-required', status: 428 });
    // The same save with its precondition goes through.
    expect(
      (
        await h.api.saveResource({
          ref,
          text: withDoc(base.text, (d) => (d['x'] = 1)),
          baseJournalId: base.journalId,
        })
      ).kind,
    ).toBe('saved');
  });

  it('refuses invalid JSON with its position, and sends nothing', async () => {
    const ref = await h.ref('Sync documents', 'agent-settings');
    const base = await open(ref);
    const before = (await h.requests('POST', DOC_PATH)).length;
    const result = await h.api.saveResource({
      ref,
      text: '{\n  "theme": "dark",\n  "autoAccept": tru\n}',
      baseJournalId: base.journalId,
    });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringMatching(/line 3/),
    });
    expect((await h.requests('POST', DOC_PATH)).length).toBe(before);
  });

  it('shows the server’s own words when it rejects a write (a forbidden task transition)', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await open(ref);
    const result = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['assignment_status'] = 'completed')),
      baseJournalId: base.journalId,
    });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'rejected',
      status: 400,
      bodyExcerpt: expect.stringContaining('pending'),
    });
  });
});

describe('lost responses', () => {
  it('connection dropped after the server committed: unknown outcome (never "saved" on content alone), the server holds the edit, written exactly once', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await open(ref);
    await h.admin('POST', '/faults', {
      kind: 'close-after',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    const text = withDoc(base.text, (d) => (d['priority'] = 77));
    const result = expectKind(
      await h.api.saveResource({ ref, text, baseJournalId: base.journalId }),
      'unknown-outcome',
    );
    expect(result).toMatchObject({
      cause: 'lost-answer',
      serverHolds: 'your-edit',
      baseRevision: '0',
    });
    expect(result.serverNow?.revision).toBe('1');
    expect(result.message).toContain('could be someone else');
    const pending = await h.api.pendingOutcomes({});
    expect(pending.pending.map((p) => p.auditId)).toContain(result.auditId);
    expect((await history(TASK_PATH)).filter((r) => r.op !== 'create')).toHaveLength(1);
    expect(await h.requests('POST', TASK_PATH)).toHaveLength(1);
  });

  it('connection dropped before the commit: unknown outcome saying the server still holds the base (not "not saved": a request may still be in flight), nothing resent', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await open(ref);
    await h.admin('POST', '/faults', {
      kind: 'close-before',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    const result = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['priority'] = 78)),
      baseJournalId: base.journalId,
    });
    expect(result).toMatchObject({
      kind: 'unknown-outcome',
      cause: 'lost-answer',
      serverHolds: 'base',
      message: expect.stringContaining('has not landed so far'),
    });
    expect(await history(TASK_PATH)).toHaveLength(1);
    expect(await h.requests('POST', TASK_PATH)).toHaveLength(1);
  });

  it('lost response while someone else also wrote: a conflict, not a silent success', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await open(ref);
    await h.admin('POST', '/edit', { path: TASK_PATH, fields: { priority: 5 } });
    // Our stale write is refused (412) but the answer is lost: the backend must not call it saved.
    await h.admin('POST', '/faults', {
      kind: 'close-before',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    const result = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['priority'] = 79)),
      baseJournalId: base.journalId,
    });
    // The conflict says the answer was lost: it does not pose as an ordinary 412.
    expect(result).toMatchObject({ kind: 'conflict', afterLostAnswer: true });
  });
});

describe('retries', () => {
  it('retries reads on 5xx and 429 (honouring Retry-After), then succeeds', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    await h.admin('POST', '/faults', {
      kind: 'error',
      method: 'GET',
      pathPrefix: TASK_PATH,
      status: 503,
    });
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'GET',
      pathPrefix: TASK_PATH,
      retryAfter: 1,
    });
    const started = Date.now();
    const opened = await h.api.openResource({ ref });
    expect(opened.kind).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await h.requests('GET', TASK_PATH)).map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it('gives up on reads after three attempts with the last error', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    await h.admin('POST', '/faults', {
      kind: 'error',
      method: 'GET',
      pathPrefix: TASK_PATH,
      status: 500,
      times: 3,
    });
    const opened = await h.api.openResource({ ref });
    expect(opened).toMatchObject({ kind: 'error', reason: 'http', status: 500 });
    expect(await h.requests('GET', TASK_PATH)).toHaveLength(3);
  });

  it('never retries a write: a 503 on save is reported once, as an unknown outcome (a 5xx proves nothing)', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await open(ref);
    await h.admin('POST', '/faults', {
      kind: 'error',
      method: 'POST',
      pathPrefix: TASK_PATH,
      status: 503,
    });
    const result = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['priority'] = 80)),
      baseJournalId: base.journalId,
    });
    expect(result).toMatchObject({
      kind: 'unknown-outcome',
      cause: 'server-error',
      status: 503,
      serverHolds: 'base',
    });
    expect(await h.requests('POST', TASK_PATH)).toHaveLength(1);
    await h.admin('POST', '/faults', {
      kind: 'rate-limit',
      method: 'POST',
      pathPrefix: TASK_PATH,
      retryAfter: 1,
    });
    expect(
      await h.api.saveResource({
        ref,
        text: withDoc(base.text, (d) => (d['priority'] = 80)),
        baseJournalId: base.journalId,
      }),
    ).toMatchObject({ status: 429 });
    expect(await h.requests('POST', TASK_PATH)).toHaveLength(2);
  });
});

describe('refresh', () => {
  it('asks with If-None-Match and takes 304 as unchanged', async () => {
    // A task no other test has opened, so the journal's latest revision is the one just read.
    const sid = SANDBOX_IDS.taskSids[5]!;
    const path = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${sid}`;
    const ref = await h.ref('TaskRouter', sid);
    await open(ref);
    const same = await h.api.refreshResource({ ref });
    expect(same.kind === 'ok' && same.changed).toBe(false);
    const gets = await h.requests('GET', path);
    expect(gets.at(-1)).toMatchObject({
      status: 304,
      headers: expect.objectContaining({ 'if-none-match': '0' }),
    });
    await h.admin('POST', '/edit', { path, fields: { priority: 3 } });
    const moved = await h.api.refreshResource({ ref });
    expect(moved.kind === 'ok' && [moved.changed, moved.snapshot.revision]).toEqual([true, '1']);
  });
});

describe('unguarded resources', () => {
  let plain: TestServer;
  beforeAll(async () => {
    plain = await startJsonServer({ '/things/1': { body: '{"id":"1","name":"no etag here"}' } });
  });
  afterAll(() => plain.close());

  it('needs an explicit unconditional choice, which the audit log records', async () => {
    const saved = await h.api.saveConnection({
      connection: {
        name: 'Plain API',
        profileId: 'rest-etag',
        baseUrl: plain.url,
        params: { collection: 'things' },
        auth: { kind: 'none' },
      },
    });
    if (saved.kind !== 'ok') throw new Error(saved.message);
    const ref = { connectionId: saved.connection.id, id: '1' };
    const base = await open(ref);
    expect(base).toMatchObject({
      guarded: false,
      revision: null,
      unguardedReason: expect.stringContaining('no ETag'),
    });
    const text = withDoc(base.text, (d) => (d['name'] = 'renamed'));
    const refused = await h.api.saveResource({ ref, text, baseJournalId: base.journalId });
    expect(refused).toMatchObject({ kind: 'error', reason: 'unguarded' });
    expect(plain.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    await h.api.saveResource({ ref, text, baseJournalId: base.journalId, unconditional: true });
    const puts = plain.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.headers['if-match']).toBeUndefined();
    expect((await h.api.auditLog({ ref })).entries.at(-1)).toMatchObject({ mode: 'unconditional' });
  });
});

describe('secrets', () => {
  it('no contract response in this suite carries a credential', () => {
    const all = JSON.stringify(h.responses, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    expect(h.responses.length).toBeGreaterThan(20);
    for (const secret of [
      SANDBOX_CREDENTIALS.twilio.authToken,
      SANDBOX_CREDENTIALS.genesys.bearerToken,
      Buffer.from(
        `${SANDBOX_CREDENTIALS.twilio.accountSid}:${SANDBOX_CREDENTIALS.twilio.authToken}`,
      ).toString('base64'),
    ]) {
      expect(all).not.toContain(secret);
    }
  });
});

describe('redirects and page tokens', () => {
  let odd: TestServer;
  beforeAll(async () => {
    odd = await startJsonServer({
      'GET /things/1': { headers: { etag: '"1"' }, body: '{"id":"1","name":"moved"}' },
      'PUT /things/1': { status: 303, headers: { location: '/things/1' } },
      'GET /things/2': { status: 302, headers: { location: 'http://127.0.0.2:9/steal' } },
      'GET /things': { body: '{"items":[{"id":"1"}],"total":1}' },
    });
  });
  afterAll(() => odd.close());

  it('a redirect answering a write is not followed, and is neither a save nor a refusal', async () => {
    const saved = await h.api.saveConnection({
      connection: {
        name: 'Redirecting API',
        profileId: 'rest-etag',
        baseUrl: odd.url,
        params: { collection: 'things' },
        auth: { kind: 'bearer', token: 'tok-redirect-secret' },
      },
    });
    if (saved.kind !== 'ok') throw new Error(saved.message);
    const ref = { connectionId: saved.connection.id, id: '1' };
    const base = await open(ref);
    const result = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['name'] = 'x')),
      baseJournalId: base.journalId,
    });
    // The re-read finds the base: not landed so far (a 303 usually follows a write applied).
    expect(result).toMatchObject({
      kind: 'unknown-outcome',
      cause: 'redirected',
      status: 303,
      serverHolds: 'base',
      message: expect.stringContaining('not followed'),
    });
    expect(odd.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    // The open and the re-read that checks what the server holds; the redirect itself is not followed.
    expect(odd.requests.filter((r) => r.method === 'GET' && r.url === '/things/1')).toHaveLength(2);
    // A read redirected to another host is refused, so the token never goes there.
    expect(await h.api.openResource({ ref: { ...ref, id: '2' } })).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('another host'),
    });
  });

  it('refuses page tokens that would leave the connection’s server', async () => {
    const connection = (await h.api.listConnections({})).find((c) => c.name === 'Redirecting API')!;
    for (const pageToken of [
      '@127.0.0.2:9/steal',
      '//127.0.0.2:9/steal',
      '/../../etc',
      'http://127.0.0.2:9/x',
    ]) {
      expect(await h.api.listResources({ connectionId: connection.id, pageToken })).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
      });
    }
    expect(
      await h.api.listResources({ connectionId: connection.id, pageToken: '/things?page=1' }),
    ).toMatchObject({ kind: 'ok' });
  });
});

describe('lost response on a resource without a revision', () => {
  let server: Server;
  let url = '';
  let body = '{"id":"1","name":"original"}';
  let mode: 'apply-then-drop' | 'drop' = 'drop';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return;
      }
      let incoming = '';
      req.on('data', (c) => (incoming += c));
      req.on('end', () => {
        if (mode === 'apply-then-drop') body = incoming;
        req.socket.destroy();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('never decides by content: not there → unknown (still the base), ours there → unknown (holds your edit), never "saved" or "nothing was written"', async () => {
    const saved = await h.api.saveConnection({
      connection: {
        name: 'No revisions',
        profileId: 'rest-etag',
        baseUrl: url,
        params: { collection: 'things' },
        auth: { kind: 'none' },
      },
    });
    if (saved.kind !== 'ok') throw new Error(saved.message);
    const ref = { connectionId: saved.connection.id, id: '1' };
    const base = await open(ref);
    mode = 'drop';
    const lost = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['name'] = 'mine-1')),
      baseJournalId: base.journalId,
      unconditional: true,
    });
    expect(lost).toMatchObject({ kind: 'unknown-outcome', serverHolds: 'base' });
    mode = 'apply-then-drop';
    const landed = await h.api.saveResource({
      ref,
      text: withDoc(base.text, (d) => (d['name'] = 'mine-2')),
      baseJournalId: base.journalId,
      unconditional: true,
    });
    expect(landed).toMatchObject({ kind: 'unknown-outcome', serverHolds: 'your-edit' });
  });
});
