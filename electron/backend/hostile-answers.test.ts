// Answers a real server may give that the sandbox does not: a 412/409 that is not about staleness,
// a 2xx whose body is not the resource, a revision named differently by the write's answer and by
// a read. Each is scripted on a real loopback server; the outcome, the audit and the journal must
// say what happened and nothing more.
import { describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ConnectionInput, ResourceRef, SaveResult } from '../../shared/api/types';
import { connectScripted, edited, expectKind, harnessPerFile } from '../test-support/desk-harness';
import {
  startScriptedServer,
  type ScriptedAnswer,
  type ScriptedRequest,
  type ScriptedServer,
} from '../test-support/scripted-server';

const h = harnessPerFile({ desk: { writeTimeoutMs: 300, staleReadPauseMs: 50 } });

const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;

const DOC = '{"id":"a","name":"old","n":1}';

/** Opens `id` on a scripted server, saves `change`, and answers the result with the server's requests. */
/**
 * saveOn for the usual script: reads hold DOC at revision "1", the write gets `write`'s answer,
 * and the edit sets `name` to "mine".
 */
function saveAnsweredBy(write: (req: ScriptedRequest) => ScriptedAnswer) {
  return saveOn(
    (req) =>
      req.method === 'GET' ? { status: 200, headers: { etag: '"1"' }, body: DOC } : write(req),
    (d) => (d['name'] = 'mine'),
  );
}

/**
 * saveOn against a server that stores each write whole (DOC at revision "1", then the write at
 * "2") and answers it with `answer`; the edit sets `name` to "mine".
 */
function saveOnStoring(answer: () => ScriptedAnswer) {
  let doc = DOC;
  return saveOn(
    (req) => {
      if (req.method === 'GET')
        return { status: 200, headers: { etag: doc === DOC ? '"1"' : '"2"' }, body: doc };
      doc = req.body;
      return answer();
    },
    (d) => (d['name'] = 'mine'),
  );
}

async function saveOn(
  handler: (req: ScriptedRequest) => ScriptedAnswer,
  change: (d: Record<string, unknown>) => void,
  options: { input?: Partial<ConnectionInput>; id?: string } = {},
): Promise<{ result: SaveResult; ref: ResourceRef; upstream: ScriptedServer }> {
  const upstream = await startScriptedServer(handler);
  const ref = (await connectScripted(h, upstream, options.input))(options.id ?? 'a');
  const base = await h.open(ref);
  const result = await h.api.saveResource({
    ref,
    text: edited(base, change),
    baseJournalId: base.journalId,
  });
  return { result, ref, upstream };
}

const journal = async (ref: ResourceRef) => {
  const history = await h.api.history({ ref });
  return history.kind === 'ok' ? history.entries : [];
};
const lastAudit = async (ref: ResourceRef) => (await h.api.auditLog({ ref })).entries.at(-1)!;

