// The security review's findings, each against a real backend, the real sandbox and a hostile
// upstream on loopback: secrets stay with their origin, ids cannot escape their path, hostile
// input is a value error, and no upstream text hands a secret to the renderer.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthInput, ConnectionInput, ConnectionView } from '../../shared/api/types';
import { BUILT_IN_PROFILES } from '../../shared/profiles/built-in';
import { SANDBOX_CREDENTIALS } from '../../sandbox/index';
import { startHarness, type Harness } from '../test-support/desk-harness';
import { startHostileServer, type HostileServer } from '../test-support/hostile-server';
import { startScriptedServer } from '../test-support/scripted-server';
import { connectionContext, itemUrl } from './connection-context';
import { getResource } from './desk-service';

const TOKEN = 'tok-SECRET-7f3a9c1e';
const PASSWORD = 'pw-SECRET-51d2b8';
const API_KEY = 'key-SECRET-a0e4c6';

let h: Harness;
let upstream: HostileServer;
let collector: HostileServer;

beforeAll(async () => {
  collector = await startHostileServer();
  upstream = await startHostileServer({ awayUrl: collector.url });
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
  await upstream.close();
  await collector.close();
});

const base = (prefix: string) => `${upstream.url}/${prefix}`;

async function save(
  input: Partial<ConnectionInput> & { auth: AuthInput; baseUrl: string },
): Promise<ConnectionView> {
  const result = await h.api.saveConnection({
    connection: {
      name: 'hostile',
      profileId: 'rest-etag',
      params: { collection: 'items' },
      ...input,
    },
  });
  if (result.kind !== 'ok') throw new Error(result.message);
  return result.connection;
}

/** Every form of the test secrets a leak could take. */
const secretForms = [TOKEN, PASSWORD, API_KEY, Buffer.from(`ops:${PASSWORD}`).toString('base64')];
const leaked = (value: unknown) =>
  secretForms.filter((s) =>
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).includes(
      s,
    ),
  );

describe('1. a saved secret stays with the origin it was saved for', () => {
  it('testConnection with a saved id, another origin and no secret sends nothing there', async () => {
    const saved = await save({ baseUrl: base('echo'), auth: { kind: 'bearer', token: TOKEN } });
    const before = collector.requests.length;
    const result = await h.api.testConnection({
      connection: {
        id: saved.id,
        name: saved.name,
        profileId: 'rest-etag',
        baseUrl: collector.url,
        params: { collection: 'items' },
        auth: { kind: 'bearer' },
      },
    });
    expect(result).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('Type it again'),
    });
    expect(result.kind === 'error' && result.message).toContain(collector.url);
    expect(collector.requests.length).toBe(before);
  });

  it('saveConnection changing only the base URL is refused, and the secret keeps going only to its server', async () => {
    const saved = await save({ baseUrl: base('echo'), auth: { kind: 'bearer', token: TOKEN } });
    const moved = await h.api.saveConnection({
      connection: {
        id: saved.id,
        name: saved.name,
        profileId: 'rest-etag',
        baseUrl: collector.url,
        params: { collection: 'items' },
        auth: { kind: 'bearer' },
      },
    });
    expect(moved).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('belongs to'),
    });
    await h.api.listResources({ connectionId: saved.id });
    expect(collector.requests.filter((r) => JSON.stringify(r.headers).includes(TOKEN))).toEqual([]);
    expect((await h.api.listConnections({})).find((c) => c.id === saved.id)?.baseUrl).toBe(
      base('echo'),
    );
  });

  it('the same rule for Basic passwords and API keys, and for a sandbox connection', async () => {
    const basic = await save({
      baseUrl: base('echo'),
      auth: { kind: 'basic', username: 'ops', password: PASSWORD },
    });
    const key = await save({
      baseUrl: base('echo'),
      auth: { kind: 'api-key-header', header: 'X-Tenant-Key', key: API_KEY },
    });
    for (const [c, auth] of [
      [basic, { kind: 'basic', username: 'ops' }],
      [key, { kind: 'api-key-header', header: 'X-Tenant-Key' }],
    ] as const) {
      const result = await h.api.saveConnection({
        connection: {
          id: c.id,
          name: c.name,
          profileId: 'rest-etag',
          baseUrl: `${collector.url}/x`,
          params: { collection: 'items' },
          auth,
        },
      });
      expect(result).toMatchObject({ kind: 'error', reason: 'invalid-input' });
    }
    const genesys = await h.connection('Genesys');
    const moved = await h.api.testConnection({
      connection: {
        id: genesys.id,
        name: genesys.name,
        profileId: genesys.profileId,
        baseUrl: collector.url,
        params: {},
        auth: { kind: 'bearer' },
      },
    });
    expect(moved).toMatchObject({ kind: 'error', reason: 'invalid-input' });
    expect(
      collector.requests.filter((r) =>
        JSON.stringify(r.headers).includes(SANDBOX_CREDENTIALS.genesys.bearerToken),
      ),
    ).toEqual([]);
  });

  it('allows another path on the same origin, and another origin with the secret typed again', async () => {
    const saved = await save({ baseUrl: base('echo'), auth: { kind: 'bearer', token: TOKEN } });
    const samePlace = await h.api.saveConnection({
      connection: {
        id: saved.id,
        name: saved.name,
        profileId: 'rest-etag',
        baseUrl: `${upstream.url}/echo/v2`,
        params: { collection: 'items' },
        auth: { kind: 'bearer' },
      },
    });
    expect(samePlace.kind).toBe('ok');
    const retyped = await h.api.saveConnection({
      connection: {
        id: saved.id,
        name: saved.name,
        profileId: 'rest-etag',
        baseUrl: `${collector.url}/echo`,
        params: { collection: 'items' },
        auth: { kind: 'bearer', token: 'typed-again-token' },
      },
    });
    expect(retyped).toMatchObject({ kind: 'ok', connection: { auth: { hasSecret: true } } });
  });

  it('a redirect or a next-page link to another origin takes no secret there', async () => {
    const before = collector.requests.length;
    const redirected = await save({
      baseUrl: base('redirect-away'),
      auth: { kind: 'bearer', token: TOKEN },
    });
    const listed = await h.api.listResources({ connectionId: redirected.id });
    expect(listed).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('redirected to another host'),
    });
    const opened = await h.api.openResource({ ref: { connectionId: redirected.id, id: 'a' } });
    expect(opened.kind).toBe('error');
    const paged = await save({
      baseUrl: base('next-away'),
      auth: { kind: 'bearer', token: TOKEN },
      profileId: 'twilio-taskrouter-task',
      params: { workspaceSid: 'WS1' },
    });
    const page = await h.api.listResources({ connectionId: paged.id });
    expect(page).toMatchObject({ kind: 'ok', nextPageToken: null });
    const forged = await h.api.listResources({
      connectionId: paged.id,
      pageToken: `//${new URL(collector.url).host}/stolen`,
    });
    expect(forged).toMatchObject({ kind: 'error', reason: 'invalid-input' });
    expect(collector.requests.length).toBe(before);
  });
});

