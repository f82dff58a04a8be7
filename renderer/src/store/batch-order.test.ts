// A batch's summary reaches the page two ways: the answer to a control (Resume, Pause, Cancel) and
// the host's progress events. They travel by different channels, so the page keeps the one the
// host read last, whichever arrives last.
import { beforeEach, describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../../shared/api/types';
import type { RendererApi } from '../../../shared/api/contract';

const answers = new Map<string, (args: unknown) => Promise<unknown>>();
const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : (args: unknown) =>
          (answers.get(name) ?? (() => Promise.reject(new TypeError('Failed to fetch'))))(args),
});
(globalThis as { window?: unknown }).window = { api: bridge };

const { useDesk } = await import('./index');

function summary(state: BatchSummary['state'], applied: number, observedAt: number): BatchSummary {
  return {
    batchId: 'b1',
    connectionId: 'c',
    description: 'set /priority',
    intents: [],
    mergeOptions: {},
    state,
    createdAt: '2026-11-30T03:00:00.000Z',
    startedAt: '2026-11-30T03:00:00.000Z',
    finishedAt: state === 'done' ? '2026-11-30T03:00:05.000Z' : null,
    total: 8,
    counts: {
      pending: 8 - applied,
      running: 0,
      applied,
      reapplied: 0,
      queued: 0,
      failed: 0,
      skipped: 0,
      unknown: 0,
      cancelled: 0,
      'kept-theirs': 0,
      merged: 0,
    },
    writesSent: applied,
    rate: 1,
    concurrency: 4,
    observedAt,
  };
}

beforeEach(() => {
  answers.clear();
  answers.set('batchQueue', async () => ({ kind: 'ok', groups: [] }));
  answers.set('batchReport', async () => ({ kind: 'ok', targets: [] }));
  useDesk.setState({ batch: summary('paused', 2, 1), batchError: null });
});

describe('the batch on show', () => {
  it('is not put back to "running" by the answer to Resume arriving after the run’s last event', async () => {
    let answer!: (value: unknown) => void;
    answers.set('resumeBatch', () => new Promise((resolve) => (answer = resolve)));
    const resuming = useDesk.getState().resumeBatch();
    // The run finishes and says so before the answer to Resume, read when it started, arrives.
    useDesk.getState().batchProgress(summary('done', 8, 3));
    answer({ kind: 'ok', batch: summary('running', 2, 2) });
    await resuming;
    expect(useDesk.getState().batch).toMatchObject({ state: 'done', counts: { applied: 8 } });
  });

  it('takes the answer when it is the later one', async () => {
    useDesk.getState().batchProgress(summary('running', 3, 2));
    answers.set('pauseBatch', async () => ({ kind: 'ok', batch: summary('paused', 4, 3) }));
    await useDesk.getState().pauseBatch();
    expect(useDesk.getState().batch).toMatchObject({ state: 'paused', counts: { applied: 4 } });
    // A progress event read before the pause, delivered after its answer, changes nothing.
    useDesk.getState().batchProgress(summary('running', 3, 2.5));
    expect(useDesk.getState().batch).toMatchObject({ state: 'paused', counts: { applied: 4 } });
  });
});
