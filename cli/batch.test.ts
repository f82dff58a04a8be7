// The batch command against a real host: a web host with the sandbox, driven by the real CLI
// process (the package's bin), with the script token read from the data directory.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, SANDBOX_IDS } from '../sandbox/index';
import { createDesk, type Desk } from '../electron/backend/desk-service';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../electron/backend/embedded-sandbox';
import { keyFileSecretBox } from '../electron/backend/secrets';
import { startWebHost, type RunningWebHost } from '../electron/web/server';
import { batchExitCode } from './batch';

const BIN = path.resolve(import.meta.dirname, '../bin/conflict-desk.cjs');
let sandbox: EmbeddedSandbox;
let desk: Desk;
let host: RunningWebHost;
let dataDir: string;

beforeAll(async () => {
  // The bin runs the bundled CLI (dist/cli.cjs): built from the sources under test, not whatever
  // an earlier build left there.
  const build = spawnSync(
    process.execPath,
    [path.resolve(import.meta.dirname, '../scripts/build-cli.mjs')],
    { encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`building the CLI failed: ${build.stderr}`);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-cli-batch-'));
  sandbox = await startEmbeddedSandbox();
  desk = createDesk({
    host: 'web',
    version: 'test',
    dataDir,
    secretBox: keyFileSecretBox(dataDir),
    sandbox,
  });
  host = await startWebHost({
    service: desk.api,
    events: desk.onEvent,
    rendererDir: dataDir,
    scriptToken: 'cli-script-token',
    port: 0,
  });
  writeFileSync(path.join(dataDir, 'api-token'), 'cli-script-token\n', { mode: 0o600 });
});
afterAll(async () => {
  await host.close();
  await desk.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'batch', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const TASKS = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks`;
const basic = `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.twilio.accountSid}:${SANDBOX_CREDENTIALS.twilio.authToken}`).toString('base64')}`;
const task = async (sid: string) =>
  (await (
    await fetch(`${sandbox.url}${TASKS}/${sid}`, { headers: { authorization: basic } })
  ).json()) as { priority: number; attributes: string };

describe('the batch command’s exit status', () => {
  it('is 0 when the change is on the server everywhere it was needed, merged by hand included', () => {
    expect(batchExitCode({ applied: 2, reapplied: 1, skipped: 1, merged: 1 }, 5)).toBe(0);
    expect(batchExitCode({ applied: 4, merged: 1 }, 5)).toBe(0);
  });
  it('is 1 while a target is queued, failed, unknown, kept the server’s or not done', () => {
    for (const other of ['queued', 'failed', 'unknown', 'kept-theirs', 'cancelled', 'pending'])
      expect(batchExitCode({ applied: 4, [other]: 1 }, 5)).toBe(1);
  });
});

describe('conflict-desk batch', () => {
  it('changes every matching task through the host and prints the report as CSV', async () => {
    const url = `http://127.0.0.1:${host.port}`;
    const result = await run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--all',
      '--filter',
      'queue=VIP',
      '--set',
      '/priority=11',
      '--add',
      '/attributes/skills=vip-care',
    ]);
    expect(result.stderr).toMatch(/resources match/);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.trim().split('\r\n');
    expect(rows[0]).toBe(
      'resourceId,status,attempts,sent,fromRevision,toRevision,signature,reason,auditId',
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows.slice(1)) {
      const [sid, status] = row.split(',');
      expect(status).toBe('applied');
      const now = await task(sid!);
      expect(now.priority).toBe(11);
      expect((JSON.parse(now.attributes) as { skills: string[] }).skills).toContain('vip-care');
    }
  });

  it('dry run writes nothing; bad usage and a wrong token exit 2 with the reason', async () => {
    const url = `http://127.0.0.1:${host.port}`;
    const sid = SANDBOX_IDS.taskSids[1]!;
    const before = await task(sid);
    const dry = await run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--ids',
      sid,
      '--set',
      `/priority=${before.priority + 5}`,
      '--dry-run',
    ]);
    expect(dry).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('would change /priority'),
    });
    expect((await task(sid)).priority).toBe(before.priority);
    expect(
      await run(['--url', url, '--data', dataDir, '--connection', 'TaskRouter', '--ids', sid]),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('say what to change') });
    expect(
      await run([
        '--url',
        url,
        '--token',
        'wrong',
        '--connection',
        'TaskRouter',
        '--ids',
        sid,
        '--set',
        '/priority=1',
      ]),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('401') });
    const patch = path.join(dataDir, 'ops.json');
    writeFileSync(
      patch,
      JSON.stringify([
        { op: 'test', path: '/priority', value: -1 },
        { op: 'replace', path: '/priority', value: 1 },
      ]),
    );
    const failed = await run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--ids',
      sid,
      '--patch',
      patch,
      '--report',
      'json',
    ]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({
      targets: [
        { resourceId: sid, status: 'failed', reason: expect.stringContaining('test failed') },
      ],
    });
    expect(readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim()).toBe('cli-script-token');
  });

  /** The CLI started on 30 tasks whose writes each take 150 ms; resolves with the batch id once it runs. */
  async function slowRun(url: string) {
    await fetch(`${sandbox.url}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'delay',
        method: 'POST',
        pathPrefix: TASKS,
        delayMs: 150,
        times: null,
      }),
    });
    const before = new Set(
      ((await desk.api.listBatches({})) as { batches: Array<{ batchId: string }> }).batches.map(
        (b) => b.batchId,
      ),
    );
    const finished = run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--ids',
      SANDBOX_IDS.taskSids.slice(100, 130).join(','),
      '--set',
      '/priority=12',
      '--concurrency',
      '1',
    ]);
    for (;;) {
      const fresh = (await desk.api.listBatches({})).batches.find((b) => !before.has(b.batchId));
      if (fresh && fresh.counts.applied > 0) return { batchId: fresh.batchId, finished };
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a batch cancelled in the app mid-run exits 1 and says what was not done', async () => {
    try {
      const { batchId, finished } = await slowRun(`http://127.0.0.1:${host.port}`);
      await desk.api.cancelBatch({ batchId });
      const result = await finished;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/cancelled/);
      expect(result.stderr).not.toMatch(/^Done:/m);
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    }
  }, 30_000);

  it('a host that goes away mid-run: exit 1, the batch named as started, not "nothing started"', async () => {
    const second = await startWebHost({
      service: desk.api,
      events: desk.onEvent,
      rendererDir: dataDir,
      scriptToken: 'cli-script-token',
      port: 0,
    });
    try {
      const { batchId, finished } = await slowRun(`http://127.0.0.1:${second.port}`);
      await second.close();
      const result = await finished;
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(batchId);
      expect(result.stderr).toMatch(/started/);
      await desk.api.cancelBatch({ batchId });
    } finally {
      await fetch(`${sandbox.url}/_sandbox/faults`, { method: 'DELETE' });
    }
  }, 30_000);

  it('a filter the connection does not have, or one with no value, is refused; nothing is written', async () => {
    const url = `http://127.0.0.1:${host.port}`;
    const before = await fetch(`${sandbox.url}/_sandbox/requests?method=POST`).then(
      (r) => r.json() as Promise<{ requests: unknown[] }>,
    );
    const result = await run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--all',
      '--filter',
      'queues=VIP',
      '--set',
      '/priority=13',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('no filter "queues"');
    expect(result.stderr).toMatch(/its filters: .*queue/);
    // A filter whose value is empty (a script's unset variable) filters nothing: refused too.
    const empty = await run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--all',
      '--filter',
      'queue=',
      '--set',
      '/priority=13',
    ]);
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toContain('--filter queue= has no value');
    const noSearch = await run([
      '--url',
      url,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--all',
      '--search',
      '',
      '--set',
      '/priority=13',
    ]);
    expect(noSearch.code, noSearch.stderr).toBe(2);
    expect(noSearch.stderr).toContain('--search has no text');
    const after = await fetch(`${sandbox.url}/_sandbox/requests?method=POST`).then(
      (r) => r.json() as Promise<{ requests: unknown[] }>,
    );
    expect(after.requests.length).toBe(before.requests.length);
  });

  it('a value beyond 2^53 on the command line is written digit for digit', async () => {
    const sid = SANDBOX_IDS.taskSids[140]!;
    const result = await run([
      '--url',
      `http://127.0.0.1:${host.port}`,
      '--data',
      dataDir,
      '--connection',
      'TaskRouter',
      '--ids',
      sid,
      '--set',
      '/attributes/account=12345678901234567890',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect((await task(sid)).attributes).toContain('"account":12345678901234567890');
  });
  it('a connection name that matches more than one connection is refused, naming them; nothing starts', async () => {
    const batches = async () => (await desk.api.listBatches({})).batches.length;
    const before = await batches();
    // "Sync" is part of three connections' names (documents, a list, a map).
    const result = await run([
      '--url',
      `http://127.0.0.1:${host.port}`,
      '--data',
      dataDir,
      '--connection',
      'Sync',
      '--ids',
      'ETxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      '--set',
      '/data/flag=1',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/Sync documents/);
    expect(result.stderr).toMatch(/Sync list/);
    expect(await batches()).toBe(before);
  });
});
