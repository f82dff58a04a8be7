// The web host against hostile request bodies, on real sockets: a body that stalls or never comes,
// a chunked body that never ends, a client that goes away mid-body; media types in any case; and
// a method that throws.
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../shared/api/contract';
import { FRAMES_TYPE, encodeFrames } from '../../shared/api/wire';
import {
  BODY_STALL_MS,
  REQUEST_TIMEOUT_MS,
  startWebHost,
  TOKEN_HEADER,
  type RunningWebHost,
} from './server';

const TOKEN = 'c'.repeat(64);
const LIMIT = 1024 * 1024;
const STALL_MS = 300;
const REQUEST_MS = 2000;
let host: RunningWebHost;
const saved: unknown[] = [];

const service = {
  appInfo: async () => ({ name: 'Conflict Desk' }),
  saveDraft: async (args: { text: string }) => {
    saved.push(args);
    return { ok: true };
  },
  // A bug inside the backend: its message names a credential, which must not reach the client.
  listConnections: async () => {
    throw new Error('pool exhausted while holding token sk-SECRET-1234');
  },
} as unknown as Api;

beforeAll(async () => {
  host = await startWebHost({
    service,
    rendererDir: mkdtempSync(path.join(os.tmpdir(), 'cd-web-body-')),
    scriptToken: TOKEN,
    maxBodyBytes: LIMIT,
    bodyStallMs: STALL_MS,
    requestTimeoutMs: REQUEST_MS,
  });
});
afterAll(() => host.close());

/** Request head for POST /api/<method>, with the given extra header lines. */
const head = (method: string, lines: string[]) =>
  [
    `POST /api/${method} HTTP/1.1`,
    `Host: 127.0.0.1:${host.port}`,
    `${TOKEN_HEADER}: ${TOKEN}`,
    ...lines,
    '',
    '',
  ].join('\r\n');

type Raw = { socket: Socket; received: () => string; closed: Promise<number> };

/** A raw connection: what came back so far, and when (ms after opening) the host closed it. */
function open(): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(host.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    // A reset after the answer is a close too; writes racing it are expected.
    socket.on('error', () => undefined);
    const closed = new Promise<number>((done) =>
      socket.on('close', () => done(Date.now() - started)),
    );
    socket.once('connect', () =>
      resolve({ socket, received: () => Buffer.concat(chunks).toString('utf8'), closed }),
    );
    socket.once('error', reject);
  });
}

const statusOf = (text: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
/** The JSON body of a raw answer, chunked or not. */
function jsonOf(text: string): unknown {
  const [headLines = '', rest = ''] = text.split(/\r\n\r\n(.*)/s);
  if (!/transfer-encoding: chunked/i.test(headLines)) return JSON.parse(rest);
  let body = '';
  for (let at = 0; ;) {
    const line = rest.indexOf('\r\n', at);
    const size = parseInt(rest.slice(at, line), 16);
    if (!size) return JSON.parse(body);
    body += rest.slice(line + 2, line + 2 + size);
    at = line + 2 + size + 2;
  }
}

async function post(
  method: string,
  contentType: string,
  body: string,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${host.port}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': contentType, [TOKEN_HEADER]: TOKEN },
    body,
  });
  return { status: res.status, json: await res.json() };
}

