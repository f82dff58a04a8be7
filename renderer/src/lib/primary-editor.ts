// The editor the shown tab is about (the document's, or the merge's Result): where the keyboard
// goes back to when the control that had it leaves the page (a dismissed message, a settled
// banner), instead of staying on <body>.
type Focusable = { focus(): void };

let primary: Focusable | null = null;

/** Registers the shown tab's main editor; the returned function unregisters it. */
export function setPrimaryEditor(editor: Focusable): () => void {
  primary = editor;
  return () => {
    if (primary === editor) primary = null;
  };
}

export function focusPrimaryEditor(): boolean {
  if (!primary) return false;
  primary.focus();
  return true;
}
