// The only module that touches ipcMain. One handler per contract method, generated from the
// method table; each checks the sender and validates its arguments before the service sees them.
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
    // Expected outcomes are values; reaching this is a bug, reported without internals.
    console.error(`[ipc] ${name} failed`, error);
    return hostError(
      'internal',
      `${name} failed unexpectedly: ${(error as Error)?.message ?? String(error)}`,
    );
  }
}
