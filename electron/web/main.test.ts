// The browser-mode entry as a process: a host that cannot start says why in one line.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { spawnWebMain } from '../test-support/web-main';

it('exits 1 naming a port that is already taken, without a stack trace', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-web-main-'));
  try {
    const child = spawnWebMain(['--port', String(port), '--data', dataDir, '--no-sandbox']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `conflict-desk web: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
    );
  } finally {
    busy.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
