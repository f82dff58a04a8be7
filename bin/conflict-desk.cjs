#!/usr/bin/env node
// The package's `conflict-desk` command: runs the bundled CLI (dist/cli.cjs, plain JavaScript made
// by `npm run build` or the package's `prepare` step), so nothing is compiled from TypeScript when
// it starts. It is CommonJS so that Node starts it without its ES module loader: about 15 ms less
// per run, and git runs a merge driver once for every file it merges.
//
// The bundle is compiled with V8's code cache for it, kept beside it per V8 version, architecture
// and Node options (dist/cli.cjs.<bundle id>.<V8 version>-<arch>[-<options hash>].cache): V8 then
// reads the bytecode of the functions a merge runs instead of compiling each when first called,
// about 2–3 ms of every start. The first run without one makes it (cli/code-cache.ts). The file
// lives where the code does, so whoever could plant one could change the bundle itself; it is never
// looked for elsewhere. CONFLICT_DESK_TRACE_CODE_CACHE=1 says on stderr what became of it.
'use strict';
const { readFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

/**
 * V8 refuses a cache made under other flags, and Node's options and NODE_OPTIONS can set them: runs
 * started with other options keep a cache of their own (a hash of them in its name), rather than
 * each refusing and remaking the other's.
 */
function flagsMark() {
  const options = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').trim();
  if (options === '') return '';
  // FNV-1a: a name, not a check (the cache is still V8's to accept); node:crypto costs a start.
  let hash = 0x811c9dc5;
  for (let i = 0; i < options.length; i++)
    hash = Math.imul(hash ^ options.charCodeAt(i), 0x01000193);
  return `-${(hash >>> 0).toString(16)}`;
}

const file = join(__dirname, '..', 'dist', 'cli.cjs');
let source;
try {
  source = readFileSync(file, 'utf8');
} catch (err) {
  if (err?.code !== 'ENOENT') throw err;
  process.stderr.write(
    'conflict-desk: the command is not built yet; run `npm run build:cli` in the package directory\n',
  );
  process.exit(2);
}
// The build names the bundle by its content on its first line (scripts/build-cli.mjs): V8 checks a
// cache against its own version and flags but a text only by its length, so a cache is only ever
// read for the very text it was made from.
const id = /^\/\/ conflict-desk bundle ([0-9a-f]{16})\n/.exec(source)?.[1];
const cacheFile =
  id === undefined
    ? undefined
    : `${file}.${id}.${process.versions.v8}-${process.arch}${flagsMark()}.cache`;
let cachedData;
if (cacheFile !== undefined) {
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // None yet: made below.
  }
}
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
  { filename: file, cachedData },
);
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
const cli = bundle.exports;
let cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
if (cacheFile !== undefined && cache !== 'used')
  cache += `; ${cli.makeCodeCache(script, cacheFile)}`;
if (process.env.CONFLICT_DESK_TRACE_CODE_CACHE)
  process.stderr.write(`conflict-desk: code cache ${cache}\n`);
const argv = process.argv.slice(2);
cli.main(argv).then((code) => cli.settle(argv[0], code));
