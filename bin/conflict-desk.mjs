#!/usr/bin/env node
// The package's `conflict-desk` command. The CLI is TypeScript; tsx's loader lets it run as is on
// Node >= 20.6 (module.register), with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
