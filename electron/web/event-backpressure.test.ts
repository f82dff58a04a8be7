// A page that stops reading its event stream (a frozen tab, a debugger paused on it) must not make
// the host keep every event for it: once its stream has taken nothing for a while as events wait,
// or holds too much unread, it is closed and its subscription ended. A page that reads gets every
// event, in order, a megabytes-long one too.
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

async function start(bounds: {
  eventStallMs?: number;
  maxUnreadEventBytes?: number;
}): Promise<RunningWebHost> {
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
    ...bounds,
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

/**
 * Sends events to every subscriber, a batch at a time with a pause between, until none is left
 * (the host closed the stream) or `limit` bytes were sent; the bytes sent.
 */
async function sendUntilUnsubscribed(limit: number, pauseMs: number): Promise<number> {
  let sent = 0;
  while (listeners.size > 0 && sent < limit) {
    for (let i = 0; i < 200 && listeners.size > 0; i++) {
      for (const listener of [...listeners]) listener(activity(sent));
      sent += 500;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return sent;
}

it('closes the stream of a page that has read nothing for a while, and ends its subscription', async () => {
  const { port } = await start({ eventStallMs: 300 });
  const res = await openStream(port);
  res.pause(); // the page reads nothing more
  await until(() => listeners.size === 1, 'the host has subscribed the stream');
  const closed = new Promise<void>((resolve) => res.socket.once('close', () => resolve()));
  // Events keep coming: socket buffers fill, then the host's own. Without the bound, every one
  // of them would be kept for the page (hundreds of megabytes here).
  const started = Date.now();
  const limit = 200 * 1024 * 1024;
  const sent = await sendUntilUnsubscribed(limit, 20);
  expect(listeners.size).toBe(0);
  expect(sent).toBeLessThan(limit);
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  // The page, reading again, finds its stream closed (after what was sent before).
  res.on('error', () => undefined);
  res.resume();
  await closed;
});

it('closes the stream of a page that left too much unread, before it stalled that long', async () => {
  const { port } = await start({ eventStallMs: 3_600_000, maxUnreadEventBytes: 256 * 1024 });
  const res = await openStream(port);
  res.pause();
  await until(() => listeners.size === 1, 'the host has subscribed the stream');
  const limit = 200 * 1024 * 1024;
  expect(await sendUntilUnsubscribed(limit, 0)).toBeLessThan(limit);
  expect(listeners.size).toBe(0);
});

it('delivers every event, in order, to a page that reads, a megabytes-long one too', async () => {
  const { port } = await start({});
  const res = await openStream(port);
  res.setEncoding('utf8');
  let text = '';
  res.on('data', (chunk: string) => (text += chunk));
  await until(() => listeners.size === 1, 'the host has subscribed the stream');
  // 3,000 events of about 500 bytes, 100 at a time as a busy host would send them, and among
  // them one of 8 MB (the changed paths of a rewritten document), followed at once by others:
  // it waits for the page longer than any other, and must not cost the page its stream.
  const count = 3000;
  const big = 1500;
  const paths = Array.from({ length: 200_000 }, (_, i) => `/items/${i}/tier`);
  for (let n = 0; n < count; n += 100) {
    for (let i = n; i < n + 100; i++)
      for (const listener of listeners)
        listener(
          i === big
            ? {
                type: 'resource-changed',
                watchId: 'w',
                ref: { connectionId: 'c', id: 'big' },
                revision: '2',
                journalId: i,
                changedPaths: [...paths, ...paths, ...paths],
              }
            : activity(i),
        );
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await until(() => text.split('\n\n').length > count, 'every event has arrived');
  const ids = text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => {
      const event = JSON.parse(block.slice(6)) as ApiEvent;
      return event.type === 'activity'
        ? event.entry.id
        : (event as { journalId: number }).journalId;
    });
  expect(ids).toEqual(Array.from({ length: count }, (_, i) => i));
  expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
  expect(listeners.size).toBe(1);
  res.destroy();
  await until(() => listeners.size === 0, 'the page that went is unsubscribed');
});

it('keeps the stream of a page that reads all the time, however slowly, through a long backlog', async () => {
  // The host took "no drain for a while" for a stall: Node says 'drain' only once everything
  // written is gone, so a page reading steadily through a backlog longer than the stall was cut off.
  // (The connection takes what such a page reads in steps, as its TCP window opens: here about
  // every half second, well inside the stall allowed.)
  const { port } = await start({ eventStallMs: 3000, maxUnreadEventBytes: 256 * 1024 * 1024 });
  const res = await openStream(port);
  await until(() => listeners.size === 1, 'the host has subscribed the stream');
  let received = 0;
  // The page reads without stopping, a chunk at a time with a pause between (6 MB/s at most).
  res.on('data', (chunk: Buffer) => {
    received += chunk.length;
    res.pause();
    setTimeout(() => res.resume(), 10);
  });
  res.on('error', () => undefined);
  // One event of about 60 MB (the changed paths of a rewritten document)…
  const paths = Array.from({ length: 3_000_000 }, (_, i) => `/items/${i}/tier`);
  const bigBytes = paths.join('","').length;
  for (const listener of listeners)
    listener({
      type: 'resource-changed',
      watchId: 'w',
      ref: { connectionId: 'c', id: 'big' },
      revision: '2',
      journalId: 1,
      changedPaths: paths,
    });
  // …then small ones for twice the stall, while the page is still inside the long one.
  for (let i = 0; i < 120; i++) {
    for (const listener of [...listeners]) listener(activity(i));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(received).toBeGreaterThan(0);
  expect(received).toBeLessThan(bigBytes);
  expect(listeners.size).toBe(1);
  res.destroy();
  await until(() => listeners.size === 0, 'the page that went is unsubscribed');
});
