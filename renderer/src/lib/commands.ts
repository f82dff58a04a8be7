// Every command once: the palette lists them, the shortcut sheet shows their keys, and the global
// key handler runs them. Keys avoid the browser's own (Ctrl+W, Ctrl+H) so browser mode works too.
import { parseJson } from '../../../shared/json';
import { activeTab, useDesk, type DeskState } from '../store';
import { isDirty } from '../store/tabs-slice';

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
      if (tab.view === 'merge') void s.saveMerge(tab.key);
      // Same rule as the Save button: nothing to save, or invalid JSON, means no request at all.
      else if (tab.base.guarded && isDirty(tab) && parseJson(tab.text).ok) void s.save(tab.key);
    },
  },
  { id: 'palette', title: 'Command palette', keys: ['Ctrl+K', 'Ctrl+Shift+P'], match: (e) => mod(e) && (e.key.toLowerCase() === 'k' || (e.shiftKey && e.key.toLowerCase() === 'p')), enabled: () => true, run: (s) => s.openDialog('palette') },
  { id: 'shortcuts', title: 'Keyboard shortcuts', keys: ['F1'], match: (e) => e.key === 'F1', enabled: () => true, run: (s) => s.openDialog('shortcuts') },
  { id: 'next-conflict', title: 'Next unresolved conflict', keys: ['F7'], enabled: (s) => activeTab(s)?.view === 'merge', run: () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F7' })) },
  { id: 'prev-conflict', title: 'Previous unresolved conflict', keys: ['Shift+F7'], enabled: (s) => activeTab(s)?.view === 'merge', run: () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F7', shiftKey: true })) },
  { id: 'refresh', title: 'Check the server for a newer revision', keys: ['Alt+R'], match: (e) => e.altKey && e.key.toLowerCase() === 'r', enabled: hasTab, run: (s) => void s.refresh(activeTab(s)!.key) },
  { id: 'history', title: 'History of this resource', keys: ['Alt+H'], match: (e) => e.altKey && e.key.toLowerCase() === 'h', enabled: hasTab, run: (s) => s.setView(activeTab(s)!.key, 'history') },
  { id: 'editor', title: 'Back to the editor (or the merge in progress)', keys: ['Alt+E'], match: (e) => e.altKey && e.key.toLowerCase() === 'e', enabled: (s) => { const t = activeTab(s); return t !== null && t.view === 'history'; }, run: (s) => { const t = activeTab(s)!; s.setView(t.key, t.merge ? 'merge' : 'edit'); } },
  { id: 'close-tab', title: 'Close this tab', keys: ['Alt+W'], match: (e) => e.altKey && e.key.toLowerCase() === 'w', enabled: hasTab, run: (s) => void s.closeTab(activeTab(s)!.key) },
  { id: 'activity', title: 'Show or hide HTTP activity', keys: ['Ctrl+J'], match: (e) => mod(e) && e.key.toLowerCase() === 'j', enabled: () => true, run: (s) => s.toggleActivity() },
  { id: 'connections', title: 'Manage connections', keys: [], enabled: () => true, run: (s) => s.openDialog('connections') },
  { id: 'search', title: 'Search resources', keys: ['/'], enabled: () => true, run: () => (document.querySelector('[data-testid="search"]') as HTMLInputElement | null)?.focus() },
  { id: 'reload-list', title: 'Reload the resource list', keys: [], enabled: (s) => s.activeConnectionId !== null, run: (s) => void s.loadFirstPage() },
];

/** The global key handler: runs the first matching enabled command. */
export function handleGlobalKey(e: KeyboardEvent): void {
  const state = useDesk.getState();
  const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(e.target.tagName));
  if (e.key === '/' && !typing && !mod(e) && !e.altKey && !state.dialog) {
    e.preventDefault();
    COMMANDS.find((c) => c.id === 'search')!.run(state);
    return;
  }
  for (const command of COMMANDS) {
    if (command.match?.(e) && command.enabled(state)) {
      e.preventDefault();
      command.run(state);
      return;
    }
  }
}