describe('a refusal that is not about staleness is not a conflict', () => {
  it('a 412 while the server still holds the revision the edit is based on: refused, naming why, not a merge with nothing in it', async () => {
    // A strict server that never matches the tag it hands out (a weak ETag compared strongly).
    const { result, ref, upstream } = await saveOn(
      (req) =>
        req.method === 'GET'
          ? { status: 200, headers: { etag: 'W/"1"' }, body: DOC }
          : { status: 412, body: '{"title":"Precondition Failed"}' },
      (d) => (d['name'] = 'mine'),
    );
    const refused = expectKind(result, 'error');
    expect(refused).toMatchObject({ reason: 'rejected', status: 412 });
    expect(refused.message).toMatch(/still holds revision W\/"1"/);
    expect(refused.message).toMatch(/Nothing was written; your edit is kept/);
    expect(refused.message).toMatch(/weak/);
    expect(await lastAudit(ref)).toMatchObject({
      state: 'settled',
      outcome: expect.stringMatching(/^refused \(412\)/),
    });
    await upstream.close();
  });

  it('a 409 from a body-version API whose version did not move: refused with the server\u2019s words', async () => {
    const { result, ref, upstream } = await saveOn(
      (req) =>
        req.method === 'GET'
          ? { status: 200, body: '{"id":"u1","name":"old","version":3}' }
          : {
              status: 409,
              body: '{"message":"The email address is already in use.","code":"general.conflict","status":409}',
            },
      (d) => (d['name'] = 'mine'),
      { input: { profileId: 'body-version', params: {} }, id: 'u1' },
    );
    const refused = expectKind(result, 'error');
    expect(refused).toMatchObject({ reason: 'rejected', status: 409 });
    expect(refused.message).toMatch(/still holds revision 3/);
    expect(refused.message).toContain('The email address is already in use.');
    expect(refused.bodyExcerpt).toContain('already in use');
    expect(await lastAudit(ref)).toMatchObject({
      outcome: expect.stringMatching(/^refused \(409\)/),
    });
    await upstream.close();
  });

  it('a 409 to a write sent without a precondition: refused in the server\u2019s words, no word of a stale or unmatched revision', async () => {
    const requests: ScriptedRequest[] = [];
    const upstream = await startScriptedServer((req) => {
      requests.push(req);
      return req.method === 'GET'
        ? { status: 200, headers: { etag: '"1"' }, body: DOC }
        : { status: 409, body: '{"message":"name is reserved"}' };
    });
    const ref = (await connectScripted(h, upstream))('a');
    const base = await h.open(ref);
    const result = await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['name'] = 'mine')),
      baseJournalId: base.journalId,
      unconditional: true,
    });
    const refused = expectKind(result, 'error');
    expect(refused).toMatchObject({ reason: 'rejected', status: 409 });
    expect(requests.find((r) => r.method !== 'GET')?.headers['if-match']).toBeUndefined();
    expect(refused.message).toMatch(/without a precondition/);
    expect(refused.message).toContain('name is reserved');
    expect(refused.message).not.toMatch(/stale|ETag/);
    await upstream.close();
  });

  it('a 412 whose first read back comes from a copy a moment old: read again, a conflict, not "nobody changed it"', async () => {
    // A colleague's write landed just before ours; the first read after the refusal is served
    // from a cache still holding the revision we opened (lighttpd's stat cache, a proxy).
    let gets = 0;
    const { result, upstream } = await saveOn(
      (req) => {
        if (req.method !== 'GET') return { status: 412, body: '{"title":"Precondition Failed"}' };
        gets++;
        return gets <= 2
          ? { status: 200, headers: { etag: '"1"' }, body: DOC }
          : { status: 200, headers: { etag: '"2"' }, body: '{"id":"a","name":"theirs","n":1}' };
      },
      (d) => (d['n'] = 2),
    );
    expect(result.kind).toBe('conflict');
    expect(gets).toBe(3);
    await upstream.close();
  });

  it('a 412 after which the server holds another revision is still a conflict', async () => {
    let etag = '"1"';
    const { result, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET')
          return {
            status: 200,
            headers: { etag },
            body: etag === '"1"' ? DOC : '{"id":"a","name":"old","n":2}',
          };
        etag = '"2"';
        return { status: 412 };
      },
      (d) => (d['name'] = 'mine'),
    );
    expect(expectKind(result, 'conflict').theirs.revision).toBe('"2"');
    await upstream.close();
  });
});

describe('a 2xx answer is proof of what it carries, not of what it lacks', () => {
  it('a 200 whose body is an acknowledgement, not the resource: the re-read decides (saved), and the acknowledgement is never journalled as the resource', async () => {
    let doc = DOC;
    const { result, ref, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET')
          return { status: 200, headers: { etag: doc === DOC ? '"1"' : '"2"' }, body: doc };
        doc = req.body;
        return { status: 200, headers: { etag: '"2"' }, body: '{"ok":true}' };
      },
      (d) => (d['name'] = 'mine'),
    );
    expect(expectKind(result, 'saved')).toMatchObject({
      savedRevision: '"2"',
      proof: 'answer-revision-and-re-read',
      movedSince: null,
    });
    expect(upstream.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
    expect(await lastAudit(ref)).toMatchObject({ outcome: 'saved', toRevision: '"2"' });
    for (const entry of await journal(ref)) {
      const shown = await h.api.revision({ ref, journalId: entry.journalId });
      expect(shown.kind === 'ok' && shown.snapshot.text).not.toContain('"ok"');
    }
    await upstream.close();
  });

  it('a 200 whose body is not JSON (an HTML page) with an ETag: the re-read of that revision proves the save', async () => {
    const { result, upstream } = await saveOnStoring((): ScriptedAnswer => ({
      status: 200,
      headers: { etag: '"2"', 'content-type': 'text/html' },
      body: '<html><body>OK</body></html>',
    }));
    expect(expectKind(result, 'saved')).toMatchObject({
      savedRevision: '"2"',
      proof: 'answer-revision-and-re-read',
    });
    await upstream.close();
  });

  it('a 200 carrying the resource without one change, confirmed by a re-read: partly applied, naming it', async () => {
    let doc = DOC;
    const { result, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET')
          return { status: 200, headers: { etag: doc === DOC ? '"1"' : '"2"' }, body: doc };
        // The server keeps its own name but takes the rest.
        doc = req.body.replace('"name":"mine"', '"name":"old"');
        return { status: 200, headers: { etag: '"2"' }, body: doc };
      },
      (d) => {
        d['name'] = 'mine';
        d['n'] = 5;
      },
    );
    const partly = expectKind(result, 'partly-applied');
    expect(partly.missing).toEqual([{ path: '/name', wanted: '"mine"', found: '"old"' }]);
    await upstream.close();
  });
});

