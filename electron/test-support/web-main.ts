// The browser-mode entry (electron/web/main.ts) as a process run from source, for the tests of how
// it starts and stops.
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(import.meta.dirname, '../..');

export function spawnWebMain(args: readonly string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'electron/web/main.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
