// When a batch's conflict queue takes a decision. One rule for the backend (which refuses), the
// app and the CLI (which say why), so their words agree.
import type { BatchState } from '../api/types';

/**
 * Why a decision on a batch in `state` is refused, or null when it is taken. `stopping`: a pause
 * or cancel asked and still finishing its writes in flight. A stopped batch sends no write and a
 * `mine` decision is one: a cancelled batch takes none; a paused or interrupted one takes them
 * after Resume (refused, not held: a held write would land unseen, later, over a newer server).
 */
export function decisionRefused(
  state: BatchState,
  stopping: 'no' | 'pause' | 'cancel' = 'no',
): string | null {
  if (state === 'cancelled' || stopping === 'cancel')
    return 'The batch is cancelled: it sends no more writes, so its conflict queue takes no decision. Open a resource to merge it by hand.';
  if (state === 'paused' || state === 'interrupted' || stopping === 'pause')
    return `The batch is ${state === 'interrupted' ? 'interrupted' : 'paused'}: it sends no writes until it is resumed. Resume it, then decide.`;
  return null;
}
