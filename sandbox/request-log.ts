// The in-memory request log (newest last, bounded). Credentials are masked; everything else is
// kept as received so tests can assert on the exact wire format.
import type { IncomingHttpHeaders } from 'node:http';
import { isSecretHeader } from '../shared/secret-headers';

export type LoggedRequest = {
  seq: number;
  at: string;
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string;
  /** null when the connection was closed without a response. */
  status: number | null;
  fault: string | null;
  durationMs: number;
};

const LIMIT = 5000;

/** Credentials never reach the log: "Basic ***" keeps the scheme, anything else is masked whole. */
export function maskHeaders(
  headers: IncomingHttpHeaders,
  alsoSecret: ReadonlySet<string> = new Set(),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (!isSecretHeader(name) && !alsoSecret.has(name.toLowerCase())) out[name] = text;
    else out[name] = /^\S+\s+\S/.test(text) ? text.replace(/^(\S+)\s+.*$/, '$1 ***') : '***';
  }
  return out;
}

export function createRequestLog() {
  let entries: LoggedRequest[] = [];
  let seq = 0;
  return {
    add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
      const full = { ...entry, seq: ++seq };
      entries.push(full);
      if (entries.length > LIMIT) entries = entries.slice(-LIMIT);
      return full;
    },
    query(filter: {
      method?: string | null;
      pathPrefix?: string | null;
      since?: number | null;
      limit?: number | null;
    }): LoggedRequest[] {
      let out = entries.filter(
        (e) =>
          (!filter.method || e.method === filter.method.toUpperCase()) &&
          (!filter.pathPrefix || e.path.startsWith(filter.pathPrefix)) &&
          (filter.since == null || e.seq > filter.since),
      );
      if (filter.limit != null && filter.limit > 0) out = out.slice(-filter.limit);
      return out;
    },
    clear(): void {
      entries = [];
    },
  };
}

export type RequestLog = ReturnType<typeof createRequestLog>;
