// Bundles the `conflict-desk` command (cli/main.ts and the shared JSON engine it uses) into one
// plain JavaScript file, dist/cli.cjs, that bin/conflict-desk.cjs loads: no TypeScript is compiled
// when the command runs, so a git merge driver starts about as fast as Node itself. Run by
// `npm run build` and by the package's `prepare` step. The target is the oldest Node we support.
import { build } from 'esbuild';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildCli() {
  await build({
    entryPoints: [resolve(root, 'cli/main.ts')],
    outfile: resolve(root, 'dist/cli.cjs'),
    bundle: true,
    platform: 'node',
    // jsonc-parser's main entry is UMD, which esbuild cannot follow; its ES module build can be tree-shaken.
    mainFields: ['module', 'main'],
    // CommonJS: loaded with require, Node's ES module loader never starts (see bin/conflict-desk.cjs).
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
