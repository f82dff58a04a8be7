// The HTTP front: reads the body, logs the request, applies faults, authenticates per family,
// dispatches, and runs every handler inside one SQLite transaction.
import { createServer, STATUS_CODES } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdmin, resetState } from './admin';
import { adminRefusal } from './admin-guard';
import { createFaults } from './faults';
import { json } from './http';
import type { SandboxRequest, SandboxResponse } from './http';
import { createRequestLog, maskHeaders } from './request-log';
import { createRouter } from './router';
import type { Context } from './router';
import type { SeedName } from './seed';
import { openStore } from './store';
import { loadSwitches } from './switches';
import type { Switches } from './switches';
import { checkTwilioAuth } from './twilio-common';
import { twilioError, twilioNotFound } from './twilio-errors';
import { taskrouterRoutes } from './taskrouter/routes';
import { syncRoutes } from './sync/routes';
import { restRoutes } from './rest/routes';
import { checkGenesysAuth, genesysError, genesysRoutes } from './genesys/routes';

export type ServerOptions = { port: number; host: string; data: string; seed: SeedName };
export type RunningServer = {
  url: string;
  port: number;
  /** Names more headers as credentials, masked in the request log (e.g. an API-key header a client uses). */
  maskHeaders(names: Iterable<string>): void;
  close(): Promise<void>;
};

// Large enough for multi-megabyte REST documents (the UI benchmark writes 1 MB ones); Sync's own
// 16 KiB data limit is enforced per route.
const MAX_BODY = 16 * 1024 * 1024;
const router = createRouter([...taskrouterRoutes, ...syncRoutes, ...restRoutes, ...genesysRoutes]);

type Family = 'twilio' | 'rest' | 'genesys' | null;
const familyOf = (path: string): Family =>
  path.startsWith('/taskrouter/') || path.startsWith('/sync/')
    ? 'twilio'
    : path === '/rest' || path.startsWith('/rest/')
      ? 'rest'
      : path.startsWith('/genesys/')
        ? 'genesys'
        : null;

function notFoundFor(family: Family, req: SandboxRequest): SandboxResponse {
  if (family === 'twilio') return twilioNotFound(req.path);
  if (family === 'genesys')
    return genesysError(404, 'not.found', `No route for ${req.method} ${req.path}`);
  return json(404, {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: `No route for ${req.method} ${req.path}`,
  });
}

