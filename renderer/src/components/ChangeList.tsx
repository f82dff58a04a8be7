import { memo, useEffect, useRef, useState } from 'react';
import { getAt } from '../../../shared/json';
import { friendlyPath, isStatusField, valuePreview } from '../lib/format';
import {
  autoChanges,
  restoreChange,
  revertChange,
  revertible,
  type MergeSession,
} from '../merge/merge-session';

const SIDE_WORDS = { mine: 'Your edit', theirs: 'Server now', both: 'Both (same change)' } as const;

/**
 * Rows drawn before "Show all": a 5 MB merge lists a thousand changes, and drawing every row (each
 * with its Revert button) cost the view tens of milliseconds and the keyboard a thousand Tab stops.
 */
export const CHANGES_SHOWN = 100;

type Props = {
  session: MergeSession;
  onUpdate: (fn: (s: MergeSession) => MergeSession) => void;
};

/**
 * The changes merged automatically, each reviewable and revertible; status changes come first.
 * Drawn again only when the changes or the reverted ones change: a 5 MB merge lists hundreds, and
 * moving the focus between conflicts (a new session, the same changes) redrew them all.
 */
export const ChangeList = memo(
  ChangeListRows,
  (before: Props, after: Props) =>
    before.session.resolution === after.session.resolution &&
    before.session.reverted === after.session.reverted &&
    (before.session.manualText === null) === (after.session.manualText === null) &&
    before.onUpdate === after.onUpdate,
);

function ChangeListRows({ session, onUpdate }: Props) {
  const { base, mine, theirs } = session.resolution;
  const [showAll, setShowAll] = useState(false);
  const changes = [...autoChanges(session)].sort(
    (a, b) => Number(isStatusField(b.path)) - Number(isStatusField(a.path)),
  );
  const shown = showAll ? changes : changes.slice(0, CHANGES_SHOWN);
  const handEdited = session.manualText !== null;
  const list = useRef<HTMLUListElement>(null);
  // "Show all" goes away when pressed: the keyboard continues at the first row it brought in (its
  // button, or the row itself: a change in a list has none), never dropped on the page.
  useEffect(() => {
    if (!showAll) return;
    const row = list.current?.children[CHANGES_SHOWN] as HTMLElement | undefined;
    (row?.querySelector('button') ?? row)?.focus();
  }, [showAll]);
  return (
    <section className="change-list" aria-label="Automatic changes">
      <h3>
        Merged automatically <span className="muted">({changes.length})</span>
      </h3>
      {changes.length === 0 ? <p className="muted small">Nothing else changed.</p> : null}
      <ul ref={list}>
        {shown.map((change) => {
          const reverted = session.reverted.includes(change.path);
          const source = change.side === 'theirs' ? theirs : mine;
          const before = getAt(base, change.path);
          // An added element's index can be the merged document's: fall back to the merge to show its value.
          const after =
            getAt(source, change.path) ?? getAt(session.resolution.result.merged, change.path);
          const status = isStatusField(change.path) && change.side === 'theirs';
          const what =
            change.op === 'remove'
              ? `removed ${valuePreview(before, 60)}`
              : before === undefined
                ? `added ${valuePreview(after, 60)}`
                : change.op === 'add'
                  ? `added ${valuePreview(after, 60)}`
                  : change.op === 'reorder'
                    ? 'reordered'
                    : `${valuePreview(before, 40)} → ${valuePreview(after, 40)}`;
          return (
            <li
              key={`${change.side}:${change.path}`}
              className={`${reverted ? 'reverted' : ''}${status ? ' status-change' : ''}`}
              data-testid="auto-change"
              data-path={change.path}
              // Focusable from script only: "Show all" hands the keyboard to a row without a button.
              tabIndex={-1}
            >
              <span className={`side ${change.side}`}>{SIDE_WORDS[change.side]}</span>
              <span className="mono path" title={change.path}>
                {friendlyPath(change.op === 'add' ? source : base, change.path)}
              </span>
              <span className="small">
                {status ? <strong>Status changed on the server: </strong> : null}
                {what}
              </span>
              {/* A change in a list or an order is not revertible (see revertible); with hand
                  edits the Result is the operator's text, which a revert would not change. */}
              {change.side !== 'both' && (reverted || revertible(session, change)) ? (
                reverted ? (
                  <button
                    type="button"
                    className="link"
                    disabled={handEdited}
                    title={handEdited ? 'Reset your hand edits of the result first' : undefined}
                    onClick={() => onUpdate((s) => restoreChange(s, change.path))}
                  >
                    Re-apply
                  </button>
                ) : (
                  <button
                    type="button"
                    className="link"
                    disabled={handEdited}
                    onClick={() => onUpdate((s) => revertChange(s, change.path))}
                    title={
                      handEdited
                        ? 'Reset your hand edits of the result first'
                        : 'Put back the value from when you opened it'
                    }
                  >
                    Revert
                  </button>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
      {shown.length < changes.length ? (
        <button
          type="button"
          className="link"
          data-testid="show-all-changes"
          onClick={() => setShowAll(true)}
        >
          Show all {changes.length} changes ({changes.length - shown.length} more)
        </button>
      ) : null}
    </section>
  );
}
