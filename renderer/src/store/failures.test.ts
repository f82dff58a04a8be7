import { describe, expect, it } from 'vitest';
import { failureAdded, failureText, reasonOf, toastDismissed } from './failures';
import type { Toast } from './ui-slice';

describe('failure messages', () => {
  it('name the action and the reason, whatever was thrown', () => {
    expect(failureText('load the history', new TypeError('Failed to fetch'))).toBe(
      'Could not load the history: Failed to fetch',
    );
    expect(reasonOf('host stopped')).toBe('host stopped');
    expect(reasonOf({ kind: 'error', message: 'x' })).toBe('{"kind":"error","message":"x"}');
    expect(reasonOf(undefined)).toBe('no reason given');
    expect(reasonOf(new Error(''))).toBe('Error');
  });

  it('stay until dismissed, and the same failure again counts up instead of stacking', () => {
    const info: Toast = { id: 1, tone: 'info', text: 'Saved.' };
    let toasts = failureAdded([info], 'Could not save: Failed to fetch', 2);
    expect(toasts).toEqual([
      info,
      { id: 2, tone: 'error', text: 'Could not save: Failed to fetch', sticky: true },
    ]);
    toasts = failureAdded(toasts, 'Could not save: Failed to fetch', 3);
    expect(toasts).toHaveLength(2);
    expect(toasts[1]).toMatchObject({ id: 2, repeats: 2 });
    toasts = failureAdded(toasts, 'Could not load the list: Failed to fetch', 4);
    expect(toasts.map((t) => t.id)).toEqual([1, 2, 4]);
    expect(toastDismissed(toasts, 2).map((t) => t.id)).toEqual([1, 4]);
  });

  it('a plain error toast with the same words is not merged into (only failures count up)', () => {
    const plain: Toast = { id: 1, tone: 'error', text: 'Could not open X: gone' };
    expect(failureAdded([plain], 'Could not open X: gone', 2)).toHaveLength(2);
  });
});
