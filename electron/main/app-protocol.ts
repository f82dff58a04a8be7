// Serves the built renderer from app://conflict-desk/ instead of file://, so the page has a real
// origin (workers, CSP header) and can reach nothing on disk outside the renderer folder.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { contentTypeOf } from '../../shared/mime';

export const APP_SCHEME = 'app';


/** Maps a request URL to a file inside `root`, or null when it would escape it. */
export function resolveAppFile(root: string, requestUrl: string): string | null {
  const url = new URL(requestUrl);
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, relative);
  const rootWithSep = path.resolve(root) + path.sep;
  return file.startsWith(rootWithSep) ? file : null;
}

export function createAppProtocolHandler(root: string) {
  return async (request: Request): Promise<Response> => {
    const file = resolveAppFile(root, request.url);
    if (!file) return new Response('Forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
