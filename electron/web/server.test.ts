import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../shared/api/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { startWebHost, cookieName, type RunningWebHost } from './server';

const TOKEN = 'a'.repeat(48);
let host: RunningWebHost;

const service = {
  appInfo: async () => ({ name: 'Conflict Desk', version: '1', host: 'web', platform: 'linux', dataDir: '/d', sandboxUrl: null, suggestedUrl: null }),
  getResource: async ({ url }: { url: string }) => ({ kind: 'error', reason: 'network', message: 'unreachable', url }),
} as unknown as Api;

/** Raw requests, so tests control Host and Origin exactly as an attacker could. */
function send(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${host.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const apiCall = (method: string, args: unknown, headers: Record<string, string> = {}) =>
  send({ method: 'POST', path: `/api/${method}`, headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN, ...headers }, body: JSON.stringify(args) });

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>x</title>');
  host = await startWebHost({ service, rendererDir: dir, token: TOKEN });
});
afterAll(() => host.close());

describe('web host', () => {
  it('listens on 127.0.0.1 and prints the tokenised address', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${TOKEN}`);
    expect((host.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('answers 401 without the token, or with a wrong one', async () => {
    expect((await send({ path: '/' })).status).toBe(401);
    expect((await send({ path: '/?token=wrong' })).status).toBe(401);
    expect((await apiCall('appInfo', {}, { 'x-conflict-desk-token': 'b'.repeat(48) })).status).toBe(401);
    expect((await send({ method: 'POST', path: '/api/appInfo', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
  });

  it('answers 403 to a Host that is not its loopback address (DNS rebinding)', async () => {
    for (const h of ['evil.example', `localhost:${host.port}`, `127.0.0.1:${host.port + 1}`, 'evil.example:80']) {
      expect((await send({ path: `/?token=${TOKEN}`, headers: { host: h } })).status).toBe(403);
    }
  });

  it('answers 403 to a foreign Origin', async () => {
    expect((await apiCall('appInfo', {}, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await apiCall('appInfo', {}, { origin: `http://localhost:${host.port}` })).status).toBe(403);
    expect((await apiCall('appInfo', {}, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
  });

  it('serves the page with CSP and sets a port-scoped HttpOnly cookie for the assets', async () => {
    const page = await send({ path: `/?token=${TOKEN}` });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(String(page.headers['set-cookie'])).toContain(`${cookieName(host.port)}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`);
    const asset = await send({ path: '/index.html', headers: { cookie: `${cookieName(host.port)}=${TOKEN}` } });
    expect(asset.status).toBe(200);
    expect((await send({ path: '/index.html', headers: { cookie: `${cookieName(host.port + 1)}=${TOKEN}` } })).status).toBe(401);
  });

  it('calls contract methods with validated JSON arguments', async () => {
    const info = await apiCall('appInfo', {});
    expect(info.status).toBe(200);
    expect(JSON.parse(info.body)).toMatchObject({ name: 'Conflict Desk', host: 'web' });
    const got = await apiCall('getResource', { url: 'http://x.example/' });
    expect(JSON.parse(got.body)).toMatchObject({ kind: 'error', url: 'http://x.example/' });
  });

  it('rejects bad calls with a host error that names the problem', async () => {
    const bad = await apiCall('getResource', { url: 5 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ kind: 'host-error', code: 'invalid-arguments', message: expect.stringContaining('url: expected a string') });
    const unknown = await apiCall('deleteEverything', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'unknown-method' });
    const notJson = await send({ method: 'POST', path: '/api/appInfo', headers: { 'content-type': 'application/json', 'x-conflict-desk-token': TOKEN }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const form = await send({ method: 'POST', path: '/api/appInfo', headers: { 'content-type': 'text/plain', 'x-conflict-desk-token': TOKEN }, body: '{}' });
    expect(form.status).toBe(415);
    expect((await send({ method: 'GET', path: '/api/appInfo', headers: { 'x-conflict-desk-token': TOKEN } })).status).toBe(405);
  });

  it('does not serve files outside the renderer folder', async () => {
    const res = await send({ path: '/..%2f..%2fetc%2fpasswd', headers: { 'x-conflict-desk-token': TOKEN } });
    expect([403, 404]).toContain(res.status);
    expect(res.body).not.toContain('root:');
  });
});
