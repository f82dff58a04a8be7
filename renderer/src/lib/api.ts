// The only module that talks to a host. In Electron the preload's window.api carries the contract
// over IPC; in browser mode the same methods are POSTed to /api/<method> with the session token.
import { apiMethodNames, isHostError, type Api, type ApiEventListener, type ApiMethodName, type RendererApi } from '../../../shared/api/contract';
import type { ApiEvent } from '../../../shared/api/types';
import { decodeWire, encodeWire } from '../../../shared/api/wire';

const TOKEN_KEY = 'conflict-desk-token';
const TOKEN_HEADER = 'x-conflict-desk-token';

/** Takes the token from the address bar once, then keeps it out of the visible URL. */
function sessionToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function httpApi(): RendererApi {
  const token = sessionToken();
  const listeners = new Set<ApiEventListener>();
  let source: EventSource | null = null;
  const onEvent = (listener: ApiEventListener) => {
    listeners.add(listener);
    // One stream for all listeners; the HttpOnly cookie set with the page authorises it.
    if (!source) {
      source = new EventSource('/api/events');
      source.onmessage = (message) => {
        const event = decodeWire(String(message.data)) as ApiEvent;
        listeners.forEach((l) => l(event));
      };
    }
    return () => {
      listeners.delete(listener);
    };
  };
  const call = async (name: ApiMethodName, args: unknown): Promise<unknown> => {
    const response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { [TOKEN_HEADER]: token } : {}) },
      body: encodeWire(args ?? {}),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = decodeWire(text);
    } catch {
      body = null;
    }
    if (isHostError(body)) throw new Error(body.message);
    if (!response.ok) throw new Error(`The app host answered ${response.status} to ${name}.`);
    return body;
  };
  const methods = Object.fromEntries(apiMethodNames.map((name) => [name, (args: unknown) => call(name, args)])) as unknown as Api;
  return { ...methods, onEvent };
}

function ipcApi(bridge: RendererApi): RendererApi {
  // Host errors (bad arguments) come back as values; surface them as exceptions to the caller.
  const methods = Object.fromEntries(
    apiMethodNames.map((name) => [
      name,
      async (args: unknown) => {
        const result: unknown = await (bridge[name] as (a: unknown) => Promise<unknown>)(args ?? {});
        if (isHostError(result)) throw new Error(result.message);
        return result;
      },
    ]),
  ) as unknown as Api;
  return { ...methods, onEvent: (listener) => bridge.onEvent(listener) };
}

export const api: RendererApi = window.api ? ipcApi(window.api) : httpApi();
export const hostKind: 'electron' | 'web' = window.api ? 'electron' : 'web';