describe('3. ids are one path segment, for every profile', () => {
  const hostileIds = [
    '.',
    '..',
    '%2e%2e',
    '%2E%2e',
    '%252e%252e',
    '../..',
    'a/../..',
    '..%2F..',
    '.%2F..',
    '..\\..',
  ];

  it('refuses dot segments, plain or encoded, before any request, on every built-in profile', async () => {
    for (const profile of BUILT_IN_PROFILES) {
      const params = Object.fromEntries(profile.params.map((p) => [p.name, 'P1']));
      const c = await save({
        profileId: profile.id,
        params,
        baseUrl: base('echo-ok'),
        auth: { kind: 'bearer', token: TOKEN },
      });
      const before = upstream.requests.length;
      for (const id of hostileIds) {
        const opened = await h.api.openResource({ ref: { connectionId: c.id, id } });
        expect(opened, `${profile.id} ${id}`).toMatchObject({
          kind: 'error',
          reason: 'invalid-input',
          message: expect.stringContaining('may not be'),
        });
        expect((await h.api.refreshResource({ ref: { connectionId: c.id, id } })).kind).toBe(
          'error',
        );
      }
      expect(upstream.requests.length, profile.id).toBe(before);
    }
    expect(upstream.writes()).toEqual([]);
  });

  it('on the sandbox: ".." on TaskRouter neither reads nor writes the Workspace', async () => {
    const ref = await h.ref('TaskRouter', '..');
    const since =
      (await h.admin<{ requests: Array<{ seq: number }> }>('GET', '/requests')).body.requests.at(-1)
        ?.seq ?? 0;
    expect(await h.api.openResource({ ref })).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
    });
    const rest = await h.ref('(409)', '..');
    expect(await h.api.openResource({ ref: rest })).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
    });
    const log = await h.admin<{ requests: unknown[] }>('GET', `/requests?since=${since}`);
    expect(log.body.requests).toEqual([]);
  });

  it('sends other ids as one encoded segment below the item path', async () => {
    const c = await save({ baseUrl: base('echo-ok'), auth: { kind: 'none' } });
    for (const id of ['a/b', '%2F', '?x=1', '#frag', '...', '.hidden']) {
      upstream.requests.length = 0;
      await h.api.openResource({ ref: { connectionId: c.id, id } });
      expect(upstream.requests.map((r) => r.url)).toEqual([
        `/echo-ok/items/${encodeURIComponent(id)}`,
      ]);
    }
  });

  it('refuses a parameter that is a dot segment too, at save and for one saved before the rule', async () => {
    const refused = await h.api.saveConnection({
      connection: {
        name: 'p',
        profileId: 'rest-etag',
        baseUrl: base('echo-ok'),
        params: { collection: '%2e%2e' },
        auth: { kind: 'none' },
      },
    });
    expect(refused).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringContaining('may not be'),
    });
    const c = await save({ baseUrl: base('echo-ok'), auth: { kind: 'none' } });
    const ctx = connectionContext(
      {
        id: c.id,
        name: 'p',
        profileId: 'rest-etag',
        baseUrl: base('echo-ok'),
        params: { collection: '..' },
        auth: { kind: 'none' },
        customProfile: null,
        isSandbox: false,
      },
      null,
    );
    if (!ctx.ok) throw new Error(ctx.error.message);
    expect(itemUrl(ctx.value, 'a')).toMatchObject({
      ok: false,
      error: expect.stringContaining('{collection} may not be'),
    });
  });
});

