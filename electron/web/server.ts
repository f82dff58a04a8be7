// Browser mode: the built renderer and the contract over HTTP, on 127.0.0.1 only.
// Defences: a single-use launch token exchanged for a session credential, a script token, both sent
// in a header only (see sessions.ts); an exact Host check and an Origin check against DNS
// rebinding; bodies bounded in size and in stall time (body.ts); strict CSP on every page.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  checkArgs,
  isApiMethodName,
  hostError,
  type Api,
  type HostError,
  type ApiEventListener,
} from '../../shared/api/contract';
import { MAX_ARGUMENT_DEPTH } from '../../shared/api/schema';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { randomUUID } from 'node:crypto';
import { TextShelf } from '../../shared/api/text-shelf';
import {
  decodeBodyWith,
  encodeBody,
  encodeWire,
  FRAMES_TYPE,
  TextBaseError,
} from '../../shared/api/wire';
import { contentTypeOf } from '../../shared/mime';
import { resolveAppFile } from '../backend/static-files';
import { BODY_STALL_MS, readBody } from './body';
import { bodyTypeOf } from './media-type';
import { createSessions, type Sessions } from './sessions';

export { BODY_STALL_MS } from './body';

export const TOKEN_HEADER = 'x-conflict-desk-token';
/** The header the page sends, once, to exchange the printed launch token for a session. */
export const LAUNCH_HEADER = 'x-conflict-desk-launch';
/** Larger argument bodies are refused with 413: by their Content-Length before any is read, else at the limit. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type WebHostOptions = {
  service: Api;
  /** Subscribes to pushed events; streamed to the page at GET /api/events (server-sent events). */
  events?: (listener: ApiEventListener) => () => void;
  rendererDir: string;
  /** The stable credential for scripts (written to `api-token`), accepted in the header only. */
  scriptToken: string;
  port?: number;
  maxBodyBytes?: number;
  /** How long a request body may send nothing before it is answered 408 (tests shorten it). */
  bodyStallMs?: number;
  /** How long a whole request (head and body) may take to arrive (tests shorten it). */
  requestTimeoutMs?: number;
  /** How long a page may leave its event stream unread while events wait (tests shorten it). */
  eventStallMs?: number;
  /** Bytes of events a page may leave unread at most (tests shorten it). */
  maxUnreadEventBytes?: number;
};

/**
 * A page that stops reading its event stream (a frozen tab, a debugger paused on it) would make
 * the host keep every event for it, without end. Once its connection has taken nothing for this
 * long while events wait, or more than MAX_UNREAD_EVENT_BYTES wait in the host for it, the stream
 * is closed: the page opens another and reads again what it shows
 * (renderer/src/lib/event-stream.ts). Not a bound on bytes alone: one event can be megabytes (the
 * changed paths of a rewritten document), and a page reading it must not lose the stream for the
 * event after.
 */
export const EVENT_STALL_MS = 30_000;
export const MAX_UNREAD_EVENT_BYTES = 64 * 1024 * 1024;
/**
 * Bytes written to a page's event stream at once: its progress through a long event is seen a
 * piece at a time.
 */
const EVENT_PIECE_BYTES = 64 * 1024;

/**
 * A request's head and body must arrive within this: a body trickling a byte now and then never
 * stalls, yet must not hold a connection for Node's default 5 minutes. On loopback the largest
 * allowed body arrives in well under a second. The answer may take as long as it needs.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

export type RunningWebHost = {
  server: Server;
  port: number;
  /** The first launch address (single-use token). */
  url: string;
  /** Mints a fresh single-use launch address, for a new tab or browser, without a restart. */
  newLaunchUrl(): string;
  close(): Promise<void>;
};

