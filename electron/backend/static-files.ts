// The built renderer's files for both hosts (app:// in Electron, the loopback web host): a request
// path maps to a file inside the renderer folder, to nothing when it would escape it, or to
// 'bad-encoding' when its percent-encoding does not decode (a 400, not a crash).
import path from 'node:path';

export function resolveAppFile(root: string, requestUrl: string): string | null | 'bad-encoding' {
  const url = new URL(requestUrl);
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return 'bad-encoding';
  }
  const relative = decoded.replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, relative);
  const rootWithSep = path.resolve(root) + path.sep;
  return file.startsWith(rootWithSep) ? file : null;
}
