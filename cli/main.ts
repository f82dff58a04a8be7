// The `conflict-desk` command: a subcommand dispatcher. Run via bin/conflict-desk.cjs (the bundle)
// or, from the sources, `npx tsx cli/run.ts`.
import type { CliIo } from './merge';
import { runMerge } from './merge';
import { stdWriter } from './std-streams';

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

const out = stdWriter(1, () => process.stdout);
const err = stdWriter(2, () => process.stderr);

const processIo: CliIo = { stdout: (text) => out.write(text), stderr: (text) => err.write(text) };

/**
 * Ends the process once `command` has answered `code`. A merge exits at once: left to itself, Node
 * first frees its heap, the parsed documents (about 3 ms at 5 MB), and git runs a driver once per
 * file. Unless what it wrote is still queued in a stream (a pipe that refused it, see
 * std-streams.ts): exiting would cut it off. Other commands end as Node ends them.
 */
export function settle(command: string | undefined, code: number): void {
  process.exitCode = code;
  if (command === 'merge' && out.flushed() && err.flushed()) process.exit(code);
}

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
