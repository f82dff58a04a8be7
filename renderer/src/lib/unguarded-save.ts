// *Save without a precondition…*: one question, asked by the button and by Ctrl+S alike, so the
// keyboard reaches the same deliberate choice the mouse does.
import type { DeskState } from '../store';
import type { Tab } from '../store/tabs-slice';

export async function saveWithoutPrecondition(s: DeskState, tab: Tab): Promise<void> {
  const yes = await s.ask({
    title: 'Save without a precondition?',
    body: `${tab.base.unguardedReason ?? 'This resource has no revision.'} Saving overwrites whatever the server has now. The choice is recorded in the audit log.`,
    confirm: 'Save without a precondition',
    danger: true,
  });
  if (yes) await s.save(tab.key, { unconditional: true });
}
