// Browser mode: the built renderer and the contract over HTTP, on 127.0.0.1 only.
// Defences: a random token per start (query once, then a port-scoped HttpOnly cookie or a header),
// an exact Host check and an Origin check against DNS rebinding, and strict CSP on every page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { checkArgs, isApiMethodName, hostError, type Api, type ApiEventListener } from '../../shared/api/contract';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { decodeWire, encodeWire } from '../../shared/api/wire';
import { contentTypeOf } from '../../shared/mime';
import { resolveAppFile } from '../backend/static-files';

export const TOKEN_HEADER = 'x-conflict-desk-token';
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type WebHostOptions = {
  service: Api;
  /** Subscribes to pushed events; streamed to the page at GET /api/events (server-sent events). */
  events?: (listener: ApiEventListener) => () => void;
  rendererDir: string;
  token: string;
  port?: number;
};

export type RunningWebHost = { server: Server; port: number; url: string; close(): Promise<void> };


export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  let port = options.port ?? 0;
  const server = createServer((req, res) => {
    handle(req, res, options, port).catch((error) => {
      console.error('[web] request failed', error);
      if (!res.headersSent) sendJson(res, 500, hostError('internal', 'The web host failed to handle the request.'));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/?token=${options.token}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const cookieName = (port: number) => `cd_token_${port}`;

async function handle(req: IncomingMessage, res: ServerResponse, options: WebHostOptions, port: number): Promise<void> {
  const origin = `http://127.0.0.1:${port}`;
  if (req.headers.host !== `127.0.0.1:${port}`) return sendText(res, 403, 'Forbidden: this host answers only to 127.0.0.1.');
  const requestOrigin = req.headers.origin;
  if (requestOrigin !== undefined && requestOrigin !== origin) return sendText(res, 403, 'Forbidden: cross-origin request.');
  const url = new URL(req.url ?? '/', origin);
  const presented = url.searchParams.get('token') ?? headerValue(req, TOKEN_HEADER) ?? readCookie(req, cookieName(port));
  if (presented === null || !sameSecret(presented, options.token)) return sendText(res, 401, 'Unauthorized: open the address printed by `npm run web`, which carries the token.');

  if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(req, res, options);
  if (url.pathname.startsWith('/api/')) {
    if (req.method !== 'POST') return sendJson(res, 405, hostError('unknown-method', 'Contract methods are called with POST.'));
    // A form post from a page cannot set this header, so a same-site forgery cannot pass.
    if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, hostError('invalid-arguments', 'Send the arguments as application/json.'));
    }
    return callMethod(req, res, options.service, url.pathname.slice('/api/'.length));
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
  return serveStatic(res, options.rendererDir, url, url.searchParams.has('token') ? { name: cookieName(port), value: options.token } : null);
}

async function callMethod(req: IncomingMessage, res: ServerResponse, service: Api, name: string): Promise<void> {
  if (!isApiMethodName(name)) return sendJson(res, 404, hostError('unknown-method', `There is no contract method named "${name}".`));
  const raw = await readBody(req);
  if (raw === null) return sendJson(res, 413, hostError('invalid-arguments', 'The request body is too large.'));
  let payload: unknown = {};
  if (raw.length > 0) {
    try {
      payload = decodeWire(raw);
    } catch (error) {
      return sendJson(res, 400, hostError('invalid-arguments', `The request body is not valid JSON: ${(error as Error).message}`));
    }
  }
  const args = checkArgs(name, payload);
  if (!args.ok) return sendJson(res, 400, hostError('invalid-arguments', `Invalid arguments for ${name}: ${args.error}`));
  const result = await (service[name] as (a: unknown) => Promise<unknown>)(args.value);
  return sendJson(res, 200, result);
}

function streamEvents(req: IncomingMessage, res: ServerResponse, options: WebHostOptions): void {
  res.writeHead(200, { ...securityHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': connected\n\n');
  const unsubscribe = options.events?.((event) => res.write(`data: ${encodeWire(event)}\n\n`)) ?? (() => undefined);
  // A comment now and then keeps proxies and idle timers from closing the stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

async function serveStatic(res: ServerResponse, root: string, url: URL, setCookie: { name: string; value: string } | null): Promise<void> {
  const file = resolveAppFile(root, url.toString());
  if (!file) return sendText(res, 403, 'Forbidden');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return sendText(res, 404, 'Not found');
  }
  const headers: Record<string, string | string[]> = {
    ...securityHeaders(),
    'content-type': contentTypeOf(file),
    'cache-control': file === path.resolve(root, 'index.html') ? 'no-store' : 'public, max-age=3600',
  };
  if (setCookie) headers['set-cookie'] = `${setCookie.name}=${setCookie.value}; Path=/; HttpOnly; SameSite=Strict`;
  res.writeHead(200, headers);
  res.end(body);
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  };
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    req.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}


function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = encodeWire(value);
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
