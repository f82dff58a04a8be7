// Starts a desk in a child process (team-host-child.ts) and calls its contract over IPC, so a test
// can run two copies against one team store and kill one with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Api } from '../../shared/api/contract';

export type ChildHost = {
  api: Api;
  child: ChildProcess;
  dataDir: string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
};

const here = path.dirname(fileURLToPath(import.meta.url));

export async function spawnTeamHost(options: {
  sandboxUrl: string;
  teamStore: string;
  operator: string;
  heartbeatMs?: number;
  ttlMs?: number;
}): Promise<ChildHost> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-team-host-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'team-host-child.ts')],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        TEAM_HOST_SANDBOX_URL: options.sandboxUrl,
        TEAM_HOST_DATA_DIR: dataDir,
        TEAM_HOST_TEAM_STORE: options.teamStore,
        TEAM_HOST_OPERATOR: options.operator,
        TEAM_HOST_HEARTBEAT_MS: String(options.heartbeatMs ?? 3000),
        TEAM_HOST_TTL_MS: String(options.ttlMs ?? 9000),
      },
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  let next = 1;
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`team host did not start: ${stderr}`)), 30_000);
    child.on(
      'message',
      (message: { ready?: boolean; id?: number; result?: unknown; error?: string }) => {
        if (message.ready) {
          clearTimeout(timer);
          resolve();
          return;
        }
        const call = waiting.get(message.id!);
        waiting.delete(message.id!);
        if (message.error !== undefined) call?.reject(new Error(message.error));
        else call?.resolve(message.result);
      },
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      for (const call of waiting.values())
        call.reject(new Error(`team host exited (${code}): ${stderr}`));
      reject(new Error(`team host exited (${code}): ${stderr}`));
    });
  });
  const api = new Proxy({} as Api, {
    get: (_target, method: string) => (args: unknown) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        child.send({ id, method, args });
      }),
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = () => rmSync(dataDir, { recursive: true, force: true });
  return {
    api,
    child,
    dataDir,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
      cleanup();
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      cleanup();
    },
  };
}