describe('movedSince names what the other writer changed', () => {
  it('a colleague changing the very field the operator saved, between our 204 and the re-read: named, not "no field you see"', async () => {
    let etag = 1;
    let doc = DOC;
    const { result, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET') return { status: 200, headers: { etag: `"${etag}"` }, body: doc };
        etag = 3;
        doc = req.body.replace('"name":"mine"', '"name":"theirs"');
        return { status: 204, headers: { etag: '"2"' } };
      },
      (d) => (d['name'] = 'mine'),
    );
    expect(expectKind(result, 'saved').movedSince).toEqual({
      savedRevision: '"2"',
      revision: '"3"',
      changedPaths: ['/name'],
    });
    await upstream.close();
  });

  it('a read naming the revision differently from the write\u2019s answer ("2" vs "2-gzip"), same content: no other writer is claimed', async () => {
    let doc = DOC;
    const { result, ref, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET')
          return {
            status: 200,
            headers: { etag: doc === DOC ? '"1-gzip"' : '"2-gzip"' },
            body: doc,
          };
        doc = req.body;
        return { status: 204, headers: { etag: '"2"' } };
      },
      (d) => (d['name'] = 'mine'),
    );
    const saved = expectKind(result, 'saved');
    expect(saved.movedSince).toEqual({
      savedRevision: '"2"',
      revision: '"2-gzip"',
      changedPaths: [],
    });
    expect((await lastAudit(ref)).outcome).not.toMatch(/another writer/);
    await upstream.close();
  });
});

describe('a write the server accepted but that cannot be read back', () => {
  it('a 204 followed by reads that fail: an unverified outcome kept pending (not an error that reads as "nothing written"), checked once the server answers', async () => {
    let doc = DOC;
    let readsFail = false;
    const { result, ref, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET')
          return readsFail
            ? { status: 503, body: 'down' }
            : { status: 200, headers: { etag: doc === DOC ? '"1"' : '"2"' }, body: doc };
        doc = req.body;
        readsFail = true;
        return { status: 204, headers: { etag: '"2"' } };
      },
      (d) => (d['name'] = 'mine'),
    );
    const unknown = expectKind(result, 'unknown-outcome');
    expect(unknown).toMatchObject({
      cause: 'unverified',
      serverHolds: 'unreadable',
      serverNow: null,
      status: 204,
      changedPaths: ['/name'],
    });
    expect(unknown.message).toMatch(/accepted/);
    expect(unknown.message).not.toMatch(/may or may not have been applied/);
    expect(await lastAudit(ref)).toMatchObject({ state: 'pending' });
    const pending = (await h.api.pendingOutcomes({})).pending.find(
      (p) => p.auditId === unknown.auditId,
    );
    expect(pending).toMatchObject({ cause: 'unverified', serverHolds: 'unreadable' });
    // The server answers again: checking finds the edit there.
    readsFail = false;
    expect(await h.api.checkOutcome({ auditId: unknown.auditId })).toMatchObject({
      kind: 'ok',
      pending: { serverHolds: 'your-edit', serverRevision: '"2"' },
    });
    await upstream.close();
  });
});

