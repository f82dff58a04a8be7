// Starts the real browser-mode host (built output) on a free port with its own data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** `token` is the single-use launch token of `url`; `apiToken` the script token from the api-token file. */
export type WebHost = {
  url: string;
  origin: string;
  token: string;
  apiToken: string;
  dataDir: string;
  process: ChildProcess;
  freshAddress(): Promise<string>;
  stop(): Promise<void>;
  restart(): Promise<WebHost>;
};

const LINE = /^Conflict Desk \(browser mode\): (http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)$/;

export async function startWebHost(
  options: {
    dataDir?: string;
    extraArgs?: string[];
    /** Another built host, e.g. a baseline for the bench. */ entry?: string;
  } = {},
): Promise<WebHost> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'cd-e2e-'));
  const child = spawn(
    process.execPath,
    [
      options.entry ?? 'out/main/web.js',
      '--port',
      '0',
      '--data',
      dataDir,
      ...(options.extraArgs ?? []),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web host did not start in time. stderr: ${stderr}`)),
      20_000,
    );
    lines.once('line', (line) => {
      const m = LINE.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      } else {
        reject(new Error(`unexpected output from the web host: ${line}`));
      }
    });
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr}`)));
  });
  // The host prints a fresh launch address on SIGUSR1 (or Enter on its terminal).
  const freshAddress = () =>
    new Promise<string>((resolve) => {
      lines.once('line', (line) => resolve(line.replace(/^Conflict Desk \(browser mode\): /, '')));
      child.kill('SIGUSR1');
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      // Already gone (exited, or killed by a test with a signal).
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const host: WebHost = {
    origin: match[1]!,
    token: match[2]!,
    url: `${match[1]}/?token=${match[2]}`,
    apiToken: readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim(),
    dataDir,
    process: child,
    freshAddress,
    stop,
    async restart() {
      await stop();
      return startWebHost({ ...options, dataDir });
    },
  };
  return host;
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
