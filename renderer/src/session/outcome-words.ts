// The outcome of a write in the operator's words: what is proven, what the server holds, what to do.
// Pure functions over the contract's values, shared by the tab's message and the activity panel.
import type {
  MissingChange,
  PendingOutcome,
  SavedOutcome,
  ServerHolds,
  UnknownOutcome,
} from '../../../shared/api/types';

const rev = (revision: string | null | undefined) =>
  revision === null || revision === undefined ? '(unnamed)' : revision;

/** "/customer/tier" → "customer › tier"; the root is "the whole document". */
export function pathWords(path: string): string {
  if (path === '' || path === '/') return 'the whole document';
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `item ${Number(part) + 1}` : part))
    .join(' › ');
}

const valueWords = (json: string | null) =>
  json === null
    ? 'nothing (the field is absent)'
    : json.length > 80
      ? `${json.slice(0, 77)}…`
      : json;

/** One missing change of a partly applied write, in plain words. */
export function missingWords(change: MissingChange): string {
  return `${pathWords(change.path)}: you wrote ${valueWords(change.wanted)}, the server holds ${valueWords(change.found)}`;
}

export function savedWords(result: SavedOutcome): string {
  if (!result.movedSince) return `Saved as revision ${rev(result.snapshot.revision)}.`;
  // Nothing differs from what was saved: the server names the same content another way (or
  // someone saved the same values) — no other writer is claimed.
  if (result.movedSince.changedPaths.length === 0)
    return `Saved as revision ${rev(result.movedSince.savedRevision)}. The server now names it revision ${rev(result.movedSince.revision)}, holding exactly what you saved.`;
  const changed = result.movedSince.changedPaths.map(pathWords).join(', ');
  return `Saved as revision ${rev(result.movedSince.savedRevision)}. Another write has changed it since: the server now has revision ${rev(result.movedSince.revision)} (${changed}), shown here.`;
}

export function partlyAppliedWords(
  savedRevision: string | null,
  missing: readonly MissingChange[],
  /** The revision the edit was based on, when the server accepted the write yet still holds it. */
  stillBase: string | null = null,
  /**
   * A merge's result was written while the editor held later typing: that typing, not the result,
   * is the edit kept (over the revision it was made from), and the merge stays open.
   */
  typedBesideMerge = false,
): string {
  const n = missing.length;
  const changes = n === 1 ? 'one of your changes' : `${n} of your changes`;
  if (typedBesideMerge) {
    const head =
      savedRevision === null && stillBase !== null
        ? `The server accepted the merge’s result but made no new revision: it still holds the revision the merge was against (${stillBase}) and did not apply ${changes}.`
        : `The server accepted the merge’s result (revision ${rev(savedRevision)}) but did not apply ${changes}.`;
    return `${head} What you typed in the editor during the merge is not in it, and is kept as an unsaved edit over the revision it was made from; the merge stays open with your decisions. Review and save again.`;
  }
  if (savedRevision === null && stillBase !== null)
    return `The server accepted the write but made no new revision: it still holds the revision your edit was based on (${stillBase}) and did not apply ${changes}. Your edit is kept as a draft; review and save again.`;
  return `The server accepted the write (revision ${rev(savedRevision)}) but did not apply ${changes}. Your edit is kept as a draft over what it holds now; review and save again.`;
}

const causeWords: Record<UnknownOutcome['cause'], string> = {
  'lost-answer': 'The connection closed before the server answered',
  timeout: 'The server did not answer in time',
  'server-error': 'The server failed while handling the write',
  'host-stopped': 'The app stopped while the write was under way',
  unverified: 'The server accepted the write but could not be read back to check it',
  redirected: 'The server answered the write with a redirect, which was not followed',
  accepted:
    'The server accepted the write for later processing (202) and has not applied it all so far',
};

export function holdsWords(holds: ServerHolds, revision: string | null): string {
  switch (holds) {
    case 'your-edit':
      return `The server now holds your values (revision ${rev(revision)}): your write most likely landed, though someone else could have saved the same values.`;
    case 'base':
      return `The server still holds the revision you started from (${rev(revision)}): your write has not landed so far, and might still.`;
    case 'other':
      return `The server now holds another revision (${rev(revision)}) without your edit.`;
    case 'unreadable':
      return 'The server could not be read to check.';
  }
}

/** The headline of an unknown outcome: why nothing is proven, and that nothing was resent. */
export function unknownWords(cause: UnknownOutcome['cause']): string {
  if (cause === 'unverified')
    return `${causeWords[cause]}, so it is not known whether it holds every change you made. Nothing was resent; your edit is kept.`;
  // A base URL the server has moved (http to https, a renamed path) redirects every write.
  const hint =
    cause === 'redirected' ? ' If every save is redirected, check the connection’s base URL.' : '';
  return `${causeWords[cause]}, so it is not known whether your save was applied. Nothing was resent; your edit is kept.${hint}`;
}

export function pendingWords(p: PendingOutcome): string {
  return `${unknownWords(p.cause)} ${holdsWords(p.serverHolds, p.serverRevision)}`;
}
