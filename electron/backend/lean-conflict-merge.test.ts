// Review of 6ea40dd: "the backend no longer merges for the lean conflict answer". merge3 is
// watched (the real one runs; only its calls are counted) while a real backend on the real
// sandbox answers stale saves: the lean answer must run no merge, a full one exactly one, however
// many of its merge members are read.
import { describe, expect, it, vi } from 'vitest';
import * as json from '../../shared/json';
import { expectFullConflict, expectKind, harnessPerFile } from '../test-support/desk-harness';

vi.mock('../../shared/json', async (importOriginal) => {
  const real = await importOriginal<typeof json>();
  return { ...real, merge3: vi.fn(real.merge3) };
});

const ARTICLE_PATH = '/rest/articles/article-1';
const h = harnessPerFile();

async function staleSave(full: boolean) {
  const ref = await h.ref('articles', 'article-1');
  const base = await h.open(ref);
  await h.admin('POST', '/edit', { path: ARTICLE_PATH, patch: { title: `Theirs ${full}` } });
  const doc = { ...(JSON.parse(base.text) as Record<string, unknown>), status: 'mine' };
  const merges = vi.mocked(json.merge3).mock.calls.length;
  const result = await h.api.saveResource({
    ref,
    text: JSON.stringify(doc, null, 2),
    baseJournalId: base.journalId,
    ...(full ? { full: true } : {}),
  });
  return { result, merges: () => vi.mocked(json.merge3).mock.calls.length - merges };
}

describe('merges behind a conflict answer', () => {
  it('the lean answer runs none', async () => {
    const { result, merges } = await staleSave(false);
    expectKind(result, 'conflict');
    JSON.stringify(result);
    expect(merges()).toBe(0);
  });

  it('a full answer runs one, however often its members are read', async () => {
    const { result, merges } = await staleSave(true);
    const full = expectFullConflict(result);
    for (let i = 0; i < 3; i++) {
      expect(full.conflicts).toEqual([]);
      expect(full.changes.length).toBeGreaterThan(0);
      expect(full.onlyOtherFieldsChanged).toBe(true);
      JSON.stringify(full);
    }
    expect(merges()).toBe(1);
  });
});
