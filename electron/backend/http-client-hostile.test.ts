// The HTTP client against a server that tries to exhaust it: compressed bombs, bodies that trickle
// or never end, header floods and redirect chains. Each on a real loopback server; every outcome
// must be a value within the client's own size and time limits.
import { createServer, type RequestListener } from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../test-support/loopback';
import { sendRequest } from './http-client';

let closeServer: (() => Promise<void>) | null = null;
afterEach(async () => {
  await closeServer?.();
  closeServer = null;
});

async function serve(listener: RequestListener): Promise<string> {
  const { url, close } = await listenOnLoopback(createServer(listener));
  closeServer = close;
  return url;
}

describe('a compressed answer is capped by what it decompresses to', () => {
  // 64 MB of spaces, a few hundred kilobytes on the wire; the cap is 1 MB here.
  const spaces = Buffer.alloc(64 * 1024 * 1024, 0x20);
  const bombs = {
    gzip: gzipSync(spaces),
    deflate: deflateSync(spaces),
    br: brotliCompressSync(spaces),
  };
  for (const [encoding, bomb] of Object.entries(bombs))
    it(`${encoding}, sent although identity was asked for: too large, not 64 MB in memory`, async () => {
      const asked: unknown[] = [];
      const url = await serve((req, res) => {
        asked.push(req.headers['accept-encoding']);
        res.writeHead(200, { 'content-encoding': encoding, 'content-type': 'application/json' });
        res.end(bomb);
      });
      const outcome = await sendRequest({ method: 'GET', url, maxBytes: 1024 * 1024 });
      expect(outcome).toMatchObject({ kind: 'error', reason: 'too-large' });
      expect(asked).toEqual(['identity']);
    });

  it('twenty layers of gzip: an error value, not twenty decompressions', async () => {
    let body = Buffer.from('{"a":1}');
    for (let i = 0; i < 20; i++) body = gzipSync(body);
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': Array(20).fill('gzip').join(', ') }).end(body);
    });
    expect(await sendRequest({ method: 'GET', url })).toMatchObject({ kind: 'error' });
  });
});

describe('a body that never ends', () => {
  it('trickled a byte at a time: a timeout at the limit, not a read that lasts as long as the server likes', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 10);
      res.on('close', () => clearInterval(drip));
    });
    const outcome = await sendRequest({ method: 'GET', url, timeoutMs: 300 });
    expect(outcome).toMatchObject({ kind: 'error', reason: 'timeout' });
    expect(outcome.durationMs).toBeLessThan(2000);
  });

  it('streamed fast with no Content-Length: too large at the cap', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (res.write(chunk));
      };
      res.on('drain', pump);
      pump();
    });
    const outcome = await sendRequest({ method: 'GET', url, maxBytes: 1024 * 1024 });
    expect(outcome).toMatchObject({ kind: 'error', reason: 'too-large' });
  });
});

describe('a flood of headers', () => {
  it('an ETag of a megabyte: an error value', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { etag: `"${'a'.repeat(1024 * 1024)}"` }).end('{}');
    });
    expect(await sendRequest({ method: 'GET', url })).toMatchObject({ kind: 'error' });
  });
});

describe('redirects', () => {
  it('a loop on one path: stopped after five, an error value', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(302, { location: '/again' }).end();
    });
    const outcome = await sendRequest({ method: 'GET', url });
    expect(outcome).toMatchObject({ kind: 'error', message: expect.stringMatching(/redirected/) });
    expect(requests).toBe(6);
  });

  it('a chain of slow hops: the read\u2019s time limit is for the whole read, not for each hop', async () => {
    // Each hop answers in 150 ms, well within a 300 ms limit, and the fourth is the document:
    // given the limit again at every hop, a read took as long as the chain (six hops, six limits).
    let hops = 0;
    const url = await serve((_req, res) => {
      hops++;
      setTimeout(() => {
        if (hops < 4) res.writeHead(302, { location: `/hop${hops}` }).end();
        else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }, 150);
    });
    const outcome = await sendRequest({ method: 'GET', url, timeoutMs: 300 });
    expect(outcome).toMatchObject({
      kind: 'error',
      reason: 'timeout',
      message: 'The server did not answer within 0.3 s.',
    });
  });
});
