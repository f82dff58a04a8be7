// Answer bytes per document byte over the contract (the lean wire, issue #14 item 3): an open
// answer and a conflicting save answer, lean (what the app asks for) beside the full form scripts
// can ask for (raw: true, full: true), at several document sizes, against a real backend and sandbox.
import { encodeWire } from '../shared/api/wire';
import { expectKind, startHarness } from '../electron/test-support/desk-harness';

const TARGETS = { open: 1.2, conflict: 1.5 };
const SIZES = [1024, 100 * 1024, 1024 * 1024];
const bytes = (value: unknown) => Buffer.byteLength(encodeWire(value));

export async function run(): Promise<void> {
  const h = await startHarness();
  try {
    const ref = await h.ref('articles', 'article-1');
    console.log(
      '| document | open (lean) | open (raw: true) | conflict (lean) | conflict (full: true) | targets |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const size of SIZES) {
      await h.admin('POST', '/reset', { seed: 'demo' });
      const rows = Array.from({ length: Math.ceil(size / 60) }, (_, i) => ({
        uuid: `u-${i}`,
        label: `row ${i} of the list`,
        n: i,
      }));
      await h.admin('POST', '/edit', { path: '/rest/articles/article-1', patch: { rows } });
      const lean = await h.api.openResource({ ref });
      const withRaw = await h.api.openResource({ ref, raw: true });
      if (lean.kind !== 'ok' || withRaw.kind !== 'ok') throw new Error('open failed');
      const docBytes = Buffer.byteLength(lean.snapshot.text);
      await h.admin('POST', '/edit', {
        path: '/rest/articles/article-1',
        patch: { title: 'Theirs' },
      });
      const mine = JSON.stringify(
        { ...(JSON.parse(lean.snapshot.text) as object), title: 'Mine' },
        null,
        2,
      );
      const conflictLean = expectKind(
        await h.api.saveResource({ ref, text: mine, baseJournalId: lean.snapshot.journalId }),
        'conflict',
      );
      const conflictFull = expectKind(
        await h.api.saveResource({
          ref,
          text: mine,
          baseJournalId: lean.snapshot.journalId,
          full: true,
        }),
        'conflict',
      );
      const ratio = (n: number) => (n / docBytes).toFixed(2);
      const openRatio = bytes(lean) / docBytes;
      const conflictRatio = bytes(conflictLean) / docBytes;
      // The answer's own fields (ref, revision, list summary) are a fixed cost: targets apply from 100 KB.
      const ok =
        size < 100 * 1024 || (openRatio <= TARGETS.open && conflictRatio <= TARGETS.conflict);
      console.log(
        `| ${(docBytes / 1024).toFixed(0)} KB | ${ratio(bytes(lean))}× | ${ratio(bytes(withRaw))}× | ${ratio(bytes(conflictLean))}× | ${ratio(bytes(conflictFull))}× | ${size < 100 * 1024 ? '(fixed cost dominates)' : `≤ ${TARGETS.open}× / ≤ ${TARGETS.conflict}× ${ok ? 'met' : 'MISSED'}`} |`,
      );
    }
  } finally {
    await h.close();
  }
}
