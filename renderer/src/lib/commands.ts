// Every command once: the palette lists them, the shortcut sheet shows their keys, and the global
// key handler runs them. Keys avoid the browser's own (Ctrl+W, Ctrl+H) so browser mode works too.
import { parseJson } from '../../../shared/json';
import { activeTab, useDesk, type DeskState } from '../store';
import { inBackground } from '../store/background';
import { isDirty } from '../store/tabs-slice';
import { saveEdit } from './unguarded-save';
export { mergeKeyChoice } from './keys';

export type Command = {
  id: string;
  title: string;
  keys: string[];
  /** Matches a keydown; absent for palette-only commands. */
  match?: (e: KeyboardEvent) => boolean;
  enabled: (s: DeskState) => boolean;
  run: (s: DeskState) => void;
};

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const hasTab = (s: DeskState) => activeTab(s) !== null;

export const COMMANDS: Command[] = [
  {
    id: 'save',
    title: 'Save (or save the merge result)',
    keys: ['Ctrl+S', '⌘S'],
    match: (e) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 's',
    enabled: hasTab,
    run: (s) => {
      const tab = activeTab(s);
      if (!tab) return;
      if (tab.view === 'merge') {
        inBackground(s.saveMerge(tab.key), 'save the merge result');
        return;
      }
      // Same rule as the Save button: nothing to save, or invalid JSON, means no request at all.
      if (!isDirty(tab) || !parseJson(tab.text).ok) return;
      // The same questions the button asks (no revision to guard the write, a draft's unread base).
      inBackground(saveEdit(s, tab), 'save');
    },
  },
  {
    id: 'palette',
    title: 'Command palette',
    keys: ['Ctrl+K', 'Ctrl+Shift+P'],
    match: (e) =>
      mod(e) && (e.key.toLowerCase() === 'k' || (e.shiftKey && e.key.toLowerCase() === 'p')),
    enabled: () => true,
    run: (s) => s.openDialog('palette'),
  },
  {
    id: 'shortcuts',
    title: 'Keyboard shortcuts',
    keys: ['F1'],
    match: (e) => e.key === 'F1',
    enabled: () => true,
    run: (s) => s.openDialog('shortcuts'),
  },
  {
    id: 'next-conflict',
    title: 'Next unresolved conflict',
    keys: ['F7'],
    enabled: (s) => activeTab(s)?.view === 'merge',
    run: () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F7' })),
  },
  {
    id: 'prev-conflict',
    title: 'Previous unresolved conflict',
    keys: ['Shift+F7'],
    enabled: (s) => activeTab(s)?.view === 'merge',
    run: () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F7', shiftKey: true })),
  },
  {
    id: 'refresh',
    title: 'Check the server for a newer revision',
    keys: ['Alt+R'],
    match: (e) => e.altKey && e.key.toLowerCase() === 'r',
    enabled: hasTab,
    run: (s) => inBackground(s.refresh(activeTab(s)!.key), 'check the server'),
  },
  {
    id: 'history',
    title: 'History of this resource',
    keys: ['Alt+H'],
    match: (e) => e.altKey && e.key.toLowerCase() === 'h',
    enabled: hasTab,
    run: (s) => s.setView(activeTab(s)!.key, 'history'),
  },
  {
    id: 'editor',
    title: 'Back to the editor (or the merge in progress)',
    keys: ['Alt+E'],
    match: (e) => e.altKey && e.key.toLowerCase() === 'e',
    enabled: (s) => {
      const t = activeTab(s);
      return t !== null && t.view === 'history';
    },
    run: (s) => {
      const t = activeTab(s)!;
      s.setView(t.key, t.merge ? 'merge' : 'edit');
    },
  },
  {
    id: 'close-tab',
    title: 'Close this tab',
    keys: ['Alt+W'],
    match: (e) => e.altKey && e.key.toLowerCase() === 'w',
    enabled: hasTab,
    run: (s) => inBackground(s.closeTab(activeTab(s)!.key), 'close the tab'),
  },
  {
    id: 'activity',
    title: 'Show or hide HTTP activity',
    keys: ['Ctrl+J'],
    match: (e) => mod(e) && e.key.toLowerCase() === 'j',
    enabled: () => true,
    run: (s) => s.toggleActivity(),
  },
  {
    id: 'list',
    title: 'Go to the resource list (arrow keys move, Enter opens)',
    keys: ['Alt+L'],
    match: (e) => e.altKey && !mod(e) && e.key.toLowerCase() === 'l',
    enabled: () => true,
    run: () => focusResourceList(),
  },
  {
    id: 'take-theirs',
    title: 'Merge: take the server’s value for the conflict in focus',
    keys: ['Alt+T', 'Alt+1'],
    enabled: (s) => activeTab(s)?.view === 'merge',
    run: () => window.dispatchEvent(new KeyboardEvent('keydown', { altKey: true, code: 'KeyT' })),
  },
  {
    id: 'take-mine',
    title: 'Merge: take your value for the conflict in focus',
    keys: ['Alt+M', 'Alt+2'],
    enabled: (s) => activeTab(s)?.view === 'merge',
    run: () => window.dispatchEvent(new KeyboardEvent('keydown', { altKey: true, code: 'KeyM' })),
  },
  {
    id: 'take-both',
    title: 'Merge: take both (lists) for the conflict in focus',
    keys: ['Alt+B', 'Alt+3'],
    enabled: (s) => activeTab(s)?.view === 'merge',
    run: () => window.dispatchEvent(new KeyboardEvent('keydown', { altKey: true, code: 'KeyB' })),
  },
  {
    id: 'take-base',
    title: 'Merge: keep the original value for the conflict in focus',
    keys: ['Alt+O', 'Alt+0'],
    enabled: (s) => activeTab(s)?.view === 'merge',
    run: () => window.dispatchEvent(new KeyboardEvent('keydown', { altKey: true, code: 'KeyO' })),
  },
  {
    id: 'connections',
    title: 'Manage connections',
    keys: [],
    enabled: () => true,
    run: (s) => s.openDialog('connections'),
  },
  {
    id: 'search',
    title: 'Search resources',
    keys: ['/'],
    enabled: () => true,
    run: () =>
      (document.querySelector('[data-testid="search"]') as HTMLInputElement | null)?.focus(),
  },
  {
    id: 'batch-ticked',
    title: 'Batch edit the ticked resources',
    keys: [],
    enabled: (s) => s.selected.length > 0,
    run: (s) => inBackground(s.openBatch('selected'), 'open the batch edit'),
  },
  {
    id: 'batch-matching',
    title: 'Batch edit every resource matching the filter',
    keys: [],
    enabled: (s) => s.activeConnectionId !== null,
    run: (s) => inBackground(s.openBatch('matching'), 'open the batch edit'),
  },
  {
    id: 'batch-show',
    title: 'Show the batch in progress',
    keys: [],
    enabled: (s) => s.batch !== null,
    run: (s) => s.reopenBatch(),
  },
  {
    id: 'reload-list',
    title: 'Reload the resource list',
    keys: [],
    enabled: (s) => s.activeConnectionId !== null,
    run: (s) => inBackground(s.loadFirstPage(), 'load the list'),
  },
];