describe('4. hostile input is a value error, never a crash', () => {
  it('custom-profile parameters named like inherited members are refused', async () => {
    const spec = BUILT_IN_PROFILES.find((p) => p.id === 'rest-etag')!;
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const customProfile = {
        ...spec,
        id: 'my-rest',
        params: [{ name, label: 'X' }],
        list: { ...spec.list, path: `/{${name}}` },
        itemPath: `/{${name}}/{id}`,
      };
      const result = await h.api.saveConnection({
        connection: {
          name: 'c',
          profileId: 'my-rest',
          baseUrl: upstream.url,
          params: {},
          auth: { kind: 'none' },
          customProfile,
        },
      });
      expect(result, name).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
        message: expect.stringContaining('reserved'),
      });
    }
  });

  it('an upstream body nested 5,000 levels, malformed, invalid UTF-8 or with duplicate keys is an invalid-json error', async () => {
    for (const prefix of ['deep', 'malformed', 'dupes']) {
      const c = await save({ baseUrl: base(prefix), auth: { kind: 'none' } });
      const opened = await h.api.openResource({ ref: { connectionId: c.id, id: 'x' } });
      expect(opened, prefix).toMatchObject({ kind: 'error', reason: 'invalid-json' });
      const got = await getResource(`${upstream.url}/${prefix}/x`);
      expect(got, prefix).toMatchObject({ kind: 'error', reason: 'invalid-json' });
    }
    expect(await getResource(`${upstream.url}/deep/x`)).toMatchObject({
      message: expect.stringContaining('nested deeper than 1000 levels'),
    });
    expect(await getResource(`${upstream.url}/dupes/x`)).toMatchObject({
      message: expect.stringContaining('duplicate key "role"'),
    });
    const utf8 = await getResource(`${upstream.url}/bad-utf8/x`);
    // Invalid bytes decode to U+FFFD: a value, shown as such, never a crash.
    expect(utf8.kind === 'ok' ? utf8.body : utf8.reason).toEqual(
      utf8.kind === 'ok' ? { a: '\ufffd\ufffd' } : 'invalid-json',
    );
  });

  it('a WebDAV listing of 200,000 unclosed tags is read in one pass, not rescanned per tag', async () => {
    // The multistatus reader rescanned the rest of the text from each opening tag: this answer
    // held the backend (and every other call) for minutes.
    const c = await save({
      profileId: 'webdav-json-file',
      params: { folder: 'docs' },
      baseUrl: base('dav-bomb'),
      auth: { kind: 'none' },
    });
    const listed = await h.api.listResources({ connectionId: c.id });
    expect(listed).toMatchObject({ kind: 'ok', items: [] });
  });

  it('an error page of 200,000 unclosed tags is read in one pass for the server’s words', async () => {
    const c = await save({ baseUrl: base('tag-bomb'), auth: { kind: 'none' } });
    const opened = await h.api.openResource({ ref: { connectionId: c.id, id: 'x' } });
    expect(opened).toMatchObject({ kind: 'error', reason: 'not-found', status: 404 });
  });

  it('an oversized upstream answer is a too-large error', async () => {
    const c = await save({ baseUrl: base('huge'), auth: { kind: 'none' } });
    expect(await h.api.openResource({ ref: { connectionId: c.id, id: 'x' } })).toMatchObject({
      kind: 'error',
      reason: 'too-large',
    });
    expect(await getResource(`${upstream.url}/huge/x`)).toMatchObject({
      kind: 'error',
      reason: 'too-large',
    });
  });
});