describe('428 to a write that carried its precondition', () => {
  it('says the precondition was sent (a proxy may strip it), instead of asking for one', async () => {
    const { result, upstream } = await saveOn(
      (req) =>
        req.method === 'GET'
          ? { status: 200, headers: { etag: '"1"' }, body: DOC }
          : { status: 428, body: '{"message":"If-Match required"}' },
      (d) => (d['name'] = 'mine'),
    );
    expect(upstream.requests.find((r) => r.method === 'PUT')!.headers['if-match']).toBe('"1"');
    const refused = expectKind(result, 'error');
    expect(refused).toMatchObject({ reason: 'precondition-required', status: 428 });
    expect(refused.message).toContain('although this write carried one (If-Match: "1")');
    expect(refused.message).toContain('If-Match required');
    await upstream.close();
  });
});

describe('429 with Retry-After as an HTTP date', () => {
  it('is read as a wait in seconds (what a batch honours), not echoed as "wait <date> s"', async () => {
    const { result, upstream } = await saveAnsweredBy((): ScriptedAnswer => ({
      status: 429,
      headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() },
    }));
    const refused = expectKind(result, 'error');
    expect(refused.message).toMatch(/asks to wait (29|30) s\b/);
    expect(refused.message).not.toMatch(/GMT/);
    expect(refused.retryAfterMs).toBeGreaterThan(28_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(30_000);
    await upstream.close();
  });
});

describe('a 2xx answer that echoes the request is not the resource', () => {
  it('a body-version PATCH answered with the fields it sent (old version included): saved as the re-read, the whole document', async () => {
    let user = '{"id":"u1","name":"old","title":"agent","version":3}';
    const { result, ref, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET') return { status: 200, body: user };
        user = '{"id":"u1","name":"mine","title":"agent","version":4}';
        return { status: 200, body: req.body };
      },
      (d) => (d['name'] = 'mine'),
      { input: { profileId: 'body-version', params: {} }, id: 'u1' },
    );
    const saved = expectKind(result, 'saved');
    expect(saved.snapshot.revision).toBe('4');
    expect(JSON.parse(saved.snapshot.text)).toEqual({ name: 'mine', title: 'agent' });
    expect(upstream.requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET']);
    for (const entry of await journal(ref)) expect(entry.revision).not.toBe(null);
    expect((await journal(ref)).map((e) => e.revision)).toEqual(['3', '4']);
    await upstream.close();
  });

  it('a PUT answered with only the changed fields and a new ETag: the re-read, not the fragment, becomes the base', async () => {
    let doc = DOC;
    const { result, upstream } = await saveOn(
      (req) => {
        if (req.method === 'GET')
          return { status: 200, headers: { etag: doc === DOC ? '"1"' : '"2"' }, body: doc };
        doc = req.body;
        return { status: 200, headers: { etag: '"2"' }, body: '{"name":"mine"}' };
      },
      (d) => (d['name'] = 'mine'),
    );
    const saved = expectKind(result, 'saved');
    expect(saved).toMatchObject({ savedRevision: '"2"', proof: 'answer-revision-and-re-read' });
    expect(JSON.parse(saved.snapshot.text)).toEqual({ name: 'mine', n: 1 });
    await upstream.close();
  });
});

