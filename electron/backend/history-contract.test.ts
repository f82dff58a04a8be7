// The history contract: list, read and restore revisions of a resource, through the real backend
// against a real loopback server. Each revision belongs to one resource of one connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, connectScripted, type Harness } from '../test-support/desk-harness';
import { startScriptedServer, type ScriptedServer } from '../test-support/scripted-server';

let h: Harness;
let server: ScriptedServer;
const docs = new Map<string, { rev: number; body: Record<string, unknown> }>();

beforeAll(async () => {
  h = await startHarness();
  server = await startScriptedServer((req) => {
    const id = decodeURIComponent(req.path.replace(/^\/things\//, '').split('?')[0]!);
    const doc = docs.get(id);
    if (!doc) return { status: 404, body: '{}' };
    if (req.method === 'GET')
      return { status: 200, headers: { etag: `"${doc.rev}"` }, body: JSON.stringify(doc.body) };
    if (req.method === 'PUT') {
      if (req.headers['if-match'] !== `"${doc.rev}"`) return { status: 412, body: '{}' };
      doc.rev += 1;
      doc.body = JSON.parse(req.body) as Record<string, unknown>;
      return { status: 200, headers: { etag: `"${doc.rev}"` }, body: JSON.stringify(doc.body) };
    }
    return { status: 405 };
  });
});
afterAll(async () => {
  await h.close();
  await server.close();
});

describe('the history contract', () => {
  it("reads a revision only of the resource it is asked for: another resource's journal id is refused", async () => {
    const refOf = await connectScripted(h, server);
    docs.set('a', { rev: 1, body: { id: 'a', n: 1 } });
    docs.set('we/ird id?#%', { rev: 1, body: { id: 'x', n: 1 } });
    const a = await h.open(refOf('a'));
    const weird = refOf('we/ird id?#%');
    const w = await h.open(weird);
    // The id is one path segment, escaped, and its history is its own.
    expect(server.requests.at(-1)?.path).toBe('/things/we%2Fird%20id%3F%23%25');
    const history = await h.api.history({ ref: weird });
    expect(history.kind === 'ok' && history.entries.map((e) => e.journalId)).toEqual([w.journalId]);
    expect(await h.api.revision({ ref: weird, journalId: a.journalId })).toMatchObject({
      kind: 'error',
      reason: 'not-found',
    });
    // A restore is a save of that text on the latest revision: on another resource's row, refused.
    const before = server.requests.length;
    expect(
      await h.api.saveResource({ ref: weird, text: '{"n":5}', baseJournalId: a.journalId }),
    ).toMatchObject({ kind: 'error', reason: 'invalid-input' });
    expect(server.requests.length).toBe(before);
  });

  it('of a connection that does not exist (removed) is refused, as reading its revisions is', async () => {
    const refOf = await connectScripted(h, server);
    docs.set('b', { rev: 1, body: { id: 'b', n: 1 } });
    const ref = refOf('b');
    const seen = await h.open(ref);
    expect(await h.api.removeConnection({ id: ref.connectionId })).toEqual({ kind: 'ok' });
    // Listing revisions none of which can be read (or restored) would be a history of nothing.
    expect(await h.api.history({ ref })).toMatchObject({
      kind: 'error',
      reason: 'unknown-connection',
    });
    expect(await h.api.revision({ ref, journalId: seen.journalId })).toMatchObject({
      kind: 'error',
      reason: 'unknown-connection',
    });
    expect(await h.api.history({ ref: { connectionId: 'no-such', id: 'b' } })).toMatchObject({
      kind: 'error',
      reason: 'unknown-connection',
    });
  });

  it('a restore saved on the latest revision the operator saw, after the server moved, is a conflict, not a write', async () => {
    const refOf = await connectScripted(h, server);
    docs.set('c', { rev: 1, body: { id: 'c', n: 1 } });
    const ref = refOf('c');
    const r1 = await h.open(ref);
    docs.set('c', { rev: 2, body: { id: 'c', n: 2 } });
    const r2 = (await h.api.refreshResource({ ref })) as { snapshot: { journalId: number } };
    // The history is listed (latest: revision 2); then a colleague makes revision 3.
    docs.set('c', { rev: 3, body: { id: 'c', n: 2, owner: 'bob' } });
    const old = await h.api.revision({ ref, journalId: r1.journalId });
    if (old.kind !== 'ok') throw new Error(old.message);
    const result = await h.api.saveResource({
      ref,
      text: old.snapshot.text,
      baseJournalId: r2.snapshot.journalId,
      full: true,
    });
    expect(result.kind).toBe('conflict');
    // Nothing was written over bob's owner.
    expect(docs.get('c')).toEqual({ rev: 3, body: { id: 'c', n: 2, owner: 'bob' } });
    expect(server.requests.at(-2)).toMatchObject({ method: 'PUT', headers: { 'if-match': '"2"' } });
  });
});
