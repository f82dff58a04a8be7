// Connections and their credentials against a real HTTP server on loopback: what the window may
// be told, and which input is refused.
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../../shared/api/types';
import { itemsConnection, loopbackPerTest } from '../test-support/loopback-server';
import { saveConnection, type RealDesk } from '../test-support/real-round-trip';

const loopback = loopbackPerTest();
const serve = loopback.serve;
const connection = itemsConnection;
let desk: RealDesk;

describe('an upstream echoing the credential in an error body', () => {
  it('is masked in JSON-escaped (\\" \\\\ \\/) and form-encoded spellings too', async () => {
    const password = 'pa"ss\\wo/rd SECRET-77';
    const { url } = await serve((req) => {
      const pair = Buffer.from(req.headers.authorization!.slice(6), 'base64').toString();
      return {
        status: 401,
        // A JSON echo (PHP escapes the solidus too) and a form-encoded one.
        body: `${JSON.stringify({ got: pair })} ${JSON.stringify({ got: pair }).replaceAll('/', '\\/')} ${new URLSearchParams({ got: pair }).toString()}`,
      };
    });
    desk = loopback.startDesk();
    const id = await saveConnection(
      desk.api,
      connection(url, { kind: 'basic', username: 'ops', password }),
    );
    const answers = [
      await desk.api.listResources({ connectionId: id, pageSize: 5 }),
      await desk.api.testConnection({ id }),
      await desk.api.testConnection({
        connection: connection(url, { kind: 'basic', username: 'ops', password }),
      }),
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ kind: 'error', status: 401 });
      expect(JSON.stringify(answer)).not.toContain('SECRET');
    }
  });
});

describe('connection settings that cannot be used as typed', () => {
  it('a blank name, control characters in the name or id, and a Basic user name with a colon are refused, naming the problem', async () => {
    const { url } = await serve(() => ({ status: 200, body: '{"rows":[]}' }));
    desk = loopback.startDesk();
    const none = connection(url, { kind: 'none' });
    const cases: [ConnectionInput, RegExp][] = [
      [{ ...none, name: '   ' }, /Name: it cannot be blank/],
      [
        { ...none, name: 'prod\u0000\nitems' },
        /Name: .*control character \(U\+0000 at position 5\)/,
      ],
      [{ ...none, id: 'c\u0007' }, /Connection id: .*control character \(U\+0007/],
      [
        connection(url, { kind: 'basic', username: 'ops:admin', password: 'pw-123456' }),
        /user name cannot hold a colon/,
      ],
      [
        connection(url, { kind: 'basic', username: 'ops\r\n', password: 'pw-123456' }),
        /user name holds a control character \(U\+000D/,
      ],
    ];
    for (const [input, message] of cases) {
      for (const answer of [
        await desk.api.saveConnection({ connection: input }),
        await desk.api.testConnection({ connection: input }),
      ])
        expect(answer).toMatchObject({ kind: 'error', reason: 'invalid-input', message });
    }
    expect(await desk.api.listConnections({})).toEqual([]);
  });
});

describe('a saved secret that no longer decrypts (key changed, database damaged)', () => {
  it('leaves the connections listed, names the problem for that connection only, and is not dropped by a save that leaves it out', async () => {
    const { url } = await serve((req) => ({
      status:
        req.headers.authorization === 'Bearer fresh-token-1' || !req.headers.authorization
          ? 200
          : 401,
      body: '{"rows":[{"id":"a"}]}',
    }));
    desk = loopback.startDesk();
    const input = connection(url, { kind: 'bearer', token: 'old-token-1' });
    const id = await saveConnection(desk.api, input);
    const other = await saveConnection(desk.api, {
      ...connection(url, { kind: 'none' }),
      name: 'other',
    });
    const db = new DatabaseSync(path.join(desk.dataDir, 'conflict-desk.sqlite'));
    db.prepare('UPDATE connections SET secret = ? WHERE id = ?').run(Buffer.alloc(40, 1), id);
    db.close();

    expect((await desk.api.listConnections({})).map((c) => c.id)).toEqual([id, other]);
    const refused = {
      kind: 'error',
      reason: 'invalid-input',
      message: expect.stringMatching(/could not be decrypted/),
    };
    expect(await desk.api.listResources({ connectionId: id, pageSize: 5 })).toMatchObject(refused);
    expect(await desk.api.testConnection({ id })).toMatchObject(refused);
    expect(await desk.api.listResources({ connectionId: other, pageSize: 5 })).toMatchObject({
      kind: 'ok',
    });
    const { token: _, ...withoutToken } = input.auth as { kind: 'bearer'; token?: string };
    expect(
      await desk.api.saveConnection({ connection: { ...input, id, auth: withoutToken } }),
    ).toMatchObject(refused);
    expect(
      await desk.api.saveConnection({
        connection: { ...input, id, auth: { kind: 'bearer', token: 'fresh-token-1' } },
      }),
    ).toMatchObject({ kind: 'ok' });
    expect(await desk.api.listResources({ connectionId: id, pageSize: 5 })).toMatchObject({
      kind: 'ok',
    });
  });
});

describe('an accepted write whose read-back fails with an error echoing the credential', () => {
  it('reports the unknown outcome without the credential percent-encoded or JSON-escaped', async () => {
    const token = 'tok/en+SECRET-55';
    let written = false;
    const { url } = await serve((req) => {
      if (req.method === 'PUT') {
        written = true;
        return { status: 204, headers: { etag: '"2"' } };
      }
      if (!written) return { status: 200, headers: { etag: '"1"' }, body: '{"a":1}' };
      const auth = req.headers.authorization!;
      return {
        status: 500,
        body: JSON.stringify({
          message: `cannot read for ${encodeURIComponent(auth)} ${JSON.stringify(auth)}`,
        }),
      };
    });
    desk = loopback.startDesk();
    const id = await saveConnection(desk.api, connection(url, { kind: 'bearer', token }));
    const ref = { connectionId: id, id: 'a' };
    const opened = await desk.api.openResource({ ref });
    if (opened.kind !== 'ok') throw new Error(opened.message);
    const saved = await desk.api.saveResource({
      ref,
      text: '{"a":2}',
      baseJournalId: opened.snapshot.journalId,
    });
    const shown = JSON.stringify([
      saved,
      await desk.api.auditLog({}),
      await desk.api.openResource({ ref }),
    ]);
    expect(saved).toMatchObject({ kind: 'unknown-outcome', message: expect.stringMatching(/500/) });
    expect(shown).not.toContain('SECRET');
  });
});
