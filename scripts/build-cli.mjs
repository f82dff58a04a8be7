// Bundles the `conflict-desk` command (cli/main.ts and the shared JSON engine it uses) into one
// plain JavaScript file, dist/cli.cjs, that bin/conflict-desk.cjs loads: no TypeScript is compiled
// when the command runs, so a git merge driver starts about as fast as Node itself. Run by
// `npm run build` and by the package's `prepare` step. The target is the oldest Node we support.
// Its first line names it by its content: bin/conflict-desk.cjs keeps V8's code cache for it in a
// file with that name (V8 itself tells two texts apart only by their length), and a build removes
// the caches of every other bundle.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `outfile`: where the bundle goes (tests build into a folder of their own). */
export async function buildCli(outfile = resolve(root, 'dist/cli.cjs')) {
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
    const named = withBundleId(file.text);
    const temp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temp, named.text);
    renameSync(temp, file.path);
    removeOtherCaches(file.path, named.id);
  }
}

/** The bundle's text with its first line naming it: 16 hex digits of its content's SHA-256. */
export function withBundleId(text) {
  const id = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { id, text: `// conflict-desk bundle ${id}\n${text}` };
}

/**
 * Deletes the code caches kept beside `bundle` for any other bundle (named `<bundle>.<id>.….cache`,
 * see bin/conflict-desk.cjs). Those of this one stay: tests build the same bundle side by side,
 * and a command may be writing its cache meanwhile.
 */
function removeOtherCaches(bundle, id) {
  const prefix = `${basename(bundle)}.`;
  for (const name of readdirSync(dirname(bundle))) {
    if (!name.startsWith(prefix) || !/\.cache(\.\d+\.tmp)?$/.test(name)) continue;
    if (name.startsWith(`${prefix}${id}.`)) continue;
    rmSync(join(dirname(bundle), name), { force: true });
  }
}

// `node scripts/build-cli.mjs [--outfile PATH]`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--outfile');
  await buildCli(at === -1 ? undefined : resolve(process.argv[at + 1]));
}
