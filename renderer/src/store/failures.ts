// Failures nobody awaited (a background load, a button's action, the page-wide last line of
// defence) become messages the operator sees and dismisses: plain transitions of the toast list,
// tested without a UI. A failure is never dropped; the same one again counts up instead of stacking.
import type { Toast } from './ui-slice';

/** The reason an error gives, in words (an Error's message, a string, or the value itself). */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error || 'no reason given';
  if (error === undefined || error === null) return 'no reason given';
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** "Could not load the history: Failed to fetch": `what` is the action, as a verb phrase. */
export function failureText(what: string, error: unknown): string {
  return `Could not ${what}: ${reasonOf(error)}`;
}

/** Adds a failure as an error toast that stays until dismissed (an identical one counts up). */
export function failureAdded(toasts: readonly Toast[], text: string, id: number): Toast[] {
  const same = toasts.find((t) => t.tone === 'error' && t.sticky === true && t.text === text);
  if (same) return toasts.map((t) => (t === same ? { ...t, repeats: (t.repeats ?? 1) + 1 } : t));
  return [...toasts, { id, tone: 'error', text, sticky: true }];
}

export function toastDismissed(toasts: readonly Toast[], id: number): Toast[] {
  return toasts.filter((t) => t.id !== id);
}
