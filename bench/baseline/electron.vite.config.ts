// The renderer as it was built before the performance work (unminified, every Monaco feature), so
// that `npm run bench -- ui` compares first paint before and after in one run. Output goes to
// bench/results/baseline/renderer (ignored by git).
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import config from '../../electron.vite.config';

const root = resolvePath(dirname(fileURLToPath(import.meta.url)), '../..');
const renderer = (
  config as { renderer: Record<string, unknown> & { build: Record<string, unknown> } }
).renderer;

export default defineConfig({
  renderer: {
    ...renderer,
    resolve: {
      alias: [
        {
          find: /^\.\.\/lib\/monaco$/,
          replacement: resolvePath(root, 'bench/baseline/monaco-full.ts'),
        },
      ],
    },
    build: {
      ...renderer.build,
      minify: false,
      outDir: resolvePath(root, 'bench/results/baseline/renderer'),
    },
  },
});