/** Texts the host sent or received in framed bodies lately: what a page's deltas may be of. */
const SHELF_TEXTS = 8;
const SHELF_CHARS = 64 * 1024 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<RunningWebHost> {
  let port = options.port ?? 0;
  const sessions = createSessions(options.scriptToken);
  const shelf = new TextShelf(SHELF_TEXTS, SHELF_CHARS);
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: requestTimeout,
      // How often Node checks those limits (30 s by default: a limit could run that much late).
      connectionsCheckingInterval: Math.min(1000, requestTimeout / 4),
    },
    (req, res) => {
      handle(req, res, options, sessions, port, shelf).catch((error) => {
        // The path only: a page's address carries its launch token in the query.
        const where = `${req.method} ${(req.url ?? '/').split('?')[0]!.slice(0, 200)}`;
        const answer = internalError(`The web host failed to handle ${where}`, error);
        if (!res.headersSent) sendJson(res, 500, answer);
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  const newLaunchUrl = () => `http://127.0.0.1:${port}/?token=${sessions.newLaunchToken()}`;
  return {
    server,
    port,
    url: newLaunchUrl(),
    newLaunchUrl,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const SPENT_LAUNCH_MESSAGE =
  'This address was already used, or comes from an earlier start of the host: its token works once. Press Enter in the terminal running `npm run web` to print a fresh address (nothing is lost), or restart it.';

/** A credential sent but unknown: a page whose host restarted, or a script with an old token. */
export const UNKNOWN_SESSION_MESSAGE =
  'This page’s session is not known to the host: it was restarted, or the session ended. Press Enter in the terminal running `npm run web` to print a fresh address and open it (nothing is lost). A script reads the api-token file again: it is new at each start.';

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: WebHostOptions,
  sessions: Sessions,
  port: number,
  shelf: TextShelf,
): Promise<void> {
  const origin = `http://127.0.0.1:${port}`;
  if (req.headers.host !== `127.0.0.1:${port}`)
    return sendText(res, 403, 'Forbidden: this host answers only to 127.0.0.1.');
  const requestOrigin = req.headers.origin;
  if (requestOrigin !== undefined && requestOrigin !== origin)
    return sendText(res, 403, 'Forbidden: cross-origin request.');
  let url: URL;
  try {
    url = new URL(req.url ?? '/', origin);
  } catch {
    return sendText(res, 400, 'Bad request: the request target is not a valid path.');
  }

  if (url.pathname === '/session' && req.method === 'POST') {
    const launch = headerValue(req, LAUNCH_HEADER);
    const session = launch === null ? null : sessions.exchange(launch);
    if (session === null)
      return sendJson(res, 401, hostError('unauthorized', SPENT_LAUNCH_MESSAGE));
    return sendJson(res, 200, { session });
  }
  if (url.pathname.startsWith('/api/')) {
    // The credential travels only in a header: never a URL (history, logs) nor a cookie (shared
    // by every port of 127.0.0.1). A page elsewhere cannot send a custom header without a
    // preflight, which this host does not answer.
    const presented = headerValue(req, TOKEN_HEADER);
    if (presented === null || !sessions.accepts(presented)) {
      return sendJson(
        res,
        401,
        hostError(
          'unauthorized',
          presented === null
            ? `Unauthorized: send the session credential or the script token (the api-token file in the data directory) in the ${TOKEN_HEADER} header.`
            : UNKNOWN_SESSION_MESSAGE,
        ),
      );
    }
    if (url.pathname === '/api/events' && req.method === 'GET') return streamEvents(res, options);
    if (req.method !== 'POST')
      return sendJson(
        res,
        405,
        hostError('unknown-method', 'Contract methods are called with POST.'),
      );
    // A form post from a page cannot set these types, so a same-site forgery cannot pass.
    const type = bodyTypeOf(req.headers['content-type']);
    if (!type.ok) return sendJson(res, 415, hostError('invalid-arguments', type.message));
    return callMethod(req, res, options, url.pathname.slice('/api/'.length), type.framed, shelf);
  }
  // The page and its assets are the public build output: served to anyone who names this host
  // exactly, so the page can load and then exchange its launch token.
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return sendText(res, 405, 'Method not allowed');
  return serveStatic(res, options.rendererDir, url);
}

async function callMethod(
  req: IncomingMessage,
  res: ServerResponse,
  options: WebHostOptions,
  name: string,
  framed: boolean,
  shelf: TextShelf,
): Promise<void> {
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!isApiMethodName(name))
    return sendJson(
      res,
      404,
      hostError('unknown-method', `There is no contract method named "${name}".`),
    );
  const body = await readBody(req, maxBytes, options.bodyStallMs ?? BODY_STALL_MS);
  if (body.kind === 'aborted') return void res.destroy();
  if (body.kind === 'too-large')
    return sendClosing(
      res,
      413,
      hostError(
        'too-large',
        `The request body is larger than the ${maxBytes / 1024 / 1024} MiB limit.`,
      ),
    );
  if (body.kind === 'stalled')
    return sendClosing(
      res,
      408,
      hostError(
        'timeout',
        `The request body stopped arriving: nothing came for ${(options.bodyStallMs ?? BODY_STALL_MS) / 1000} s.`,
      ),
    );
  let raw: string;
  try {
    // Fatal: a byte that is not UTF-8 is refused, not read as U+FFFD into a document and written.
    raw = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body.bytes);
  } catch {
    return sendJson(
      res,
      400,
      hostError('invalid-arguments', 'The request body is not valid UTF-8 text.'),
    );
  }
  let payload: unknown = {};
  let received: Array<[string, string]> = [];
  if (raw.length > 0) {
    try {
      // Deltas may stand for no more than the body could have carried whole.
      ({ value: payload, framed: received } = decodeBodyWith(
        raw,
        framed ? FRAMES_TYPE : 'application/json',
        (id) => shelf.get(id),
        maxBytes,
      ));
      shelf.put(received);
    } catch (error) {
      // A delta of a text no longer kept (or not as the page kept it): the page sends it whole.
      if (error instanceof TextBaseError)
        return sendJson(res, 409, hostError('unknown-text', error.message));
      // Reviving tagged values walks the nesting: valid JSON can still be too deep to read.
      if (error instanceof RangeError && /call stack/i.test(error.message))
        return sendJson(
          res,
          400,
          hostError(
            'invalid-arguments',
            `Invalid arguments for ${name}: they nest deeper than ${MAX_ARGUMENT_DEPTH} levels.`,
          ),
        );
      return sendJson(
        res,
        400,
        hostError(
          'invalid-arguments',
          `The request body is not ${framed ? 'a valid framed body' : 'valid JSON'}: ${(error as Error).message}`,
        ),
      );
    }
  }
  const args = checkArgs(name, payload);
  if (!args.ok)
    return sendJson(
      res,
      400,
      hostError('invalid-arguments', `Invalid arguments for ${name}: ${args.error}`),
    );
  let result: unknown;
  try {
    result = await (options.service[name] as (a: unknown) => Promise<unknown>)(args.value);
  } catch (error) {
    // Arguments were checked, so a throw is the host's own bug: logged whole, answered by name only
    // (an error's text may carry a path or a credential).
    return sendJson(res, 500, internalError(`${name} failed inside the host`, error));
  }
  // The page asks for framed answers (documents outside the JSON); scripts get plain JSON. A long
  // string of the answer may be sent as a delta of one the request carried (Server now of the
  // operator's own text), which the page holds until it has read the answer.
  const answer = encodeBody(result, acceptsFrames(req.headers.accept), {
    newId: () => `h-${randomUUID()}`,
    bases: received.reverse(),
  });
  shelf.put(answer.framed);
  sendBody(res, 200, answer);
}

/**
 * Whether an Accept header names the framed type with a quality above 0. Only by its name: a
 * wildcard (curl sends "any type") gets JSON, so no script meets a framed answer unasked.
 */
export function acceptsFrames(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim());
    if (type?.toLowerCase() !== FRAMES_TYPE) return false;
    const q = params.find((p) => /^q\s*=/i.test(p));
    return q === undefined || Number(q.replace(/^q\s*=\s*/i, '')) > 0;
  });
}

