// Who a revision in the history came from, in words.
import type { HistoryEntry } from '../../../shared/api/types';

export function attributionWords(
  entry: HistoryEntry,
  me: string | null,
): { text: string; tone: 'team' | 'me' | 'outside' } | null {
  if (!entry.team) return null;
  const { savedBy } = entry.team;
  if (savedBy === null) return { text: 'from outside the team', tone: 'outside' };
  if (me !== null && savedBy === me) return { text: `saved by ${savedBy} (you)`, tone: 'me' };
  return { text: `saved by ${savedBy}`, tone: 'team' };
}
