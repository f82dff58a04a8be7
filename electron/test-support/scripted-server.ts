// A real HTTP server whose answers a test scripts request by request (state, odd answers, dropped
// connections), recording every request with its body.
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from './loopback';

export type ScriptedRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
};
export type ScriptedAnswer =
  { status: number; headers?: Record<string, string>; body?: string } | 'destroy';
export type ScriptedServer = {
  url: string;
  server: Server;
  requests: ScriptedRequest[];
  close(): Promise<void>;
};

export async function startScriptedServer(
  handler: (req: ScriptedRequest) => ScriptedAnswer | Promise<ScriptedAnswer>,
): Promise<ScriptedServer> {
  const requests: ScriptedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request: ScriptedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers as Record<string, string>,
        body,
      };
      requests.push(request);
      Promise.resolve(handler(request)).then(
        (answer) => {
          if (answer === 'destroy') return void req.socket.destroy();
          res
            .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
            .end(answer.body ?? '');
        },
        // A script that throws is a test's bug: answer 500 with it, not hang the client.
        (error: unknown) =>
          res
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(`scripted handler failed: ${String(error)}`),
      );
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, server, requests, close };
}

/** What an etagUpstream holds, and the knobs a test turns on it. */
export type EtagUpstreamState = {
  etag: number;
  doc: string;
  /** The next write is not applied and its answer is lost (the connection cut); `lost` keeps it. */
  dropNextWrite: boolean;
  lost: string;
  /** The next read that `holds` picks waits this long, then answers what it found on arrival. */
  holdNextRead: number;
  holds: (req: ScriptedRequest) => boolean;
};

/**
 * A thing with strong ETags 1, 2, 3…: a stale If-Match is refused (412), a current If-None-Match
 * answered 304, a write applied answers 204 with its new ETag. The state is the test's to change
 * (a colleague's write is `etag++` and a new `doc`).
 */
export function etagUpstream(doc: string): {
  state: EtagUpstreamState;
  handler: (req: ScriptedRequest) => Promise<ScriptedAnswer>;
} {
  const state: EtagUpstreamState = {
    etag: 1,
    doc,
    dropNextWrite: false,
    lost: '',
    holdNextRead: 0,
    holds: () => true,
  };
  const handler = async (req: ScriptedRequest): Promise<ScriptedAnswer> => {
    if (req.method === 'GET') {
      const { etag, doc } = state;
      if (state.holdNextRead > 0 && state.holds(req)) {
        const ms = state.holdNextRead;
        state.holdNextRead = 0;
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
      if (req.headers['if-none-match'] === `"${etag}"`)
        return { status: 304, headers: { etag: `"${etag}"` } };
      return { status: 200, headers: { etag: `"${etag}"` }, body: doc };
    }
    if (state.dropNextWrite) {
      state.dropNextWrite = false;
      state.lost = req.body;
      return 'destroy';
    }
    if (req.headers['if-match'] !== `"${state.etag}"`)
      return { status: 412, headers: { etag: `"${state.etag}"` }, body: '{}' };
    state.etag++;
    state.doc = req.body;
    return { status: 204, headers: { etag: `"${state.etag}"` } };
  };
  return { state, handler };
}

/**
 * A thing "a" at revision 1 whose write lands as revision 2 (answered 204 with that ETag), after
 * which, before anyone reads it back, a colleague makes revision 3 (n set to 99).
 */
export function colleagueAfterOurWrite(): (req: ScriptedRequest) => ScriptedAnswer {
  let etag = 1;
  let doc = '{"id":"a","name":"old","n":1}';
  return (req) => {
    if (req.method === 'GET') return { status: 200, headers: { etag: `"${etag}"` }, body: doc };
    etag = 3;
    doc = req.body.replace('"n":1', '"n":99');
    return { status: 204, headers: { etag: '"2"' } };
  };
}