describe('a redirect answering a write says neither "saved" nor "refused"', () => {
  it('a 303 after the server applied the write: an unknown outcome whose re-read finds your edit, never a refusal', async () => {
    let doc = DOC;
    const { result, ref, upstream } = await saveOn(
      (req): ScriptedAnswer => {
        if (req.method === 'GET')
          return { status: 200, headers: { etag: doc === DOC ? '"1"' : '"2"' }, body: doc };
        doc = req.body;
        return { status: 303, headers: { location: '/a' } };
      },
      (d) => (d['name'] = 'mine'),
    );
    const unknown = expectKind(result, 'unknown-outcome');
    expect(unknown).toMatchObject({ cause: 'redirected', status: 303, serverHolds: 'your-edit' });
    expect(unknown.message).toMatch(/redirect \(303 to \/a\)/);
    expect(unknown.message).not.toMatch(/Nothing was written/);
    // Not followed, not resent: one write.
    expect(upstream.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    expect(await lastAudit(ref)).toMatchObject({ state: 'pending' });
    await upstream.close();
  });

  it('a 307 the server did not act on: an unknown outcome whose re-read finds the base, nothing resent', async () => {
    const { result, upstream } = await saveAnsweredBy((): ScriptedAnswer => ({
      status: 307,
      headers: { location: '/elsewhere/a' },
    }));
    expect(expectKind(result, 'unknown-outcome')).toMatchObject({
      cause: 'redirected',
      status: 307,
      serverHolds: 'base',
    });
    expect(upstream.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    expect(upstream.requests.some((r) => r.path.startsWith('/elsewhere'))).toBe(false);
    await upstream.close();
  });

  it('a Location that echoes the credential (the request written back) is masked in the outcome and the pending list', async () => {
    const token = 'tok-SECRET-5150';
    const { result, upstream } = await saveOn(
      (req): ScriptedAnswer =>
        req.method === 'GET'
          ? { status: 200, headers: { etag: '"1"' }, body: DOC }
          : {
              status: 303,
              headers: { location: `/a?auth=${encodeURIComponent(req.headers['authorization']!)}` },
            },
      (d) => (d['name'] = 'mine'),
      { input: { auth: { kind: 'bearer', token } } },
    );
    const unknown = expectKind(result, 'unknown-outcome');
    expect(unknown.message).toMatch(/redirect \(303 to \/a\?auth=/);
    expect(JSON.stringify(result)).not.toContain('SECRET');
    expect(JSON.stringify(await h.api.pendingOutcomes({}))).not.toContain('SECRET');
    expect(JSON.stringify(await h.api.checkOutcome({ auditId: unknown.auditId }))).not.toContain(
      'SECRET',
    );
    await upstream.close();
  });
});

describe('an ETag whose format changes (quoted or not) names the same revision', () => {
  it('a lost answer, then the server quotes its ETags: "0" is still the revision the edit started from (unknown, not a conflict claiming someone moved it)', async () => {
    const ref = await h.ref('TaskRouter', SANDBOX_IDS.taskSid);
    const base = await h.open(ref);
    expect(base.revision).toBe('0');
    await h.admin('PATCH', '/switches', { twilio: { quotedEtags: true } });
    await h.admin('POST', '/faults', {
      kind: 'close-before',
      method: 'POST',
      pathPrefix: TASK_PATH,
    });
    const result = await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['priority'] = 42)),
      baseJournalId: base.journalId,
    });
    const unknown = expectKind(result, 'unknown-outcome');
    expect(unknown.serverHolds).toBe('base');
    expect(unknown.serverNow?.revision).toBe('"0"');
  });

  it('a 2xx naming the base revision in another spelling is no new revision: nothing applied, none claimed', async () => {
    // Reads say "1"; the write is accepted with ETag 1 (unquoted: the same entity-tag), unapplied.
    const { result, ref, upstream } = await saveAnsweredBy((): ScriptedAnswer => ({
      status: 200,
      headers: { etag: '1' },
    }));
    const partly = expectKind(result, 'partly-applied');
    expect(partly.message).toMatch(/still holds the revision it was based on/);
    expect(partly.savedRevision).toBe(null);
    expect(await lastAudit(ref)).toMatchObject({ toRevision: '"1"' });
    await upstream.close();
  });

  it('a 2xx naming the base revision as a weak tag (a proxy weakens ETags) is no new revision either: not "saved"', async () => {
    // Reads say "1"; the write is accepted with W/"1" (the same opaque tag, weakened), unapplied.
    const { result, upstream } = await saveAnsweredBy((): ScriptedAnswer => ({
      status: 200,
      headers: { etag: 'W/"1"' },
    }));
    const partly = expectKind(result, 'partly-applied');
    expect(partly.message).toMatch(/still holds the revision it was based on/);
    expect(partly.savedRevision).toBe(null);
    await upstream.close();
  });
});

