// The only module that talks to a host. In Electron the preload's window.api carries the contract
// over IPC; in browser mode the same methods are POSTed to /api/<method> with the session credential.
import {
  apiMethodNames,
  isHostError,
  type Api,
  type ApiEventListener,
  type ApiMethodName,
  type RendererApi,
} from '../../../shared/api/contract';
import type { ApiEvent } from '../../../shared/api/types';
import { framedCaller } from '../../../shared/api/framed-call';
import { decodeWire, FRAMES_TYPE, type EncodedBody } from '../../../shared/api/wire';
import { eventReader, followEvents } from './event-stream';

const BLOB_MIN_CHARS = 256 * 1024;

/** Why a call failed when its request never reached the host, in words an operator can act on. */
export const HOST_UNREACHABLE =
  'the app’s host could not be reached (is the terminal that started it, npm start, still running?)';

const SESSION_KEY = 'conflict-desk-session';
const TOKEN_HEADER = 'x-conflict-desk-token';
const LAUNCH_HEADER = 'x-conflict-desk-launch';

/**
 * The session credential. The printed address carries a single-use launch token: it is exchanged
 * once for a session credential kept in sessionStorage (this tab, this exact origin: no other port
 * of 127.0.0.1 can read it, unlike a cookie) and sent as a header; a reload finds it there.
 */
async function startSession(): Promise<string> {
  const url = new URL(window.location.href);
  const launch = url.searchParams.get('token');
  const stored = sessionStorage.getItem(SESSION_KEY);
  if (launch) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
    const response = await fetch('/session', {
      method: 'POST',
      headers: { [LAUNCH_HEADER]: launch },
    });
    const body = (await response.json().catch(() => null)) as { session?: unknown } | null;
    if (response.ok && typeof body?.session === 'string') {
      sessionStorage.setItem(SESSION_KEY, body.session);
      return body.session;
    }
    if (stored) return stored;
    throw new Error(
      isHostError(body)
        ? body.message
        : `The app host answered ${response.status} to the launch address.`,
    );
  }
  if (stored) return stored;
  throw new Error(
    'No session: open the address printed by `npm run web` (press Enter in its terminal for a fresh one).',
  );
}

/**
 * Server-sent events read with fetch, so the stream is authorised by the header like every call.
 * `opened` is called once the host has answered (it is then subscribed: nothing after is lost).
 */
async function streamEvents(
  session: string,
  deliver: (event: ApiEvent) => void,
  opened: () => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch('/api/events', { headers: { [TOKEN_HEADER]: session }, signal });
  if (!response.ok || !response.body)
    throw new Error(`The event stream answered ${response.status}.`);
  opened();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const push = eventReader((data) => deliver(decodeWire(data) as ApiEvent));
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    push(value);
  }
}

function httpApi(): RendererApi {
  const session = startSession();
  // An unhandled rejection here would be noise: the first call reports the same failure.
  session.catch(() => undefined);
  const listeners = new Set<ApiEventListener>();
  let streaming = false;
  const onEvent = (listener: ApiEventListener) => {
    listeners.add(listener);
    // One stream for all listeners, reopened after a drop (e.g. the host restarted).
    if (!streaming) {
      streaming = true;
      const controller = new AbortController();
      const deliver = (event: ApiEvent) => listeners.forEach((l) => l(event));
      // Fire and forget on purpose: the loop catches every failure itself and never ends.
      // eslint-disable-next-line @typescript-eslint/no-floating-promises -- cannot reject (see above)
      void followEvents(
        async (opened) => streamEvents(await session, deliver, opened, controller.signal),
        deliver,
        (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      );
    }
    return () => {
      listeners.delete(listener);
    };
  };
  const post = async (name: string, encoded: EncodedBody) => {
    const response = await fetch(`/api/${name}`, {
      method: 'POST',
      headers: {
        'content-type': encoded.type,
        accept: `${FRAMES_TYPE}, application/json`,
        [TOKEN_HEADER]: await session,
      },
      // A large string body costs the page's thread far longer in fetch than as a Blob
      // (8 MB: about 130 ms against 50).
      body: encoded.text.length >= BLOB_MIN_CHARS ? new Blob([encoded.text]) : encoded.text,
    }).catch((error: unknown) => {
      // The browser says only "Failed to fetch": no request reached the host.
      throw new Error(HOST_UNREACHABLE, { cause: error });
    });
    // Read as bytes and decoded here: from fetch to text, Response.text() took about 45 ms longer
    // for a 4 MB answer in Chromium (the same UTF-8 decoding; a leading BOM is dropped alike).
    const text = new TextDecoder().decode(await response.arrayBuffer());
    return { status: response.status, contentType: response.headers.get('content-type'), text };
  };
  // Long texts go as deltas of texts the host sent or received lately (shared/api/framed-call).
  let framedCount = 0;
  const caller = framedCaller(post, () => `p-${++framedCount}-${crypto.randomUUID()}`);
  const call = async (name: ApiMethodName, args: unknown): Promise<unknown> => {
    const answer = await caller(name, args);
    const ok = answer.status >= 200 && answer.status < 300;
    let body: unknown = answer.body;
    const unreadable = answer.error;
    if (unreadable !== undefined) {
      // An error status says more than its unreadable body; a success must not pass as nothing.
      const message = `The app host's answer to ${name} could not be read: ${String(unreadable)}`;
      if (ok) throw new Error(message, { cause: unreadable });
      body = null;
    }
    if (isHostError(body)) throw new Error(body.message);
    if (!ok) throw new Error(`The app host answered ${answer.status} to ${name}.`);
    return body;
  };
  const methods = Object.fromEntries(
    apiMethodNames.map((name) => [name, (args: unknown) => call(name, args)]),
  ) as unknown as Api;
  return { ...methods, onEvent };
}

function ipcApi(bridge: RendererApi): RendererApi {
  // Host errors (bad arguments) come back as values; surface them as exceptions to the caller.
  const methods = Object.fromEntries(
    apiMethodNames.map((name) => [
      name,
      async (args: unknown) => {
        const result: unknown = await (bridge[name] as (a: unknown) => Promise<unknown>)(
          args ?? {},
        );
        if (isHostError(result)) throw new Error(result.message);
        return result;
      },
    ]),
  ) as unknown as Api;
  return { ...methods, onEvent: (listener) => bridge.onEvent(listener) };
}

export const api: RendererApi = window.api ? ipcApi(window.api) : httpApi();
export const hostKind: 'electron' | 'web' = window.api ? 'electron' : 'web';
