// A batch started, resumed or decided on by a call that was under way when the host began to stop
// sends nothing: the store is about to close under it. It is left to be resumed at the next start.
import { describe, expect, it } from 'vitest';
import type { ResourceService } from '../resource-service';
import type { SecretBox } from '../secrets';
import { openStore } from '../store/index';
import { createBatchRunner } from './runner';

const plainBox: SecretBox = {
  kind: 'plain',
  encrypt: (plain) => Buffer.from(plain),
  decrypt: (cipher) => Buffer.from(cipher).toString(),
};

/** Resources that fail the test if anything is read or written. */
const untouchable = new Proxy({} as ResourceService, {
  get: (_target, name) =>
    name === 'context'
      ? () => ({ ok: false, error: { kind: 'error', reason: 'unknown-connection', message: '-' } })
      : () => {
          throw new Error(`${String(name)} was called after close`);
        },
});

describe('a batch runner once closed', () => {
  it('starts nothing: a batch asked to start is left interrupted, a paused one stays paused, a decision is refused', async () => {
    const store = openStore(':memory:', plainBox);
    const runner = createBatchRunner({ store, resources: untouchable, emit: () => {} });
    store.batches.create(
      { id: 'p', connectionId: 'c', intents: [], concurrency: 1, maxAttempts: 1, description: '' },
      ['r1'],
    );
    store.batches.setState('p', 'paused');
    await runner.close();

    const started = runner.start({
      connectionId: 'c',
      resourceIds: ['a', 'b'],
      intents: [{ kind: 'set', path: '/priority', value: 1 }],
      concurrency: 2,
      maxAttempts: 3,
      description: 'after close',
    });
    expect(started.state).toBe('interrupted');
    expect(runner.targets(started.batchId).map((t) => t.status)).toEqual(['pending', 'pending']);
    expect((await runner.resume('p'))?.state).toBe('paused');
    expect(await runner.settleGroup('p', '/priority', 'mine')).toEqual({
      refused: 'The app is stopping: decide again once it has started.',
    });
    store.close();
  });
});
