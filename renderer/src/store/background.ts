// For a promise nobody awaits (a button's action, a timer's load, a listener): its failure is told
// to the operator instead of vanishing as an unhandled rejection.
import { useDesk } from '.';

/** Runs `task` without waiting; if it fails, a message "Could not <what>: <reason>" stays until dismissed. */
export function inBackground(task: Promise<unknown>, what: string): void {
  task.catch((error: unknown) => useDesk.getState().reportFailure(what, error));
}
