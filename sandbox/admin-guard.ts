// The admin API resets and rewrites everything, so it takes requests from this machine's tools
// only, like the app's own host does: a Host that names the sandbox, no foreign Origin (or
// Sec-Fetch-Site), and JSON bodies only — a page elsewhere cannot send a cross-site
// application/json POST without a preflight, which the sandbox never answers.
import { json } from './http';
import type { SandboxRequest, SandboxResponse } from './http';

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
const WILDCARD_BINDS = new Set(['0.0.0.0', '::']);

export function adminRefusal(req: SandboxRequest, boundHost: string): SandboxResponse | null {
  const host = typeof req.headers.host === 'string' ? req.headers.host : '';
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  if (
    !WILDCARD_BINDS.has(boundHost) &&
    !LOOPBACK_NAMES.has(hostname) &&
    hostname !== boundHost.toLowerCase()
  ) {
    return json(403, {
      error: 'forbidden',
      message: `The admin API answers only to the sandbox's own address, not Host ${host || '(none)'}.`,
    });
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
    return json(403, {
      error: 'forbidden',
      message: `Cross-origin requests to the admin API are refused (Origin ${origin}).`,
    });
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    return json(403, {
      error: 'forbidden',
      message: 'Cross-site requests to the admin API are refused.',
    });
  }
  const changes = req.method !== 'GET' && req.method !== 'HEAD';
  const type = String(req.headers['content-type'] ?? '');
  if (
    changes &&
    (req.rawBody.length > 0 || type !== '') &&
    !/^application\/json\s*(;|$)/i.test(type)
  ) {
    return json(415, {
      error: 'unsupported-media-type',
      message: 'Send admin requests with content-type application/json.',
    });
  }
  return null;
}
