import { activeTab, useDesk } from '../store';
import { isDirty } from '../store/tabs-slice';
import { unresolved } from '../merge/merge-session';
import { EditView } from './EditView';
import { HistoryView } from './HistoryView';
import { MergeView } from './MergeView';
import { QuickLook } from './QuickLook';
import { inBackground } from '../store/background';
import { useEffect, useId, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { focusResourceList } from '../lib/commands';
import { focusDropped } from '../lib/return-focus';
import { focusPrimaryEditor } from '../lib/primary-editor';

export function Workspace() {
  const tabs = useDesk((s) => s.tabs);
  const activeKey = useDesk((s) => s.activeTabKey);
  const activate = useDesk((s) => s.activateTab);
  const close = useDesk((s) => s.closeTab);
  const tab = useDesk(activeTab);
  // The selected tab controls the one panel shown, which is named by that tab (screen readers
  // announce "tab 2 of 3" and move between the tab and its content).
  const ids = useId();
  const tabId = (index: number) => `${ids}-tab-${index}`;
  const panelId = `${ids}-panel`;
  const activeIndex = tabs.findIndex((t) => t.key === activeKey);
  // One Tab stop for the whole strip (the selected tab, then its ×), arrows between tabs, as a
  // tab list works elsewhere: with ten resources open the editor is not twenty Tabs away.
  const tabButtons = useRef<Array<HTMLButtonElement | null>>([]);
  const moveByKey = (e: KeyboardEvent, index: number) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const n = tabs.length;
    const targets: Record<string, number> = {
      ArrowRight: (index + 1) % n,
      ArrowLeft: (index - 1 + n) % n,
      Home: 0,
      End: n - 1,
    };
    const to = targets[e.key];
    if (to === undefined) return;
    e.preventDefault();
    activate(tabs[to]!.key);
    tabButtons.current[to]?.focus();
  };

  // A tab closed (its × or Alt+W) takes the control that had the keyboard with it: the keyboard
  // goes to the tab now shown, or back to the list when none is left. (An editor that just
  // mounted has taken it already: children's effects run first.)
  useEffect(() => {
    if (!focusDropped()) return;
    if (tabs.length === 0) focusResourceList();
    else document.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }, [tabs.length]);

  // A control inside the tab that had the keyboard left the page with what it did (a message
  // dismissed, a banner settled, an Undo): the keyboard goes back to the tab's editor rather than
  // staying on <body>. Only when the keyboard was inside the tab: a click on the page's background
  // (the control still there) leaves it where the operator put it.
  const keyboardInside = useRef(false);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = panel.current;
    if (!el) return;
    const focusIn = () => (keyboardInside.current = true);
    const focusOut = (e: FocusEvent) => {
      const from = e.target as Element;
      setTimeout(() => {
        if (from.isConnected) keyboardInside.current = el.contains(document.activeElement);
      }, 0);
    };
    el.addEventListener('focusin', focusIn);
    el.addEventListener('focusout', focusOut);
    return () => {
      el.removeEventListener('focusin', focusIn);
      el.removeEventListener('focusout', focusOut);
    };
  }, [tab?.key]);
  useEffect(() => {
    if (keyboardInside.current && focusDropped()) focusPrimaryEditor();
  });

  if (tabs.length === 0) {
    return (
      <section className="workspace empty-state" aria-label="Editor">
        <div>
          <h2>Open a resource</h2>
          <p className="muted">
            Pick one from the list on the left. You edit its JSON here; saving is always conditional
            on the revision you opened, so a colleague’s change is never overwritten silently.
          </p>
          <p className="muted small">
            Press <kbd>Ctrl</kbd>+<kbd>K</kbd> for commands, <kbd>F1</kbd> for shortcuts.
          </p>
          <h3>Quick look at any URL</h3>
          <p className="muted small">
            A read-only GET through the app’s backend, showing the JSON, the HTTP status and the
            ETag.
          </p>
          <QuickLook />
        </div>
      </section>
    );
  }

  return (
    <section className="workspace" aria-label="Editor">
      <div className="tab-bar" role="tablist" aria-label="Open resources">
        {tabs.map((t, index) => {
          const pending = t.merge ? unresolved(t.merge).length : 0;
          const inTabOrder = index === (activeIndex >= 0 ? activeIndex : 0);
          return (
            <div
              key={t.key}
              className={`tab${t.key === activeKey ? ' active' : ''}`}
              role="presentation"
            >
              <button
                type="button"
                role="tab"
                id={tabId(index)}
                aria-selected={t.key === activeKey}
                aria-controls={t.key === activeKey ? panelId : undefined}
                tabIndex={inTabOrder ? 0 : -1}
                ref={(el) => {
                  tabButtons.current[index] = el;
                }}
                className="tab-label"
                onClick={() => activate(t.key)}
                onKeyDown={(e) => moveByKey(e, index)}
                title={`${t.connectionName} · ${t.ref.id}`}
                data-testid="tab"
              >
                {isDirty(t) ? (
                  <span className="dirty-dot" aria-label="unsaved changes">
                    ●
                  </span>
                ) : null}
                <span className="ellipsis">{t.title}</span>
                {t.view === 'merge' && pending > 0 ? (
                  // Read aloud, a bare number after the title says nothing: it says what it counts.
                  <span className="chip warn">
                    <span aria-hidden="true">{pending}</span>
                    <span className="visually-hidden">
                      {pending} conflict{pending === 1 ? '' : 's'} open
                    </span>
                  </span>
                ) : null}
              </button>
              <button
                type="button"
                className="tab-close"
                tabIndex={inTabOrder ? 0 : -1}
                aria-label={`Close ${t.title}`}
                onClick={() => inBackground(close(t.key), 'close the tab')}
              >
                ×
              </button>
            </div>
          );
        })}
      </div>
      {tab ? (
        <div
          className="tab-panel"
          role="tabpanel"
          id={panelId}
          aria-labelledby={activeIndex >= 0 ? tabId(activeIndex) : undefined}
          key={tab.key}
          ref={panel}
        >
          {tab.view === 'merge' && tab.merge ? (
            <MergeView tab={tab} />
          ) : tab.view === 'history' ? (
            <HistoryView tab={tab} />
          ) : (
            <EditView tab={tab} />
          )}
        </div>
      ) : null}
    </section>
  );
}
