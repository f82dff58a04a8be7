import { memo } from 'react';
import { getAt } from '../../../shared/json';
import { friendlyPath, isStatusField, valuePreview } from '../lib/format';
import {
  autoChanges,
  restoreChange,
  revertChange,
  type MergeSession,
} from '../merge/merge-session';

const SIDE_WORDS = { mine: 'Your edit', theirs: 'Server now', both: 'Both (same change)' } as const;

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
    before.onUpdate === after.onUpdate,
);

function ChangeListRows({ session, onUpdate }: Props) {
  const { base, mine, theirs } = session.resolution;
  const changes = [...autoChanges(session)].sort(
    (a, b) => Number(isStatusField(b.path)) - Number(isStatusField(a.path)),
  );
  return (
    <section className="change-list" aria-label="Automatic changes">
      <h3>
        Merged automatically <span className="muted">({changes.length})</span>
      </h3>
      {changes.length === 0 ? <p className="muted small">Nothing else changed.</p> : null}
      <ul>
        {changes.map((change) => {
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
            >
              <span className={`side ${change.side}`}>{SIDE_WORDS[change.side]}</span>
              <span className="mono path" title={change.path}>
                {friendlyPath(change.op === 'add' ? source : base, change.path)}
              </span>
              <span className="small">
                {status ? <strong>Status changed by someone else: </strong> : null}
                {what}
              </span>
              {change.side !== 'both' ? (
                reverted ? (
                  <button
                    type="button"
                    className="link"
                    onClick={() => onUpdate((s) => restoreChange(s, change.path))}
                  >
                    Re-apply
                  </button>
                ) : (
                  <button
                    type="button"
                    className="link"
                    onClick={() => onUpdate((s) => revertChange(s, change.path))}
                    title="Put back the value from when you opened it"
                  >
                    Revert
                  </button>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
