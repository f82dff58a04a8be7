// Probes of the credential in spellings and places the earlier masking did not reach: the activity
// panel (an ETag echoing the credential), and an error body that JSON-escapes it as \uXXXX.
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api/types';
import { itemsConnection, loopbackPerTest } from '../test-support/loopback-server';
import { saveConnection, type RealDesk } from '../test-support/real-round-trip';

const loopback = loopbackPerTest();
const serve = loopback.serve;
const connection = itemsConnection;
let desk: RealDesk;

describe('the activity panel, when a server echoes the credential in its ETag', () => {
  it('masks a Basic password percent-encoded and a query credential’s signature', async () => {
    const password = 'pa ss/wo@rd SECRET-31';
    const sig = 'SECRET-sig/9a0oJ61qOmb0i9ZDjg6Y5R3N0dzXAHeyIRoI=';
    const query = `sv=2019-02-02&sig=${encodeURIComponent(sig)}`;
    const { url } = await serve((req) => {
      const etag = req.headers.authorization
        ? encodeURIComponent(
            Buffer.from(req.headers.authorization.slice(6), 'base64').toString().split(':')[1]!,
          )
        : sig;
      return { status: 200, headers: { etag: `"${etag}"` }, body: '{"id":"a","n":1}' };
    });
    desk = loopback.startDesk();
    const events: ApiEvent[] = [];
    desk.desk.onEvent((event) => events.push(event));
    const basic = await saveConnection(
      desk.api,
      connection(url, { kind: 'basic', username: 'ops', password }),
    );
    const sas = await saveConnection(desk.api, {
      ...connection(url, { kind: 'query', query }),
      name: 'sas',
    });
    for (const connectionId of [basic, sas])
      await desk.api.openResource({ ref: { connectionId, id: 'a' } });
    const activity = await desk.api.activity({});
    expect(activity.kind === 'ok' && activity.entries.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(activity)).not.toContain('SECRET');
    expect(JSON.stringify(events)).not.toContain('SECRET');
  });
});

describe('an error body that JSON-escapes the credential as \\uXXXX (.NET’s encoder escapes + < >)', () => {
  it('is masked in the answer’s bodyExcerpt and message', async () => {
    const token = 'tok+en<SECRET-42>';
    const escaped = JSON.stringify(token)
      .slice(1, -1)
      .replace(
        /[+<>]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
      );
    const { url } = await serve(() => ({
      status: 500,
      body: `{"message":"bad token ${escaped}"}`,
    }));
    desk = loopback.startDesk();
    const id = await saveConnection(desk.api, connection(url, { kind: 'bearer', token }));
    const answers = [
      await desk.api.listResources({ connectionId: id, pageSize: 5 }),
      await desk.api.openResource({ ref: { connectionId: id, id: 'a' } }),
      await desk.api.testConnection({ id }),
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ kind: 'error', status: 500 });
      expect(JSON.stringify(answer)).not.toContain('SECRET');
    }
  });
});

describe('an API key sent in a header whose name is usually plain (Accept, User-Agent)', () => {
  it('is masked in the activity panel when the server echoes it in its ETag', async () => {
    const key = 'key-SECRET-8c1d44';
    const { url } = await serve(() => ({
      status: 200,
      headers: { etag: `"${key}"` },
      body: '{"rows":[{"id":"a"}]}',
    }));
    desk = loopback.startDesk();
    for (const header of ['Accept', 'user-agent']) {
      const id = await saveConnection(desk.api, {
        ...connection(url, { kind: 'api-key-header', header, key }),
        name: header,
      });
      await desk.api.listResources({ connectionId: id, pageSize: 5 });
      await desk.api.openResource({ ref: { connectionId: id, id: 'a' } });
    }
    const activity = await desk.api.activity({});
    expect(activity.kind === 'ok' && activity.entries.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(activity)).not.toContain('SECRET');
  });

  it('is masked everywhere when it looks like a media type (ab/cd), in Accept or a header of its own', async () => {
    const key = 'SECRET.ab/cd-8c1d44';
    const { url } = await serve((req) =>
      req.url.endsWith('/b')
        ? { status: 500, headers: { etag: `"${key}"` }, body: `{"message":"bad key ${key}"}` }
        : { status: 200, headers: { etag: `"${encodeURIComponent(key)}"` }, body: '{"rows":[]}' },
    );
    desk = loopback.startDesk();
    const answers: unknown[] = [];
    for (const header of ['Accept', 'X-Api-Key']) {
      const id = await saveConnection(desk.api, {
        ...connection(url, { kind: 'api-key-header', header, key }),
        name: header,
      });
      answers.push(await desk.api.listResources({ connectionId: id, pageSize: 5 }));
      answers.push(await desk.api.openResource({ ref: { connectionId: id, id: 'b' } }));
    }
    const activity = await desk.api.activity({});
    expect(activity.kind === 'ok' && activity.entries.length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify([activity, answers])).not.toContain('SECRET');
  });
});

describe('a bearer token holding a space, echoed in an ETag', () => {
  it('is masked in the activity panel', async () => {
    const token = 'SECRET tok/en-4f2a';
    const { url } = await serve(() => ({
      status: 200,
      headers: { etag: `"${encodeURIComponent(token)}"` },
      body: '{"rows":[]}',
    }));
    desk = loopback.startDesk();
    const id = await saveConnection(desk.api, connection(url, { kind: 'bearer', token }));
    await desk.api.listResources({ connectionId: id, pageSize: 5 });
    const activity = await desk.api.activity({});
    expect(activity.kind === 'ok' && activity.entries.length).toBe(1);
    expect(JSON.stringify(activity)).not.toContain('SECRET');
  });
});

describe('a credential spelled with \\uXXXX escapes in an ETag or a listed id', () => {
  it('is neither opened as a revision nor listed or found by search', async () => {
    const token = 'tok+en/SECRET-42';
    const escaped = token.replace(/[+/]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
    const { url } = await serve((req) =>
      req.url.startsWith('/items?') || req.url === '/items'
        ? { status: 200, body: JSON.stringify({ rows: [{ id: 'a' }, { id: `id-${escaped}` }] }) }
        : { status: 200, headers: { etag: `"${escaped}"` }, body: '{"id":"a","n":1}' },
    );
    desk = loopback.startDesk();
    const connectionId = await saveConnection(desk.api, connection(url, { kind: 'bearer', token }));
    const answers = [
      await desk.api.listResources({ connectionId, pageSize: 5 }),
      await desk.api.listResources({ connectionId, pageSize: 5, search: 'id' }),
      await desk.api.countMatching({ connectionId, search: 'id' }),
      await desk.api.openResource({ ref: { connectionId, id: 'a' } }),
    ];
    expect(answers[0]).toMatchObject({ kind: 'ok', items: [{ id: 'a' }], leftOut: 1 });
    expect(answers[3]).toMatchObject({ kind: 'error', message: /own credential/ });
    expect(JSON.stringify([answers, await desk.api.activity({})])).not.toContain('SECRET');
  });
});
