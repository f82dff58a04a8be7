import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import type { BatchState, ResourceSummary } from '../../../shared/api/types';
import { useShallow } from 'zustand/react/shallow';
import { useDesk } from '../store';
import { isWaiting } from '../store/batch-slice';
import { tabKey } from '../store/tabs-slice';
import { VirtualList } from './VirtualList';
import { TeamPresenceChip } from '../team/TeamPresenceChip';
import { requestEditorFocus } from '../lib/commands';
import { inBackground } from '../store/background';

const ROW_HEIGHT = 48;

export function Sidebar() {
  const connections = useDesk((s) => s.connections);
  const activeId = useDesk((s) => s.activeConnectionId);
  const select = useDesk((s) => s.selectConnection);
  const openDialog = useDesk((s) => s.openDialog);
  const loaded = useDesk((s) => s.connectionsLoaded);
  const loadError = useDesk((s) => s.connectionsError);
  const active = connections.find((c) => c.id === activeId) ?? null;

  return (
    <aside className="sidebar" aria-label="Resources">
      <div className="sidebar-section">
        <label className="field-label" htmlFor="connection-select">
          Connection
        </label>
        <div className="row gap">
          <select
            id="connection-select"
            data-testid="connection-select"
            value={activeId ?? ''}
            onChange={(e) => select(e.target.value)}
          >
            {connections.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="secondary"
            onClick={() => openDialog('connections')}
            title="Add, edit or test connections"
          >
            Manage…
          </button>
        </div>
        {active ? (
          <div className="muted small ellipsis" title={active.baseUrl}>
            {active.profileLabel} · {active.baseUrl}
          </div>
        ) : null}
      </div>
      {active ? (
        <ResourceBrowser key={active.id} />
      ) : loaded ? (
        <p className="muted pad">No connection yet. Add one with “Manage…”.</p>
      ) : (
        <p className="muted pad" data-testid="connections-unread">
          {loadError
            ? 'The connections could not be read: the message above says why.'
            : 'Reading the connections…'}
        </p>
      )}
    </aside>
  );
}

function ResourceBrowser() {
  const profiles = useDesk((s) => s.profiles);
  const connections = useDesk((s) => s.connections);
  const activeId = useDesk((s) => s.activeConnectionId);
  const items = useDesk((s) => s.items);
  const total = useDesk((s) => s.total);
  const loading = useDesk((s) => s.listLoading);
  const error = useDesk((s) => s.listError);
  const filters = useDesk((s) => s.filters);
  const search = useDesk((s) => s.search);
  const nextPageToken = useDesk((s) => s.nextPageToken);
  const leftOut = useDesk((s) => s.leftOut);
  const setFilter = useDesk((s) => s.setFilter);
  const setSearch = useDesk((s) => s.setSearch);
  const loadFirstPage = useDesk((s) => s.loadFirstPage);
  const loadMore = useDesk((s) => s.loadMore);
  const openTab = useDesk((s) => s.openTab);
  const activeTabKey = useDesk((s) => s.activeTabKey);
  const drafts = useDesk((s) => s.drafts);
  const selected = useDesk((s) => s.selected);
  const toggleSelected = useDesk((s) => s.toggleSelected);
  const clearSelected = useDesk((s) => s.clearSelected);
  const openBatch = useDesk((s) => s.openBatch);
  // Every batch that still waits for something, the one on show first; none while the batch
  // view is open (it shows one of them).
  const waitingBatches = useDesk(
    useShallow((s) => {
      if (s.batchOpen) return [];
      const shown = s.batch && isWaiting(s.batch) ? [s.batch] : [];
      return [...shown, ...s.batchesWaiting.filter((b) => b.batchId !== s.batch?.batchId)];
    }),
  );
  const reopenBatch = useDesk((s) => s.reopenBatch);
  const showWaitingBatch = useDesk((s) => s.showWaitingBatch);
  const shownBatchId = useDesk((s) => s.batch?.batchId);
  const connection = connections.find((c) => c.id === activeId);
  const profile = profiles.find((p) => p.id === connection?.profileId);
  const [searchText, setSearchText] = useState(search);
  // Roving focus: the list is one tab stop; arrows move within it, Enter opens.
  const [cursor, setCursor] = useState(0);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const selectedIndex = items.findIndex(
    (item) => activeId !== null && tabKey({ connectionId: activeId, id: item.id }) === activeTabKey,
  );
  const tabStop = Math.min(
    focusIndex !== null ? cursor : selectedIndex >= 0 ? selectedIndex : cursor,
    Math.max(0, items.length - 1),
  );
  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(items.length - 1, index));
    setCursor(next);
    setFocusIndex(next);
  };
  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    // Space ticks the row in focus for a batch edit (Enter still opens it).
    if (e.key === ' ' && !e.altKey && !e.ctrlKey && !e.metaKey && items[tabStop]) {
      e.preventDefault();
      toggleSelected(items[tabStop]!.id);
      return;
    }
    const keys: Record<string, number> = {
      ArrowDown: tabStop + 1,
      ArrowUp: tabStop - 1,
      Home: 0,
      End: items.length - 1,
      PageDown: tabStop + 10,
      PageUp: tabStop - 10,
    };
    const target = keys[e.key];
    if (target === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    moveTo(target);
  };

  useEffect(() => {
    inBackground(loadFirstPage(), 'load the list');
  }, [loadFirstPage]);

  // Search as the operator types, after a short pause.
  useEffect(() => {
    if (searchText === search) return;
    const timer = setTimeout(() => {
      setSearch(searchText);
      inBackground(loadFirstPage(), 'load the list');
    }, 300);
    return () => clearTimeout(timer);
  }, [searchText, search, setSearch, loadFirstPage]);

  const countLabel = useMemo(() => {
    if (loading && items.length === 0) return 'Loading…';
    return total !== null
      ? `${items.length} of ${total}`
      : nextPageToken
        ? `${items.length} loaded, more on scroll`
        : `${items.length} of ${items.length}`;
  }, [items.length, loading, nextPageToken, total]);

  const renderRow = (item: ResourceSummary, index: number) => {
    const key = activeId ? tabKey({ connectionId: activeId, id: item.id }) : '';
    return (
      <button
        type="button"
        className={`resource-row${key === activeTabKey ? ' selected' : ''}${selected.includes(item.id) ? ' ticked' : ''}`}
        aria-pressed={selected.includes(item.id)}
        data-testid="resource-row"
        data-id={item.id}
        tabIndex={index === tabStop ? 0 : -1}
        onFocus={() => setCursor(index)}
        onClick={(e) => {
          if (!activeId) return;
          setCursor(index);
          // Ctrl/Cmd+click ticks the row for a batch edit instead of opening it.
          if (e.ctrlKey || e.metaKey) {
            toggleSelected(item.id);
            return;
          }
          requestEditorFocus(key);
          inBackground(
            openTab({ connectionId: activeId, id: item.id }, item.title),
            'open the resource',
          );
        }}
        title={item.id}
      >
        <span className="resource-title ellipsis">
          {selected.includes(item.id) ? (
            <span className="tick" aria-label="ticked for a batch edit">
              ✓{' '}
            </span>
          ) : null}
          {item.title}
        </span>
        <span className="resource-meta">
          {activeId ? (
            <TeamPresenceChip connectionId={activeId} resourceId={item.id} compact />
          ) : null}
          {drafts[item.id] ? (
            <span
              className={`chip ${drafts[item.id]!.hasMerge ? 'warn' : 'draft'}`}
              data-testid="draft-marker"
              title="Unsaved work is kept for this resource"
            >
              {drafts[item.id]!.hasMerge ? 'merge pending' : 'unsaved edit'}
            </span>
          ) : null}
          {item.status ? <span className={`chip status-${item.status}`}>{item.status}</span> : null}
          <span className="muted ellipsis">{item.subtitle ?? item.id}</span>
          {item.revision !== null ? <span className="muted mono">rev {item.revision}</span> : null}
        </span>
      </button>
    );
  };

  return (
    <div className="browser">
      <div className="sidebar-section">
        <input
          type="search"
          placeholder="Search (text in the resource)"
          aria-label="Search resources"
          data-testid="search"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
        />
        {profile?.filters.length ? (
          <div className="filters">
            {profile.filters.map((f) =>
              f.options ? (
                <select
                  key={f.name}
                  aria-label={f.label}
                  data-testid={`filter-${f.name}`}
                  value={filters[f.name] ?? ''}
                  onChange={(e) => setFilter(f.name, e.target.value)}
                >
                  <option value="">{f.label}: any</option>
                  {f.options.map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              ) : (
                <FilterInput
                  key={f.name}
                  label={f.label}
                  value={filters[f.name] ?? ''}
                  onCommit={(v) => setFilter(f.name, v)}
                  testId={`filter-${f.name}`}
                />
              ),
            )}
          </div>
        ) : null}
        <div className="row between small muted">
          <span data-testid="result-count">
            {countLabel}
            {leftOut > 0
              ? ` · ${leftOut} left out: ${leftOut === 1 ? 'its id holds' : 'their ids hold'} this connection’s credential`
              : ''}
            {Object.keys(drafts).length > 0
              ? ` · ${Object.keys(drafts).length} with unsaved work`
              : ''}
          </span>
          <button
            type="button"
            className="link"
            onClick={() => inBackground(loadFirstPage(), 'load the list')}
          >
            Reload
          </button>
        </div>
        <div className="row between small batch-bar">
          {selected.length > 0 ? (
            <>
              <button
                type="button"
                className="secondary"
                data-testid="batch-selected"
                onClick={() => inBackground(openBatch('selected'), 'open the batch edit')}
              >
                Batch edit {selected.length} ticked
              </button>
              <button type="button" className="link" onClick={clearSelected}>
                Untick all
              </button>
            </>
          ) : (
            <span className="muted" title="Space or Ctrl+click ticks a row">
              Space or Ctrl+click ticks rows
            </span>
          )}
          <button
            type="button"
            className="link"
            data-testid="batch-all"
            onClick={() => inBackground(openBatch('matching'), 'open the batch edit')}
            title="Every resource matching the filter and search, on every page"
          >
            Batch edit all matching…
          </button>
        </div>
        {waitingBatches.map((waiting) => (
          <div className="row small batch-bar" key={waiting.batchId}>
            <button
              type="button"
              className="secondary"
              data-testid="batch-show"
              onClick={() =>
                waiting.batchId === shownBatchId ? reopenBatch() : showWaitingBatch(waiting.batchId)
              }
            >
              {waitingBatches.length > 1 ? `Show “${waiting.description}”` : 'Show the batch'} (
              {BATCH_STATE_WORDS[waiting.state]}
              {waiting.counts.queued > 0 ? ` · ${waiting.counts.queued} in the conflict queue` : ''}
              )
            </button>
          </div>
        ))}
      </div>
      {error ? (
        <div className="inline-error" role="alert">
          {error}
        </div>
      ) : null}
      <VirtualList
        items={items}
        rowHeight={ROW_HEIGHT}
        renderRow={renderRow}
        onNearEnd={() => inBackground(loadMore(), 'load more of the list')}
        label="Resources (arrow keys move, Enter opens, Alt+L comes back here)"
        testId="resource-list"
        focusIndex={focusIndex}
        onKeyDown={onListKey}
      />
    </div>
  );
}

function FilterInput({
  label,
  value,
  onCommit,
  testId,
}: {
  label: string;
  value: string;
  onCommit: (v: string) => void;
  testId: string;
}) {
  const [text, setText] = useState(value);
  return (
    <input
      type="text"
      placeholder={label}
      aria-label={label}
      data-testid={testId}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => text !== value && onCommit(text.trim())}
      onKeyDown={(e) => e.key === 'Enter' && onCommit(text.trim())}
    />
  );
}

const BATCH_STATE_WORDS: Record<BatchState, string> = {
  running: 'running',
  paused: 'paused',
  interrupted: 'interrupted by a restart',
  done: 'done',
  cancelled: 'cancelled',
};
