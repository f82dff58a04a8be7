import { describe, expect, it } from 'vitest';
import { installPageErrorHandlers, unexpectedFailureText } from './page-errors';

const event = (type: string, fields: Record<string, unknown>) =>
  Object.assign(new Event(type), fields);

describe('the page-wide handler', () => {
  it('shows an unhandled rejection and an uncaught error, and stops when asked', () => {
    const page = new EventTarget();
    const shown: string[] = [];
    const stop = installPageErrorHandlers(page, (text) => shown.push(text));
    page.dispatchEvent(event('unhandledrejection', { reason: new TypeError('Failed to fetch') }));
    page.dispatchEvent(
      event('error', {
        error: new Error('x is undefined'),
        message: 'Uncaught Error: x is undefined',
      }),
    );
    page.dispatchEvent(event('error', { error: null, message: 'Script error.' }));
    expect(shown).toEqual([
      'A background task failed: Failed to fetch. What the screen shows may be out of date; check before going on.',
      'Something went wrong in the app: x is undefined. What the screen shows may be out of date; check before going on.',
      'Something went wrong in the app: Script error.. What the screen shows may be out of date; check before going on.',
    ]);
    stop();
    page.dispatchEvent(event('unhandledrejection', { reason: new Error('later') }));
    expect(shown).toHaveLength(3);
  });

  it('leaves out only the known noise: the ResizeObserver notice and Monaco’s cancellations', () => {
    expect(
      unexpectedFailureText(
        'error',
        null,
        'ResizeObserver loop completed with undelivered notifications.',
      ),
    ).toBeNull();
    expect(
      unexpectedFailureText(
        'rejection',
        Object.assign(new Error('Canceled'), { name: 'Canceled' }),
      ),
    ).toBeNull();
    expect(unexpectedFailureText('rejection', new Error('Canceled'))).not.toBeNull();
    expect(unexpectedFailureText('rejection', undefined)).toContain('no reason given');
  });
});