function streamEvents(res: ServerResponse, options: WebHostOptions): void {
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const maxUnread = options.maxUnreadEventBytes ?? MAX_UNREAD_EVENT_BYTES;
  const maxStall = options.eventStallMs ?? EVENT_STALL_MS;
  let open = true;
  let unsubscribe = () => {};
  // What waits for the page goes to its connection a piece at a time, the next once the last is
  // taken: Node buffers whatever is written and says 'drain' only once all of it has gone, so a
  // page reading steadily through a long backlog could not be told from one that stopped.
  const queue: Buffer[] = [];
  let queued = 0;
  let writing = false;
  // When the connection last took a piece, or when something began to wait with nothing before.
  let lastTaken = Date.now();
  const pump = () => {
    if (writing || !open || queue.length === 0) return;
    const pieces = [queue.shift()!];
    let size = pieces[0]!.length;
    while (queue.length > 0 && size + queue[0]!.length <= EVENT_PIECE_BYTES) {
      size += queue[0]!.length;
      pieces.push(queue.shift()!);
    }
    queued -= size;
    writing = true;
    res.write(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, size), () => {
      writing = false;
      lastTaken = Date.now();
      pump();
    });
  };
  const send = (text: string) => {
    if (!open) return;
    const waits = writing || queued > 0;
    if ((waits && Date.now() - lastTaken > maxStall) || queued > maxUnread)
      return void res.destroy();
    if (!waits) lastTaken = Date.now();
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; at += EVENT_PIECE_BYTES)
      queue.push(bytes.subarray(at, at + EVENT_PIECE_BYTES));
    queued += bytes.length;
    pump();
  };
  // A comment now and then keeps proxies and idle timers from closing the stream.
  const keepAlive = setInterval(() => send(': keep-alive\n\n'), 15_000);
  // The response's close: the page went, or the stream was closed above.
  res.on('close', () => {
    open = false;
    clearInterval(keepAlive);
    unsubscribe();
  });
  send(': connected\n\n');
  unsubscribe =
    options.events?.((event) => send(`data: ${encodeWire(event)}\n\n`)) ?? (() => undefined);
}

