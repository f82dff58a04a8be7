import { useEffect, useRef, type ReactNode } from 'react';
import { inBackground } from '../store/background';
import { focusDropped, focusToReturn, returnFocus } from '../lib/return-focus';
import { focusPrimaryEditor } from '../lib/primary-editor';
import { focusResourceList } from '../lib/commands';

/** A modal built on <dialog>: focus is trapped by the browser, Escape closes it. */
type Props = {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
  /** Asked before closing (Escape or ×); false keeps the dialog open. */
  canClose?: () => boolean | Promise<boolean>;
  /**
   * Where the keyboard goes on closing when the control that opened the dialog has left the page
   * meanwhile (looked up then: it may be a new element by the same name).
   */
  returnTo?: () => HTMLElement | null;
};

export function Dialog({
  title,
  onClose,
  children,
  wide = false,
  testId,
  canClose,
  returnTo,
}: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  // The lookup given when the dialog opened (it finds its element when called, at closing).
  const returnToRef = useRef(returnTo);
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
    // That control may be gone (the batch's "Show the batch" leaves the sidebar while the batch is
    // on show, and for good once it is settled): then to the dialog's own choice, else the tab's
    // editor, else the list, never <body>.
    const returnRef = returnToRef;
    return () => {
      if (opener?.isConnected) return returnFocus(opener);
      if (!focusDropped()) return;
      const target = returnRef.current?.() ?? null;
      if (target) target.focus();
      else if (!focusPrimaryEditor()) focusResourceList();
    };
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
