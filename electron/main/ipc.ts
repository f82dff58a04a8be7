// The only module that touches ipcMain. One handler per contract method, generated from the
// method table; each checks the sender and validates its arguments before the service sees them.
import { randomUUID } from 'node:crypto';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  apiMethodNames,
  checkArgs,
  ipcChannel,
  type Api,
  type ApiMethodName,
  hostError,
} from '../../shared/api/contract';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

export function registerApiHandlers(
  ipc: Pick<IpcMain, 'handle' | 'removeHandler'>,
  service: Api,
  isTrustedSender: SenderCheck,
): () => void {
  for (const name of apiMethodNames) {
    ipc.handle(ipcChannel(name), (event, payload: unknown) =>
      handle(name, event, payload, service, isTrustedSender),
    );
  }
  return () => apiMethodNames.forEach((name) => ipc.removeHandler(ipcChannel(name)));
}

async function handle(
  name: ApiMethodName,
  event: IpcMainInvokeEvent,
  payload: unknown,
  service: Api,
  isTrustedSender: SenderCheck,
): Promise<unknown> {
  if (!isTrustedSender(event)) {
    // Not a value the renderer can act on: a foreign frame has no business calling us.
    throw new Error(`Refused ${name}: the sender is not the Conflict Desk window.`);
  }
  const args = checkArgs(name, payload);
  if (!args.ok)
    return hostError('invalid-arguments', `Invalid arguments for ${name}: ${args.error}`);
  try {
    return await (service[name] as (a: unknown) => Promise<unknown>)(args.value);
  } catch (error) {
    // Expected outcomes are values; reaching this is a bug. Logged whole, answered by name and an
    // incident id only: an exception's text may carry a path, an upstream URL or a credential.
    const incident = randomUUID().slice(0, 8);
    console.error(`[ipc] ${name} failed (incident ${incident})`, error);
    return hostError(
      'internal',
      `${name} failed unexpectedly: this is a bug in Conflict Desk. Its details are in the app's log (incident ${incident}).`,
    );
  }
}
