// Key bindings that are plain functions of a key event (no store, no DOM), so they are unit-tested.

/** The merge's choice keys: Alt+T/M/B/O everywhere, Alt+1/2/3/0 too (Electron; Chrome may take them). */
export function mergeKeyChoice(
  e: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>,
): 'theirs' | 'mine' | 'both' | 'base' | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  switch (e.code) {
    case 'KeyT':
    case 'Digit1':
      return 'theirs';
    case 'KeyM':
    case 'Digit2':
      return 'mine';
    case 'KeyB':
    case 'Digit3':
      return 'both';
    case 'KeyO':
    case 'Digit0':
      return 'base';
    default:
      return null;
  }
}