describe('a write answer naming a revision the server does not hold afterwards', () => {
  it('a 2xx whose ETag goes backwards ("4" for a base of "5") while the re-read still holds the base: not "saved", the draft kept', async () => {
    // Reads say "5"; the write is accepted with ETag "4", an older revision, and nothing applied.
    const upstream = await startScriptedServer((req): ScriptedAnswer =>
      req.method === 'GET'
        ? { status: 200, headers: { etag: '"5"' }, body: DOC }
        : { status: 204, headers: { etag: '"4"' } },
    );
    const ref = (await connectScripted(h, upstream))('a');
    const base = await h.open(ref);
    const text = edited(base, (d) => (d['name'] = 'mine'));
    await h.api.saveDraft({
      ref,
      text,
      baseRevision: base.revision,
      baseJournalId: base.journalId,
    });
    const result = await h.api.saveResource({ ref, text, baseJournalId: base.journalId });
    expect(result.kind).not.toBe('saved');
    const partly = expectKind(result, 'partly-applied');
    expect(partly.message).toMatch(/still holds the revision it was based on/);
    expect(partly.missing.map((m) => m.path)).toEqual(['/name']);
    expect((await h.api.listDrafts({ connectionId: ref.connectionId })).drafts).toHaveLength(1);
    expect((await lastAudit(ref)).outcome).not.toMatch(/^saved/);
    await upstream.close();
  });
});

describe('a server that keeps its revision on a write it applied', () => {
  it('is judged by what it holds: the edit read back at the same revision is saved', async () => {
    // The write is stored, but the server's ETag does not move (it names no revision per write).
    let body = DOC;
    const upstream = await startScriptedServer((req): ScriptedAnswer => {
      if (req.method === 'GET') return { status: 200, headers: { etag: '"5"' }, body };
      body = req.body;
      return { status: 204, headers: { etag: '"5"' } };
    });
    const ref = (await connectScripted(h, upstream))('a');
    const base = await h.open(ref);
    const text = edited(base, (d) => (d['name'] = 'mine'));
    const result = await h.api.saveResource({ ref, text, baseJournalId: base.journalId });
    expect(result.kind).toBe('saved');
    expect((await lastAudit(ref)).outcome).toMatch(/^saved/);
    await upstream.close();
  });
});

describe('a pending outcome of a write that had no revision to be conditional on', () => {
  it('an unconditional save whose answer was lost, never applied: checking again still says the server holds the base, not "someone else changed it"', async () => {
    // No ETag anywhere: the resource is unguarded, saved deliberately without a precondition.
    const upstream = await startScriptedServer((req): ScriptedAnswer =>
      req.method === 'GET' ? { status: 200, body: DOC } : 'destroy',
    );
    const ref = (await connectScripted(h, upstream))('a');
    const base = await h.open(ref);
    expect(base.guarded).toBe(false);
    const result = await h.api.saveResource({
      ref,
      text: edited(base, (d) => (d['name'] = 'mine')),
      baseJournalId: base.journalId,
      unconditional: true,
    });
    const unknown = expectKind(result, 'unknown-outcome');
    expect(unknown.serverHolds).toBe('base');
    const checked = await h.api.checkOutcome({ auditId: unknown.auditId });
    expect(checked).toMatchObject({ kind: 'ok', pending: { serverHolds: 'base' } });
    await upstream.close();
  });
});

