import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { resolveAppFile } from '../backend/static-files';
import { createAppProtocolHandler } from './app-protocol';

describe('app:// protocol', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cd-proto-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><p>hi</p>');
  writeFileSync(path.join(root, 'assets', 'a.js'), 'console.log(1)');
  const handler = createAppProtocolHandler(root);

  it('serves files from the renderer folder with the CSP header', async () => {
    const res = await handler(new Request('app://conflict-desk/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const js = await handler(new Request('app://conflict-desk/assets/a.js'));
    expect(js.headers.get('content-type')).toMatch(/javascript/);
  });

  it('never leaves the renderer folder', () => {
    // The URL parser clamps dot segments at the root, so this stays inside it.
    expect(resolveAppFile(root, 'app://conflict-desk/%2e%2e/%2e%2e/etc/passwd')).toBe(
      path.join(root, 'etc', 'passwd'),
    );
    expect(resolveAppFile(root, 'app://conflict-desk/assets/..%2f..%2fsecret')).toBeNull();
    expect(resolveAppFile(root, 'app://conflict-desk/')).toBe(path.join(root, 'index.html'));
  });

  it('answers 404 for a missing file', async () => {
    expect((await handler(new Request('app://conflict-desk/nope.js'))).status).toBe(404);
  });
});
