import { getAt } from '../../../shared/json';
import { pathLabel, valuePreview } from '../lib/format';
import { autoChanges, restoreChange, revertChange, type MergeSession } from '../merge/merge-session';

const SIDE_WORDS = { mine: 'Your edit', theirs: 'Server now', both: 'Both (same change)' } as const;
const OP_WORDS = { add: 'added', remove: 'removed', replace: 'changed', reorder: 'reordered' } as const;

/** The changes merged automatically, each reviewable and revertible. */
export function ChangeList({ session, onUpdate }: { session: MergeSession; onUpdate: (fn: (s: MergeSession) => MergeSession) => void }) {
  const changes = autoChanges(session);
  return (
    <section className="change-list" aria-label="Automatic changes">
      <h3>Merged automatically <span className="muted">({changes.length})</span></h3>
      {changes.length === 0 ? <p className="muted small">Nothing else changed.</p> : null}
      <ul>
        {changes.map((change) => {
          const reverted = session.reverted.includes(change.path);
          const source = change.side === 'theirs' ? session.resolution.theirs : session.resolution.mine;
          return (
            <li key={`${change.side}:${change.path}`} className={reverted ? 'reverted' : ''} data-testid="auto-change" data-path={change.path}>
              <span className={`side ${change.side}`}>{SIDE_WORDS[change.side]}</span>
              <span className="mono path" title={change.path}>{pathLabel(change.path)}</span>
              <span className="muted small">{OP_WORDS[change.op]}{change.op !== 'remove' ? ` → ${valuePreview(getAt(source, change.path), 60)}` : ''}</span>
              {change.side !== 'both' ? (
                reverted ? (
                  <button type="button" className="link" onClick={() => onUpdate((s) => restoreChange(s, change.path))}>Re-apply</button>
                ) : (
                  <button type="button" className="link" onClick={() => onUpdate((s) => revertChange(s, change.path))} title="Put back the value from when you opened it">Revert</button>
                )
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