describe('a 2xx carrying another resource', () => {
  it('an answer holding exactly the edit but naming another id ("b" for "a"), unapplied here: not "saved" from the answer, the re-read decides', async () => {
    // The write went elsewhere (or the answer is another document's): "a" still holds the base.
    const { result, ref, upstream } = await saveOn(
      (req): ScriptedAnswer =>
        req.method === 'GET'
          ? { status: 200, headers: { etag: '"1"' }, body: DOC }
          : {
              status: 200,
              headers: { etag: '"2"' },
              body: req.body.replace('"id":"a"', '"id":"b"'),
            },
      (d) => (d['name'] = 'mine'),
    );
    expect(result.kind).not.toBe('saved');
    expect(upstream.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
    expect((await journal(ref)).map((e) => e.revision)).toEqual(['"1"']);
    await upstream.close();
  });

  for (const [status, name] of [
    [201, 'location'],
    [200, 'content-location'],
  ] as const)
    it(`a ${status} whose ${name} names another resource ("b"), with the edit and a new ETag, "a" unapplied: that answer is b's, the re-read decides`, async () => {
      // RFC 9110: a 201's Location is the resource the write created; a Content-Location other
      // than the target says the answer represents that resource, not the one written.
      const { result, ref, upstream } = await saveAnsweredBy((req): ScriptedAnswer => ({
        status,
        headers: { etag: '"2"', [name]: '/things/b' },
        body: req.body,
      }));
      expect(result.kind).not.toBe('saved');
      expect(upstream.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
      expect((await journal(ref)).map((e) => e.revision)).toEqual(['"1"']);
      expect(await lastAudit(ref)).toMatchObject({ toRevision: '"1"' });
      await upstream.close();
    });

  it('a 201 whose Location is the resource written (spelled in full) is still taken at its word', async () => {
    const { result, upstream } = await saveAnsweredBy((req): ScriptedAnswer => ({
      status: 201,
      headers: { etag: '"2"', location: `http://${req.headers['host']}/things/a` },
      body: req.body,
    }));
    expect(expectKind(result, 'saved')).toMatchObject({ proof: 'answer-body' });
    await upstream.close();
  });
});

describe('a server that normalises what it stores', () => {
  it('an object edited inside, stored by the server as a JSON string holding it: partly applied, not "saved"', async () => {
    // The server keeps `meta` as a string of JSON: {"b":1} comes back as "{\"b\":1}".
    let etag = 1;
    let doc = '{"id":"a","meta":{"b":0}}';
    const { result, upstream } = await saveOn(
      (req): ScriptedAnswer => {
        if (req.method === 'GET') return { status: 200, headers: { etag: `"${etag}"` }, body: doc };
        const sent = JSON.parse(req.body) as Record<string, unknown>;
        doc = JSON.stringify({ ...sent, meta: JSON.stringify(sent['meta']) });
        etag = 2;
        return { status: 204, headers: { etag: '"2"' } };
      },
      (d) => ((d['meta'] as Record<string, unknown>)['b'] = 1),
    );
    expect(JSON.parse(doc)).toEqual({ id: 'a', meta: '{"b":1}' });
    const partly = expectKind(result, 'partly-applied');
    expect(partly.missing).toEqual([{ path: '/meta/b', wanted: '1', found: null }]);
    await upstream.close();
  });
});

describe('a write answer whose ETag is no entity-tag', () => {
  it('a 204 with ETag "*" (it names no revision), unapplied, and a colleague writing before the re-read: not "saved" on that tag', async () => {
    let etag = 1;
    let doc = DOC;
    const { result, upstream } = await saveOn(
      (req): ScriptedAnswer => {
        if (req.method === 'GET') return { status: 200, headers: { etag: `"${etag}"` }, body: doc };
        // Not applied; a colleague's write lands right after.
        etag = 3;
        doc = DOC.replace('"n":1', '"n":99');
        return { status: 204, headers: { etag: '*' } };
      },
      (d) => (d['name'] = 'mine'),
    );
    expect(result.kind).not.toBe('saved');
    expect(expectKind(result, 'partly-applied').missing.map((m) => m.path)).toEqual(['/name']);
    await upstream.close();
  });
});

describe('a redirect whose Location is not a URL', () => {
  // `new URL('http://[::1', base)` throws: the read must end in an error value, not an exception
  // (which the hosts can only answer as an internal bug).
  it('a read answers a clear error, and nothing is followed', async () => {
    const upstream = await startScriptedServer(() => ({
      status: 302,
      headers: { location: 'http://[::1' },
    }));
    const ref = (await connectScripted(h, upstream))('a');
    const opened = await h.api.openResource({ ref });
    expect(opened).toMatchObject({ kind: 'error' });
    expect((opened as { message: string }).message).toMatch(/redirect/i);
    const got = await h.api.getResource({ url: `${upstream.url}/things/a` });
    expect(got).toMatchObject({ kind: 'error', message: expect.stringMatching(/redirect/i) });
    expect(upstream.requests).toHaveLength(2);
    await upstream.close();
  });
});

describe('a listing that never ends is not "everything matching"', () => {
  const TASKS = '/v1/Workspaces/WS1/Tasks';
  const twilio = { profileId: 'twilio-taskrouter-task', params: { workspaceSid: 'WS1' } };

  it('a next-page link back to a page already read: an error naming the loop, counted and batched over nothing', async () => {
    const upstream = await startScriptedServer(() => ({
      status: 200,
      body: JSON.stringify({
        tasks: [{ sid: `T${upstream.requests.length}` }],
        meta: { next_page_url: `${TASKS}?PageSize=200&Page=${upstream.requests.length % 2}` },
      }),
    }));
    const ref = (await connectScripted(h, upstream, twilio))('x');
    const counted = await h.api.countMatching({ connectionId: ref.connectionId });
    expect(counted).toMatchObject({ kind: 'error', message: expect.stringMatching(/loop/) });
    const batch = await h.api.startBatch({
      connectionId: ref.connectionId,
      matching: {},
      intents: [{ kind: 'set', path: '/priority', value: 1 }],
    });
    expect(batch).toMatchObject({ kind: 'error', message: expect.stringMatching(/loop/) });
    expect(upstream.requests.length).toBeLessThan(10);
    expect(upstream.requests.every((r) => r.method === 'GET')).toBe(true);
    await upstream.close();
  });

  it('pages that go on past the app\u2019s bound: an error, not the ids read so far as all of them', async () => {
    // Five rows a page, however many were asked for, and always a next page.
    const upstream = await startScriptedServer((req) => {
      const page = Number(new URL(req.path, 'http://x').searchParams.get('Page') ?? 0);
      return {
        status: 200,
        body: JSON.stringify({
          tasks: [1, 2, 3, 4, 5].map((n) => ({ sid: `T${page}-${n}` })),
          meta: { next_page_url: `${TASKS}?PageSize=200&Page=${page + 1}` },
        }),
      };
    });
    const ref = (await connectScripted(h, upstream, twilio))('x');
    const counted = await h.api.countMatching({ connectionId: ref.connectionId });
    expect(counted).toMatchObject({ kind: 'error', message: expect.stringMatching(/did not end/) });
    await upstream.close();
  });

  it('one page of 300,000 rows, however few were asked for: more than the bound, not an exception', async () => {
    const body = JSON.stringify({
      tasks: Array.from({ length: 300_000 }, (_, n) => ({ sid: `T${n}` })),
      meta: { next_page_url: null },
    });
    const upstream = await startScriptedServer(() => ({ status: 200, body }));
    const ref = (await connectScripted(h, upstream, twilio))('x');
    const counted = await h.api.countMatching({ connectionId: ref.connectionId });
    expect(counted).toMatchObject({ kind: 'ok', count: 10_000, truncated: true });
    await upstream.close();
  });
});

describe('a 202 (accepted for processing, not done)', () => {
  it('with the re-read still at the base: an unknown outcome kept pending, not "not applied"', async () => {
    const { result, ref, upstream } = await saveAnsweredBy((): ScriptedAnswer => ({
      status: 202,
      body: '{"status":"queued"}',
    }));
    const unknown = expectKind(result, 'unknown-outcome');
    expect(unknown).toMatchObject({ cause: 'accepted', status: 202, serverHolds: 'base' });
    expect(unknown.message).toMatch(/202/);
    expect(unknown.message).not.toMatch(/Not applied/);
    expect(await lastAudit(ref)).toMatchObject({ state: 'pending' });
    expect(upstream.requests.filter((r) => r.method !== 'GET')).toHaveLength(1);
    await upstream.close();
  });

  it('with the edit already there on the re-read: saved', async () => {
    const { result, upstream } = await saveOnStoring((): ScriptedAnswer => ({ status: 202 }));
    expectKind(result, 'saved');
    await upstream.close();
  });
});

describe('a 206 answering a read of the whole resource', () => {
  it('is not opened as the resource, even when the part parses (a proxy answering with a range)', async () => {
    // The first three bytes of `1234567890`: valid JSON, and not what the server holds.
    const upstream = await startScriptedServer(() => ({
      status: 206,
      headers: { etag: '"1"', 'content-range': 'bytes 0-2/10' },
      body: '123',
    }));
    const ref = (await connectScripted(h, upstream))('a');
    const opened = await h.api.openResource({ ref });
    if (opened.kind !== 'error')
      throw new Error(`opened as ${JSON.stringify(opened).slice(0, 300)}`);
    expect(opened.message).toContain('206 Partial Content (bytes 0-2/10)');
    expect(opened.message).toContain('not opened');
    expect(await journal(ref)).toEqual([]);
    await upstream.close();
  });
});
