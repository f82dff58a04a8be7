import { useEffect, useRef, type FocusEvent } from 'react';
import { useDesk } from '../store';
import { focusResourceList } from '../lib/commands';
import { focusPrimaryEditor } from '../lib/primary-editor';
import { focusDropped } from '../lib/return-focus';

export function Toasts() {
  const toasts = useDesk((s) => s.toasts);
  const dismiss = useDesk((s) => s.dismissToast);
  const dismissAll = useDesk((s) => s.dismissAllToasts);
  // A toast dismissed (or gone by itself) while its × had the keyboard takes the keyboard off the
  // page with it, onto <body>: it goes to the next toast's ×, else back to the work (the tab's
  // editor, else the list).
  const box = useRef<HTMLDivElement>(null);
  const keyboardInside = useRef(false);
  useEffect(() => {
    if (!keyboardInside.current || !focusDropped()) return;
    keyboardInside.current = false;
    const next = box.current?.querySelector<HTMLElement>('button');
    if (next) next.focus();
    else if (!focusPrimaryEditor()) focusResourceList();
  });
  // None goes by itself while the pointer or the keyboard is in them.
  const hold = useDesk((s) => s.holdToasts);
  const inside = useRef({ pointer: false, focus: false });
  const holdWhileInside = () => hold(inside.current.pointer || inside.current.focus);
  // A control removed under the keyboard or the pointer may report no blur or leave (Firefox, a
  // pointer that does not move): after each change of the list, what is inside is looked at again,
  // and with no toast left nothing is held.
  useEffect(() => {
    const root = box.current;
    inside.current.focus = !!root?.contains(document.activeElement);
    if (toasts.length === 0) inside.current.pointer = false;
    else if (root) inside.current.pointer = root.matches(':hover');
    holdWhileInside();
  });
  const onFocus = () => {
    keyboardInside.current = true;
    inside.current.focus = true;
    holdWhileInside();
  };
  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    // A control taken off the page may still report a blur: only a move elsewhere counts.
    const from = e.target;
    setTimeout(() => {
      const focusInside = !!box.current?.contains(document.activeElement);
      if (from.isConnected) keyboardInside.current = focusInside;
      inside.current.focus = focusInside;
      holdWhileInside();
    }, 0);
  };
  const onPointerEnter = () => {
    inside.current.pointer = true;
    holdWhileInside();
  };
  const onPointerLeave = () => {
    inside.current.pointer = false;
    holdWhileInside();
  };
  return (
    <div
      className="toasts"
      aria-live="polite"
      data-testid="toasts"
      ref={box}
      onFocus={onFocus}
      onBlur={onBlur}
      onPointerEnter={onPointerEnter}
      onPointerLeave={onPointerLeave}
    >
      {toasts.length > 2 ? (
        <button type="button" className="link small toasts-clear" onClick={dismissAll}>
          Dismiss all {toasts.length}
        </button>
      ) : null}
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`toast ${t.tone}`}
          role={t.tone === 'error' ? 'alert' : 'status'}
          data-testid={t.sticky ? 'failure' : 'toast'}
        >
          <span>
            {t.text}
            {t.repeats && t.repeats > 1 ? (
              <span className="small"> ({t.repeats} times)</span>
            ) : null}
          </span>
          <button
            type="button"
            className="link"
            aria-label={`Dismiss: ${t.text}`}
            onClick={() => dismiss(t.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
