// One app per data directory: a second holder, in another process or in this one, is refused in
// words that say what to do; the lock goes with its holder, even one killed with SIGKILL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirInUse, LOCK_FILE, lockDataDir } from './data-dir-lock';

const MODULE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data-dir-lock.ts');
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Another Node process that tries to take `dir`, then holds it for `holdMs` (0: lets go at once). */
const otherProcess = (dir: string, holdMs = 0) =>
  [
    '--import',
    'tsx',
    '--input-type=module',
    '-e',
    `import { lockDataDir } from ${JSON.stringify(MODULE)};
     try { lockDataDir(${JSON.stringify(dir)}, 100); console.log('locked'); }
     catch (error) { console.log('refused: ' + error.message); process.exit(3); }
     setTimeout(() => {}, ${holdMs});`,
  ] as const;

/** Another process holding `dir` for `holdMs`, once it says it has taken it. */
async function holding(dir: string, holdMs: number): Promise<ChildProcess> {
  const holder = spawn(process.execPath, otherProcess(dir, holdMs), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (chunk: Buffer) =>
      chunk.toString().includes('locked') ? resolve() : reject(new Error(String(chunk))),
    );
    holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
  return holder;
}

describe('the data directory lock', () => {
  it('refuses another process while held, naming the directory and what to do; free again once released', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    const refused = spawnSync(process.execPath, otherProcess(dir), { encoding: 'utf8' });
    expect(refused.status).toBe(3);
    expect(refused.stdout).toContain(`refused: The data directory ${dir} is in use`);
    expect(refused.stdout).toContain('--data <dir>');
    lock.release();
    const taken = spawnSync(process.execPath, otherProcess(dir), { encoding: 'utf8' });
    expect(taken.stdout.trim()).toBe('locked');
    expect(taken.status).toBe(0);
  });

  it('refuses a second holder in the same process too', () => {
    const dir = freshDir();
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir, 50)).toThrow(DataDirInUse);
    lock.release();
    lock.release(); // twice is harmless
    lockDataDir(dir).release();
  });

  it('waits for a holder that is stopping (a quick restart), and takes the directory once it has gone', async () => {
    const dir = freshDir();
    await holding(dir, 700);
    const started = Date.now();
    lockDataDir(dir, 10_000).release();
    expect(Date.now() - started).toBeGreaterThan(200);
  });

  it('makes a directory that does not exist yet, private; the lock file is private and alone', () => {
    const dir = path.join(freshDir(), 'new', 'data');
    const lock = lockDataDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, LOCK_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });

  it('goes with a holder killed by SIGKILL: no stale lock to clear by hand', async () => {
    const dir = freshDir();
    const holder = await holding(dir, 60_000);
    expect(() => lockDataDir(dir, 50)).toThrow(DataDirInUse);
    const gone = new Promise((resolve) => holder.on('exit', resolve));
    holder.kill('SIGKILL');
    await gone;
    lockDataDir(dir).release();
  });
});