describe('5. no upstream text hands a secret to the renderer', () => {
  it('an upstream echoing the credentials in its error body, headers and ETag: every answer is masked', async () => {
    const connections = [
      await save({ baseUrl: base('echo'), auth: { kind: 'bearer', token: TOKEN } }),
      await save({
        baseUrl: base('echo'),
        auth: { kind: 'basic', username: 'ops', password: PASSWORD },
      }),
      await save({
        baseUrl: base('echo'),
        auth: { kind: 'api-key-header', header: 'X-Tenant-Key', key: API_KEY },
      }),
    ];
    h.responses.length = 0;
    for (const c of connections) {
      const listed = await h.api.listResources({ connectionId: c.id });
      expect(listed).toMatchObject({
        kind: 'error',
        status: 401,
        bodyExcerpt: expect.stringContaining('[redacted]'),
      });
      await h.api.openResource({ ref: { connectionId: c.id, id: 'x' } });
      await h.api.testConnection({ id: c.id });
      // The form as typed, with the secret typed in it.
      await h.api.testConnection({
        connection: {
          id: c.id,
          name: 'typed',
          profileId: 'rest-etag',
          baseUrl: base('echo'),
          params: { collection: 'items' },
          auth: { kind: 'bearer', token: 'typed-SECRET-99' },
        },
      });
    }
    await h.api.activity({});
    expect(upstream.requests.some((r) => JSON.stringify(r.headers).includes(TOKEN))).toBe(true);
    expect(h.responses.length).toBeGreaterThan(10);
    for (const response of h.responses) {
      expect(leaked(response)).toEqual([]);
      expect(JSON.stringify(response)).not.toContain('typed-SECRET-99');
    }
    expect(leaked(h.events)).toEqual([]);
  });

  it('a resource that holds the connection’s own credential (an account answering with its key) is not opened, shown or journalled', async () => {
    const slashed = 'tok/SECRET/2b9e7d41';
    const server = await startScriptedServer((req) => ({
      status: 200,
      headers: { etag: '"1"' },
      // As written, and with the solidus escaped as JSON allows: the document reads the same.
      body: req.path.endsWith('/plain')
        ? JSON.stringify({ id: 'plain', apiKey: TOKEN, name: 'account' })
        : `{"id":"escaped","apiKey":"${slashed.replaceAll('/', '\\/')}"}`,
    }));
    for (const [token, id] of [
      [TOKEN, 'plain'],
      [slashed, 'escaped'],
    ] as const) {
      const c = await save({ baseUrl: server.url, auth: { kind: 'bearer', token } });
      h.responses.length = 0;
      const ref = { connectionId: c.id, id };
      const opened = await h.api.openResource({ ref });
      expect(opened).toMatchObject({ kind: 'error', reason: 'http' });
      expect(opened.kind === 'error' && opened.message).toMatch(
        /holds this connection's own credential/,
      );
      expect(await h.api.history({ ref })).toMatchObject({ kind: 'ok', entries: [] });
      for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(token);
    }
    const db = readFileSync(path.join(h.dataDir, 'conflict-desk.sqlite'));
    expect(db.includes(Buffer.from(TOKEN))).toBe(false);
    await server.close();
  });

  it('a read answered with a text already journalled is checked for the credential again (what was derived from it is reused, not trusted)', async () => {
    const newToken = 'tok-ROTATED-4e1f0b';
    let body = JSON.stringify({ id: 'acct', owner: 'ops', note: `rotating to ${newToken}` });
    // A server that never answers 304: every read is the whole text again.
    const server = await startScriptedServer(() => ({
      status: 200,
      headers: { etag: '"7"' },
      body,
    }));
    const c = await save({ baseUrl: server.url, auth: { kind: 'bearer', token: TOKEN } });
    const ref = { connectionId: c.id, id: 'acct' };
    const opened = await h.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const again = await h.api.refreshResource({ ref });
    if (again.kind !== 'ok') throw new Error(again.message);
    expect(again.snapshot.text).toBe(opened.snapshot.text);
    expect(again.snapshot.journalId).toBe(opened.snapshot.journalId);
    // A text of the same length with other words is read as itself.
    body = body.replace('ops', 'dev');
    const changed = await h.api.refreshResource({ ref });
    if (changed.kind !== 'ok') throw new Error(changed.message);
    expect(changed.snapshot.text).toContain('"owner": "dev"');
    expect(changed.snapshot.journalId).not.toBe(opened.snapshot.journalId);
    // The credential rotates to one the journalled text holds: the same text is refused now.
    await save({ id: c.id, baseUrl: server.url, auth: { kind: 'bearer', token: newToken } });
    h.responses.length = 0;
    const refused = await h.api.refreshResource({ ref });
    expect(refused).toMatchObject({ kind: 'error', reason: 'http' });
    expect(refused.kind === 'error' && refused.message).toMatch(
      /holds this connection's own credential/,
    );
    for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(newToken);
    await server.close();
  });

  it('a list row that holds the credential does not show it: its words are hidden, a row whose id holds it is left out', async () => {
    const server = await startScriptedServer(() => ({
      status: 200,
      body: JSON.stringify({
        items: [
          { id: 'account', name: `Account key ${TOKEN}`, status: 'active' },
          {
            id: 'hook',
            name: 'Callback',
            assignee: `https://x.test/?t=${encodeURIComponent(TOKEN)}`,
          },
          { id: `key-${TOKEN}`, name: 'Keyed by the token' },
          { id: 'plain', name: 'Nothing secret', status: 'open' },
        ],
      }),
    }));
    const c = await save({ baseUrl: server.url, auth: { kind: 'bearer', token: TOKEN } });
    h.responses.length = 0;
    const page = await h.api.listResources({ connectionId: c.id });
    if (page.kind !== 'ok') throw new Error(page.message);
    expect(page.items.map((row) => [row.id, row.title, row.subtitle, row.status])).toEqual([
      ['account', '(hidden: holds this connection’s credential)', null, 'active'],
      ['hook', 'Callback', '(hidden: holds this connection’s credential)', null],
      ['plain', 'Nothing secret', null, 'open'],
    ]);
    // The list can say why it shows one row fewer than the server has.
    expect(page.leftOut).toBe(1);
    for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(TOKEN);
    await server.close();
  });

  it('a next link that echoes the query credential does not hand it to the window: the page token leaves it out, the next page carries it once', async () => {
    const key = 'qk-SECRET-3c9d0e77';
    const server = await startScriptedServer((req) => {
      const page = new URL(req.path, 'http://x').searchParams.get('PageToken') ?? 'first';
      return {
        status: 200,
        body: JSON.stringify({
          tasks: [{ sid: `WT-${page}`, attributes: '{}' }],
          // As many APIs write it: the request's own query, credential included, plus the cursor.
          meta: {
            next_page_url:
              page === 'first'
                ? `${server.url}/v1/Workspaces/WS1/Tasks?PageSize=50&code=${key}&PageToken=PT2`
                : null,
          },
        }),
      };
    });
    const c = await save({
      baseUrl: server.url,
      profileId: 'twilio-taskrouter-task',
      params: { workspaceSid: 'WS1' },
      auth: { kind: 'query', query: `code=${key}` },
    });
    h.responses.length = 0;
    const events = h.events.length;
    const first = await h.api.listResources({ connectionId: c.id });
    if (first.kind !== 'ok') throw new Error(first.message);
    expect(first.nextPageToken).toBe('/v1/Workspaces/WS1/Tasks?PageSize=50&PageToken=PT2');
    const second = await h.api.listResources({
      connectionId: c.id,
      pageToken: first.nextPageToken!,
    });
    expect(second).toMatchObject({ kind: 'ok', items: [{ id: 'WT-PT2' }], nextPageToken: null });
    // The server is sent the credential once per request, as the connection holds it.
    expect(server.requests.map((r) => r.path.split(key).length - 1)).toEqual([1, 1]);
    await h.api.activity({});
    for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(key);
    expect(JSON.stringify(h.events.slice(events))).not.toContain(key);
    await server.close();
  });

  it('a page that starts at a document whose id holds the credential (CouchDB’s startkey) hands neither to the window; paging goes on', async () => {
    const docs = ['a-1', 'a-2', `b-${API_KEY}`, 'c-4', 'c-5'];
    const server = await startScriptedServer((req) => {
      const url = new URL(req.path, 'http://x');
      const start = url.searchParams.get('startkey');
      const from = start ? docs.indexOf(JSON.parse(start) as string) : 0;
      const rows = docs
        .slice(from, from + Number(url.searchParams.get('limit')))
        .map((id) => ({ id, key: id, value: { rev: '1-a' }, doc: { _id: id, _rev: '1-a' } }));
      return { status: 200, body: JSON.stringify({ total_rows: docs.length, offset: from, rows }) };
    });
    const c = await save({
      baseUrl: server.url,
      profileId: 'couchdb-document',
      params: { database: 'db' },
      auth: { kind: 'api-key-header', header: 'X-Tenant-Key', key: API_KEY },
    });
    h.responses.length = 0;
    const events = h.events.length;
    const ids: string[] = [];
    let pageToken: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const page = await h.api.listResources({
        connectionId: c.id,
        pageSize: 2,
        ...(pageToken ? { pageToken } : {}),
      });
      if (page.kind !== 'ok') throw new Error(page.message);
      ids.push(...page.items.map((row) => row.id));
      pageToken = page.nextPageToken;
      if (!pageToken) break;
    }
    // The second page starts at the document left out (its key is the token): still read.
    expect(ids).toEqual(['a-1', 'a-2', 'c-4', 'c-5']);
    expect(
      server.requests.map((r) => new URL(r.path, 'http://x').searchParams.get('startkey')),
    ).toEqual([null, JSON.stringify(docs[2]), '"c-5"']);
    await h.api.activity({});
    for (const response of h.responses) expect(leaked(response)).toEqual([]);
    expect(leaked(h.events.slice(events))).toEqual([]);
    await server.close();
  });

  it('a body that holds the credential percent-encoded (a callback URL) or as Basic’s base64 is not opened either', async () => {
    const token = 'tok/SECRET+2b9e7d41=';
    const password = 'pw/SECRET-51d2b8';
    const server = await startScriptedServer((req) => ({
      status: 200,
      headers: { etag: '"1"' },
      body: req.path.endsWith('/hook')
        ? JSON.stringify({
            id: 'hook',
            url: `https://x.test/cb?access_token=${encodeURIComponent(token)}`,
          })
        : JSON.stringify({ id: 'relay', auth: Buffer.from(`ops:${password}`).toString('base64') }),
    }));
    for (const [auth, id] of [
      [{ kind: 'bearer', token }, 'hook'],
      [{ kind: 'basic', username: 'ops', password }, 'relay'],
    ] as const) {
      const c = await save({ baseUrl: server.url, auth });
      const opened = await h.api.openResource({ ref: { connectionId: c.id, id } });
      expect(opened).toMatchObject({ kind: 'error', reason: 'http' });
      expect(opened.kind === 'error' && opened.message).toMatch(
        /holds this connection's own credential/,
      );
    }
    await server.close();
  });

  it('a journalled body that holds the credential the connection now uses is not shown when the server answers 304', async () => {
    // The account lists its next key; the key is rotated in (the connection now sends it) and the
    // server answers the refresh "not modified": the journal's copy holds today's credential.
    const next = 'key-NEXT-3c9d1e7a';
    const server = await startScriptedServer((req) =>
      req.headers['if-none-match'] === '"1"'
        ? { status: 304, headers: { etag: '"1"' } }
        : {
            status: 200,
            headers: { etag: '"1"' },
            body: JSON.stringify({ id: 'acct', nextKey: next }),
          },
    );
    const c = await save({ baseUrl: server.url, auth: { kind: 'bearer', token: TOKEN } });
    const ref = { connectionId: c.id, id: 'acct' };
    const first = await h.api.openResource({ ref });
    if (first.kind !== 'ok') throw new Error(first.message);
    await save({ id: c.id, baseUrl: server.url, auth: { kind: 'bearer', token: next } });
    h.responses.length = 0;
    const refreshed = await h.api.refreshResource({ ref });
    expect(refreshed).toMatchObject({ kind: 'error', reason: 'http' });
    // Nor is the journal's copy shown as an old revision.
    const old = await h.api.revision({ ref, journalId: first.snapshot.journalId });
    expect(old).toMatchObject({ kind: 'error', reason: 'http' });
    for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(next);
    await server.close();
  });

  it('a journalled body that spells the credential the connection now uses with escapes is not shown as an old revision or a 304 either', async () => {
    // As the read refuses a body holding the credential with \/ or \u escapes, so is the
    // journal's copy of it once the connection uses that credential.
    const next = 'key/NEXT-8a1c5e2f';
    const spelled = '\\u006bey\\/NEXT-8a1c5e2f';
    const server = await startScriptedServer((req) =>
      req.headers['if-none-match'] === '"1"'
        ? { status: 304, headers: { etag: '"1"' } }
        : { status: 200, headers: { etag: '"1"' }, body: `{"id":"acct","nextKey":"${spelled}"}` },
    );
    const c = await save({ baseUrl: server.url, auth: { kind: 'bearer', token: TOKEN } });
    const ref = { connectionId: c.id, id: 'acct' };
    const first = await h.api.openResource({ ref });
    if (first.kind !== 'ok') throw new Error(first.message);
    await save({ id: c.id, baseUrl: server.url, auth: { kind: 'bearer', token: next } });
    const old = await h.api.revision({ ref, journalId: first.snapshot.journalId, raw: true });
    expect(old).toMatchObject({ kind: 'error', reason: 'http' });
    const refreshed = await h.api.refreshResource({ ref });
    expect(refreshed).toMatchObject({ kind: 'error', reason: 'http' });
    await server.close();
  });

  it('an ETag that holds the connection’s credential is neither shown, journalled nor listed in the history', async () => {
    const next = 'key-NEXT-6d2e9b04';
    const server = await startScriptedServer((req) => ({
      status: 200,
      headers: { etag: req.path.endsWith('/echo') ? `"${TOKEN}"` : `"${next}"` },
      body: JSON.stringify({ id: 'x', n: 1 }),
    }));
    const c = await save({ baseUrl: server.url, auth: { kind: 'bearer', token: TOKEN } });
    h.responses.length = 0;
    const ref = { connectionId: c.id, id: 'echo' };
    const opened = await h.api.openResource({ ref });
    expect(opened).toMatchObject({ kind: 'error', reason: 'http' });
    expect(await h.api.history({ ref })).toMatchObject({ kind: 'ok', entries: [] });
    for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(TOKEN);
    const db = readFileSync(path.join(h.dataDir, 'conflict-desk.sqlite'));
    expect(db.includes(Buffer.from(`"${TOKEN}"`))).toBe(false);
    // Journalled before the credential rotated to the tag's: not shown again, nor listed.
    const later = { connectionId: c.id, id: 'acct' };
    const first = await h.api.openResource({ ref: later });
    if (first.kind !== 'ok') throw new Error(first.message);
    await save({ id: c.id, baseUrl: server.url, auth: { kind: 'bearer', token: next } });
    h.responses.length = 0;
    const old = await h.api.revision({ ref: later, journalId: first.snapshot.journalId });
    expect(old).toMatchObject({ kind: 'error', reason: 'http' });
    expect(await h.api.history({ ref: later })).toMatchObject({ kind: 'ok' });
    for (const response of h.responses) expect(JSON.stringify(response)).not.toContain(next);
    await server.close();
  });

  it('a query credential’s plain parameters (an Azure SAS’s version, expiry, protocols) are no reason to refuse a document; its signature is', async () => {
    const sig = 'pfW2iGh9a0oJ61qOmb0i9ZDjg6Y5R3N0dzXAHeyIRoI=';
    const sas = `sv=2019-02-02&ss=t&srt=sco&spr=https%2Chttp&se=2099-12-31T00%3A00%3A00Z&sp=rwdlau&sig=${encodeURIComponent(sig)}`;
    const server = await startScriptedServer((req) => ({
      status: 200,
      headers: { etag: '"1"' },
      body: req.path.includes('/signed')
        ? JSON.stringify({ id: 'signed', sig })
        : JSON.stringify({
            id: 'dated',
            opened: '2019-02-02',
            due: '2099-12-31T00:00:00Z',
            channels: 'https,http',
          }),
    }));
    const c = await save({ baseUrl: server.url, auth: { kind: 'query', query: sas } });
    const dated = await h.api.openResource({ ref: { connectionId: c.id, id: 'dated' } });
    expect(dated).toMatchObject({ kind: 'ok' });
    const signed = await h.api.openResource({ ref: { connectionId: c.id, id: 'signed' } });
    expect(signed).toMatchObject({ kind: 'error', reason: 'http' });
    expect(signed.kind === 'error' && signed.message).toMatch(
      /holds this connection's own credential/,
    );
    // A parameter the app does not know as plain still counts, whatever its name (appid=…).
    const appid = 'a1b2c3d4e5f6a7b8';
    const other = await save({
      baseUrl: server.url,
      auth: { kind: 'query', query: `appid=${appid}&units=metric` },
    });
    server.server.removeAllListeners('request');
    server.server.on('request', (_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json', etag: '"1"' })
        .end(JSON.stringify({ id: 'weather', echo: appid })),
    );
    expect(
      await h.api.openResource({ ref: { connectionId: other.id, id: 'weather' } }),
    ).toMatchObject({ kind: 'error', reason: 'http' });
    await server.close();
  });

  it('getResource with a user:password@ that is not valid percent-encoding says so, and sends nothing', async () => {
    const before = upstream.requests.length;
    for (const userinfo of ['ops:50%', 'ops:%ED%A0%80', '%zz:pw']) {
      const result = await getResource(`http://${userinfo}@${new URL(upstream.url).host}/echo/x`);
      expect(result, userinfo).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
        message: expect.stringContaining('percent-encoding'),
      });
    }
    expect(upstream.requests.length).toBe(before);
  });

  it('getResource with user:password@ masks the password wherever the server echoes it', async () => {
    for (const path of ['echo', 'echo-ok']) {
      const result = await getResource(
        `http://ops:${PASSWORD}@${new URL(upstream.url).host}/${path}/x`,
      );
      expect(leaked(result), path).toEqual([]);
      expect(JSON.stringify(result)).toContain('[redacted]');
    }
  });
});

