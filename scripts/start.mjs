// `npm start`: build, then run the desktop app; where Electron's binary is missing (an offline
// install), say so in one line and run browser mode instead, opening it where a desktop exists.
import { spawn, spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);
const run = (cmd, cmdArgs) =>
  spawnSync(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });

if (run('electron-vite', ['build']).status !== 0) process.exit(1);

if (electronBinary()) {
  const child = spawn('electron-vite', ['preview', ...args], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    'Electron is not installed on this machine (its binary could not be downloaded); starting browser mode instead.',
  );
  // Its own process group: a terminal's Ctrl-C reaches only this script, which passes it on once.
  // (In ours, the host got it twice, from the terminal and from here, and took the second for a
  // request to stop at once.)
  const web = spawn(process.execPath, ['out/main/web.js', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    // (On Windows a detached child gets no Ctrl-C at all; there it stays in the console's group.)
    detached: process.platform !== 'win32',
  });
  const lines = createInterface({ input: web.stdout });
  let opened = false;
  lines.on('line', (line) => {
    console.log(line);
    const match = /^Conflict Desk \(browser mode\): (\S+)$/.exec(line);
    if (match && !opened) {
      opened = true;
      openInBrowser(match[1]);
    }
  });
  // A hang-up too: the terminal closing reaches only this script's group, and the host, in a group
  // and session of its own, would outlive it (still holding its port).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => web.kill(signal));
  // The host's own exit code; killed by a signal, 128 + its number (as a shell would say).
  web.on('exit', (code, signal) =>
    process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1)),
  );
}

function openInBrowser(url) {
  const hasDesktop =
    Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform === 'darwin';
  if (!hasDesktop || process.env.CI) return;
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => console.log(`Open ${url} in your browser.`));
  child.unref();
}
