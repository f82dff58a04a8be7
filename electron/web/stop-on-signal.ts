// How the browser-mode host ends on SIGINT / SIGTERM / SIGHUP (the terminal it ran in closed): the
// first signal stops it in order (the API token file removed, the server and the database closed);
// a second one while that is under way (Ctrl-C pressed again because stopping hangs) ends the
// process at once with 128 + the signal's number, as a shell reports a process killed by it (130
// for SIGINT), not 0 as if all went well.
import { constants } from 'node:os';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export function stopOnSignals(options: {
  stop: () => Promise<void>;
  exit: (code: number) => void;
  say: (line: string) => void;
  on: (signal: StopSignal, handler: () => void) => void;
}): void {
  let stopping = false;
  const handle = (signal: StopSignal) => {
    if (stopping) {
      options.say(`conflict-desk web: ${signal} again while stopping; exiting now`);
      options.exit(128 + constants.signals[signal]);
      return;
    }
    stopping = true;
    options.stop().then(
      () => options.exit(0),
      // Stopping that fails still ends the process, saying why.
      (error: unknown) => {
        options.say(
          `conflict-desk web: stopping failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        options.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    options.on(signal, () => handle(signal));
}
