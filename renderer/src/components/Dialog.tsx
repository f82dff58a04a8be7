import { useEffect, useRef, type ReactNode } from 'react';
import { inBackground } from '../store/background';
import { focusToReturn, returnFocus } from '../lib/return-focus';

/** A modal built on <dialog>: focus is trapped by the browser, Escape closes it. */
type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
  /** Asked before closing (Escape or ×); false keeps the dialog open. */
  canClose?: () => boolean | Promise<boolean>;
};

export function Dialog({ title, onClose, children, wide = false, testId, canClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const tryClose = async () => {
    if (!canClose || (await canClose())) onClose();
  };
  useEffect(() => {
    const opener = focusToReturn();
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first focusable element (the close button); the first field is what
    // the operator wants to type into.
    dialog?.querySelector<HTMLElement>('input, textarea, select')?.focus();
    // Closed, the keyboard goes back to where it was (the editor, the button that opened it).
    return () => returnFocus(opener);
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' wide' : ''}`}
      onCancel={(e) => {
        e.preventDefault();
        inBackground(tryClose(), 'close the dialog');
      }}
      aria-label={title}
      data-testid={testId}
    >
      <div className="dialog-head">
        <h2>{title}</h2>
        <button
          type="button"
          className="link"
          aria-label="Close"
          onClick={() => inBackground(tryClose(), 'close the dialog')}
        >
          ×
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
