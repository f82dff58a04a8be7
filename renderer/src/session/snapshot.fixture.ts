// A journalled snapshot as the backend answers one, for the renderer's tests.
import type { ResourceRef, Snapshot } from '../../../shared/api/types';

/** The snapshot of `ref` at a journal row, holding `text`, as an open answers it. */
export function snapshotFixture(
  ref: ResourceRef,
  journalId: number,
  revision: string | null,
  text: string,
): Snapshot {
  return {
    ref,
    journalId,
    revision,
    guarded: true,
    unguardedReason: null,
    text,
    seenAt: '2026-01-01T00:00:00Z',
    source: 'opened',
    summary: null,
  };
}
