// The request/response values every handler works with. Handlers return a response value instead
// of writing to the socket, so the server can apply faults (e.g. drop the connection after the
// write has committed) uniformly for every family.
import type { IncomingHttpHeaders } from 'node:http';

export type SandboxRequest = {
  readonly method: string;
  /** Path without the query string, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** Absolute origin the client used, e.g. http://127.0.0.1:4010 — used for absolute URLs. */
  readonly origin: string;
  readonly params: Record<string, string>;
};

export type SandboxResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
};

export function json(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): SandboxResponse {
  return jsonText(status, JSON.stringify(value), headers);
}

/** json() for a body that is JSON text already. */
export function jsonText(
  status: number,
  text: string,
  headers: Record<string, string> = {},
): SandboxResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: text,
  };
}

export function empty(status: number, headers: Record<string, string> = {}): SandboxResponse {
  return { status, headers, body: '' };
}

/** One header value; repeated headers are joined the way Node joins them for If-Match (comma). */
export function header(req: SandboxRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJsonBody(req: SandboxRequest): JsonBody {
  if (req.rawBody.trim() === '') return { ok: false, error: 'request body is empty' };
  try {
    return { ok: true, value: JSON.parse(req.rawBody) as unknown };
  } catch (error) {
    return { ok: false, error: `request body is not valid JSON: ${(error as Error).message}` };
  }
}

/** Twilio bodies are form-encoded; keys may repeat (AssignmentStatus=a&AssignmentStatus=b). */
export function parseForm(req: SandboxRequest): URLSearchParams {
  return new URLSearchParams(req.rawBody);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Twilio dates: ISO-8601 without milliseconds. */
export function twilioDate(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d{3}Z$/, 'Z');
}
