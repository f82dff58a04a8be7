// A modal taken off the page (Escape, ×, an answer) leaves the keyboard on <body>: the browser
// gives focus back only when a <dialog> is closed, not when it is removed. These give it back to
// the control that had it when the modal opened, unless something else has taken it since.

/** What has the keyboard now, to be given back later; null when nothing does. */
export function focusToReturn(): HTMLElement | null {
  const el = document.activeElement;
  return el instanceof HTMLElement && el !== document.body ? el : null;
}

/** Gives the keyboard back to `el` when focus was dropped (on <body>) and `el` is still there. */
export function returnFocus(el: HTMLElement | null): void {
  if (el && el.isConnected && focusDropped()) el.focus();
}

/** True when nothing has the keyboard: the control that had it was taken off the page. */
export function focusDropped(): boolean {
  const now = document.activeElement;
  return now === null || now === document.body || !now.isConnected;
}
