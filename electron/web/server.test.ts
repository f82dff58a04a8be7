import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../shared/api/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { decodeFrames, encodeFrames, FRAMES_TYPE } from '../../shared/api/wire';
import { acceptsFrames, LAUNCH_HEADER, startWebHost, type RunningWebHost } from './server';

const TOKEN = 'a'.repeat(64);
let host: RunningWebHost;

const previewed: unknown[] = [];
const service = {
  appInfo: async () => ({
    name: 'Conflict Desk',
    version: '1',
    host: 'web',
    platform: 'linux',
    dataDir: '/d',
    sandboxUrl: null,
    suggestedUrl: null,
  }),
  getResource: async ({ url }: { url: string }) => ({
    kind: 'error',
    reason: 'network',
    message: 'unreachable',
    url,
  }),
  previewBatch: async (args: unknown) => {
    previewed.push(args);
    return { kind: 'ok', previews: [] };
  },
  // Echoes the text it was given, as a document answer would carry one.
  saveDraft: async ({ text }: { text: string }) => ({ ok: true, snapshot: { text } }),
} as unknown as Api;

/** Raw requests, so tests control Host and Origin exactly as an attacker could. */
function send(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        // Whole bytes first: a chunk can end inside a multi-byte character.
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const apiCall = (method: string, args: unknown, headers: Record<string, string> = {}) =>
  send({
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN, ...headers },
    body: JSON.stringify(args),
  });

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  host = await startWebHost({
    service,
    rendererDir: dir,
    scriptToken: TOKEN,
    events: () => () => undefined,
  });
});
afterAll(() => host.close());

const launchTokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const exchange = (launch: string) =>
  send({ method: 'POST', path: '/session', headers: { [LAUNCH_HEADER]: launch } });

