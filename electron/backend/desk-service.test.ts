import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJsonServer, type TestServer } from '../test-support/json-server';
import { getResource } from './desk-service';
import { sendRequest } from './http-client';

let server: TestServer;

beforeAll(async () => {
  server = await startJsonServer({
    '/task': {
      headers: { etag: '3', 'set-cookie': 'session=abc' },
      body: '{"sid":"WT1","priority":5}',
    },
    '/weak': { headers: { etag: 'W/"4c-6abdcf72"' }, body: '{"id":1}' },
    '/user': { body: '{"id":"u1","version":7}' },
    '/doc': { body: '{"sid":"ET1","revision":"1a"}' },
    '/none': { body: '[1,2,3]' },
    '/missing': {
      status: 404,
      body: '{"code":20404,"message":"The requested resource was not found"}',
    },
    '/html': { headers: { 'content-type': 'text/html' }, body: '<html>oops</html>' },
    '/big': { body: JSON.stringify({ blob: 'x'.repeat(3000) }) },
    '/slow': { delayMs: 2000, body: '{}' },
    '/drop': { destroy: true },
  });
});
afterAll(() => server.close());

describe('getResource', () => {
  it('returns status, ETag as revision, parsed body and redacted headers', async () => {
    const result = await getResource(`${server.url}/task`);
    expect(result).toMatchObject({
      kind: 'ok',
      status: 200,
      etag: '3',
      revision: '3',
      revisionSource: 'etag',
      body: { sid: 'WT1', priority: 5 },
    });
    if (result.kind !== 'ok') throw new Error('unreachable');
    expect(result.headers).toContainEqual(['set-cookie', '[redacted]']);
    expect(JSON.stringify(result)).not.toContain('session=abc');
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.requests.at(-1)!.headers['accept']).toBe('application/json');
  });

  it('keeps weak ETags verbatim', async () => {
    expect(await getResource(`${server.url}/weak`)).toMatchObject({
      etag: 'W/"4c-6abdcf72"',
      revision: 'W/"4c-6abdcf72"',
    });
  });

  it('falls back to a version or revision field in the body', async () => {
    expect(await getResource(`${server.url}/user`)).toMatchObject({
      etag: null,
      revision: '7',
      revisionSource: 'body',
    });
    expect(await getResource(`${server.url}/doc`)).toMatchObject({
      revision: '1a',
      revisionSource: 'body',
    });
    expect(await getResource(`${server.url}/none`)).toMatchObject({
      kind: 'ok',
      revision: null,
      revisionSource: null,
      body: [1, 2, 3],
    });
  });

  it('reports HTTP errors with the status and what the server said', async () => {
    expect(await getResource(`${server.url}/missing`)).toMatchObject({
      kind: 'error',
      reason: 'http',
      status: 404,
      message: expect.stringContaining('404'),
      bodyExcerpt: expect.stringContaining('20404'),
    });
  });

  it('reports a body that is not JSON', async () => {
    expect(await getResource(`${server.url}/html`)).toMatchObject({
      kind: 'error',
      reason: 'invalid-json',
      bodyExcerpt: '<html>oops</html>',
    });
  });

  it('refuses bad addresses before sending anything', async () => {
    expect(await getResource('not a url')).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('not a valid URL'),
    });
    expect(await getResource('file:///etc/passwd')).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('file'),
    });
  });

  it('names a refused connection and a dropped one', async () => {
    const closed = await startJsonServer({});
    const url = closed.url;
    await closed.close();
    expect(await getResource(`${url}/x`)).toMatchObject({
      kind: 'error',
      reason: 'network',
      message: expect.stringContaining('connection refused'),
    });
    expect(await getResource(`${server.url}/drop`)).toMatchObject({
      kind: 'error',
      reason: 'network',
    });
  });

  it('masks credentials in the URL it reports', async () => {
    const url = `${server.url.replace('http://', 'http://admin:hunter2@')}/task?token=abc`;
    const result = await getResource(url);
    expect(JSON.stringify(result)).not.toContain('hunter2');
    expect(JSON.stringify(result)).not.toContain('token=abc');
    expect(result).toMatchObject({ kind: 'ok', etag: '3' });
    // The credentials in the address are sent as Basic auth, not lost.
    expect(server.requests.at(-1)!.headers['authorization']).toBe(
      `Basic ${Buffer.from('admin:hunter2').toString('base64')}`,
    );
  });
});

describe('sendRequest limits', () => {
  it('caps the response size with a clear error', async () => {
    const result = await sendRequest({ method: 'GET', url: `${server.url}/big`, maxBytes: 1000 });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'too-large',
      message: expect.stringContaining('limit'),
    });
  });

  it('gives up after the timeout', async () => {
    const result = await sendRequest({ method: 'GET', url: `${server.url}/slow`, timeoutMs: 200 });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'timeout',
      message: expect.stringContaining('0.2 s'),
    });
  });
});
