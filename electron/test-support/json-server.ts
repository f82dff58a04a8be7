// A small real HTTP server for tests: each route answers with a fixed status, headers and body.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { listenOnLoopback } from './loopback';

export type Route = {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  destroy?: boolean;
};

export type TestServer = {
  url: string;
  server: Server;
  requests: IncomingMessage[];
  close(): Promise<void>;
};

/** Routes by "/path" or "METHOD /path". */
export async function startJsonServer(routes: Record<string, Route>): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    requests.push(req);
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    // "METHOD /path" routes win over plain "/path" ones.
    const route = routes[`${req.method} ${pathname}`] ?? routes[pathname];
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      return;
    }
    const answer = () => {
      if (route.destroy) {
        req.socket.destroy();
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': 'application/json', ...route.headers });
      res.end(route.body ?? '');
    };
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, server, requests, close };
}
