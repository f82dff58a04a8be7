// A contract fuzz through the real web host, a real backend, the real sandbox and a hostile
// upstream: every method gets wrong types, missing and extra fields, reserved names, huge strings,
// over-deep nesting and traversal. Each answer must be a 4xx with a message or a value error with
// a message; no answer may carry a secret; nothing may be written upstream. The figures are printed.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiMethodNames, type ApiMethodName } from '../../shared/api/contract';
import type { ConnectionView } from '../../shared/api/types';
import { BUILT_IN_PROFILES } from '../../shared/profiles/built-in';
import { SANDBOX_CREDENTIALS } from '../../sandbox/index';
import { createDesk, type Desk } from '../backend/desk-service';
import { startEmbeddedSandbox, type EmbeddedSandbox } from '../backend/embedded-sandbox';
import { keyFileSecretBox } from '../backend/secrets';
import { startHostileServer, type HostileServer } from '../test-support/hostile-server';
import { startWebHost, type RunningWebHost } from './server';

const SCRIPT_TOKEN = 'f'.repeat(64);
const TOKEN = 'fuzz-bearer-SECRET-3c9e';
const PASSWORD = 'fuzz-pass-SECRET-77b1';
const API_KEY = 'fuzz-key-SECRET-d40a';

let dataDir: string;
let sandbox: EmbeddedSandbox;
let desk: Desk;
let host: RunningWebHost;
let upstream: HostileServer;
let bearer: ConnectionView;
let basic: ConnectionView;
let apiKey: ConnectionView;
let deep: ConnectionView;
let sandboxRest: ConnectionView;
/** A resource the sandbox holds, so batch intents are applied rather than stopped by a 404. */
let sandboxId: string;

type Answer = { status: number; text: string };
/** One fuzz case: what is sent, and a body that is JSON arguments, raw text, or a buffer. */
type Case = {
  name: string;
  method?: string;
  path: string;
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** A value the backend may take (an empty list, a per-resource error): only a 5xx is wrong. */
  mayPass?: true;
};

async function send(c: Case): Promise<Answer> {
  const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
  try {
    const res = await fetch(`http://127.0.0.1:${host.port}${c.path}`, {
      method: c.method ?? 'POST',
      headers: {
        'content-type': 'application/json',
        'x-conflict-desk-token': SCRIPT_TOKEN,
        ...c.headers,
      },
      body,
    });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    // A reset connection is no answer at all: counted as unclear, never skipped.
    return { status: 0, text: `no answer: ${String((error as Error).cause ?? error)}` };
  }
}

const api = (method: string, body: unknown, name?: string): Case => ({
  name: name ?? `${method} ${JSON.stringify(body).slice(0, 60)}`,
  path: `/api/${method}`,
  body,
});
const rawApi = (method: string, raw: string, name: string): Case => ({
  name,
  path: `/api/${method}`,
  raw,
});

