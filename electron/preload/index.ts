// The preload exposes exactly the contract as window.api: one function per method, each bound to
// its own channel. No generic invoke, no ipcRenderer, no process.
import { contextBridge, ipcRenderer } from 'electron';
import {
  API_EVENT_CHANNEL,
  apiMethodNames,
  ipcChannel,
  type ApiEventListener,
} from '../../shared/api/contract';
import type { ApiEvent } from '../../shared/api/types';

const methods = Object.fromEntries(
  apiMethodNames.map((name) => [
    name,
    (args?: unknown) => ipcRenderer.invoke(ipcChannel(name), args ?? {}),
  ]),
);

/** Pushed events, on their one channel; the listener never sees the IPC event object. */
function onEvent(listener: ApiEventListener): () => void {
  const relay = (_event: unknown, payload: ApiEvent) => listener(payload);
  ipcRenderer.on(API_EVENT_CHANNEL, relay);
  return () => {
    ipcRenderer.removeListener(API_EVENT_CHANNEL, relay);
  };
}

const api = Object.freeze({ ...methods, onEvent });

contextBridge.exposeInMainWorld('api', api);
