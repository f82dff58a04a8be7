import { useMemo, useState } from 'react';
import { COMMANDS } from '../lib/commands';
import { useDesk } from '../store';
import { Dialog } from './Dialog';

export function CommandPalette() {
  const close = useDesk((s) => s.openDialog);
  const state = useDesk();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const matches = useMemo(
    () =>
      COMMANDS.filter(
        (c) =>
          c.id !== 'palette' &&
          c.enabled(state) &&
          c.title.toLowerCase().includes(query.toLowerCase()),
      ),
    [query, state],
  );
  const run = (i: number) => {
    const command = matches[i];
    if (!command) return;
    close(null);
    // Once the palette is gone and the keyboard is back where it was: a command that moves it
    // (search, the list) could not focus anything behind the open modal.
    setTimeout(() => command.run(useDesk.getState()), 0);
  };
  return (
    <Dialog title="Commands" onClose={() => close(null)} testId="palette">
      <input
        className="palette-input"
        placeholder="Type a command…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setIndex((i) => Math.min(i + 1, matches.length - 1));
          }
          if (e.key === 'ArrowUp') {
            e.preventDefault();
            setIndex((i) => Math.max(i - 1, 0));
          }
          if (e.key === 'Enter') {
            e.preventDefault();
            run(index);
          }
        }}
        aria-label="Command"
        // The arrow keys move a selection the input keeps the keyboard for: say which one it is.
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-autocomplete="list"
        aria-activedescendant={matches[index] ? `palette-${matches[index].id}` : undefined}
      />
      <ul className="palette-list" role="listbox" id="palette-list" aria-label="Commands">
        {matches.map((c, i) => (
          <li key={c.id} id={`palette-${c.id}`} role="option" aria-selected={i === index}>
            <button
              type="button"
              className={`link-row${i === index ? ' selected' : ''}`}
              onClick={() => run(i)}
            >
              <span>{c.title}</span>
              <span className="muted small">{c.keys.join(' · ')}</span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function ShortcutsDialog() {
  const close = useDesk((s) => s.openDialog);
  return (
    <Dialog title="Keyboard shortcuts" onClose={() => close(null)} testId="shortcuts">
      <table className="shortcuts">
        <tbody>
          {COMMANDS.filter((c) => c.keys.length > 0).map((c) => (
            <tr key={c.id}>
              <td>{c.title}</td>
              <td>
                {c.keys.map((k) => (
                  <kbd key={k}>{k}</kbd>
                ))}
              </td>
            </tr>
          ))}
          <tr>
            <td>
              In an editor: Tab moves the keyboard on to the next control instead of indenting
              (press again to indent)
            </td>
            <td>
              <kbd>Ctrl+M</kbd>
            </td>
          </tr>
          <tr>
            <td>Accessible diff viewer in a diff (history, “compare with when you opened it”)</td>
            <td>
              <kbd>F7</kbd>
              <kbd>Shift+F7</kbd>
            </td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
