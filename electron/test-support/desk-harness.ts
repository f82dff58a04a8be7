// A real backend on a real sandbox for tests: temp data directory, key-file secrets, and every
// contract response recorded so a test can scan them all (e.g. for leaked secrets).
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import type { Api } from '../../shared/api/contract';
import type {
  ApiEvent,
  ConnectionInput,
  ConnectionView,
  FullConflictOutcome,
  ResourceRef,
  SaveResult,
  Snapshot,
} from '../../shared/api/types';
import { createDesk, type Desk, type DeskOptions } from '../backend/desk-service';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../backend/embedded-sandbox';
import { keyFileSecretBox } from '../backend/secrets';
import type { DataDirLock } from '../backend/store/data-dir-lock';
import type { LoggedRequest } from '../../sandbox/request-log';
import type { ScriptedServer } from './scripted-server';

export type Harness = {
  api: Api;
  desk: Desk;
  sandbox: EmbeddedSandbox;
  dataDir: string;
  responses: unknown[];
  events: ApiEvent[];
  connection(namePart: string): Promise<ConnectionView>;
  ref(namePart: string, id: string): Promise<ResourceRef>;
  /** Opens a resource and returns its snapshot (throws on an error value). */
  open(ref: ResourceRef): Promise<Snapshot>;
  admin<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** The requests the sandbox answered with `method` under `pathPrefix`, oldest first. */
  requests(method: string, pathPrefix: string): Promise<LoggedRequest[]>;
  restart(): Promise<Harness>;
  close(): Promise<void>;
};

/**
 * The data directory's lock for a desk that stands for the next start after a crash of one still
 * running in this process (the OS lets a dead process's lock go; this one's is still held): the
 * new desk is told it holds the directory already.
 */
export const lockLeftByACrash = (dir: string): DataDirLock => ({ dir, release: () => undefined });

export async function startHarness(
  options: { dataDir?: string; sandbox?: EmbeddedSandbox; desk?: Partial<DeskOptions> } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'cd-backend-'));
  const sandbox = options.sandbox ?? (await startEmbeddedSandbox());
  const desk = createDesk({
    host: 'web',
    version: 'test',
    dataDir,
    secretBox: keyFileSecretBox(dataDir),
    sandbox,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 1500 },
    ...options.desk,
  });
  const responses: unknown[] = [];
  const events: ApiEvent[] = [];
  desk.onEvent((event) => events.push(event));
  const api = new Proxy(desk.api, {
    get(target, name: string) {
      const fn = target[name as keyof Api] as (args: unknown) => Promise<unknown>;
      return async (args: unknown) => {
        const result = await fn(args);
        responses.push(result);
        return result;
      };
    },
  }) as Api;
  const harness: Harness = {
    api,
    desk,
    sandbox,
    dataDir,
    responses,
    events,
    async connection(namePart) {
      const found = (await api.listConnections({})).find((c) => c.name.includes(namePart));
      if (!found) throw new Error(`no connection named like ${namePart}`);
      return found;
    },
    async ref(namePart, id) {
      return { connectionId: (await harness.connection(namePart)).id, id };
    },
    async open(ref) {
      const opened = await api.openResource({ ref });
      if (opened.kind !== 'ok') throw new Error(opened.message);
      return opened.snapshot;
    },
    async admin<T>(method: string, adminPath: string, body?: unknown) {
      const res = await fetch(`${sandbox.url}/_sandbox${adminPath}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    async requests(method: string, pathPrefix: string) {
      const log = await harness.admin<{ requests: LoggedRequest[] }>(
        'GET',
        `/requests?method=${method}&pathPrefix=${encodeURIComponent(pathPrefix)}`,
      );
      return log.body.requests;
    },
    async restart() {
      await desk.close();
      return startHarness({ ...options, dataDir, sandbox });
    },
    async close() {
      await desk.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/**
 * The harness of a test file: started before its first test, closed after its last, the sandbox
 * back on its demo seed before each test. The handle reads the running harness, so it can be
 * taken at the top of the file, before the harness exists.
 */
export function harnessPerFile(options: Parameters<typeof startHarness>[0] = {}): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(options);
  });
  afterAll(() => current?.close());
  beforeEach(async () => {
    await current!.admin('POST', '/reset', { seed: 'demo' });
  });
  return new Proxy({} as Harness, { get: (_target, key) => Reflect.get(current!, key) });
}

/** Narrows a save result to the expected kind, or fails with what came back instead. */
export function expectKind<K extends SaveResult['kind']>(
  result: SaveResult,
  kind: K,
): Extract<SaveResult, { kind: K }> {
  if (result.kind !== kind)
    throw new Error(`expected ${kind}, got ${JSON.stringify(result).slice(0, 600)}`);
  return result as Extract<SaveResult, { kind: K }>;
}

/** A conflict asked for with `full: true`: its documents must all be there. */
export function expectFullConflict(result: SaveResult): FullConflictOutcome {
  const conflict = expectKind(result, 'conflict');
  const { base, mine, merged, conflicts, changes, onlyOtherFieldsChanged } = conflict;
  if (
    !base ||
    mine === undefined ||
    merged === undefined ||
    !conflicts ||
    !changes ||
    onlyOtherFieldsChanged === undefined
  )
    throw new Error(
      `expected a full conflict answer, got ${JSON.stringify(conflict).slice(0, 600)}`,
    );
  return { ...conflict, base, mine, merged, conflicts, changes, onlyOtherFieldsChanged };
}

/** The snapshot's document with `change` applied, as the pretty text an operator would save. */
export function edited(snapshot: Snapshot, change: (doc: Record<string, unknown>) => void): string {
  const doc = JSON.parse(snapshot.text) as Record<string, unknown>;
  change(doc);
  return JSON.stringify(doc, null, 2);
}

/** A connection to a scripted server (a generic ETag REST API by default); answers a ref maker. */
export async function connectScripted(
  h: Harness,
  server: ScriptedServer,
  input: Partial<ConnectionInput> = {},
): Promise<(id: string) => ResourceRef> {
  const saved = await h.api.saveConnection({
    connection: {
      name: `Scripted ${server.url}`,
      profileId: 'rest-etag',
      baseUrl: server.url,
      params: { collection: 'things' },
      auth: { kind: 'none' },
      ...input,
    },
  });
  if (saved.kind !== 'ok') throw new Error(saved.message);
  return (id) => ({ connectionId: saved.connection.id, id });
}
