import { useEffect, useRef } from 'react';
import { useDesk } from '../store';
import { focusToReturn, returnFocus } from '../lib/return-focus';

/** The app's confirmation: a modal <dialog> in the app's own words, answered by keyboard or mouse. */
export function QuestionDialog() {
  const question = useDesk((s) => s.question);
  const answer = useDesk((s) => s.answer);
  const ref = useRef<HTMLDialogElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!question) return;
    const opener = focusToReturn();
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // The safe answer has the focus for a destructive action, the action itself otherwise.
    if (!question.danger) confirmRef.current?.focus();
    // Answered, the keyboard goes back to the control that asked (unless the answer moved it).
    return () => returnFocus(opener);
  }, [question]);
  if (!question) return null;
  return (
    <dialog
      ref={ref}
      className="dialog question"
      aria-label={question.title}
      data-testid="question"
      onCancel={(e) => {
        e.preventDefault();
        answer(false);
      }}
    >
      <div className="dialog-head">
        <h2>{question.title}</h2>
      </div>
      <div className="dialog-body">
        <p>{question.body}</p>
        {question.items && question.items.length > 0 ? (
          <ul className="question-items" data-testid="question-items">
            {question.items.map((item, i) => (
              <li key={i} className="mono small">
                {item}
              </li>
            ))}
          </ul>
        ) : null}
        {question.note ? <p className="muted small">{question.note}</p> : null}
        <div className="row gap end">
          <button
            type="button"
            className="secondary"
            onClick={() => answer(false)}
            autoFocus={question.danger === true}
            data-testid="question-cancel"
          >
            Cancel
          </button>
          <button
            type="button"
            ref={confirmRef}
            className={question.danger ? 'danger' : ''}
            onClick={() => answer(true)}
            data-testid="question-confirm"
          >
            {question.confirm}
          </button>
        </div>
      </div>
    </dialog>
  );
}