function internalError(family: Family, error: unknown): SandboxResponse {
  const message = `Sandbox internal error: ${(error as Error).message}`;
  if (family === 'twilio') return twilioError(500, 20500, message);
  if (family === 'genesys') return genesysError(500, 'internal.server.error', message);
  return json(500, {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: message,
  });
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: SandboxResponse): void {
  const headers: Record<string, string | number> = { ...response.headers };
  if (response.status !== 204 && response.status !== 304)
    headers['content-length'] = Buffer.byteLength(response.body);
  res.writeHead(response.status, headers);
  res.end(response.status === 204 || response.status === 304 ? undefined : response.body);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const store = openStore(options.data);
  let switches: Switches = loadSwitches(store);
  const ctx: Context = {
    store,
    switches: () => switches,
    setSwitches: (next) => {
      switches = next;
    },
  };
  const faults = createFaults();
  const log = createRequestLog();
  const secretHeaders = new Set<string>();
  const admin = createAdmin({ faults, log, defaultSeed: options.seed });
  // A fresh database gets the configured seed; an existing file keeps its data across restarts.
  if (store.setting('seed') === undefined) resetState(ctx, options.seed);

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    // Split by hand: new URL() would read a path like //x/y as a host name.
    const target = raw.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const search = q < 0 ? '' : target.slice(q);
    const rawBody = await readBody(raw);
    const req: SandboxRequest = {
      method: raw.method ?? 'GET',
      path,
      query: new URLSearchParams(search),
      headers: raw.headers,
      rawBody: rawBody ?? '',
      origin: `http://${raw.headers.host ?? `${options.host}:${port}`}`,
      params: {},
    };
    if (req.path === '/_sandbox' || req.path.startsWith('/_sandbox/')) {
      send(res, adminRefusal(req, options.host) ?? runSafely(() => admin(req, ctx), null));
      return;
    }
    const entry = {
      at: new Date().toISOString(),
      method: req.method,
      path: req.path,
      query: search,
      headers: maskHeaders(raw.headers, secretHeaders),
      body: req.rawBody,
      fault: null as string | null,
    };
    const finish = (status: number | null) =>
      log.add({
        ...entry,
        status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    const family = familyOf(req.path);
    if (rawBody === null) {
      finish(413);
      send(res, json(413, { message: `Request body larger than ${MAX_BODY} bytes`, status: 413 }));
      return;
    }

    const plan = faults.plan(req.method, req.path);
    if (plan.action) entry.fault = plan.action.kind;
    else if (plan.delayMs > 0) entry.fault = 'delay';
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (plan.action?.kind === 'close-before') {
      finish(null);
      raw.socket.destroy();
      return;
    }
    if (plan.action?.kind === 'error' || plan.action?.kind === 'rate-limit') {
      const status = plan.action.status;
      const message = status === 429 ? 'Too Many Requests' : 'Injected server error';
      // In the family's own error shape, as the routes answer (and the real servers do).
      const response =
        family === 'twilio'
          ? twilioError(status, status === 429 ? 20429 : 20500, message)
          : family === 'genesys'
            ? genesysError(
                status,
                status === 429 ? 'too.many.requests' : 'internal.server.error',
                message,
              )
            : family === 'rest'
              ? json(
                  status,
                  {
                    type: 'about:blank',
                    title: STATUS_CODES[status] ?? 'Error',
                    status,
                    detail: message,
                  },
                  { 'content-type': 'application/problem+json' },
                )
              : json(status, { message, status });
      if (status === 429) response.headers['retry-after'] = String(plan.action.retryAfter);
      finish(status);
      send(res, response);
      return;
    }

    const response = runSafely(() => dispatch(req, family), family);
    // Handled now, answered later (a slow link, a proxy): the answer says what was there when it
    // was made, though writes may land before it arrives.
    if (plan.action?.kind === 'delay-after') await sleep(plan.action.delayMs);
    if (plan.action?.kind === 'close-after') {
      // The write has committed; the client never learns the outcome.
      finish(null);
      raw.socket.destroy();
      return;
    }
    finish(response.status);
    send(res, response);
  }

  function dispatch(req: SandboxRequest, family: Family): SandboxResponse {
    // HEAD is served as GET; Node drops the body of a HEAD response itself.
    const m = router.match(
      req.method === 'HEAD' ? 'GET' : req.method,
      req.path.length > 1 ? req.path.replace(/\/$/, '') : req.path,
    );
    if (m.route === null) {
      if (m.allowed.length === 0) return notFoundFor(family, req);
      const r =
        family === 'twilio'
          ? twilioError(405, 20004, 'Method not allowed')
          : json(405, { message: 'Method not allowed', status: 405 });
      r.headers.allow = m.allowed.join(', ');
      return r;
    }
    const denied =
      family === 'twilio'
        ? checkTwilioAuth(req)
        : family === 'genesys'
          ? checkGenesysAuth(req)
          : null;
    if (denied) return denied;
    const handler = m.route.handler;
    const routed = { ...req, params: m.params };
    return store.transaction(() => handler(routed, ctx));
  }

  function runSafely(fn: () => SandboxResponse, family: Family): SandboxResponse {
    try {
      return fn();
    } catch (error) {
      return internalError(family, error);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, internalError(null, error));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost =
    options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    maskHeaders(names) {
      for (const name of names) secretHeaders.add(name.toLowerCase());
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