describe('5b. the embedded sandbox log masks the API-key headers connections name', () => {
  it('a connection sending its key in X-Tenant leaves *** in the sandbox request log', async () => {
    const sandboxRest = `${h.sandbox.url}/rest`;
    const result = await h.api.saveConnection({
      connection: {
        name: 'tenant',
        profileId: 'rest-etag',
        baseUrl: sandboxRest,
        params: { collection: 'tickets' },
        auth: { kind: 'api-key-header', header: 'X-Tenant', key: API_KEY },
      },
    });
    if (result.kind !== 'ok') throw new Error(result.message);
    await h.api.listResources({ connectionId: result.connection.id });
    const log = await h.admin<{ requests: Array<{ headers: Record<string, string> }> }>(
      'GET',
      '/requests?pathPrefix=/rest/tickets',
    );
    expect(log.body.requests.at(-1)?.headers['x-tenant']).toBe('***');
    expect(JSON.stringify(log.body)).not.toContain(API_KEY);
  });
});

describe('a pasted secret an HTTP header cannot carry', () => {
  it('is refused at save and at test, naming the character, before any request', async () => {
    const cases: Array<[AuthInput, string]> = [
      [{ kind: 'bearer', token: `${TOKEN}\u200b` }, 'U+200B'],
      [{ kind: 'bearer', token: `${TOKEN}\u00a0` }, 'U+00A0'],
      [{ kind: 'api-key-header', header: 'X-Tenant-Key', key: `\u4e2d${API_KEY}` }, 'U+4E2D'],
      [{ kind: 'bearer', token: `${TOKEN}\r\nX-Injected: 1` }, 'U+000D'],
    ];
    for (const [auth, named] of cases) {
      const connection = {
        name: 'pasted',
        profileId: 'rest-etag',
        baseUrl: base('echo-ok'),
        params: { collection: 'items' },
        auth,
      };
      const before = upstream.requests.length;
      for (const answer of [
        await h.api.saveConnection({ connection }),
        await h.api.testConnection({ connection }),
      ]) {
        expect(answer, named).toMatchObject({
          kind: 'error',
          reason: 'invalid-input',
          message: expect.stringContaining(named),
        });
        expect(leaked(answer)).toEqual([]);
      }
      expect(upstream.requests.length, named).toBe(before);
    }
  });
});