/** Focus is where the operator types: a form field, or any editor (Monaco's input is neither). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
    return true;
  return target.closest('.monaco-editor') !== null;
}

let focusEditorOf: string | null = null;
/** Asks the editor of the tab about to open to take the keyboard once it is on screen. */
export function requestEditorFocus(tabKey: string): void {
  focusEditorOf = tabKey;
}
/** True once for the tab whose editor should take the keyboard now. */
export function takeEditorFocusRequest(tabKey: string): boolean {
  if (focusEditorOf !== tabKey) return false;
  focusEditorOf = null;
  return true;
}

/** The resource list is one tab stop: focus goes to its selected row, else its first. */
export function focusResourceList(): void {
  const list = document.querySelector<HTMLElement>('[data-testid="resource-list"]');
  const row =
    list?.querySelector<HTMLElement>('.resource-row.selected') ??
    list?.querySelector<HTMLElement>('.resource-row');
  row?.focus();
}

/**
 * True while a modal is on screen (connections, palette, shortcuts, batch edit, team store, a
 * question). The page behind it is inert: an app shortcut must not act on it unseen (Alt+W closed
 * the tab behind the Connections dialog, Ctrl+K swapped that dialog, and its form, for the palette).
 */
export function modalOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}

/**
 * The global key handler, registered in the capture phase so app shortcuts (Ctrl+S, Ctrl+K, F1…)
 * reach the app before Monaco takes them; a plain key such as `/` never fires while the operator
 * types in a field or an editor.
 */
export function handleGlobalKey(e: KeyboardEvent): void {
  const state = useDesk.getState();
  if (state.question || modalOpen()) return;
  if (e.key === '/' && !isTypingTarget(e.target) && !mod(e) && !e.altKey && !state.dialog) {
    e.preventDefault();
    COMMANDS.find((c) => c.id === 'search')!.run(state);
    return;
  }
  for (const command of COMMANDS) {
    if (command.match?.(e) && command.enabled(state)) {
      e.preventDefault();
      e.stopPropagation();
      command.run(state);
      return;
    }
  }
}
