// A hostile upstream for security tests, on loopback: it echoes every credential it receives,
// redirects elsewhere, answers huge, deep and malformed bodies, and records every request so a test
// can prove what was (not) sent, and that nothing was written.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnLoopback } from './loopback';

export type SeenRequest = {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
};

export type HostileServer = {
  url: string;
  server: Server;
  requests: SeenRequest[];
  /** Requests other than GET/HEAD: a write that reached the server. */
  writes(): SeenRequest[];
  close(): Promise<void>;
};

export type HostileOptions = {
  /** Where /redirect-away/… sends clients (another origin). */
  awayUrl?: string;
};

export const HUGE_BYTES = 21 * 1024 * 1024;
export const DEEP_LEVELS = 5000;

/**
 * Routes (the first path segment picks the behaviour, so any profile's paths can sit below it):
 * /echo/…  401 with every request header in the body and in headers; /echo-ok/… the same with 200;
 * /redirect-away/… 302 to another origin; /next-away/… a list whose next page is on another origin;
 * /huge/… a body over the 20 MB limit; /deep/… JSON nested 5,000 levels; /dupes/… duplicate keys;
 * /malformed/… not JSON; /bad-utf8/… invalid UTF-8; /dav-bomb/… a multistatus of unclosed tags;
 * /tag-bomb/… an error page of unclosed tags;
 * anything else: 404.
 */
export async function startHostileServer(options: HostileOptions = {}): Promise<HostileServer> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const kind = (req.url ?? '/').split('/')[1]?.split('?')[0] ?? '';
      const echo = JSON.stringify({
        message: 'you sent',
        headers: req.headers,
        url: req.url,
        body,
      });
      const echoHeaders = {
        'content-type': 'application/json',
        'x-echo-authorization': String(req.headers.authorization ?? ''),
        'www-authenticate': `Bearer realm="${String(req.headers.authorization ?? '')}"`,
        etag: `"${String(req.headers.authorization ?? 'none').replace(/"/g, '')}"`,
      };
      switch (kind) {
        case 'echo':
          res.writeHead(401, echoHeaders).end(echo);
          return;
        case 'echo-ok':
          res.writeHead(200, echoHeaders).end(echo);
          return;
        case 'redirect-away':
          res
            .writeHead(302, {
              location: `${options.awayUrl ?? 'http://127.0.0.1:9'}/stolen${req.url ?? ''}`,
            })
            .end();
          return;
        case 'next-away':
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              items: [{ id: 'a' }],
              tasks: [{ sid: 'a' }],
              meta: { next_page_url: `${options.awayUrl ?? 'http://127.0.0.1:9'}/stolen` },
              next: `${options.awayUrl ?? 'http://127.0.0.1:9'}/stolen`,
            }),
          );
          return;
        case 'huge': {
          res.writeHead(200, { 'content-type': 'application/json' });
          const chunk = Buffer.alloc(1024 * 1024, 0x20);
          for (let sent = 0; sent < HUGE_BYTES; sent += chunk.length) res.write(chunk);
          res.end('{}');
          return;
        }
        case 'deep':
          res
            .writeHead(200, { 'content-type': 'application/json', etag: '"deep"' })
            .end(`{"id":"x","a":${'['.repeat(DEEP_LEVELS)}${']'.repeat(DEEP_LEVELS)}}`);
          return;
        case 'dupes':
          res
            .writeHead(200, { 'content-type': 'application/json', etag: '"d"' })
            .end('{"id":"x","role":"reader","role":"admin"}');
          return;
        case 'malformed':
          res
            .writeHead(200, { 'content-type': 'application/json', etag: '"m"' })
            .end('{"id": "x", oops');
          return;
        case 'dav-bomb':
          // A multistatus of 200,000 unclosed <D:response> tags (2.4 MB): any parse that rescans
          // the rest of the text for each opening tag takes minutes.
          res
            .writeHead(207, { 'content-type': 'application/xml; charset=utf-8' })
            .end(`<D:multistatus xmlns:D="DAV:">${'<D:response>'.repeat(200_000)}`);
          return;
        case 'tag-bomb':
          // An error page of 200,000 unclosed <title> and <message> tags, for the reader of the
          // server's words.
          res
            .writeHead(404, { 'content-type': 'text/html' })
            .end(`<html>${'<title><message>'.repeat(200_000)}`);
          return;
        case 'bad-utf8':
          res
            .writeHead(200, { 'content-type': 'application/json', etag: '"u"' })
            .end(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
          return;
        default:
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
      }
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    server,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD'),
    close,
  };
}
