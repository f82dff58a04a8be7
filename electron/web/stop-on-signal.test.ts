// The browser-mode host's signals, as a unit (a stop that hangs on purpose) and as a process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { spawnWebMain } from '../test-support/web-main';
import { stopOnSignals, type StopSignal } from './stop-on-signal';

function harness(stop: () => Promise<void>) {
  const handlers = new Map<StopSignal, () => void>();
  let now = 0;
  const exits: number[] = [];
  const said: string[] = [];
  let stops = 0;
  stopOnSignals({
    stop: () => {
      stops++;
      return stop();
    },
    exit: (code) => exits.push(code),
    say: (line) => said.push(line),
    on: (signal, handler) => handlers.set(signal, handler),
    now: () => now,
  });
  // Each signal a second after the one before it, unless said otherwise.
  const send = (signal: StopSignal, afterMs = 1000) => {
    now += afterMs;
    handlers.get(signal)!();
  };
  return { send, exits, said, stops: () => stops };
}

describe('stopOnSignals', () => {
  it('stops once and exits 0', async () => {
    const h = harness(() => Promise.resolve());
    h.send('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.exits).toEqual([0]);
    expect(h.stops()).toBe(1);
  });

  it('exits at once with 130 on a second Ctrl-C while stopping hangs, without stopping twice', () => {
    const h = harness(() => new Promise<void>(() => undefined));
    h.send('SIGINT');
    expect(h.exits).toEqual([]);
    h.send('SIGINT');
    expect(h.exits).toEqual([130]);
    expect(h.stops()).toBe(1);
    expect(h.said).toEqual(['conflict-desk web: SIGINT again while stopping; exiting now']);
  });

  it('takes a signal again within a moment for the same one passed on twice, and stops in order', () => {
    // One Ctrl-C reaches the terminal's whole process group, and npm (or a script, a supervisor)
    // passes its own on as well: 20 ms apart, that is not the operator pressing it again.
    const h = harness(() => new Promise<void>(() => undefined));
    h.send('SIGINT');
    h.send('SIGINT', 20);
    h.send('SIGTERM', 20);
    expect(h.exits).toEqual([]);
    expect(h.said).toEqual([]);
    h.send('SIGINT', 1000);
    expect(h.exits).toEqual([130]);
    expect(h.stops()).toBe(1);
  });

  it('answers a second SIGTERM with 143', () => {
    const h = harness(() => new Promise<void>(() => undefined));
    h.send('SIGINT');
    h.send('SIGTERM');
    expect(h.exits).toEqual([143]);
  });

  it('stops in order on a hang-up too (the terminal it ran in was closed), and 129 on a second', async () => {
    const h = harness(() => Promise.resolve());
    h.send('SIGHUP');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.exits).toEqual([0]);
    const hanging = harness(() => new Promise<void>(() => undefined));
    hanging.send('SIGHUP');
    hanging.send('SIGHUP');
    expect(hanging.exits).toEqual([129]);
    expect(hanging.stops()).toBe(1);
  });

  it('exits 1 saying why when stopping fails', async () => {
    const h = harness(() => Promise.reject(new Error('database is locked')));
    h.send('SIGINT');
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.exits).toEqual([1]);
    expect(h.said).toEqual(['conflict-desk web: stopping failed: database is locked']);
  });
});

it.each(['SIGTERM', 'SIGHUP'] as const)(
  'the host process stops on %s: exit 0, its API token file removed',
  async (signal) => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-web-stop-'));
    try {
      const child = spawnWebMain(['--port', '0', '--data', dataDir, '--no-sandbox']);
      const first = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      expect(first).toMatch(/^Conflict Desk \(browser mode\): http:\/\/127\.0\.0\.1:\d+\//);
      expect(existsSync(path.join(dataDir, 'api-token'))).toBe(true);
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill(signal);
      expect(await exited).toBe(0);
      expect(existsSync(path.join(dataDir, 'api-token'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
