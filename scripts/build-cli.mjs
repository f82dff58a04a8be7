// Bundles the `conflict-desk` command (cli/main.ts and the shared JSON engine it uses) into one
// plain JavaScript file, dist/cli.cjs, that bin/conflict-desk.cjs loads: no TypeScript is compiled
// when the command runs, so a git merge driver starts about as fast as Node itself. Run by
// `npm run build` and by the package's `prepare` step. The target is the oldest Node we support.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildCli() {
  const outfile = resolve(root, 'dist/cli.cjs');
  const result = await build({
    entryPoints: [resolve(root, 'cli/main.ts')],
    outfile,
    // Written below, whole: a command started while the bundle is rebuilt (tests run side by
    // side, each building it) must load the old file or the new one, never half of one.
    write: false,
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
  mkdirSync(dirname(outfile), { recursive: true });
  for (const file of result.outputFiles) {
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, file.contents);
    renameSync(temp, file.path);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
