// Direct access for specs: the host's contract (as a script would use it) and the sandbox admin
// API (to act as "someone else" and to read what the server really holds).
import type { ConnectionView, Snapshot } from '../../shared/api/types';
import type { WebHost } from './web-host';

export async function callApi<T = unknown>(
  host: WebHost,
  method: string,
  args: unknown,
): Promise<T> {
  const res = await fetch(`${host.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-conflict-desk-token': host.apiToken },
    body: JSON.stringify(args),
  });
  if (!res.ok) throw new Error(`${method} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export class Backend {
  private constructor(
    readonly host: WebHost,
    readonly sandboxUrl: string,
    readonly connections: ConnectionView[],
  ) {}

  static async of(host: WebHost): Promise<Backend> {
    const info = await callApi<{ sandboxUrl: string }>(host, 'appInfo', {});
    return new Backend(
      host,
      info.sandboxUrl,
      await callApi<ConnectionView[]>(host, 'listConnections', {}),
    );
  }

  connection(namePart: string): ConnectionView {
    const found = this.connections.find((c) => c.name.includes(namePart));
    if (!found) throw new Error(`no connection like ${namePart}`);
    return found;
  }

  /** The operator's document for a resource, as the app shows it. */
  async document(namePart: string, id: string): Promise<Record<string, unknown>> {
    const opened = await callApi<{ kind: string; snapshot: Snapshot }>(this.host, 'openResource', {
      ref: { connectionId: this.connection(namePart).id, id },
    });
    return JSON.parse(opened.snapshot.text) as Record<string, unknown>;
  }

  /** "Edit as someone else": a merge patch on the server's copy, bumping its revision. */
  async editAsSomeoneElse(
    path: string,
    patch: unknown,
    fields?: Record<string, unknown>,
  ): Promise<void> {
    const res = await fetch(`${this.sandboxUrl}/_sandbox/edit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ path, patch, ...(fields ? { fields } : {}), actor: 'colleague' }),
    });
    if (res.status !== 200)
      throw new Error(`sandbox edit failed: ${res.status} ${await res.text()}`);
  }

  /** Injects a fault into the sandbox (delay, 5xx, 429, dropped connection). */
  async fault(fault: {
    kind: string;
    method?: string;
    pathPrefix: string;
    delayMs?: number;
    status?: number;
    times?: number | null;
  }): Promise<void> {
    const res = await fetch(`${this.sandboxUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (res.status !== 201)
      throw new Error(`sandbox fault failed: ${res.status} ${await res.text()}`);
  }

  /** The server's own history of a resource (what really landed). */
  async serverHistory(
    path: string,
  ): Promise<
    Array<{ op: string; actor: string; revision: string; body: Record<string, unknown> }>
  > {
    const res = await fetch(`${this.sandboxUrl}/_sandbox/history?path=${encodeURIComponent(path)}`);
    return (
      (await res.json()) as {
        revisions: Array<{
          op: string;
          actor: string;
          revision: string;
          body: Record<string, unknown>;
        }>;
      }
    ).revisions;
  }
}
