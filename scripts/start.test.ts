// `npm start` in browser mode, as a process: the script runs the host in its own process group, so
// whatever the terminal sends the script's group must be passed on, or the host outlives it. The
// build is stood in for (an `electron-vite` that succeeds at once); the script is the real one, run
// from a copy of its folder, and so is the host.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..');
// The real host, run from source: out/main/web.js loads electron/web/main.ts through tsx, and says
// its process id first so the test can tell whether it outlived the script.
const HOST = `
import { register } from '${pathToFileURL(path.join(root, 'node_modules/tsx/dist/esm/api/index.mjs')).href}';
register();
console.log('host ' + process.pid);
await import('${pathToFileURL(path.join(root, 'electron/web/main.ts')).href}');
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-start-'));
  mkdirSync(path.join(dir, 'scripts'));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'out', 'main'), { recursive: true });
  for (const file of ['start.mjs', 'electron-binary.mjs'])
    copyFileSync(path.join(import.meta.dirname, file), path.join(dir, 'scripts', file));
  writeFileSync(path.join(dir, 'bin', 'electron-vite'), '#!/bin/sh\nexit 0\n');
  chmodSync(path.join(dir, 'bin', 'electron-vite'), 0o755);
  writeFileSync(path.join(dir, 'out', 'main', 'web.js'), HOST);
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'start-test', private: true, type: 'module' }),
  );
  return dir;
}

/** Runs `command` as a terminal's foreground job: its own process group, which the test signals. */
async function startInTerminal(dir: string, command: string, args: string[]) {
  const job = spawn(command, args, {
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
  const exited = new Promise<number | null>((resolve) => job.on('exit', resolve));
  const lines = createInterface({ input: job.stdout! });
  // Once the host says its address, it is up (its pid was said first).
  let pid = 0;
  const hostPid = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^host (\d+)$/.exec(line);
      if (match) pid = Number(match[1]);
      if (line.startsWith('Conflict Desk (browser mode): ')) resolve(pid);
    });
    void exited.then((code) => reject(new Error(`${command} exited ${code} before the host ran`)));
  });
  return { group: job.pid!, hostPid, exited };
}

async function inProject(body: (dir: string, hosts: number[]) => Promise<void>): Promise<void> {
  const dir = project();
  const hosts: number[] = [];
  try {
    await body(dir, hosts);
  } finally {
    for (const pid of hosts) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const posix = process.platform !== 'win32';
const startScript = (dir: string) =>
  startInTerminal(dir, process.execPath, [
    'scripts/start.mjs',
    '--port',
    '0',
    '--data',
    path.join(dir, 'data'),
    '--no-sandbox',
  ]);
const tokenFile = (dir: string) => path.join(dir, 'data', 'api-token');

it.skipIf(!posix)(
  'a terminal that hangs up (SIGHUP to the script’s group) stops the browser-mode host too, in order',
  () =>
    inProject(async (dir, hosts) => {
      const job = await startScript(dir);
      hosts.push(job.hostPid);
      expect(existsSync(tokenFile(dir))).toBe(true);
      process.kill(-job.group, 'SIGHUP');
      expect(await job.exited).toBe(0);
      expect(alive(job.hostPid)).toBe(false);
      expect(existsSync(tokenFile(dir))).toBe(false);
    }),
);
