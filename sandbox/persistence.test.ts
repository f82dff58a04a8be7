// A file database survives a restart; the CLI prints its URL, stops on SIGTERM, rejects bad flags.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS, startSandbox } from './index';
import { admin, call, twilioCall } from './test-support';

const dir = mkdtempSync(join(tmpdir(), 'sandbox-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--data FILE', () => {
  it('keeps resources, versions, history and switches across a restart', async () => {
    const file = join(dir, 'sandbox.db');
    const task = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
    const first = await startSandbox({ port: 0, data: file });
    expect(
      (
        await twilioCall(first, 'POST', task, {
          form: { Priority: '12' },
          headers: { 'if-match': '0' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call(first, 'POST', '/rest/notes', { json: { id: 'kept', text: 'survives' } })).status,
    ).toBe(201);
    await admin(first, 'PATCH', '/switches', { twilio: { quotedEtags: true } });
    await first.close();

    const second = await startSandbox({ port: 0, data: file });
    try {
      const res = await twilioCall(second, 'GET', task);
      expect(res.headers.get('etag')).toBe('"1"');
      expect(res.json()).toMatchObject({ priority: 12 });
      expect((await call(second, 'GET', '/rest/notes/kept')).json()).toEqual({
        id: 'kept',
        text: 'survives',
      });
      const history = (
        await admin(second, 'GET', `/history?path=${encodeURIComponent(task)}`)
      ).json<{ revisions: unknown[] }>();
      expect(history.revisions).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});

function runCli(args: string[]): {
  child: ReturnType<typeof spawn>;
  out: () => string;
  err: () => string;
  exit: Promise<number | null>;
} {
  // process.execPath is the Node that runs vitest (24 under npx), so node:sqlite is there.
  const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

describe('cli', () => {
  it('prints the listening line, serves, and exits 0 on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--seed', 'none', '--data', ':memory:']);
    const deadline = Date.now() + 15_000;
    while (
      !/Sandbox listening on http:\/\/127\.0\.0\.1:\d+\n/.test(cli.out()) &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    const m = /^Sandbox listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(cli.out());
    expect(m, cli.out() + cli.err()).not.toBeNull();
    const res = await fetch(`${m?.[1] as string}/_sandbox`);
    expect(((await res.json()) as { seed: string }).seed).toBe('none');
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toBe(0);
  });

  it.each([[['--port', 'abc']], [['--seed', 'lots']], [['--bogus']], [['--data', '']]])(
    'exits 2 on bad flags %j',
    async (args) => {
      const cli = runCli(args);
      expect(await cli.exit).toBe(2);
      expect(cli.err()).toMatch(/^sandbox: .+\nUsage: /);
    },
  );
});
