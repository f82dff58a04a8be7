#!/usr/bin/env node
// The package's `conflict-desk` command: loads the bundled CLI (dist/cli.cjs, plain JavaScript made
// by `npm run build` or the package's `prepare` step), so nothing is compiled when it starts. It is
// CommonJS so that Node starts it without its ES module loader: about 15 ms less per run, and git
// runs a merge driver once for every file it merges.
'use strict';
let cli;
try {
  cli = require('../dist/cli.cjs');
} catch (err) {
  if (err?.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes('cli.cjs')) throw err;
  process.stderr.write(
    'conflict-desk: the command is not built yet; run `npm run build:cli` in the package directory\n',
  );
  process.exit(2);
}
const argv = process.argv.slice(2);
cli.main(argv).then((code) => cli.settle(argv[0], code));