/** A document nested `depth` levels, as text. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function buildCases(): Case[] {
  const cases: Case[] = [];
  const ref = (id: string, connectionId = bearer.id) => ({ connectionId, id });
  // For every method: the wrong shape, extra fields (reserved or unknown), non-JSON, over-deep.
  for (const method of apiMethodNames) {
    cases.push(api(method, [], `${method}: arguments are an array`));
    cases.push(api(method, 'x', `${method}: arguments are a string`));
    cases.push(api(method, 42, `${method}: arguments are a number`));
    for (const extra of ['__proto__', 'constructor', 'toString', 'zzz']) {
      cases.push(
        rawApi(method, `{"${extra}":{"isAdmin":true}}`, `${method}: extra field ${extra}`),
      );
    }
    cases.push(rawApi(method, '{"a":', `${method}: not JSON`));
    cases.push(rawApi(method, `{"zzz":${nested(5000)}}`, `${method}: nested 5,000 levels`));
  }
  // Wrong types and missing fields, method by method.
  const wrong: Array<[ApiMethodName, unknown]> = [
    ['getResource', {}],
    ['getResource', { url: 5 }],
    ['getResource', { url: '' }],
    ['getResource', { url: 'x'.repeat(9000) }],
    ['saveConnection', {}],
    ['saveConnection', { connection: null }],
    ['saveConnection', { connection: { name: 'n' } }],
    [
      'saveConnection',
      {
        connection: {
          name: 'n',
          profileId: 'rest-etag',
          baseUrl: 'http://x',
          params: [],
          auth: { kind: 'none' },
        },
      },
    ],
    [
      'saveConnection',
      {
        connection: {
          name: 'n',
          profileId: 'rest-etag',
          baseUrl: 'http://x',
          params: {},
          auth: { kind: 'root' },
        },
      },
    ],
    [
      'saveConnection',
      {
        connection: {
          name: 'x'.repeat(300),
          profileId: 'rest-etag',
          baseUrl: 'http://x',
          params: {},
          auth: { kind: 'none' },
        },
      },
    ],
    [
      'saveConnection',
      {
        connection: {
          name: 'n',
          profileId: 'rest-etag',
          baseUrl: 'http://x',
          params: {},
          auth: { kind: 'bearer', token: 'x'.repeat(5000) },
        },
      },
    ],
    [
      'saveConnection',
      {
        connection: {
          name: 'n',
          profileId: 'rest-etag',
          baseUrl: 'http://x',
          params: {},
          auth: { kind: 'api-key-header', header: 'X Bad', key: 'k' },
        },
      },
    ],
    ['removeConnection', {}],
    ['removeConnection', { id: 7 }],
    ['removeConnection', { id: 'x'.repeat(101) }],
    ['testConnection', { id: '' }],
    ['testConnection', { connection: 'x' }],
    ['listResources', {}],
    ['listResources', { connectionId: bearer.id, pageSize: 0 }],
    ['listResources', { connectionId: bearer.id, pageSize: 1.5 }],
    ['listResources', { connectionId: bearer.id, pageSize: '10' }],
    ['listResources', { connectionId: bearer.id, search: 'x'.repeat(501) }],
    ['listResources', { connectionId: bearer.id, pageToken: 'x'.repeat(4001) }],
    ['openResource', {}],
    ['openResource', { ref: 'x' }],
    ['openResource', { ref: { connectionId: bearer.id } }],
    ['openResource', { ref: { connectionId: bearer.id, id: '' } }],
    ['openResource', { ref: { connectionId: bearer.id, id: 'x'.repeat(1001) } }],
    ['openResource', { ref: { connectionId: bearer.id, id: 7 } }],
    ['refreshResource', { ref: null }],
    ['saveDraft', { ref: ref('a') }],
    ['saveDraft', { ref: ref('a'), text: 5, baseRevision: null, baseJournalId: null }],
    ['saveDraft', { ref: ref('a'), text: '{}', baseRevision: null, baseJournalId: -1 }],
    ['discardDraft', {}],
    ['listDrafts', {}],
    ['listDrafts', { connectionId: [] }],
    ['saveResource', { ref: ref('a'), text: '{}' }],
    ['saveResource', { ref: ref('a'), text: '{}', baseJournalId: 0 }],
    ['saveResource', { ref: ref('a'), text: '{}', baseJournalId: 1, unconditional: 'yes' }],
    ['forceSave', { ref: ref('a'), text: '{}' }],
    ['forceSave', { ref: ref('a'), text: null, overJournalId: 1 }],
    ['history', {}],
    ['revision', { ref: ref('a') }],
    ['revision', { ref: ref('a'), journalId: 'one' }],
    ['watch', { ref: ref('a'), intervalMs: 1 }],
    ['watch', { ref: ref('a'), intervalMs: 10_000_000 }],
    ['unwatch', {}],
    ['unwatch', { watchId: '' }],
    ['activity', { afterId: -1 }],
    ['activity', { afterId: 'x' }],
    ['auditLog', { ref: 'x' }],
    ['auditLog', { ref: { id: 'a' } }],
  ];
  for (const [method, body] of wrong) cases.push(api(method, body));
  // Reserved names where names are data: connection params, list filters, custom-profile params.
  for (const name of ['__proto__', 'constructor', 'toString', 'valueOf']) {
    const params = JSON.parse(`{"${name}":"x"}`) as unknown;
    cases.push(
      api(
        'saveConnection',
        {
          connection: {
            name: 'n',
            profileId: 'rest-etag',
            baseUrl: upstream.url,
            params,
            auth: { kind: 'none' },
          },
        },
        `saveConnection: param named ${name}`,
      ),
    );
    cases.push(
      api(
        'testConnection',
        {
          connection: {
            name: 'n',
            profileId: 'rest-etag',
            baseUrl: upstream.url,
            params,
            auth: { kind: 'none' },
          },
        },
        `testConnection: param named ${name}`,
      ),
    );
    cases.push(
      api(
        'listResources',
        { connectionId: sandboxRest.id, filters: params },
        `listResources: filter named ${name}`,
      ),
    );
    const spec = BUILT_IN_PROFILES.find((p) => p.id === 'rest-etag')!;
    const customProfile = {
      ...spec,
      id: 'fuzz-rest',
      params: [{ name, label: 'X' }],
      list: { ...spec.list, path: `/{${name}}` },
      itemPath: `/{${name}}/{id}`,
    };
    cases.push(
      api(
        'saveConnection',
        {
          connection: {
            name: 'n',
            profileId: 'fuzz-rest',
            baseUrl: upstream.url,
            params: {},
            auth: { kind: 'none' },
            customProfile,
          },
        },
        `saveConnection: custom-profile param ${name}`,
      ),
    );
  }
  // Traversal: ids and parameters that would step out of the item path, on hostile and sandbox connections.
  for (const id of ['.', '..', '%2e%2e', '%2E.', '..%2F..', 'a/../..', '%252e%252e']) {
    for (const connection of [bearer, sandboxRest]) {
      cases.push(
        api(
          'openResource',
          { ref: ref(id, connection.id) },
          `openResource ${connection.name}: id ${id}`,
        ),
      );
      cases.push(
        api(
          'refreshResource',
          { ref: ref(id, connection.id) },
          `refreshResource ${connection.name}: id ${id}`,
        ),
      );
      cases.push(
        api('watch', { ref: ref(id, connection.id) }, `watch ${connection.name}: id ${id}`),
      );
    }
    cases.push(
      api(
        'saveResource',
        { ref: ref(id, sandboxRest.id), text: '{"x":1}', baseJournalId: 1 },
        `saveResource: id ${id}`,
      ),
    );
    cases.push(
      api(
        'forceSave',
        { ref: ref(id, sandboxRest.id), text: '{"x":1}', overJournalId: 1 },
        `forceSave: id ${id}`,
      ),
    );
  }
  cases.push(
    api(
      'saveConnection',
      {
        connection: {
          name: 'n',
          profileId: 'rest-etag',
          baseUrl: upstream.url,
          params: { collection: '..' },
          auth: { kind: 'none' },
        },
      },
      'saveConnection: collection ".."',
    ),
  );
  // Secrets: pointing a saved secret elsewhere, echoing upstreams, forbidden key headers.
  for (const c of [bearer, basic, apiKey]) {
    const auth =
      c.auth.kind === 'basic'
        ? { kind: 'basic', username: 'ops' }
        : c.auth.kind === 'bearer'
          ? { kind: 'bearer' }
          : { kind: 'api-key-header', header: 'X-Tenant-Key' };
    const moved = {
      id: c.id,
      name: c.name,
      profileId: 'rest-etag',
      baseUrl: 'http://127.0.0.1:9/collect',
      params: { collection: 'items' },
      auth,
    };
    cases.push(
      api(
        'saveConnection',
        { connection: moved },
        `saveConnection: ${c.name} moved to another origin without its secret`,
      ),
    );
    cases.push(
      api(
        'testConnection',
        { connection: moved },
        `testConnection: ${c.name} moved to another origin without its secret`,
      ),
    );
    cases.push(
      api('testConnection', { id: c.id }, `testConnection: ${c.name} on an echoing upstream`),
    );
    cases.push(
      api(
        'listResources',
        { connectionId: c.id },
        `listResources: ${c.name} on an echoing upstream`,
      ),
    );
    cases.push(
      api(
        'openResource',
        { ref: ref('item-1', c.id) },
        `openResource: ${c.name} on an echoing upstream`,
      ),
    );
  }
  for (const header of [
    'If-Match',
    'If-None-Match',
    'If-Unmodified-Since',
    'Host',
    'Content-Length',
  ]) {
    cases.push(
      api(
        'saveConnection',
        {
          connection: {
            name: 'k',
            profileId: 'rest-etag',
            baseUrl: upstream.url,
            params: { collection: 'c' },
            auth: { kind: 'api-key-header', header, key: API_KEY },
          },
        },
        `saveConnection: API key in ${header}`,
      ),
    );
  }
  // Text that is not valid Unicode (a lone UTF-16 surrogate, legal as a JSON escape) where it
  // becomes part of a URL: an id, a connection parameter, a secret.
  for (const lone of ['\ud800', 'x\udc00y']) {
    cases.push(
      api('openResource', { ref: ref(lone, sandboxRest.id) }, `openResource: id ${escape(lone)}`),
    );
    cases.push(api('watch', { ref: ref(lone, sandboxRest.id) }, `watch: id ${escape(lone)}`));
    cases.push(
      api(
        'testConnection',
        {
          connection: {
            name: 'n',
            profileId: 'rest-etag',
            baseUrl: upstream.url,
            params: { collection: lone },
            auth: { kind: 'bearer', token: `${lone}-fuzz-token-1234` },
          },
        },
        `testConnection: parameter and token ${escape(lone)}`,
      ),
    );
  }
  // Values the schema lets through: control characters where they become header values, URLs or
  // file names, dates that do not parse, match ids of any JSON type, pointers that do not resolve,
  // numbers far past any row, big integers, hostile custom profiles. A value error or a plain
  // answer (an empty list) is fine; a 5xx is not.
  const taken = (c: Case): Case => ({ ...c, mayPass: true });
  const form = (over: Record<string, unknown>) => ({
    connection: {
      name: 'n',
      profileId: 'rest-etag',
      baseUrl: upstream.url,
      params: { collection: 'c' },
      auth: { kind: 'none' },
      ...over,
    },
  });
  const batch = (intents: unknown[]) => ({
    connectionId: sandboxRest.id,
    resourceIds: [sandboxId],
    intents,
  });
  for (const bad of ['a\r\nX-Injected: 1', 'nul\u0000byte', 'euro \u20ac', '\u0085next']) {
    const label = escape(bad);
    const auths = [
      { kind: 'bearer', token: bad },
      { kind: 'basic', username: bad, password: bad },
      { kind: 'api-key-header', header: 'X-K', key: bad },
      { kind: 'query', query: `k=${bad}` },
    ];
    for (const auth of auths)
      cases.push(
        taken(api('testConnection', form({ auth }), `testConnection: ${auth.kind} ${label}`)),
      );
    cases.push(
      taken(api('testConnection', form({ params: { collection: bad } }), `param ${label}`)),
    );
    cases.push(
      taken(api('saveConnection', form({ name: bad, auth: auths[0] }), `saveConnection ${label}`)),
    );
    cases.push(
      taken(
        api(
          'listResources',
          { connectionId: sandboxRest.id, filters: { Status: bad }, search: bad },
          `listResources: filter ${label}`,
        ),
      ),
    );
    cases.push(taken(api('openResource', { ref: ref(bad, sandboxRest.id) }, `open ${label}`)));
    cases.push(
      taken(
        api(
          'saveDraft',
          { ref: ref(bad, bad), text: '{}', baseRevision: null, baseJournalId: null, writer: bad },
          `saveDraft: ids ${label}`,
        ),
      ),
    );
  }
  for (const baseUrl of ['http://[::1', 'http://x:99999/', 'mailto:x@y', '//x/y', 'http://%zz/'])
    cases.push(taken(api('testConnection', form({ baseUrl }), `testConnection: ${baseUrl}`)));
  for (const date of ['yesterday', '2026-13-45', '9999999-01-01', '-1', '1e400'])
    for (const method of ['auditQuery', 'auditCsv'])
      cases.push(taken(api(method, { since: date, until: date }, `${method}: date ${date}`)));
  cases.push(
    taken(
      api(
        'announcePresence',
        { open: [{ ref: ref('a'), editingSince: 'not a date' }] },
        'announcePresence: editingSince not a date',
      ),
    ),
  );
  for (const id of [null, {}, [], true, 1.5, 'x'.repeat(5000)]) {
    const match = { by: 'id', idKey: 'id', id };
    cases.push(
      taken(
        api(
          'previewBatch',
          batch([{ kind: 'remove-element', path: '/items', match }]),
          `previewBatch: match id ${JSON.stringify(id).slice(0, 20)}`,
        ),
      ),
    );
  }
  for (const path of ['/~2', '/a~', '/__proto__/x', '/constructor/prototype/x', '/-/-', '/0/01']) {
    const intents = [
      { kind: 'set', path, value: 1 },
      { kind: 'remove', path },
      { kind: 'add-element', path, value: {}, idKey: 'id' },
      { kind: 'json-patch', ops: [{ op: 'move', from: path, path: `${path}/x` }] },
    ];
    for (const intent of intents)
      cases.push(
        taken(api('previewBatch', batch([intent]), `previewBatch: ${intent.kind} at ${path}`)),
      );
  }
  cases.push(
    taken(
      rawApi(
        'previewBatch',
        JSON.stringify(batch([{ kind: 'set', path: '/n', value: 0 }])).replace(
          '"value":0',
          '"value":{"$conflictDeskBigInt":"123456789012345678901234567890"}',
        ),
        'previewBatch: a big integer value',
      ),
    ),
  );
  cases.push(
    rawApi(
      'revision',
      '{"ref":{"connectionId":"c","id":"a"},"journalId":{"$conflictDeskBigInt":"99999999999999999999"}}',
      'revision: a big integer journal id',
    ),
  );
  for (const n of [1e308, 2 ** 63, Number.MAX_SAFE_INTEGER]) {
    const one = ref(sandboxId, sandboxRest.id);
    cases.push(taken(api('revision', { ref: one, journalId: n }, `revision: journal id ${n}`)));
    cases.push(taken(api('checkOutcome', { auditId: n }, `checkOutcome: ${n}`)));
    cases.push(
      taken(api('settleOutcome', { auditId: n, decision: 'dismiss' }, `settleOutcome: ${n}`)),
    );
    cases.push(taken(api('activity', { afterId: n }, `activity: after ${n}`)));
    cases.push(taken(api('watch', { ref: one, sinceJournalId: n }, `watch: since ${n}`)));
  }
  for (const customProfile of [5, 'x', [], {}, null, { id: 'z' }, { id: 'z', list: 5 }])
    cases.push(
      taken(
        api(
          'testConnection',
          form({ profileId: 'z', customProfile }),
          `testConnection: custom profile ${JSON.stringify(customProfile)}`,
        ),
      ),
    );
  for (const text of ['', 'null', '[]', '"x"', `{"a":${nested(3000)}}`, '\ufeff{}'])
    cases.push(
      taken(
        api(
          'saveDraft',
          { ref: ref(sandboxId, sandboxRest.id), text, baseRevision: null, baseJournalId: null },
          `saveDraft: text ${text.slice(0, 10)}`,
        ),
      ),
    );
  cases.push(
    api('batchReport', { batchId: '../../etc', format: 'csv' }, 'batchReport: traversal id'),
  );
  // A password in the base URL would be stored and shown in clear: Credentials hold it.
  cases.push(
    api(
      'saveConnection',
      {
        connection: {
          name: 'userinfo',
          profileId: 'rest-etag',
          baseUrl: `http://ops:${PASSWORD}@${new URL(upstream.url).host}/echo`,
          params: { collection: 'items' },
          auth: { kind: 'none' },
        },
      },
      'saveConnection: user:password@ in the base URL',
    ),
  );
  // Hostile upstream answers, through a connection and through getResource.
  cases.push(
    api('openResource', { ref: ref('x', deep.id) }, 'openResource: upstream nested 5,000 levels'),
  );
  for (const kind of ['deep', 'huge', 'dupes', 'malformed', 'redirect-away', 'echo']) {
    cases.push(
      api('getResource', { url: `${upstream.url}/${kind}/x` }, `getResource: ${kind} upstream`),
    );
  }
  cases.push(
    api(
      'getResource',
      { url: `http://ops:${PASSWORD}@${new URL(upstream.url).host}/echo/x` },
      'getResource: user:password@ on an echoing upstream',
    ),
  );
  for (const url of [
    'ftp://x/y',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'not a url',
    'http://',
  ])
    cases.push(api('getResource', { url }, `getResource: ${url}`));
  // Host-level: unknown and reserved method names, bad encodings, an oversize body.
  for (const name of [
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    '..%2FappInfo',
    'deleteEverything',
  ])
    cases.push(api(name, {}, `unknown method ${name}`));
  cases.push({ name: 'GET a path with broken percent-encoding', method: 'GET', path: '/%E0%A4%A' });
  cases.push({
    name: 'POST a method name with broken percent-encoding',
    path: '/api/%E0%A4%A',
    body: {},
  });
  cases.push({
    name: 'saveDraft with a 65 MiB body',
    path: '/api/saveDraft',
    raw: Buffer.alloc(65 * 1024 * 1024, 0x20),
  });
  cases.push({
    name: 'arguments as text/plain',
    path: '/api/appInfo',
    raw: '{}',
    headers: { 'content-type': 'text/plain' },
  });
  return cases;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-fuzz-'));
  upstream = await startHostileServer();
  sandbox = await startEmbeddedSandbox();
  desk = createDesk({
    host: 'web',
    version: 'fuzz',
    dataDir,
    secretBox: keyFileSecretBox(dataDir),
    sandbox,
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  host = await startWebHost({
    service: desk.api,
    events: desk.onEvent,
    rendererDir: dataDir,
    scriptToken: SCRIPT_TOKEN,
  });
  const save = async (
    name: string,
    baseUrl: string,
    auth: Parameters<Desk['api']['saveConnection']>[0]['connection']['auth'],
  ) => {
    const result = await desk.api.saveConnection({
      connection: { name, profileId: 'rest-etag', baseUrl, params: { collection: 'items' }, auth },
    });
    if (result.kind !== 'ok') throw new Error(result.message);
    return result.connection;
  };
  bearer = await save('bearer', `${upstream.url}/echo`, { kind: 'bearer', token: TOKEN });
  basic = await save('basic', `${upstream.url}/echo`, {
    kind: 'basic',
    username: 'ops',
    password: PASSWORD,
  });
  apiKey = await save('api-key', `${upstream.url}/echo`, {
    kind: 'api-key-header',
    header: 'X-Tenant-Key',
    key: API_KEY,
  });
  deep = await save('deep', `${upstream.url}/deep`, { kind: 'none' });
  sandboxRest = (await desk.api.listConnections({})).find((c) => c.name.includes('(409)'))!;
  const page = await desk.api.listResources({ connectionId: sandboxRest.id });
  if (page.kind !== 'ok') throw new Error(page.message);
  sandboxId = page.items[0]!.id;
});

afterAll(async () => {
  await host.close();
  await desk.close();
  await sandbox.close();
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('contract fuzz', () => {
  it('answers every hostile case with a 4xx or a value error that says what is wrong, leaks no secret and writes nothing', async () => {
    const cases = buildCases();
    const sandboxLogBefore =
      (
        (await (await fetch(`${sandbox.url}/_sandbox/requests`)).json()) as {
          requests: Array<{ seq: number }>;
        }
      ).requests.at(-1)?.seq ?? 0;
    const secrets = [
      TOKEN,
      PASSWORD,
      API_KEY,
      SCRIPT_TOKEN,
      Buffer.from(`ops:${PASSWORD}`).toString('base64'),
      SANDBOX_CREDENTIALS.twilio.authToken,
      SANDBOX_CREDENTIALS.genesys.bearerToken,
    ];
    const unclear: string[] = [];
    const serverErrors: string[] = [];
    const leaks: string[] = [];
    let clear = 0;
    for (const c of cases) {
      const answer = await send(c);
      if (answer.status >= 500)
        serverErrors.push(`${c.name}: ${answer.status} ${answer.text.slice(0, 200)}`);
      let parsed: { kind?: string; message?: string } | null;
      try {
        parsed = JSON.parse(answer.text) as { kind?: string; message?: string };
      } catch {
        parsed = null;
      }
      const hostRefusal =
        answer.status >= 400 &&
        answer.status < 500 &&
        (parsed
          ? typeof parsed.message === 'string' && parsed.message.length > 10
          : answer.text.length > 10);
      const valueError =
        answer.status === 200 &&
        parsed?.kind === 'error' &&
        typeof parsed.message === 'string' &&
        parsed.message.length > 10;
      if (hostRefusal || valueError || (c.mayPass && answer.status === 200)) clear++;
      else unclear.push(`${c.name}: ${answer.status} ${answer.text.slice(0, 200)}`);
      for (const secret of secrets)
        if (answer.text.includes(secret)) leaks.push(`${c.name}: carries ${secret.slice(0, 12)}…`);
    }
    const sandboxWrites = (
      (await (
        await fetch(`${sandbox.url}/_sandbox/requests?since=${sandboxLogBefore}`)
      ).json()) as { requests: Array<{ method: string; path: string }> }
    ).requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD');
    console.log(
      `contract fuzz: ${cases.length} cases over ${apiMethodNames.length} methods; ${clear} clear errors (4xx or value error with a message); ${serverErrors.length} 5xx; ${leaks.length} secrets found; ${upstream.writes().length + sandboxWrites.length} writes upstream`,
    );
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const covered = new Set(cases.map((c) => c.path.replace(/^\/api\//, '')));
    expect(apiMethodNames.filter((m) => !covered.has(m))).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(unclear).toEqual([]);
    expect(leaks).toEqual([]);
    expect(upstream.writes()).toEqual([]);
    expect(sandboxWrites).toEqual([]);
    // The echoing upstream did receive the credentials: what it said back was masked.
    expect(upstream.requests.some((r) => JSON.stringify(r.headers).includes(TOKEN))).toBe(true);
  });
});
