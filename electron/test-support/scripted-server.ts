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
