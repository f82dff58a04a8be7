#!/usr/bin/env node
// The package's `conflict-desk` command: loads the bundled CLI (dist/cli.mjs, plain JavaScript made
// by `npm run build` or the package's `prepare` step), so nothing is compiled when it starts.
let cli;
try {
  cli = await import('../dist/cli.mjs');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('cli.mjs')) throw err;
  process.stderr.write(
    'conflict-desk: the command is not built yet; run `npm run build:cli` in the package directory\n',
  );
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
