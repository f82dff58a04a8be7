// Info and error toasts go by themselves (4 s, 8 s), but not from under an operator reading one
// or about to press its ×: while the pointer or the keyboard is in the toasts, none goes, and each
// has its full time again once they leave (WCAG 2.2.1). Failures stay until dismissed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RendererApi } from '../../../shared/api/contract';

const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent' ? () => () => undefined : () => Promise.reject(new Error('not scripted')),
});
(globalThis as { window?: unknown }).window = { api: bridge };
const { useDesk } = await import('./index');

const shown = () => useDesk.getState().toasts.map((t) => t.text);

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  useDesk.getState().holdToasts(false);
  useDesk.getState().dismissAllToasts();
  vi.useRealTimers();
});

describe('toasts going by themselves', () => {
  it('an info toast goes after 4 s, an error after 8 s, a failure stays', () => {
    const desk = useDesk.getState();
    desk.notify({ tone: 'info', text: 'kept as a draft' });
    desk.notify({ tone: 'error', text: 'could not open' });
    desk.showFailure('Could not list: gone');
    vi.advanceTimersByTime(4_001);
    expect(shown()).toEqual(['could not open', 'Could not list: gone']);
    vi.advanceTimersByTime(4_000);
    expect(shown()).toEqual(['Could not list: gone']);
  });

  it('held (pointer or keyboard in them), none goes; let go, each has its full time again', () => {
    const desk = useDesk.getState();
    desk.notify({ tone: 'info', text: 'before the hold' });
    vi.advanceTimersByTime(3_000);
    desk.holdToasts(true);
    desk.notify({ tone: 'info', text: 'during the hold' });
    vi.advanceTimersByTime(60_000);
    expect(shown()).toEqual(['before the hold', 'during the hold']);
    desk.holdToasts(false);
    vi.advanceTimersByTime(3_999);
    expect(shown()).toEqual(['before the hold', 'during the hold']);
    vi.advanceTimersByTime(2);
    expect(shown()).toEqual([]);
  });

  it('one dismissed by hand while held leaves no timer to fire on a later toast', () => {
    const desk = useDesk.getState();
    desk.notify({ tone: 'info', text: 'first' });
    const first = useDesk.getState().toasts[0]!.id;
    desk.holdToasts(true);
    desk.dismissToast(first);
    desk.holdToasts(false);
    desk.notify({ tone: 'info', text: 'second' });
    vi.advanceTimersByTime(3_999);
    expect(shown()).toEqual(['second']);
    vi.advanceTimersByTime(2);
    expect(shown()).toEqual([]);
  });
});
