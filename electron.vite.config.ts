import { cpSync, mkdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { CONTENT_SECURITY_POLICY_META } from './shared/csp';

const root = dirname(fileURLToPath(import.meta.url));
const resolve = (...parts: string[]) => resolvePath(root, ...parts);

// The built page carries its CSP as a meta tag too (both hosts also send it as a header);
// dev mode is left without it because the React refresh preamble is an inline script.
const cspMeta = (): Plugin => ({
  name: 'conflict-desk-csp-meta',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace(
      '<head>',
      `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`,
    ),
});

// The team store's SQL migrations are read at run time; the built main process finds them here.
const teamStoreMigrations = (): Plugin => ({
  name: 'conflict-desk-team-store-migrations',
  apply: 'build',
  closeBundle() {
    const target = resolve('out/main/team-store-migrations');
    mkdirSync(target, { recursive: true });
    cpSync(resolve('electron/backend/team-store/migrations'), target, { recursive: true });
  },
});

export default defineConfig({
  main: {
    plugins: [teamStoreMigrations()],
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          web: resolve('electron/web/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react(), cspMeta()],
    resolve: {
      // Monaco's JSON language imports this module for createWebWorker alone, and with it every
      // editor contribution; our copy of the function keeps the trimmed feature set of monaco.ts.
      alias: [
        {
          find: /^(\.\.\/)+internal\/common\/workers\.js$/,
          replacement: resolve('renderer/src/lib/monaco-web-worker.ts'),
        },
      ],
    },
    worker: { format: 'es' },
    build: {
      outDir: resolve('out/renderer'),
      // electron-vite leaves output unminified; the renderer (Monaco above all) is minified, which
      // more than halves the script the window parses before its first paint.
      minify: true,
      chunkSizeWarningLimit: 6000,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
