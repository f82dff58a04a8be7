// A journal row's parsed body and document are kept for the next read of that row (a save's base,
// a watch poll): what comes back must be what parsing the row afresh would give.
import { describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import { REST_STRICT_MERGE_PATCH } from '../../shared/profiles/sandbox-profiles';
import { expectFullConflict, harnessPerFile } from '../test-support/desk-harness';

const h = harnessPerFile();

const collection = SANDBOX_IDS.restCollections.strict412;
const id = SANDBOX_IDS.restItemIds[collection as keyof typeof SANDBOX_IDS.restItemIds];

describe('derived journal rows', () => {
  it('a row read again after the connection’s profile changed is read with the new profile', async () => {
    const connection = await h.connection('(strict, 412)');
    const ref = { connectionId: connection.id, id };
    const opened = await h.open(ref);
    expect(JSON.parse(opened.text)).toHaveProperty('published');
    const again = await h.api.revision({ ref, journalId: opened.journalId });
    expect(again.kind === 'ok' && again.snapshot.text).toBe(opened.text);

    // The operator's profile now hides `published` too: the same row reads without it.
    const hidden = {
      ...REST_STRICT_MERGE_PATCH,
      editable: {
        kind: 'whole' as const,
        hidden: ['/id', '/createdAt', '/updatedAt', '/published'],
      },
    };
    const saved = await h.api.saveConnection({
      connection: {
        id: connection.id,
        name: connection.name,
        profileId: hidden.id,
        baseUrl: connection.baseUrl,
        params: connection.params,
        auth: { kind: 'none' },
        customProfile: hidden,
      },
    });
    expect(saved.kind).toBe('ok');
    const reread = await h.api.revision({ ref, journalId: opened.journalId });
    if (reread.kind !== 'ok') throw new Error(reread.message);
    expect(JSON.parse(reread.snapshot.text)).not.toHaveProperty('published');
    expect(JSON.parse(reread.snapshot.text)).toEqual(
      Object.fromEntries(
        Object.entries(JSON.parse(opened.text) as Record<string, unknown>).filter(
          ([k]) => k !== 'published',
        ),
      ),
    );
  });

  it('a row read again keeps its own last-seen time and source, not those of the read that kept its document', async () => {
    const ref = await h.ref('(strict, 412)', id);
    const first = await h.open(ref);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await h.open(ref);
    expect(second.journalId).toBe(first.journalId);
    const row = await h.api.revision({ ref, journalId: first.journalId });
    if (row.kind !== 'ok') throw new Error(row.message);
    expect(row.snapshot.text).toBe(first.text);
    expect(row.snapshot.seenAt).toBe(second.seenAt);
    expect(row.snapshot.seenAt > first.seenAt).toBe(true);
    expect(row.snapshot.source).toBe('opened');
  });

  it('a kept row is not changed by the saves based on it: the same conflicting save twice answers the same', async () => {
    const ref = await h.ref('Sync documents', 'agent-settings');
    const base = await h.open(ref);
    await h.admin('POST', '/edit', {
      path: `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`,
      patch: { theme: 'light', wrapUpSeconds: 61 },
    });
    const doc = JSON.parse(base.text) as Record<string, unknown>;
    doc['autoAccept'] = true;
    doc['theme'] = 'mine';
    const text = JSON.stringify(doc, null, 2);
    // Both saves merge against the kept base and the kept Server-now row: a merge, a diff or a
    // write that changed either document in place would make the second answer differ.
    const save = async () =>
      expectFullConflict(
        await h.api.saveResource({ ref, text, baseJournalId: base.journalId, full: true }),
      );
    const first = await save();
    const second = await save();
    expect(second.theirs.journalId).toBe(first.theirs.journalId);
    expect(second.base.text).toBe(first.base.text);
    expect(second.merged).toBe(first.merged);
    expect(second.conflicts).toEqual(first.conflicts);
    const reread = await h.api.revision({ ref, journalId: base.journalId });
    expect(reread.kind === 'ok' && reread.snapshot.text).toBe(base.text);
  });
});
