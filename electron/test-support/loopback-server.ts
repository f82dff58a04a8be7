// A loopback HTTP server that answers each request as a test says, beside a real desk; both closed
// after each test. For tests of what the window is told when a server behaves oddly (credentials
// echoed, strict or weak ETags).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterEach } from 'vitest';
import type { ConnectionInput } from '../../shared/api/types';
import { WEBDAV_JSON_FILE } from '../../shared/profiles/built-in';
import type { ProfileSpec } from '../../shared/profiles/spec';
import { startRealDesk, type RealDesk } from './real-round-trip';

/** A request as the server received it, body read whole. */
export type Seen = {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
};
export type Handler = (req: Seen) => {
  status: number;
  headers?: Record<string, string>;
  body?: string;
};

/**
 * Registers the closing of the server and desk after each test of the calling file. `serve` starts
 * a server answering by `handler` (its URL, and every request it saw); `startDesk` a real desk.
 */
export function loopbackPerTest(): {
  serve(handler: Handler): Promise<{ url: string; seen: Seen[] }>;
  startDesk(): RealDesk;
} {
  let server: Server | null = null;
  let desk: RealDesk | null = null;
  afterEach(async () => {
    await desk?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = null;
    desk = null;
  });
  return {
    async serve(handler) {
      const seen: Seen[] = [];
      const started = createServer((req, res) => {
        let body = '';
        req.on('data', (d: Buffer) => (body += d.toString()));
        req.on('end', () => {
          const request = { method: req.method!, url: req.url!, headers: req.headers, body };
          seen.push(request);
          const answer = handler(request);
          res
            .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
            .end(answer.body ?? '');
        });
      });
      server = started;
      await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
      return { url: `http://127.0.0.1:${(started.address() as { port: number }).port}`, seen };
    },
    startDesk() {
      desk = startRealDesk();
      return desk;
    },
  };
}

/** JSON items at /items/{id}, listed from /items (rows of {id}), guarded by their ETag as sent. */
const ITEMS: ProfileSpec = {
  ...WEBDAV_JSON_FILE,
  id: 'items',
  params: [],
  list: {
    path: '/items',
    itemsPointer: '/rows',
    idPointer: '/id',
    titlePointers: ['/id'],
    paging: { kind: 'none' },
  },
  itemPath: '/items/{id}',
  revision: { in: 'etag', weak: 'send-as-is' },
};

/** A connection named "items" to those items at `baseUrl`, with `auth`. */
export const itemsConnection = (
  baseUrl: string,
  auth: ConnectionInput['auth'],
): ConnectionInput => ({
  name: 'items',
  profileId: 'items',
  customProfile: ITEMS,
  baseUrl,
  params: {},
  auth,
});
