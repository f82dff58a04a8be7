// The last line of defence: a promise rejected with no handler, or an error thrown outside React's
// and the store's own handling, is shown to the operator (a dismissable alert) rather than lost in
// the console. Every known call has its own handler; this catches what they miss.
import { reasonOf } from '../store/failures';

/**
 * What the operator is told about an unexpected failure, or null for known noise that means
 * nothing to them: Chromium's "ResizeObserver loop" notice, and Monaco's "Canceled" (a
 * computation dropped because its editor went away).
 */
export function unexpectedFailureText(
  source: 'rejection' | 'error',
  reason: unknown,
  message = '',
): string | null {
  const text = reason === undefined || reason === null ? message : reasonOf(reason);
  if (/^ResizeObserver loop/.test(text)) return null;
  if (reason instanceof Error && reason.name === 'Canceled' && reason.message === 'Canceled')
    return null;
  const what =
    source === 'rejection' ? 'A background task failed' : 'Something went wrong in the app';
  return `${what}: ${text || 'no reason given'}. What the screen shows may be out of date; check before going on.`;
}

/** Listens for unhandled rejections and uncaught errors on `target`; returns the way to stop. */
export function installPageErrorHandlers(
  target: EventTarget,
  show: (text: string) => void,
): () => void {
  const onRejection = (event: Event) => {
    const text = unexpectedFailureText('rejection', (event as PromiseRejectionEvent).reason);
    if (text) show(text);
  };
  const onError = (event: Event) => {
    const { error, message } = event as ErrorEvent;
    const text = unexpectedFailureText('error', error, message);
    if (text) show(text);
  };
  target.addEventListener('unhandledrejection', onRejection);
  target.addEventListener('error', onError);
  return () => {
    target.removeEventListener('unhandledrejection', onRejection);
    target.removeEventListener('error', onError);
  };
}
