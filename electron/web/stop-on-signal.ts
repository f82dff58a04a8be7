// How the browser-mode host ends on SIGINT / SIGTERM / SIGHUP (the terminal it ran in closed): the
// first signal stops it in order (the API token file removed, the server and the database closed);
// a second one while that is under way (Ctrl-C pressed again because stopping hangs) ends the
// process at once with 128 + the signal's number, as a shell reports a process killed by it (130
// for SIGINT), not 0 as if all went well. A signal within half a second of the first is that one
// delivered twice, not a second press: a terminal's Ctrl-C reaches its whole process group, and
// whatever runs the host (npm start, npm itself where its shell hands over, a supervisor that
// signals every process) may pass its own on as well, which ended an orderly stop at once.
import { constants } from 'node:os';

const SAME_SIGNAL_MS = 500;

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export function stopOnSignals(options: {
  stop: () => Promise<void>;
  exit: (code: number) => void;
  say: (line: string) => void;
  on: (signal: StopSignal, handler: () => void) => void;
  now?: () => number;
}): void {
  const now = options.now ?? Date.now;
  let stoppingSince: number | null = null;
  const handle = (signal: StopSignal) => {
    if (stoppingSince !== null) {
      if (now() - stoppingSince < SAME_SIGNAL_MS) return;
      options.say(`conflict-desk web: ${signal} again while stopping; exiting now`);
      options.exit(128 + constants.signals[signal]);
      return;
    }
    stoppingSince = now();
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
