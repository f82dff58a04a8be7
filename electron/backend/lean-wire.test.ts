// A lean wire: an open answer carries the document once, a conflict answer carries Server now and
// the merge's options, and scripts that want everything ask for it (raw: true, full: true).
import { describe, expect, it } from 'vitest';
import { SANDBOX_IDS } from '../../sandbox/index';
import { encodeWire } from '../../shared/api/wire';
import { expectFullConflict, expectKind, harnessPerFile } from '../test-support/desk-harness';

const h = harnessPerFile();

const DOC_PATH = `/sync/v1/Services/${SANDBOX_IDS.syncServiceSid}/Documents/agent-settings`;
const ARTICLE_PATH = '/rest/articles/article-1';
// A document big enough that the answer's own fields (ref, revision, summary) do not dominate.
const rows = Array.from({ length: 2000 }, (_, i) => ({
  uuid: `u-${i}`,
  label: `row ${i} with "quotes" and \\ slashes`,
  n: i,
}));
const bytes = (value: unknown) => Buffer.byteLength(encodeWire(value));

describe('a lean wire', () => {
  it('openResource carries the document once; raw: true adds the raw body', async () => {
    expect((await h.admin('POST', '/edit', { path: DOC_PATH, patch: { rows } })).status).toBe(200);
    const ref = await h.ref('Sync documents', 'agent-settings');
    const lean = await h.api.openResource({ ref });
    if (lean.kind !== 'ok') throw new Error(lean.message);
    expect(lean.snapshot.raw).toBeUndefined();
    expect(bytes(lean) / Buffer.byteLength(lean.snapshot.text)).toBeLessThanOrEqual(1.2);
    const withRaw = await h.api.openResource({ ref, raw: true });
    if (withRaw.kind !== 'ok') throw new Error(withRaw.message);
    expect(JSON.parse(withRaw.snapshot.raw!)).toMatchObject({ data: { rows } });
    const revision = await h.api.revision({ ref, journalId: lean.snapshot.journalId });
    expect(revision.kind === 'ok' && revision.snapshot.raw).toBeUndefined();
  });

  it('a conflict answer carries Server now and the merge options; full: true adds base, mine and the merge', async () => {
    expect((await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: { rows } })).status).toBe(
      200,
    );
    const ref = await h.ref('articles', 'article-1');
    const base = await h.open(ref);
    await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: { title: 'Theirs' } });
    const doc = JSON.parse(base.text) as Record<string, unknown>;
    doc['title'] = 'Mine';
    const mine = JSON.stringify(doc, null, 2);
    const lean = expectKind(
      await h.api.saveResource({ ref, text: mine, baseJournalId: base.journalId }),
      'conflict',
    );
    expect(Object.keys(lean).sort()).toEqual([
      'afterLostAnswer',
      'auditId',
      'kind',
      'mergeOptions',
      'status',
      'theirs',
    ]);
    expect(lean.theirs.raw).toBeUndefined();
    expect(bytes(lean) / Buffer.byteLength(mine)).toBeLessThanOrEqual(1.5);
    const full = expectFullConflict(
      await h.api.saveResource({ ref, text: mine, baseJournalId: base.journalId, full: true }),
    );
    expect(full.base.journalId).toBe(base.journalId);
    expect(full.mine).toBe(mine);
    expect(full.conflicts.map((c) => c.path)).toEqual(['/title']);
    expect(full.onlyOtherFieldsChanged).toBe(false);
  });
});
