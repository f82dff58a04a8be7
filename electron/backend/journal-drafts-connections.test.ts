// The local store through the contract: the journal, drafts across a restart, connections with
// encrypted secrets, watch events. Real sandbox, real node:sqlite file.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ResourceRef, Snapshot } from '../../shared/api/types';
import { expectFullConflict, startHarness, type Harness } from '../test-support/desk-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ desk: { watchIntervalMs: 100 } });
});
afterAll(() => h.close());

const DOC_PATH = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/queue-config`;

const open = (ref: ResourceRef): Promise<Snapshot> => h.open(ref);

describe('revision journal', () => {
  it('holds every revision seen, in order, deduplicated, with its source', async () => {
    const ref = await h.ref('Sync documents', 'queue-config');
    const first = await open(ref);
    await open(ref); // the same revision again: no new entry
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { overflow: 'voicemail' } });
    await h.api.refreshResource({ ref });
    const doc = JSON.parse(first.text) as Record<string, unknown>;
    doc['note'] = 'saved by me';
    const before = await h.api.history({ ref });
    const latest = before.kind === 'ok' ? before.entries.at(-1)! : null;
    const saveConflict = expectFullConflict(
      await h.api.saveResource({
        ref,
        text: JSON.stringify(doc),
        baseJournalId: first.journalId,
        full: true,
      }),
    );
    await h.api.saveResource({
      ref,
      text: saveConflict.merged,
      baseJournalId: saveConflict.theirs.journalId,
    });
    const history = await h.api.history({ ref });
    if (history.kind !== 'ok') throw new Error('history failed');
    expect(history.entries.map((e) => [e.revision, e.source])).toEqual([
      ['0', 'opened'],
      ['1', 'refreshed'],
      ['2', 'saved'],
    ]);
    expect(latest?.revision).toBe('1');
    expect(history.entries.map((e) => e.journalId)).toEqual(
      [...history.entries.map((e) => e.journalId)].sort((a, b) => a - b),
    );
    // Any revision can be read back and compared.
    const old = await h.api.revision({ ref, journalId: history.entries[0]!.journalId });
    expect(old.kind === 'ok' && JSON.parse(old.snapshot.text)).toEqual(JSON.parse(first.text));
    expect(await h.api.revision({ ref, journalId: 999999 })).toMatchObject({
      kind: 'error',
      reason: 'not-found',
    });
  });
});

describe('drafts', () => {
  it('survive a restart of the backend, with their base revision', async () => {
    const ref = await h.ref('Sync documents', 'shift-notes');
    const base = await open(ref);
    const text = base.text.replace('{', '{\n  "unsaved": "typed before the crash",');
    expect(
      await h.api.saveDraft({
        ref,
        text,
        baseRevision: base.revision,
        baseJournalId: base.journalId,
      }),
    ).toMatchObject({ kind: 'ok' });
    h = await h.restart();
    expect((await h.api.listDrafts({ connectionId: ref.connectionId })).drafts).toEqual([
      { id: 'shift-notes', updatedAt: expect.any(String), hasMerge: false },
    ]);
    const reopened = await h.api.openResource({ ref });
    expect(reopened).toMatchObject({
      kind: 'ok',
      draft: { text, baseRevision: base.revision, baseJournalId: base.journalId },
    });
    // A save that lands clears the draft holding what it saved...
    const saved = await h.api.saveResource({ ref, text, baseJournalId: base.journalId });
    expect(saved.kind).toBe('saved');
    expect(await h.api.openResource({ ref })).toMatchObject({ kind: 'ok', draft: null });
    // ...but not a newer one, typed while the save was under way.
    if (saved.kind !== 'saved') return;
    const next = saved.snapshot.text.replace('{', '{\n  "second": 1,');
    await h.api.saveDraft({
      ref,
      text: `${next} `,
      baseRevision: saved.snapshot.revision,
      baseJournalId: saved.snapshot.journalId,
      merge: '{"v":1}',
    });
    expect(
      (await h.api.saveResource({ ref, text: next, baseJournalId: saved.snapshot.journalId })).kind,
    ).toBe('saved');
    expect(await h.api.openResource({ ref })).toMatchObject({
      kind: 'ok',
      draft: { text: `${next} `, merge: '{"v":1}' },
    });
  });
});

describe('drafts of one resource from two windows', () => {
  it('a window never writes over or drops a draft another window kept since its own', async () => {
    const ref = await h.ref('Sync documents', 'queue-config');
    const base = await open(ref);
    const draft = (text: string, expected?: string | null) =>
      h.api.saveDraft({
        ref,
        text,
        baseRevision: base.revision,
        baseJournalId: base.journalId,
        ...(expected === undefined ? {} : { expected }),
      });
    const kept = async () => {
      const opened = await h.api.openResource({ ref });
      return opened.kind === 'ok' ? opened.draft?.text : undefined;
    };
    await h.api.discardDraft({ ref });
    // Both windows opened the resource with no draft; A keeps one first.
    const a1 = await draft('{"by":"A"}', null);
    if (a1.kind !== 'ok') throw new Error(a1.message);
    // B, which knew of no draft, would write over A's: refused, naming why.
    const b1 = await draft('{"by":"B"}', null);
    expect(b1).toMatchObject({ kind: 'error', reason: 'draft-conflict' });
    expect(b1.kind === 'error' && b1.message).toMatch(/another window keeps a newer draft/i);
    expect(await kept()).toBe('{"by":"A"}');
    // B going back to the server's text drops only a draft of its own: A's stays.
    expect(await h.api.discardDraft({ ref, expected: null })).toEqual({
      kind: 'ok',
      keptNewer: true,
    });
    expect(await kept()).toBe('{"by":"A"}');
    // A goes on over its own draft, twice within a millisecond: each is a new version.
    const a2 = await draft('{"by":"A","n":2}', a1.updatedAt);
    if (a2.kind !== 'ok') throw new Error(a2.message);
    const a3 = await draft('{"by":"A","n":3}', a2.updatedAt);
    if (a3.kind !== 'ok') throw new Error(a3.message);
    expect(a3.updatedAt > a2.updatedAt && a2.updatedAt > a1.updatedAt).toBe(true);
    // A window that restored A's draft (its version) may go on from it.
    expect((await draft('{"by":"B over A"}', a3.updatedAt)).kind).toBe('ok');
    // A now holds a stale version: refused, and B's text stays.
    expect(await draft('{"by":"A","n":4}', a3.updatedAt)).toMatchObject({
      reason: 'draft-conflict',
    });
    expect(await kept()).toBe('{"by":"B over A"}');
    // Once that draft is gone, a window's stale version writes again (nothing to lose).
    await h.api.discardDraft({ ref });
    expect((await draft('{"by":"A","n":5}', a3.updatedAt)).kind).toBe('ok');
    // A script that names no version writes whatever is there.
    expect((await draft('{"by":"script"}')).kind).toBe('ok');
    expect(await kept()).toBe('{"by":"script"}');
    await h.api.discardDraft({ ref });
  });
});

describe('drafts: one window\u2019s writes that overtake each other', () => {
  it('are its own: never refused as another window\u2019s, while another window still is', async () => {
    const ref = await h.ref('Sync documents', 'queue-config');
    const base = await open(ref);
    const draft = (text: string, expected: string | null, writer?: string) =>
      h.api.saveDraft({
        ref,
        text,
        baseRevision: base.revision,
        baseJournalId: base.journalId,
        expected,
        ...(writer ? { writer } : {}),
      });
    const kept = async () => {
      const opened = await h.api.openResource({ ref });
      return opened.kind === 'ok' ? opened.draft?.text : undefined;
    };
    await h.api.discardDraft({ ref });
    const first = await draft('{"n":1}', null, 'tab-A');
    if (first.kind !== 'ok') throw new Error(first.message);
    // Sent before the first answered (a write on pagehide beside one under way): same writer.
    expect((await draft('{"n":2}', null, 'tab-A')).kind).toBe('ok');
    expect(await kept()).toBe('{"n":2}');
    // Another window naming the first draft is refused: the draft moved on since.
    expect(await draft('{"other":1}', first.updatedAt, 'tab-B')).toMatchObject({
      reason: 'draft-conflict',
    });
    // Nor may a write naming no writer (an older page) go over it.
    expect(await draft('{"old":1}', first.updatedAt)).toMatchObject({ reason: 'draft-conflict' });
    // The writer's own discard naming a stale draft still drops its own draft.
    expect(await h.api.discardDraft({ ref, expected: null, writer: 'tab-A' })).toEqual({
      kind: 'ok',
    });
    expect(await kept()).toBeUndefined();
  });
});

describe('connections', () => {
  it('stores secrets encrypted, never returns them, and keeps them when an edit leaves them out', async () => {
    const token = 'tok-4f1d8a93-never-shown';
    const created = await h.api.saveConnection({
      connection: {
        name: 'Staging API',
        profileId: 'rest-etag',
        baseUrl: 'https://staging.example.com/api',
        params: { collection: 'widgets' },
        auth: { kind: 'bearer', token },
      },
    });
    if (created.kind !== 'ok') throw new Error(created.message);
    expect(created.connection.auth).toEqual({ kind: 'bearer', hasSecret: true });
    expect(JSON.stringify(await h.api.listConnections({}))).not.toContain(token);
    const db = readFileSync(path.join(h.dataDir, 'conflict-desk.sqlite'));
    expect(db.includes(Buffer.from(token))).toBe(false);
    expect(statSync(path.join(h.dataDir, 'secret.key')).mode & 0o777).toBe(0o600);
    // An edit from the form, which leaves the secret out.
    const edit = (name: string) => ({
      connection: {
        id: created.connection.id,
        name,
        profileId: 'rest-etag',
        baseUrl: 'https://staging.example.com/api',
        params: { collection: 'widgets' },
        auth: { kind: 'bearer' as const },
      },
    });
    const renamed = await h.api.saveConnection(edit('Staging'));
    expect(renamed).toMatchObject({
      kind: 'ok',
      connection: { name: 'Staging', auth: { hasSecret: true } },
    });
    expect(await h.api.removeConnection({ id: created.connection.id })).toEqual({ kind: 'ok' });
    expect(await h.api.removeConnection({ id: created.connection.id })).toMatchObject({
      kind: 'error',
      reason: 'unknown-connection',
    });
    // Another window still shows it and saves an edit: it is not brought back (without its
    // secret, under the old id that its journal and audit rows still name).
    const before = await h.api.listConnections({});
    expect(await h.api.saveConnection(edit('Staging again'))).toMatchObject({
      kind: 'error',
      reason: 'unknown-connection',
      message: expect.stringContaining('removed'),
    });
    expect(await h.api.listConnections({})).toEqual(before);
  });

  it('refuses a bad connection with a message naming the problem', async () => {
    const base = { name: 'x', params: {}, auth: { kind: 'none' as const } };
    expect(
      await h.api.saveConnection({
        connection: { ...base, profileId: 'nope', baseUrl: 'https://a.example' },
      }),
    ).toMatchObject({ message: expect.stringContaining('no profile named "nope"') });
    expect(
      await h.api.saveConnection({
        connection: {
          ...base,
          profileId: 'rest-etag',
          baseUrl: 'ftp://a.example',
          params: { collection: 'c' },
        },
      }),
    ).toMatchObject({ message: expect.stringContaining('Base URL') });
    expect(
      await h.api.saveConnection({
        connection: {
          ...base,
          profileId: 'twilio-taskrouter-task',
          baseUrl: 'https://taskrouter.twilio.com',
        },
      }),
    ).toMatchObject({ message: expect.stringContaining('Workspace SID is required') });
    expect(
      await h.api.saveConnection({
        connection: {
          ...base,
          profileId: 'mine',
          baseUrl: 'https://a.example',
          customProfile: { id: 'mine' },
        },
      }),
    ).toMatchObject({ kind: 'error', message: expect.stringContaining('profile.') });
  });

  it('tests a connection against the server', async () => {
    const tasks = await h.connection('TaskRouter');
    expect(await h.api.testConnection({ id: tasks.id })).toMatchObject({
      kind: 'ok',
      message: expect.stringMatching(/^Connected in \d+ ms/),
    });
    const saved = await h.api.saveConnection({
      connection: {
        name: 'Wrong password',
        profileId: tasks.profileId,
        baseUrl: tasks.baseUrl,
        params: tasks.params,
        auth: { kind: 'basic', username: SANDBOX_IDS.accountSid, password: 'wrong' },
      },
    });
    if (saved.kind !== 'ok') throw new Error(saved.message);
    expect(await h.api.testConnection({ id: saved.connection.id })).toMatchObject({
      kind: 'error',
      status: 401,
    });
  });

  it('seeds the sandbox connections on first start, pointing at this session’s sandbox', async () => {
    const connections = await h.api.listConnections({});
    expect(
      connections
        .filter((c) => c.isSandbox)
        .map((c) => c.profileId)
        .sort(),
    ).toEqual(
      [
        'body-version',
        'rest-etag',
        'rest-etag',
        'rest-strict-merge-patch',
        'twilio-sync-document',
        'twilio-sync-list-item',
        'twilio-sync-map-item',
        'twilio-taskrouter-task',
      ].sort(),
    );
    for (const c of connections.filter((c) => c.isSandbox))
      expect(c.baseUrl.startsWith(h.sandbox.url)).toBe(true);
    expect((await h.api.listProfiles({})).map((p) => p.id)).toContain('rest-strict-merge-patch');
  });
});

describe('listing', () => {
  it('pages through tasks with a filter and searches their attributes', async () => {
    const tasks = await h.connection('TaskRouter');
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await h.api.listResources({
        connectionId: tasks.id,
        pageSize: 60,
        ...(token ? { pageToken: token } : {}),
      });
      if (page.kind !== 'ok') throw new Error(page.message);
      seen.push(...page.items.map((i) => i.id));
      token = page.nextPageToken ?? undefined;
    } while (token);
    expect(seen).toHaveLength(200);
    expect(new Set(seen).size).toBe(200);
    const pending = await h.api.listResources({
      connectionId: tasks.id,
      pageSize: 200,
      filters: { status: 'pending' },
    });
    if (pending.kind !== 'ok') throw new Error(pending.message);
    expect(pending.items.length).toBeGreaterThan(0);
    expect(pending.items.every((i) => i.status === 'pending')).toBe(true);
    const first = pending.items[0]!;
    const found = await h.api.listResources({
      connectionId: tasks.id,
      pageSize: 200,
      search: first.title,
    });
    expect(found.kind === 'ok' && found.items.some((i) => i.id === first.id)).toBe(true);
  });

  it('pages a page-number API (Genesys users) to the end', async () => {
    const users = await h.connection('Genesys');
    const first = await h.api.listResources({ connectionId: users.id, pageSize: 5 });
    expect(first).toMatchObject({ kind: 'ok', total: 12 });
    if (first.kind !== 'ok') return;
    const second = await h.api.listResources({
      connectionId: users.id,
      pageToken: first.nextPageToken!,
    });
    const third =
      second.kind === 'ok'
        ? await h.api.listResources({ connectionId: users.id, pageToken: second.nextPageToken! })
        : second;
    expect(third).toMatchObject({ kind: 'ok', nextPageToken: null });
    if (second.kind === 'ok' && third.kind === 'ok')
      expect(first.items.length + second.items.length + third.items.length).toBe(12);
  });
});

describe('journal announcements', () => {
  it('tells the windows of every read and save the journal records, a revision seen again too', async () => {
    const ref = await h.ref('Sync documents', 'queue-config');
    const recorded = () =>
      h.events.filter(
        (e) =>
          e.type === 'journal-recorded' &&
          e.ref.connectionId === ref.connectionId &&
          e.ref.id === ref.id,
      );
    const before = recorded().length;
    const first = await open(ref);
    await open(ref); // the same revision again: its row's "last seen" moves
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { overflow: 'voicemail' } });
    const refreshed = await h.api.refreshResource({ ref });
    if (refreshed.kind !== 'ok') throw new Error(refreshed.message);
    const doc = JSON.parse(refreshed.snapshot.text) as Record<string, unknown>;
    doc['note'] = 'announced';
    const saved = await h.api.saveResource({
      ref,
      text: JSON.stringify(doc),
      baseJournalId: refreshed.snapshot.journalId,
    });
    if (saved.kind !== 'saved') throw new Error(saved.kind);
    const ids = recorded()
      .slice(before)
      .map((e) => (e.type === 'journal-recorded' ? e.journalId : null));
    // The save's row is recorded as it is read back, then marked saved: both are told.
    expect(ids.slice(0, 3)).toEqual([
      first.journalId,
      first.journalId,
      refreshed.snapshot.journalId,
    ]);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids.slice(3))).toEqual(new Set([saved.snapshot.journalId]));
    expect(recorded().at(-1)).toMatchObject({
      type: 'journal-recorded',
      ref,
      journalId: saved.snapshot.journalId,
      seenAgain: false,
    });
    // Only the revision read a second time is "seen again" (a history moves its "last seen"); the
    // new revision and the one that became saved are news (a history reads itself again).
    const told = recorded().slice(before);
    expect(told.slice(1, 3).map((e) => e.type === 'journal-recorded' && e.seenAgain)).toEqual([
      true,
      false,
    ]);
    const [again] = told.slice(1, 2);
    const history = await h.api.history({ ref });
    if (history.kind !== 'ok') throw new Error(history.message);
    const row = history.entries.find((e) => e.journalId === first.journalId);
    expect(again).toMatchObject({ lastSeenAt: row?.lastSeenAt });
  });
});

describe('watch', () => {
  it('emits an event naming the changed fields when the server moves, and stops on unwatch', async () => {
    const ref = await h.ref('Sync documents', 'queue-config');
    await open(ref);
    const watch = await h.api.watch({ ref, intervalMs: 200 });
    if (watch.kind !== 'ok') throw new Error(watch.message);
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { slaSeconds: 45 } });
    await expect
      .poll(
        () => h.events.find((e) => e.type === 'resource-changed' && e.watchId === watch.watchId),
        { timeout: 5000 },
      )
      .toBeTruthy();
    const event = h.events.find(
      (e) => e.type === 'resource-changed' && e.watchId === watch.watchId,
    );
    expect(event).toMatchObject({ ref, changedPaths: ['/slaSeconds'] });
    await h.api.unwatch({ watchId: watch.watchId });
    const count = h.events.filter((e) => e.type === 'resource-changed').length;
    await h.admin('POST', '/edit', { path: DOC_PATH, patch: { slaSeconds: 50 } });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.events.filter((e) => e.type === 'resource-changed').length).toBe(count);
    const history = await h.api.history({ ref });
    expect(history.kind === 'ok' && history.entries.some((e) => e.source === 'watch')).toBe(true);
  });
});

describe('watch sharing', () => {
  it('runs one poller per resource however many watches it has, until the last is gone', async () => {
    const ref = await h.ref('Sync documents', 'agent-settings');
    const path = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`;
    await open(ref);
    const a = await h.api.watch({ ref, intervalMs: 200 });
    const b = await h.api.watch({ ref, intervalMs: 200 });
    if (a.kind !== 'ok' || b.kind !== 'ok') throw new Error('watch failed');
    await h.admin('DELETE', '/requests');
    await new Promise((r) => setTimeout(r, 1100));
    const polls = (
      await h.admin<{ requests: unknown[] }>(
        'GET',
        `/requests?method=GET&pathPrefix=${encodeURIComponent(path)}`,
      )
    ).body.requests.length;
    expect(polls).toBeGreaterThanOrEqual(3);
    expect(polls).toBeLessThanOrEqual(7); // one poller at 200 ms, not two
    await h.admin('POST', '/edit', { path, patch: { theme: 'sepia' } });
    await expect
      .poll(
        () =>
          new Set(
            h.events
              .filter((e) => e.type === 'resource-changed' && e.revision !== null)
              .map((e) => (e as { watchId: string }).watchId),
          ).has(b.watchId),
        { timeout: 5000 },
      )
      .toBe(true);
    expect(h.events.some((e) => e.type === 'resource-changed' && e.watchId === a.watchId)).toBe(
      true,
    );
    await h.api.unwatch({ watchId: a.watchId });
    await h.api.unwatch({ watchId: b.watchId });
    await h.admin('DELETE', '/requests');
    await new Promise((r) => setTimeout(r, 600));
    expect(
      (
        await h.admin<{ requests: unknown[] }>(
          'GET',
          `/requests?method=GET&pathPrefix=${encodeURIComponent(path)}`,
        )
      ).body.requests,
    ).toHaveLength(0);
  });
});

