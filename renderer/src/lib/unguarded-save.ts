// Saving the editor's text asks first where the write could overwrite more than the operator sees:
// one rule, used by the Save button and by Ctrl+S alike, so the keyboard reaches the same
// deliberate choice the mouse does.
import type { DeskState } from '../store';
import type { Tab } from '../store/tabs-slice';
import { unreadBase } from '../session/editing-session';
import { restoreReverts } from '../session/reverts';

/** *Save without a precondition…*: a resource without a revision is overwritten whatever it holds. */
export async function saveWithoutPrecondition(s: DeskState, tab: Tab): Promise<void> {
  const yes = await s.ask({
    title: 'Save without a precondition?',
    body: `${tab.base.unguardedReason ?? 'This resource has no revision.'} Saving overwrites whatever the server has now. The choice is recorded in the audit log.`,
    confirm: 'Save without a precondition',
    danger: true,
  });
  if (yes) await s.save(tab.key, { unconditional: true });
}

/**
 * Save (the button, Ctrl+S). A restored draft whose own base could not be read is shown against a
 * revision it was not made from, so its differences may be changes by others it would undo: every
 * field the write changes is listed and the operator confirms.
 */
export async function saveEdit(s: DeskState, tab: Tab): Promise<void> {
  if (!tab.base.guarded) return saveWithoutPrecondition(s, tab);
  const lost = unreadBase(tab);
  if (lost) {
    const changes = restoreReverts(tab.base.text, tab.text);
    const revision = tab.base.revision ?? '?';
    const yes = await s.ask({
      title: 'Save a draft made from an unknown revision?',
      body: `Your draft was typed against journal entry #${lost.journalId}, which can no longer be read, so your changes cannot be told apart from changes others made since. Saving writes your draft over the server's revision ${revision}; ${changes.length === 1 ? 'this field changes' : `these ${changes.length} fields change`} (server's value → yours):`,
      items: changes,
      note: `The write is still conditional on revision ${revision} and is recorded in the audit log.`,
      confirm: 'Save my draft',
      danger: true,
    });
    if (!yes) return;
  }
  await s.save(tab.key);
}
