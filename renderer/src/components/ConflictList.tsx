import { useEffect, useRef, useState } from 'react';
import {
  checkChoice,
  formatParseError,
  parseJson,
  PRETTY,
  stringifyJson,
  type Choice,
  type Conflict,
  type JsonValue,
} from '../../../shared/json';
import { friendlyPath, isStatusField, pathLabel, valuePreview } from '../lib/format';
import { allConflicts, type MergeSession } from '../merge/merge-session';

export type ChoiceRequest = { id: string; choice: Choice };

type Props = {
  session: MergeSession;
  focusId: string | null;
  onChoose: (request: ChoiceRequest) => void;
  onUndo: (id: string) => void;
  /** The keyboard moved into a conflict's card. */
  onFocusCard: (id: string) => void;
  choiceOf: (id: string) => Choice | undefined;
  /** Whether hand edits of the result have since changed what the decision put there. */
  overwritten: (id: string) => boolean;
};

const CHOICE_WORDS: Record<'mine' | 'theirs' | 'base' | 'both', string> = {
  theirs: "Took the server's",
  mine: 'Took mine',
  both: 'Took both',
  base: 'Kept the original',
};

const KIND_WORDS: Record<Conflict['kind'], string> = {
  'both-modified': 'changed on both sides',
  'both-added': 'added on both sides',
  'mine-deleted': 'you removed it, the server changed it',
  'theirs-deleted': 'the server removed it, you changed it',
  'both-reordered': 'reordered differently',
};

/** Every conflict by JSON path, with the three values and one-click choices. */
export function ConflictList({
  session,
  focusId,
  onChoose,
  onUndo,
  onFocusCard,
  choiceOf,
  overwritten,
}: Props) {
  const conflicts = allConflicts(session);
  return (
    <section className="conflict-list" id="conflict-list" aria-label="Conflicts">
      <h3>
        Conflicts <span className="muted">({conflicts.length})</span>
      </h3>
      {conflicts.length === 0 ? (
        <p className="muted small">None: every change merged automatically.</p>
      ) : null}
      <p className="muted small legend">
        Keys, anywhere in the merge view: <kbd>F7</kbd>/<kbd>Shift</kbd>+<kbd>F7</kbd> next/previous
        open conflict · for the one in focus: <kbd>Alt</kbd>+<kbd>T</kbd> server’s, <kbd>Alt</kbd>+
        <kbd>M</kbd> mine, <kbd>Alt</kbd>+<kbd>B</kbd> both, <kbd>Alt</kbd>+<kbd>O</kbd> original ·{' '}
        <kbd>Ctrl</kbd>+<kbd>S</kbd> save the result · <kbd>Ctrl</kbd>+<kbd>M</kbd>, then{' '}
        <kbd>Tab</kbd>, leaves the Result for these cards
      </p>
      {conflicts.map((conflict) => (
        <ConflictCard
          key={conflict.id}
          conflict={conflict}
          label={friendlyPath(session.resolution.mine, conflict.path)}
          focused={conflict.id === focusId}
          choice={choiceOf(conflict.id)}
          overwritten={overwritten(conflict.id)}
          onChoose={onChoose}
          onUndo={onUndo}
          onFocusCard={onFocusCard}
        />
      ))}
    </section>
  );
}

