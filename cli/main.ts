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

/** Whether a command wrote to the process's stdout or stderr (see settle). */
let wroteOutput = false;

const processIo: CliIo = {
  stdout: (text) => {
    wroteOutput = true;
    process.stdout.write(text);
  },
  stderr: (text) => {
    wroteOutput = true;
    process.stderr.write(text);
  },
};

/**
 * Ends the process once `command` has answered `code`. A merge exits at once: left to itself, Node
 * first frees its heap, the parsed documents (about 3 ms at 5 MB), and git runs a driver once per
 * file. Unless what it wrote may still be queued: stdout and stderr are asynchronous pipes on some
 * systems, and exiting would cut them off. Other commands end as Node ends them.
 */
export function settle(command: string | undefined, code: number): void {
  process.exitCode = code;
  const flushed =
    !wroteOutput || (process.stdout.writableLength === 0 && process.stderr.writableLength === 0);
  if (command === 'merge' && flushed) process.exit(code);
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