describe('#9. an API key may not ride in a precondition or framing header', () => {
  it('refuses If-Match, If-None-Match, If-Unmodified-Since, Host and Content-Length at save and at test', async () => {
    for (const header of [
      'If-Match',
      'if-none-match',
      'If-Unmodified-Since',
      'Host',
      'Content-Length',
    ]) {
      const connection = {
        name: 'k',
        profileId: 'rest-etag',
        baseUrl: base('echo-ok'),
        params: { collection: 'items' },
        auth: { kind: 'api-key-header' as const, header, key: API_KEY },
      };
      const before = upstream.requests.length;
      expect(await h.api.saveConnection({ connection }), header).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
        message: expect.stringContaining(`cannot travel in the ${header} header`),
      });
      expect(await h.api.testConnection({ connection }), header).toMatchObject({
        kind: 'error',
        reason: 'invalid-input',
      });
      expect(upstream.requests.length).toBe(before);
    }
  });

  it('never applies such a header at request time, for a connection saved before the rule', () => {
    for (const header of ['If-Match', 'Content-Length', 'host']) {
      const ctx = connectionContext(
        {
          id: 'old',
          name: 'old',
          profileId: 'rest-etag',
          baseUrl: 'http://127.0.0.1:1',
          params: { collection: 'c' },
          auth: { kind: 'api-key-header', header, key: API_KEY },
          customProfile: null,
          isSandbox: false,
        },
        null,
      );
      expect(ctx.ok && ctx.value.authHeaders).toEqual({});
    }
  });
});
