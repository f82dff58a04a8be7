// The `conflict-desk` command: a subcommand dispatcher. Run via bin/conflict-desk.cjs (the bundle)
// or, from the sources, `npx tsx cli/run.ts`.
import type { CliIo } from './merge';
import { runMerge } from './merge';

// The batch command is loaded when it runs: a merge (a git driver, once per file) never pays for
// its modules.
const commands: Record<string, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  merge: runMerge,
  batch: async (argv, io) => (await import('./batch')).runBatch(argv, io),
};

const USAGE = `usage: conflict-desk <command> [args]

commands:
  merge BASE MINE THEIRS [-o OUT]   three-way merge of JSON documents (see: conflict-desk merge --help)
  batch --url URL --data DIR …      change many resources through a running Conflict Desk (see: conflict-desk batch --help)
`;

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`conflict-desk: unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  return command(rest, io);
}
