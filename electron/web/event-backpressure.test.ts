// A page that stops reading its event stream (a frozen tab, a debugger paused on it) must not make
// the host keep every event for it: past a bound of unread bytes its stream is closed and its
// subscription ended, while a page that reads gets every event, in order.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Api, ApiEventListener } from '../../shared/api/contract';
import type { ApiEvent } from '../../shared/api/types';
import { startWebHost, type RunningWebHost } from './server';

const TOKEN = 'a'.repeat(64);
const listeners = new Set<ApiEventListener>();
let host: RunningWebHost | undefined;

async function start(maxUnreadEventBytes?: number): Promise<RunningWebHost> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-events-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  host = await startWebHost({
    service: {} as Api,
    rendererDir: dir,
    scriptToken: TOKEN,
    events: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...(maxUnreadEventBytes === undefined ? {} : { maxUnreadEventBytes }),
  });
  return host;
}

afterEach(async () => {
  await host?.close();
  host = undefined;
  listeners.clear();
});

/** Opens the event stream; resolves with the response once the host has subscribed it. */
function openStream(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/events',
        headers: { host: `127.0.0.1:${port}`, 'x-conflict-desk-token': TOKEN },
      },
      (res) => resolve(res),
    );
    req.on('error', reject);
    req.end();
  });
}

const until = async (check: () => boolean, what: string) => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

const activity = (n: number): ApiEvent => ({
  type: 'activity',
  entry: {
    id: n,
    at: '2026-12-01T00:00:00.000Z',
    method: 'GET',
    url: `https://api.example.test/items/${n}?${'q'.repeat(400)}`,
    status: 200,
    ms: 1,
    connectionId: 'c',
  } as unknown as Extract<ApiEvent, { type: 'activity' }>['entry'],
});

it('closes the stream of a page that stopped reading, and ends its subscription', async () => {
  const { port } = await start(64 * 1024);
  const res = await openStream(port);
  res.pause(); // the page reads nothing more
  await until(() => listeners.size === 1, 'the host has subscribed the stream');
  const closed = new Promise<void>((resolve) => res.socket.once('close', () => resolve()));
  // Events keep coming: socket buffers fill, then the host's own. Without the bound, every one
  // of them would be kept for the page (hundreds of megabytes here).
  let sent = 0;
  const limit = 200 * 1024 * 1024;
  while (listeners.size > 0 && sent < limit) {
    for (let i = 0; i < 200 && listeners.size > 0; i++) {
      for (const listener of [...listeners]) listener(activity(sent));
      sent += 500;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(listeners.size).toBe(0);
  expect(sent).toBeLessThan(limit);
  await closed;
});

it('delivers every event, in order, to a page that reads', async () => {
  const { port } = await start(64 * 1024);
  const res = await openStream(port);
  res.setEncoding('utf8');
  let text = '';
  res.on('data', (chunk: string) => (text += chunk));
  await until(() => listeners.size === 1, 'the host has subscribed the stream');
  // 3,000 events of about 500 bytes (1.5 MB, far past the bound), 100 at a time as a busy host
  // would send them: the page reads as they come, so nothing is left unread past the bound.
  const count = 3000;
  for (let n = 0; n < count; n += 100) {
    for (let i = n; i < n + 100; i++) for (const listener of listeners) listener(activity(i));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await until(() => text.split('\n\n').length > count, 'every event has arrived');
  const ids = text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => (JSON.parse(block.slice(6)) as { entry: { id: number } }).entry.id);
  expect(ids).toEqual(Array.from({ length: count }, (_, i) => i));
  expect(listeners.size).toBe(1);
  res.destroy();
  await until(() => listeners.size === 0, 'the page that went is unsubscribed');
});
