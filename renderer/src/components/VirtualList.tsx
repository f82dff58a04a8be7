import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from 'react';

type Props<T> = {
  items: readonly T[];
  rowHeight: number;
  renderRow: (item: T, index: number) => ReactNode;
  /** Called when the operator scrolls near the end (to load the next page). */
  onNearEnd?: () => void;
  overscan?: number;
  label: string;
  testId?: string;
  /** The row that holds the keyboard (roving focus): scrolled into view and focused when it changes. */
  focusIndex?: number | null;
  onKeyDown?: (e: ReactKeyboardEvent<HTMLDivElement>) => void;
};

/**
 * Renders only the rows in view (plus a few), so ten thousand rows scroll as smoothly as ten.
 * Rows have a fixed height; the spacer keeps the scrollbar true to the whole list.
 */
export function VirtualList<T>({
  items,
  rowHeight,
  renderRow,
  onNearEnd,
  overscan = 8,
  label,
  testId,
  focusIndex = null,
  onKeyDown,
}: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    if (onNearEnd && el.scrollTop + el.clientHeight > el.scrollHeight - rowHeight * 20) onNearEnd();
  }, [onNearEnd, rowHeight]);

  // Roving focus: bring the row into view, then (once rendered) give it the keyboard. The scroll
  // event re-renders the rows in view; the focus waits for that render when the row is not there yet.
  const wantFocus = useRef<number | null>(null);
  const focusWanted = () => {
    if (wantFocus.current === null) return;
    const row = ref.current?.querySelector<HTMLElement>(
      `[data-index="${wantFocus.current}"] button`,
    );
    if (!row) return;
    row.focus();
    wantFocus.current = null;
  };
  useEffect(() => {
    const el = ref.current;
    if (!el || focusIndex === null) return;
    const top = focusIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + rowHeight - el.clientHeight;
    wantFocus.current = focusIndex;
    focusWanted();
  }, [focusIndex, rowHeight]);
  useEffect(focusWanted);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        className="virtual-row"
        style={{ top: i * rowHeight, height: rowHeight }}
        data-index={i}
      >
        {renderRow(items[i]!, i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="virtual-list"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
      role="list"
      aria-label={label}
      data-testid={testId}
      data-row-count={items.length}
    >
      <div className="virtual-spacer" style={{ height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}