describe('activity', () => {
  it('lists this session’s HTTP exchanges with status, ETag and If-Match, without credentials', async () => {
    const activity = await h.api.activity({});
    expect(activity.entries.length).toBeGreaterThan(5);
    expect(
      activity.entries.some(
        (e) => e.method === 'POST' && e.ifMatch !== null && e.status === 200 && e.etag !== null,
      ),
    ).toBe(true);
    expect(JSON.stringify(activity)).not.toContain('sandbox-auth-token');
    const after = activity.entries.at(-1)!.id;
    expect((await h.api.activity({ afterId: after })).entries).toEqual([]);
    expect(h.events.some((e) => e.type === 'activity')).toBe(true);
  });
});

describe('testing a connection before saving it', () => {
  it('tests the settings as typed, keeping the saved secret when it is left out, and writes nothing', async () => {
    const tasks = await h.connection('TaskRouter');
    const before = (await h.api.listConnections({})).length;
    const typed = {
      id: tasks.id,
      name: tasks.name,
      profileId: tasks.profileId,
      baseUrl: tasks.baseUrl,
      params: tasks.params,
    };
    // A wrong password typed into the form fails, though the saved one works…
    expect(
      await h.api.testConnection({
        connection: {
          ...typed,
          auth: { kind: 'basic', username: SANDBOX_IDS.accountSid, password: 'wrong' },
        },
      }),
    ).toMatchObject({ kind: 'error', status: 401 });
    expect(await h.api.testConnection({ id: tasks.id })).toMatchObject({ kind: 'ok' });
    // …and leaving the password out tests with the saved one.
    expect(
      await h.api.testConnection({
        connection: { ...typed, auth: { kind: 'basic', username: SANDBOX_IDS.accountSid } },
      }),
    ).toMatchObject({ kind: 'ok' });
    // A connection that was never saved can be tested too.
    const { id: _id, ...unsaved } = typed;
    expect(
      await h.api.testConnection({
        connection: {
          ...unsaved,
          name: 'New',
          auth: { kind: 'basic', username: SANDBOX_IDS.accountSid, password: 'sandbox-auth-token' },
        },
      }),
    ).toMatchObject({ kind: 'ok' });
    expect((await h.api.listConnections({})).length).toBe(before);
    expect(await h.api.testConnection({})).toMatchObject({
      kind: 'error',
      reason: 'invalid-input',
    });
  });
});
