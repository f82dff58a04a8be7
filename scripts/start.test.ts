// `npm start` in browser mode, as a process: the script runs the host in its own process group, so
// whatever the terminal sends the script's group must be passed on, or the host outlives it. The
// build is stood in for (an `electron-vite` that succeeds at once) and so is the host (a script
// that says what signals reach it); the script itself is the real one, run from a copy of its folder.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';

const HOST = `
const fs = require('node:fs');
const said = (line) => fs.appendFileSync('signals', line + '\\n');
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => { said(signal); process.exit(0); });
console.log('host ' + process.pid);
console.log('Conflict Desk (browser mode): http://127.0.0.1:1/');
setInterval(() => undefined, 1000);
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startInTerminal(dir: string) {
  // Its own process group, as a terminal's foreground job: signalling the group is the terminal.
  const script = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: dir,
    env: {
      ...process.env,
      PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env['PATH']}`,
      DISPLAY: '',
      WAYLAND_DISPLAY: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  const lines = createInterface({ input: script.stdout! });
  const hostPid = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^host (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    script.on('exit', (code) =>
      reject(new Error(`start.mjs exited ${code} before the host said hello`)),
    );
  });
  const exited = new Promise<number | null>((resolve) => script.on('exit', resolve));
  return { script, hostPid, exited };
}

it.skipIf(process.platform === 'win32')(
  'a terminal that hangs up (SIGHUP to the script’s group) stops the browser-mode host too',
  async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-start-'));
    let hostPid = 0;
    try {
      mkdirSync(path.join(dir, 'scripts'));
      mkdirSync(path.join(dir, 'bin'));
      mkdirSync(path.join(dir, 'out', 'main'), { recursive: true });
      for (const file of ['start.mjs', 'electron-binary.mjs'])
        copyFileSync(path.join(import.meta.dirname, file), path.join(dir, 'scripts', file));
      writeFileSync(path.join(dir, 'bin', 'electron-vite'), '#!/bin/sh\nexit 0\n');
      chmodSync(path.join(dir, 'bin', 'electron-vite'), 0o755);
      writeFileSync(path.join(dir, 'out', 'main', 'web.js'), HOST);

      const started = await startInTerminal(dir);
      hostPid = started.hostPid;
      process.kill(-started.script.pid!, 'SIGHUP');
      await started.exited;
      await expect.poll(() => alive(hostPid), { timeout: 5000 }).toBe(false);
      expect(readFileSync(path.join(dir, 'signals'), 'utf8')).toBe('SIGHUP\n');
    } finally {
      if (hostPid && alive(hostPid)) process.kill(hostPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