function ConflictCard({
  conflict,
  label,
  focused,
  choice,
  overwritten,
  onChoose,
  onUndo,
  onFocusCard,
}: {
  conflict: Conflict;
  label: string;
  focused: boolean;
  choice: Choice | undefined;
  overwritten: boolean;
  onChoose: Props['onChoose'];
  onUndo: Props['onUndo'];
  onFocusCard: Props['onFocusCard'];
}) {
  const [editing, setEditing] = useState(false);
  const [custom, setCustom] = useState('');
  const [error, setError] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const card = useRef<HTMLElement>(null);
  const choices = useRef<HTMLDivElement>(null);
  // F7 (or a decision) moves the focus to this conflict: its card comes into view in the list,
  // which shows only one or two cards at 1280×720.
  useEffect(() => {
    if (focused) card.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const allowed = (c: Choice) => checkChoice(conflict, c) === undefined;
  const pick = (c: Choice) => onChoose({ id: conflict.id, choice: c });

  const startEdit = () => {
    const start = conflict.mine ?? conflict.theirs ?? null;
    setCustom(stringifyJson(start as JsonValue, PRETTY).trimEnd());
    setError(null);
    setEditing(true);
  };
  const applyCustom = () => {
    const parsed = parseJson(custom);
    if (!parsed.ok) {
      setError(`Not valid JSON — ${formatParseError(parsed.error)}`);
      return;
    }
    pick({ custom: parsed.value });
    setEditing(false);
  };
  /** Cancel (or Escape in the value): the keyboard goes back to *Edit…*, not to the page. */
  const cancelEdit = () => {
    setEditing(false);
    editButton.current?.focus();
  };

  return (
    <article
      className={`conflict-card${focused ? ' focused' : ''}${choice !== undefined ? ' settled' : ''}`}
      data-testid="conflict-card"
      data-path={conflict.path}
      data-conflict-id={conflict.id}
      ref={card}
      aria-label={`Conflict at ${label}`}
      // The keyboard on a card makes it the conflict in focus: the Alt keys settle it, F7 goes on from it.
      onFocus={() => onFocusCard(conflict.id)}
    >
      <header>
        <span className="mono path" title={conflict.path}>
          {label}
        </span>
        <span className="muted small">{KIND_WORDS[conflict.kind]}</span>
        {isStatusField(conflict.path) ? <span className="chip warn">status</span> : null}
        {choice !== undefined ? (
          <span className={`chip ${overwritten ? 'warn' : 'ok'}`} data-testid="conflict-choice">
            {typeof choice === 'object' ? 'Edited by hand' : CHOICE_WORDS[choice]}
            {overwritten ? ', since changed in the Result' : ''}{' '}
            <button
              type="button"
              className="link"
              aria-label={`Undo the decision for ${label}`}
              onClick={() => {
                onUndo(conflict.id);
                // This button goes with the decision: the keyboard stays on the card, on its choices.
                choices.current?.querySelector<HTMLElement>('button:not(:disabled)')?.focus();
              }}
            >
              Undo
            </button>
          </span>
        ) : (
          <span className="chip warn">Needs a decision</span>
        )}
      </header>
      <dl className="three-values">
        <dt>When you opened it</dt>
        <dd className="mono" data-testid="value-base">
          {valuePreview(conflict.base, 120)}
        </dd>
        <dt className="theirs">Server now</dt>
        <dd className="mono" data-testid="value-theirs">
          {valuePreview(conflict.theirs, 120)}
        </dd>
        <dt className="mine">Your edit</dt>
        <dd className="mono" data-testid="value-mine">
          {valuePreview(conflict.mine, 120)}
        </dd>
        {typeof choice === 'object' ? (
          <>
            <dt className="result">Your value</dt>
            <dd className="mono" data-testid="value-custom">
              {valuePreview(choice.custom, 120)}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="choices" ref={choices}>
        {(
          [
            ['theirs', 'Take server’s'],
            ['mine', 'Take mine'],
            ['both', 'Take both'],
            ['base', 'Keep original'],
          ] as const
        ).map(([c, words]) =>
          c === 'both' && (!allowed('both') || conflict.kind === 'both-reordered') ? null : (
            <button
              key={c}
              type="button"
              className={`secondary${choice === c ? ' chosen' : ''}`}
              aria-pressed={choice === c}
              onClick={() => pick(c)}
              disabled={!allowed(c)}
            >
              {words}
            </button>
          ),
        )}
        {conflict.kind !== 'both-reordered' ? (
          <button
            type="button"
            className={`secondary${typeof choice === 'object' ? ' chosen' : ''}`}
            aria-pressed={typeof choice === 'object'}
            onClick={startEdit}
            ref={editButton}
          >
            Edit…
          </button>
        ) : null}
      </div>
      {editing ? (
        <div className="custom-value">
          <textarea
            aria-label={`Value for ${pathLabel(conflict.path)}`}
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Escape') return;
              e.preventDefault();
              cancelEdit();
            }}
            // Edit… puts the keyboard in the value it opens.
            autoFocus
            rows={Math.min(10, custom.split('\n').length + 1)}
            spellCheck={false}
          />
          {error ? <div className="inline-error">{error}</div> : null}
          <div className="row gap">
            <button type="button" onClick={applyCustom}>
              Use this value
            </button>
            <button type="button" className="secondary" onClick={cancelEdit}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </article>
  );
}
