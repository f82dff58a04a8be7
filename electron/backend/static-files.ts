// The built renderer's files for both hosts (app:// in Electron, the loopback web host): a request
// path maps to a file inside the renderer folder, or to nothing when it would escape it.
import path from 'node:path';

export function resolveAppFile(root: string, requestUrl: string): string | null {
  const url = new URL(requestUrl);
  const relative = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, relative);
  const rootWithSep = path.resolve(root) + path.sep;
  return file.startsWith(rootWithSep) ? file : null;
}