describe('web host', () => {
  it('listens on 127.0.0.1 and prints an address with a launch token that is not the script token', () => {
    expect(host.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[0-9a-f]{64}$`),
    );
    expect(launchTokenOf(host.url)).not.toBe(TOKEN);
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('answers 401 to the contract without the header credential, or with a wrong one', async () => {
    expect((await apiCall('appInfo', {}, { 'x-conflict-desk-token': 'b'.repeat(64) })).status).toBe(
      401,
    );
    const none = await send({
      method: 'POST',
      path: '/api/appInfo',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({
      kind: 'host-error',
      code: 'unauthorized',
      message: expect.stringContaining('x-conflict-desk-token'),
    });
  });

  it('accepts the script token only in the header: never in the URL or a cookie', async () => {
    expect((await apiCall('appInfo', {})).status).toBe(200);
    const inUrl = await send({
      method: 'POST',
      path: `/api/appInfo?token=${TOKEN}`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(inUrl.status).toBe(401);
    for (const cookie of [`cd_token_${host.port}=${TOKEN}`, `token=${TOKEN}`]) {
      expect(
        (
          await send({
            method: 'POST',
            path: '/api/appInfo',
            headers: { 'content-type': 'application/json', cookie },
            body: '{}',
          })
        ).status,
      ).toBe(401);
    }
    expect((await send({ path: `/api/events?token=${TOKEN}` })).status).toBe(401);
  });

  it('exchanges a launch token once for a session credential; a spent one is refused with what to do', async () => {
    const launch = launchTokenOf(host.newLaunchUrl());
    // The launch token itself is no credential.
    expect((await apiCall('appInfo', {}, { 'x-conflict-desk-token': launch })).status).toBe(401);
    const first = await exchange(launch);
    expect(first.status).toBe(200);
    const session = (JSON.parse(first.body) as { session: string }).session;
    expect(session).toMatch(/^[0-9a-f]{64}$/);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect((await apiCall('appInfo', {}, { 'x-conflict-desk-token': session })).status).toBe(200);
    const again = await exchange(launch);
    expect(again.status).toBe(401);
    expect(JSON.parse(again.body)).toMatchObject({
      kind: 'host-error',
      code: 'unauthorized',
      message: expect.stringContaining('already used'),
    });
    // The session keeps working (a reload), and a fresh address opens another one.
    expect((await apiCall('appInfo', {}, { 'x-conflict-desk-token': session })).status).toBe(200);
    expect((await exchange(launchTokenOf(host.newLaunchUrl()))).status).toBe(200);
    expect((await exchange('')).status).toBe(401);
  });

  it('streams events to a header credential, not to a cookie or a query', async () => {
    const ok = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: '/api/events',
          headers: { host: `127.0.0.1:${host.port}`, 'x-conflict-desk-token': TOKEN },
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy();
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(ok).toBe(200);
    expect(
      (await send({ path: '/api/events', headers: { cookie: `cd_token_${host.port}=${TOKEN}` } }))
        .status,
    ).toBe(401);
  });

  it('answers 403 to a Host that is not its loopback address (DNS rebinding)', async () => {
    for (const h of [
      'evil.example',
      `localhost:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      'evil.example:80',
    ]) {
      expect((await send({ path: '/', headers: { host: h } })).status).toBe(403);
      expect((await apiCall('appInfo', {}, { host: h })).status).toBe(403);
    }
  });

  it('answers 403 to a foreign Origin, for calls and for the launch exchange', async () => {
    expect((await apiCall('appInfo', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await apiCall('appInfo', {}, { origin: `http://localhost:${host.port}` })).status).toBe(
      403,
    );
    expect(
      (await apiCall('appInfo', {}, { origin: `http://127.0.0.1:${host.port + 1}` })).status,
    ).toBe(403);
    expect((await apiCall('appInfo', {}, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(
      200,
    );
    const launch = launchTokenOf(host.newLaunchUrl());
    expect(
      (
        await send({
          method: 'POST',
          path: '/session',
          headers: { [LAUNCH_HEADER]: launch, origin: 'http://127.0.0.1:1' },
        })
      ).status,
    ).toBe(403);
  });

  it('serves the page (public build output) with CSP and sets no cookie', async () => {
    const page = await send({ path: `/?token=${launchTokenOf(host.newLaunchUrl())}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect((await send({ path: '/index.html' })).status).toBe(200);
  });

  it('answers 400, not 500, to a path whose percent-encoding does not decode', async () => {
    const res = await send({ path: '/%E0%A4%A' });
    expect(res.status).toBe(400);
    expect(res.body).toContain('percent-encoding');
  });

  it('refuses an oversize body with 413 by its declared length, before reading it', async () => {
    // Declares 65 MiB and sends only a little: the answer cannot have waited for the body.
    const declared = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/appInfo',
          headers: {
            host: `127.0.0.1:${host.port}`,
            'content-type': 'application/json',
            'x-conflict-desk-token': TOKEN,
            'content-length': String(65 * 1024 * 1024),
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"a":');
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      kind: 'host-error',
      code: 'too-large',
      message: expect.stringContaining('64 MiB'),
    });
  });

  it('answers a 65 MiB body sent in full with 413, not a connection reset', async () => {
    const big = Buffer.alloc(65 * 1024 * 1024, 0x20);
    const res = await fetch(`http://127.0.0.1:${host.port}/api/appInfo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { code: string }).code).toBe('too-large');
  });

  it('calls contract methods with validated JSON arguments', async () => {
    const info = await apiCall('appInfo', {});
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ name: 'Conflict Desk', host: 'web' });
    const got = await apiCall('getResource', { url: 'http://x.example/' });
    expect(JSON.parse(got.body)).toMatchObject({ kind: 'error', url: 'http://x.example/' });
  });

  it('reads a framed body and answers framed only to a request that accepts it', async () => {
    const text = JSON.stringify(
      { items: Array.from({ length: 3000 }, (_, i) => ({ id: `é${i}`, note: 'a "b"\n 🎉' })) },
      null,
      2,
    );
    const args = {
      ref: { connectionId: 'c1', id: 'r1' },
      text,
      baseRevision: null,
      baseJournalId: null,
    };
    const framed = encodeFrames(args)!;
    const headers = { 'content-type': FRAMES_TYPE, 'x-conflict-desk-token': TOKEN };
    const plain = await send({ method: 'POST', path: '/api/saveDraft', headers, body: framed });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(plain.body)).toEqual({ ok: true, snapshot: { text } });
    const both = await send({
      method: 'POST',
      path: '/api/saveDraft',
      headers: { ...headers, accept: `${FRAMES_TYPE}, application/json` },
      body: framed,
    });
    expect(both.status).toBe(200);
    expect(both.headers['content-type']).toMatch(new RegExp(`^${FRAMES_TYPE}`));
    expect(both.body.length).toBeLessThan(text.length + 200);
    expect(decodeFrames(both.body)).toEqual({ ok: true, snapshot: { text } });
    // A small answer stays JSON even for the page.
    const info = await apiCall('appInfo', {}, { accept: FRAMES_TYPE });
    expect(info.headers['content-type']).toMatch(/^application\/json/);
    // A broken frame is a 400 that says what is wrong, and the method is not called.
    const broken = await send({
      method: 'POST',
      path: '/api/saveDraft',
      headers,
      body: framed.slice(0, -1),
    });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({
      code: 'invalid-arguments',
      message: expect.stringMatching(/not a valid framed body: .*add up to/),
    });
  });

  it('answers framed only to an Accept that names the framed type with a quality above 0', () => {
    expect(acceptsFrames(undefined)).toBe(false);
    expect(acceptsFrames('*/*')).toBe(false);
    expect(acceptsFrames('application/*, application/json')).toBe(false);
    expect(acceptsFrames(`${FRAMES_TYPE}, application/json`)).toBe(true);
    expect(acceptsFrames(`application/json;q=0.9, ${FRAMES_TYPE.toUpperCase()} ; q=0.5`)).toBe(
      true,
    );
    expect(acceptsFrames(`${FRAMES_TYPE};q=0, application/json`)).toBe(false);
    expect(acceptsFrames(`${FRAMES_TYPE}; q=0.0`)).toBe(false);
    expect(acceptsFrames(`${FRAMES_TYPE}-not, application/json`)).toBe(false);
  });

  it('rejects bad calls with a host error that names the problem', async () => {
    const bad = await apiCall('getResource', { url: 5 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({
      kind: 'host-error',
      code: 'invalid-arguments',
      message: expect.stringContaining('url: expected a string'),
    });
    const unknown = await apiCall('deleteEverything', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'unknown-method' });
    const notJson = await send({
      method: 'POST',
      path: '/api/appInfo',
      headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    const form = await send({
      method: 'POST',
      path: '/api/appInfo',
      headers: { 'content-type': 'text/plain', 'x-conflict-desk-token': TOKEN },
      body: '{}',
    });
    expect(form.status).toBe(415);
    expect(
      (
        await send({
          method: 'GET',
          path: '/api/appInfo',
          headers: { 'x-conflict-desk-token': TOKEN },
        })
      ).status,
    ).toBe(405);
  });

  it('refuses a body that is not valid UTF-8 with 400, not a draft holding U+FFFD', async () => {
    const res = await send({
      method: 'POST',
      path: '/api/saveDraft',
      headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN },
      body: Buffer.concat([
        Buffer.from('{"ref":{"connectionId":"c1","id":"r1"},"text":"a'),
        Buffer.from([0xff, 0xc3]),
        Buffer.from('b","baseRevision":null,"baseJournalId":null}'),
      ]),
    });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'invalid-arguments',
      message: expect.stringContaining('not valid UTF-8'),
    });
  });

  it('answers arguments too deep for the decoder to revive with a 400 that says so, not "not valid JSON"', async () => {
    // A tag makes the decoder revive values, which walks the nesting (JSON.parse alone does not).
    const depth = 1_000_000;
    const res = await send({
      method: 'POST',
      path: '/api/previewBatch',
      headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN },
      body: `{"n":{"$conflictDeskBigInt":"1"},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    });
    expect(previewed).toEqual([]);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'invalid-arguments',
      message: expect.stringContaining('nest deeper than 64 levels'),
    });
  });

  it('refuses a plain integer beyond 2^53 in the arguments with 400, not a rounded value', async () => {
    const res = await send({
      method: 'POST',
      path: '/api/previewBatch',
      headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN },
      body: '{"connectionId":"c1","resourceIds":["r1"],"intents":[{"kind":"set","path":"/n","value":9007199254740993}]}',
    });
    expect(previewed).toEqual([]);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'invalid-arguments',
      message: expect.stringContaining('9007199254740993 is beyond'),
    });
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await send({ path: '/..%2f..%2fetc%2fpasswd' });
    expect([403, 404]).toContain(res.status);
    expect(res.body).not.toContain('root:');
  });
});
