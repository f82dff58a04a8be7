// Serves the built renderer from app://conflict-desk/ instead of file://, so the page has a real
// origin (workers, CSP header) and can reach nothing on disk outside the renderer folder.
import { readFile } from 'node:fs/promises';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { contentTypeOf } from '../../shared/mime';
import { resolveAppFile } from '../backend/static-files';

export const APP_SCHEME = 'app';

export function createAppProtocolHandler(root: string) {
  return async (request: Request): Promise<Response> => {
    const file = resolveAppFile(root, request.url);
    if (file === 'bad-encoding') return new Response('Bad request', { status: 400 });
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
