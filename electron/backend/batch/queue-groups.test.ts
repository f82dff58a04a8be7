// The conflict queue of a batch, listed by group: a batch of explicit ids has no bound on its
// size, and the members of one group were copied once per member (50,000 took 10 s).
import { describe, expect, it } from 'vitest';
import type { ResourceService } from '../resource-service';
import type { SecretBox } from '../secrets';
import { openStore } from '../store/index';
import { createBatchRunner } from './runner';

/** No secrets are stored here: a box that keeps the text as it is. */
const plainBox: SecretBox = {
  kind: 'plain',
  encrypt: (plain) => Buffer.from(plain),
  decrypt: (cipher) => Buffer.from(cipher).toString(),
};

describe('the conflict queue of a batch', () => {
  it('lists a hundred thousand members queued on one conflict as one group, in order, without copying the group per member', () => {
    // The test's time limit is the guard (before: over a minute); speed is measured in the bench.
    const n = 100_000;
    const store = openStore(':memory:', plainBox);
    const ids = Array.from({ length: n }, (_, i) => `r${i}`);
    store.batches.create(
      { id: 'b', connectionId: 'c', intents: [], concurrency: 1, maxAttempts: 1, description: '' },
      ids,
    );
    store.batches.setState('b', 'done');
    ids.forEach((id, i) =>
      store.batches.update('b', id, {
        status: 'queued',
        signature: i % 1000 === 0 ? 'other · /b' : 'both changed · /a',
      }),
    );
    const runner = createBatchRunner({
      store,
      resources: {} as ResourceService,
      emit: () => {},
    });
    const groups = runner.queue('b');
    expect(groups.map((g) => [g.signature, g.targets.length])).toEqual([
      ['both changed · /a', n - n / 1000],
      ['other · /b', n / 1000],
    ]);
    expect(groups[0]!.paths).toEqual(['/a']);
    expect(groups[0]!.targets.slice(0, 2).map((t) => t.resourceId)).toEqual(['r1', 'r2']);
  }, 20_000);
});