describe('web host: request bodies', () => {
  it('documents a stall limit of some seconds', () => {
    expect(BODY_STALL_MS).toBeGreaterThanOrEqual(1000);
    expect(BODY_STALL_MS).toBeLessThanOrEqual(60_000);
  });

  it('answers 408 and closes a body that claims a Content-Length and never sends it', async () => {
    const raw = await open();
    raw.socket.write(head('saveDraft', ['Content-Type: application/json', 'Content-Length: 100']));
    raw.socket.write('{"text":');
    const after = await raw.closed;
    expect(after).toBeGreaterThanOrEqual(STALL_MS - 50);
    expect(after).toBeLessThan(STALL_MS + 2000);
    expect(statusOf(raw.received())).toBe(408);
    expect(jsonOf(raw.received())).toMatchObject({
      kind: 'host-error',
      code: 'timeout',
      message: expect.stringContaining('stopped arriving'),
    });
    expect(saved).toEqual([]);
  });

  it('answers 408 to a chunked body that trickles and then stalls', async () => {
    const raw = await open();
    raw.socket.write(
      head('saveDraft', ['Content-Type: application/json', 'Transfer-Encoding: chunked']),
    );
    // Progress keeps the body alive: each piece comes well within the stall limit.
    for (let i = 0; i < 3; i++) {
      raw.socket.write('1\r\n \r\n');
      await new Promise((r) => setTimeout(r, STALL_MS / 3));
    }
    expect(raw.socket.destroyed).toBe(false);
    expect(raw.received()).toBe('');
    const after = await raw.closed;
    expect(after).toBeLessThan(STALL_MS * 2 + 2000);
    expect(statusOf(raw.received())).toBe(408);
  });

  it('ends a body that trickles forever, never stalling, when the whole request has taken too long', async () => {
    expect(REQUEST_TIMEOUT_MS).toBeGreaterThanOrEqual(10_000);
    expect(REQUEST_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
    const raw = await open();
    raw.socket.write(
      head('saveDraft', ['Content-Type: application/json', 'Transfer-Encoding: chunked']),
    );
    // A byte well within the stall limit, again and again, for far longer than the request limit.
    const trickle = setInterval(() => {
      if (!raw.socket.destroyed) raw.socket.write('1\r\n \r\n');
    }, STALL_MS / 3);
    try {
      const after = await raw.closed;
      expect(after).toBeGreaterThanOrEqual(REQUEST_MS - 100);
      expect(after).toBeLessThan(REQUEST_MS + 3000);
      expect(statusOf(raw.received())).toBe(408);
    } finally {
      clearInterval(trickle);
    }
  });

  it('stops reading a chunked body at the limit: 413 at once, connection closed', async () => {
    const raw = await open();
    raw.socket.write(
      head('saveDraft', ['Content-Type: application/json', 'Transfer-Encoding: chunked']),
    );
    const piece = Buffer.alloc(64 * 1024, 0x20);
    const chunk = Buffer.concat([
      Buffer.from(`${piece.length.toString(16)}\r\n`),
      piece,
      Buffer.from('\r\n'),
    ]);
    let sent = 0;
    // An endless body: written as fast as the host takes it, until it answers or 256 MiB went.
    while (!raw.socket.destroyed && raw.received() === '' && sent < 256 * LIMIT) {
      if (!raw.socket.write(chunk))
        await Promise.race([
          new Promise((r) => raw.socket.once('drain', r)),
          new Promise((r) => setTimeout(r, 50)),
        ]);
      sent += piece.length;
    }
    await raw.closed;
    expect(statusOf(raw.received())).toBe(413);
    expect(jsonOf(raw.received())).toMatchObject({ code: 'too-large' });
    // What the host took is the limit plus what socket buffers hold, not the whole body.
    expect(sent).toBeLessThan(64 * LIMIT);
    expect(saved).toEqual([]);
  });

  it('still answers a 413 the client can read when the oversize body is sent in full', async () => {
    const res = await fetch(`http://127.0.0.1:${host.port}/api/saveDraft`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: TOKEN },
      body: Buffer.alloc(2 * LIMIT, 0x20),
    });
    expect(res.status).toBe(413);
  });

  it('accepts media types in any case and with a UTF-8 charset', async () => {
    for (const type of [
      'Application/JSON',
      'APPLICATION/JSON; charset=UTF-8',
      'application/json;charset="utf-8"',
      'application/json ; Charset=utf-8',
    ])
      expect((await post('appInfo', type, '{}')).status, type).toBe(200);
    const framed = encodeFrames({ text: 'x'.repeat(64 * 1024) })!;
    const res = await post('saveDraft', FRAMES_TYPE.toUpperCase(), framed);
    // Read as frames (not as JSON text), whatever the case of the type.
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).not.toContain('valid JSON');
  });

  it('refuses another charset or another type with a 415 that names it', async () => {
    const latin = await post('appInfo', 'application/json; charset=iso-8859-1', '{}');
    expect(latin.status).toBe(415);
    expect(latin.json).toMatchObject({ message: expect.stringContaining('iso-8859-1') });
    for (const type of ['application/jsonp', 'text/json', `${FRAMES_TYPE}-not`, 'application/'])
      expect((await post('appInfo', type, '{}')).status, type).toBe(415);
  });

  it('does not log a client that goes away mid-body as a failure of the host', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const raw = await open();
      raw.socket.write(
        head('saveDraft', ['Content-Type: application/json', 'Content-Length: 100']),
      );
      raw.socket.write('{"text":');
      await new Promise((r) => setTimeout(r, 50));
      raw.socket.destroy();
      await raw.closed;
      await new Promise((r) => setTimeout(r, 100));
      expect(logged).not.toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('answers a method that throws with a 500 that names it, logged, without its details', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await post('listConnections', 'application/json', '{}');
      expect(res.status).toBe(500);
      const text = JSON.stringify(res.json);
      expect(res.json).toMatchObject({
        kind: 'host-error',
        code: 'internal',
        message: expect.stringContaining('listConnections'),
      });
      expect(text).not.toContain('SECRET');
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      expect(logged).toHaveBeenCalled();
      expect(String(logged.mock.calls.flat().join(' '))).toContain('listConnections');
    } finally {
      logged.mockRestore();
    }
  });
});
