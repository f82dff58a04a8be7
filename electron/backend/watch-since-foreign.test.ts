// A watch never announces a change that did not happen. A sinceJournalId naming a row of another
// resource (or none) used to be taken as "what the caller holds", so the first poll pushed a
// resource-changed for a resource nobody touched; and a watch of a resource never read before
// announced its first read as a change.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { ApiEvent } from '../../shared/api/types';
import { startHarness, type Harness } from '../test-support/desk-harness';

let h: Harness;
const events: ApiEvent[] = [];
beforeAll(async () => {
  h = await startHarness();
  h.desk.onEvent((event) => events.push(event));
});
afterAll(() => h.close());
beforeEach(async () => {
  events.length = 0;
  await h.admin('POST', '/reset', { seed: 'demo' });
});

const changesFor = (watchId: string) =>
  events.filter((e) => e.type === 'resource-changed' && e.watchId === watchId);

it.each([
  ['a journal row of another resource', 'other'],
  ['a journal row that does not exist', 'missing'],
] as const)(
  'sinceJournalId naming %s is refused or at least announces no change that did not happen',
  async (_what, which) => {
    const watched = await h.ref('REST tickets', 'ticket-1');
    const other = await h.ref('REST tickets', 'ticket-2');
    const openedWatched = await h.open(watched);
    const openedOther = await h.open(other);
    const since = which === 'other' ? openedOther.journalId : openedWatched.journalId + 100_000;
    const watch = await h.api.watch({ ref: watched, intervalMs: 200, sinceJournalId: since });
    if (watch.kind !== 'ok') {
      // A clear refusal naming the problem is a fine answer.
      expect(watch).toMatchObject({ kind: 'error', reason: 'invalid-input' });
      if (watch.kind === 'error') expect(watch.message).toMatch(/journal/i);
      return;
    }
    try {
      // Several polls of a resource nobody touched.
      await new Promise((r) => setTimeout(r, 900));
      expect(changesFor(watch.watchId)).toEqual([]);
    } finally {
      await h.api.unwatch({ watchId: watch.watchId });
    }
  },
);

it('a watch on a resource never read before announces nothing on its first poll', async () => {
  const ref = await h.ref('REST tickets', 'ticket-3');
  const watch = await h.api.watch({ ref, intervalMs: 200 });
  if (watch.kind !== 'ok') throw new Error(watch.message);
  try {
    await new Promise((r) => setTimeout(r, 900));
    expect(changesFor(watch.watchId)).toEqual([]);
  } finally {
    await h.api.unwatch({ watchId: watch.watchId });
  }
});
