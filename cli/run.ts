// The command from its TypeScript sources (`npx tsx cli/run.ts merge …`); the package's command is
// the bundle, started by bin/conflict-desk.cjs.
import { main } from './main';

process.exitCode = await main(process.argv.slice(2));