async function serveStatic(res: ServerResponse, root: string, url: URL): Promise<void> {
  const file = resolveAppFile(root, url.toString());
  if (file === 'bad-encoding')
    return sendText(res, 400, 'Bad request: the path is not valid percent-encoding.');
  if (!file) return sendText(res, 403, 'Forbidden');
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return sendText(res, 404, 'Not found');
  }
  res.writeHead(200, {
    ...securityHeaders(),
    'content-type': contentTypeOf(file),
    'cache-control':
      file === path.resolve(root, 'index.html') ? 'no-store' : 'public, max-age=3600',
  });
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

/**
 * An answer after which the connection closes: the rest of the body is not read (Node closes the
 * socket once the answer is written, as the header says).
 */
function sendClosing(res: ServerResponse, status: number, value: unknown): void {
  res.setHeader('connection', 'close');
  sendJson(res, status, value);
}

/** Logs a bug with an incident id the answer repeats, so a report can be matched to the log. */
function internalError(what: string, error: unknown): HostError {
  const incident = randomUUID().slice(0, 8);
  console.error(`[web] ${what} (incident ${incident})`, error);
  return hostError(
    'internal',
    `${what}: this is a bug in Conflict Desk, not a problem with the request. Its details are in the host's log (incident ${incident}).`,
  );
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendBody(res, status, encodeBody(value, false));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  sendBody(res, status, { type: 'text/plain', text });
}

/** An answer that is not a file: UTF-8 text of its type, never cached. */
function sendBody(res: ServerResponse, status: number, body: { type: string; text: string }): void {
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': `${body.type}; charset=utf-8`,
    'cache-control': 'no-store',
  });
  res.end(body.text);
}
