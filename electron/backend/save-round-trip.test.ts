// Open → edit → save → conflict → merge → save, for every built-in profile, against the real sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import type { ResourceRef, Snapshot } from '../../shared/api/types';
import {
  expectFullConflict,
  expectKind,
  startHarness,
  type Harness,
} from '../test-support/desk-harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const TASK_PATH = `/taskrouter/v1/Workspaces/${SANDBOX_IDS.workspaceSid}/Tasks/${SANDBOX_IDS.taskSid}`;
const SYNC = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}`;

type Case = {
  name: string;
  connection: string;
  id: string;
  adminPath: string;
  /** Someone else's change (admin merge patch) and the operator's, on different fields. */
  theirs: Record<string, unknown>;
  mine: (doc: Record<string, unknown>, n: number) => void;
  /** The operator's change on a field someone else also changed. */
  clash: (doc: Record<string, unknown>) => void;
  clashTheirs: Record<string, unknown>;
  status: number;
};

const cases: Case[] = [
  {
    name: 'TaskRouter task (attributes inside a JSON string)',
    connection: 'TaskRouter',
    id: SANDBOX_IDS.taskSid,
    adminPath: TASK_PATH,
    theirs: { customer: { tier: 'platinum' } },
    mine: (doc, n) => {
      (doc['attributes'] as Record<string, unknown>)['language'] = `fr-${n}`;
    },
    clash: (doc) => {
      ((doc['attributes'] as Record<string, unknown>)['customer'] as Record<string, unknown>)[
        'phone'
      ] = '+15550001111';
    },
    clashTheirs: { customer: { phone: '+15559999999' } },
    status: 412,
  },
  {
    name: 'Sync document',
    connection: 'Sync documents',
    id: 'agent-settings',
    adminPath: `${SYNC}/Documents/agent-settings`,
    theirs: { theme: 'light' },
    mine: (doc, n) => {
      doc['wrapUpSeconds'] = 45 + n;
    },
    clash: (doc) => {
      doc['maxConcurrentTasks'] = 5;
    },
    clashTheirs: { maxConcurrentTasks: 2 },
    status: 412,
  },
  {
    name: 'Sync list item',
    connection: 'Sync list',
    id: '0',
    adminPath: `${SYNC}/Lists/callbacks/Items/0`,
    theirs: { attempts: 1 },
    mine: (doc, n) => {
      doc['phone'] = `+1555019${n}`;
    },
    clash: (doc) => {
      doc['dueBy'] = '2026-02-01T09:00:00.000Z';
    },
    clashTheirs: { dueBy: '2026-03-01T09:00:00.000Z' },
    status: 412,
  },
  {
    name: 'Sync map item',
    connection: 'Sync map',
    id: 'alice',
    adminPath: `${SYNC}/Maps/agent-status/Items/alice`,
    theirs: { activity: 'Busy' },
    mine: (doc, n) => {
      (doc['capacity'] as Record<string, number>)['chat'] = 5 + n;
    },
    clash: (doc) => {
      doc['status'] = 'away';
    },
    clashTheirs: { status: 'offline' },
    status: 412,
  },
  {
    name: 'REST item, strict ETags (412, merge patch)',
    connection: 'articles',
    id: 'article-1',
    adminPath: '/rest/articles/article-1',
    theirs: { published: true },
    mine: (doc, n) => {
      doc['body'] = `Use the reset link in the sign-in page (${n}).`;
    },
    clash: (doc) => {
      doc['title'] = 'Resetting your password';
    },
    clashTheirs: { title: 'Password reset, step by step' },
    status: 412,
  },
  {
    name: 'REST item, lenient ETags (409, PUT)',
    connection: 'tickets',
    id: 'ticket-1',
    adminPath: '/rest/tickets/ticket-1',
    theirs: { priority: 'high' },
    mine: (doc, n) => {
      doc['assignee'] = `dave-${n}`;
    },
    clash: (doc) => {
      doc['status'] = 'open';
    },
    clashTheirs: { status: 'pending' },
    status: 409,
  },
  {
    name: 'Genesys user (version in the body, 409)',
    connection: 'Genesys',
    id: SANDBOX_IDS.genesysUserId,
    adminPath: `/genesys/api/v2/users/${SANDBOX_IDS.genesysUserId}`,
    theirs: { department: 'Support' },
    mine: (doc, n) => {
      doc['title'] = `Team Lead ${n}`;
    },
    clash: (doc) => {
      doc['email'] = 'ava@example.org';
    },
    clashTheirs: { email: 'ava.g@example.net' },
    status: 409,
  },
];

let counter = 0;
const edit = (
  snapshot: Snapshot | string,
  change: (doc: Record<string, unknown>, n: number) => void,
  n = ++counter,
) => {
  const doc = JSON.parse(typeof snapshot === 'string' ? snapshot : snapshot.text) as Record<
    string,
    unknown
  >;
  change(doc, n);
  return JSON.stringify(doc, null, 2);
};

const open = (ref: ResourceRef): Promise<Snapshot> => h.open(ref);

describe.each(cases)('$name', (c) => {
  it('saves conditionally and the revision moves on', async () => {
    const ref = await h.ref(c.connection, c.id);
    const snapshot = await open(ref);
    expect(snapshot.guarded).toBe(true);
    const mineText = edit(snapshot, c.mine);
    const saved = expectKind(
      await h.api.saveResource({ ref, text: mineText, baseJournalId: snapshot.journalId }),
      'saved',
    );
    expect(saved.snapshot.revision).not.toBe(snapshot.revision);
    expect(saved.movedSince).toBeNull();
    expect(['answer-body', 'answer-revision-and-re-read', 'answer-and-re-read']).toContain(
      saved.proof,
    );
    expect(JSON.parse((await open(ref)).text)).toEqual(JSON.parse(mineText));
  });

  it('a stale save comes back as a three-way merge; non-overlapping changes merge cleanly', async () => {
    const ref = await h.ref(c.connection, c.id);
    const base = await open(ref);
    expect(
      (await h.admin('POST', '/edit', { path: c.adminPath, patch: c.theirs, actor: 'colleague' }))
        .status,
    ).toBe(200);
    const n = ++counter;
    const mineText = edit(base, c.mine, n);
    const conflict = expectFullConflict(
      await h.api.saveResource({ ref, text: mineText, baseJournalId: base.journalId, full: true }),
    );
    expect(conflict.status).toBe(c.status);
    expect(conflict.base.journalId).toBe(base.journalId);
    expect(conflict.theirs.revision).not.toBe(base.revision);
    expect(conflict.conflicts).toEqual([]);
    expect(conflict.onlyOtherFieldsChanged).toBe(true);
    // The merged document is Server now plus the operator's change; saving it against Server now succeeds.
    expect(JSON.parse(conflict.merged)).toEqual(JSON.parse(edit(conflict.theirs.text, c.mine, n)));
    expect(JSON.parse(conflict.theirs.text)).not.toEqual(JSON.parse(base.text));
    const saved = expectKind(
      await h.api.saveResource({
        ref,
        text: conflict.merged,
        baseJournalId: conflict.theirs.journalId,
      }),
      'saved',
    );
    expect(JSON.parse((await open(ref)).text)).toEqual(JSON.parse(conflict.merged));
    expect(saved.snapshot.revision).not.toBe(conflict.theirs.revision);
  });

  it('a true conflict names the path with the three values', async () => {
    const ref = await h.ref(c.connection, c.id);
    const base = await open(ref);
    await h.admin('POST', '/edit', { path: c.adminPath, patch: c.clashTheirs, actor: 'colleague' });
    const conflict = expectFullConflict(
      await h.api.saveResource({
        ref,
        text: edit(base, c.clash),
        baseJournalId: base.journalId,
        full: true,
      }),
    );
    expect(conflict.conflicts).toHaveLength(1);
    const [only] = conflict.conflicts;
    expect(only!.kind).toBe('both-modified');
    expect(only!.mine).not.toEqual(only!.theirs);
    expect(only!.base).not.toEqual(only!.mine);
    expect(conflict.onlyOtherFieldsChanged).toBe(false);
    // Nothing was written by the rejected save.
    expect(JSON.parse((await open(ref)).text)).toEqual(JSON.parse(conflict.theirs.text));
  });
});
