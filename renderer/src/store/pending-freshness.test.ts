// The list of unknown outcomes is read whole (after a save, a settle, a dropped event stream) and
// also kept current by outcome-checked events. A list read before an event but answered after it
// used to put the older finding back; and of two reads, the older answering last won.
import { beforeEach, expect, it } from 'vitest';
import type { PendingOutcome } from '../../../shared/api/types';
import { answers } from './scripted-bridge.fixture';

const { applyEvent, useDesk } = await import('./index');

const outcome = (auditId: number, serverHolds: string, checkedAt: string | null) =>
  ({
    auditId,
    ref: { connectionId: 'c', id: `r${auditId}` },
    serverHolds,
    checkedAt,
    message: serverHolds,
  }) as unknown as PendingOutcome;

/** pendingOutcomes answers held until the test lets each go. */
function heldAnswers() {
  const waiting: Array<(list: PendingOutcome[]) => void> = [];
  answers.set(
    'pendingOutcomes',
    () => new Promise((resolve) => waiting.push((pending) => resolve({ kind: 'ok', pending }))),
  );
  return waiting;
}

const held = () =>
  useDesk.getState().pending.map((p) => [p.auditId, p.serverHolds] as [number, string]);

beforeEach(() => {
  answers.clear();
  useDesk.setState({ pending: [] });
});

it('a list read before an outcome-checked event and answered after it keeps what the event said', async () => {
  const waiting = heldAnswers();
  const loading = useDesk.getState().loadPending();
  applyEvent({ type: 'outcome-checked', pending: outcome(7, 'your-edit', '2026-12-02T00:00:02Z') });
  waiting[0]!([outcome(7, 'base', '2026-12-02T00:00:01Z'), outcome(8, 'base', null)]);
  await loading;
  expect(held()).toEqual([
    [7, 'your-edit'],
    [8, 'base'],
  ]);
});

it('of two reads of the list, the one asked later stands, whichever answers last', async () => {
  const waiting = heldAnswers();
  const first = useDesk.getState().loadPending();
  const second = useDesk.getState().loadPending();
  // The later read finds 7 settled (gone); the earlier one, answering after it, still lists it.
  waiting[1]!([outcome(8, 'base', null)]);
  await second;
  waiting[0]!([outcome(7, 'base', null), outcome(8, 'base', null)]);
  await first;
  expect(held()).toEqual([[8, 'base']]);
});

it('an event for an outcome a later read no longer lists (settled since) does not bring it back', async () => {
  const waiting = heldAnswers();
  applyEvent({ type: 'outcome-checked', pending: outcome(7, 'other', '2026-12-02T00:00:02Z') });
  const loading = useDesk.getState().loadPending();
  waiting[0]!([]);
  await loading;
  expect(held()).toEqual([]);
});
