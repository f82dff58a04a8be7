// Helpers shared by the sandbox tests: a real server on a free port, authenticated fetches, and
// the official twilio SDK pointed at the sandbox through a RequestClient subclass (reference §4).
import twilio from 'twilio';
import RequestClient from 'twilio/lib/base/RequestClient';
import { SANDBOX_CREDENTIALS, startSandbox } from './index';
import type { RunningSandbox, SandboxOptions } from './index';

/** Rewrites https://<product>.twilio.com/… to <sandbox>/<product>/… — the only SDK change needed. */
export class LocalRequestClient extends RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, options?: RequestClient.RequestClientOptions) {
    super(options);
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const u = new URL(opts.uri);
    if (u.hostname.endsWith('.twilio.com')) {
      u.pathname = `/${u.hostname.split('.')[0] as string}${u.pathname}`;
      u.protocol = this.base.protocol;
      u.host = this.base.host;
    }
    return super.request({ ...opts, uri: u.href });
  }
}

export function sdkClient(sandbox: RunningSandbox, options?: RequestClient.RequestClientOptions) {
  const { accountSid, authToken } = SANDBOX_CREDENTIALS.twilio;
  return twilio(accountSid, authToken, {
    httpClient: new LocalRequestClient(sandbox.url, options),
  });
}

export const twilioAuth = (): string => {
  const { accountSid, authToken } = SANDBOX_CREDENTIALS.twilio;
  return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
};
export const genesysAuth = (): string => `Bearer ${SANDBOX_CREDENTIALS.genesys.bearerToken}`;

export function start(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ port: 0, data: ':memory:', ...options });
}

export type Reply = {
  status: number;
  headers: Headers;
  text: string;
  json: <T = Record<string, unknown>>() => T;
};

/** fetch that never throws on status and keeps the body text. */
export async function call(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  init: {
    headers?: Record<string, string>;
    body?: string;
    form?: Record<string, string>;
    json?: unknown;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(sandbox.url + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** Shorthand for TaskRouter/Sync calls with Basic auth. */
export function twilioCall(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; form?: Record<string, string> } = {},
): Promise<Reply> {
  return call(sandbox, method, path, {
    ...init,
    headers: { authorization: twilioAuth(), ...init.headers },
  });
}

export async function admin(
  sandbox: RunningSandbox,
  method: string,
  path: string,
  json?: unknown,
): Promise<Reply> {
  return call(sandbox, method, `/_sandbox${path}`, json === undefined ? {} : { json });
}
