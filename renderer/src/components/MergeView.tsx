import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api';
import { SNAPSHOT_INDENT } from '../../../shared/api/types';
import { diffPaths, spansOfPointers, type Conflict, type TextSpan } from '../../../shared/json';
import { createJsonModel, monaco } from '../lib/monaco';
import { timeOf } from '../lib/format';
import {
  allConflicts,
  autoChanges,
  choose,
  choiceOf,
  decisionOverwritten,
  editResult,
  conflictForKeys,
  focusedConflict,
  focusOn,
  hasWork,
  moveFocus,
  resetHandEdits,
  restoreSetAside,
  resultPrintedWith,
  resultText,
  saveBlockerWith,
  undoChoice,
  unresolved,
  type MergeSession,
} from '../merge/merge-session';
import { useDesk } from '../store';
import { setPrimaryEditor } from '../lib/primary-editor';
import { inBackground } from '../store/background';
import type { Tab } from '../store/tabs-slice';
import { ChangeList } from './ChangeList';
import { ConflictList, type ChoiceRequest } from './ConflictList';
import { JsonDiff, JsonEditor, modelUri } from './JsonEditor';
import { parseText } from '../lib/parsed-texts';
import { textCache } from '../lib/text-cache';
import { LARGE_TEXT, useSettledParseState } from '../lib/use-settled-parse';
import { watchSaves, type SaveSent } from '../merge/save-watch';
import { MessageBar } from './MessageBar';
import { UnknownOutcomeBanner } from './UnknownOutcomeBanner';
import { overwriteRevertsOf } from '../session/reverts';
import { mergeKeyChoice, modalOpen } from '../lib/commands';

type CodeEditor = editor.IStandaloneCodeEditor;

// Finding positions means one pass over a megabyte text, so each pane's text is scanned once
// for every pointer it needs (its conflicts and its automatic changes together), and the answers
// are kept per text: the panes ask for the same paths in the same few texts again and again.
// Texts compared, not hashed (text-cache): the Result's text is new at every key press.
const rangeCache = textCache<Map<string, TextSpan | undefined>>(6);

/** Where `pointers` lie in `text`; `printedWith` when the app printed it with that indent. */
function rangesIn(
  text: string,
  pointers: readonly string[],
  printedWith?: string,
): Array<TextSpan | undefined> {
  let known = rangeCache.get(text);
  if (!known) {
    known = new Map();
    rangeCache.set(text, known);
  }
  const missing = [...new Set(pointers.filter((p) => !known.has(p)))];
  if (missing.length > 0)
    spansOfPointers(text, missing, printedWith).forEach((range, i) =>
      known.set(missing[i]!, range),
    );
  return pointers.map((p) => known.get(p));
}

/** The "Your edit" pane's path (its editor model's name) in the merge view of a tab. */
const minePanePath = (tabKey: string) => `merge-mine/${tabKey}`;

/**
 * While a large save is under way, the pane that would show the operator's text if it conflicts is
 * prepared: its editor model, and where the changes from the base lie in the text (the merge's
 * changes on the operator's side are those). A save that does not conflict drops the model; a
 * conflict's merge view finds both ready. Whatever the guess misses is done when the view opens.
 */
function prepareMinePane({ key, sentText, baseText }: SaveSent) {
  if (sentText.length < PREPARE_FROM) return;
  const uri = modelUri(minePanePath(key));
  let made: editor.ITextModel | null = null;
  const drop = () => {
    if (made && !made.isDisposed() && !made.isAttachedToEditor()) made.dispose();
  };
  // After the request has left, so the save never waits for this.
  const timer = setTimeout(() => {
    if (!monaco.editor.getModel(uri)) made = createJsonModel(sentText, uri);
    const base = parseText(baseText);
    const mine = parseText(sentText);
    if (base.ok && mine.ok)
      rangesIn(
        sentText,
        diffPaths(base.value, mine.value).map((c) => c.path),
      );
  }, 0);
  return (kind: string) => {
    clearTimeout(timer);
    // A conflict's view takes the model at once; one never shown (the tab closed) goes later.
    if (kind === 'conflict') setTimeout(drop, UNUSED_MODEL_MS);
    else drop();
  };
}

/** Saves of texts this large prepare the merge's "Your edit" pane while they wait. */
const PREPARE_FROM = 256 * 1024;
/** A prepared pane no merge view took within this long is dropped. */
const UNUSED_MODEL_MS = 60_000;

watchSaves(prepareMinePane);

/**
 * The indent a pane's text was printed with, when it was: the Result by the session unless the
 * operator typed it (resultPrintedWith), Server now by the host (a snapshot's text always is). Your
 * edit is as you wrote it.
 */
const printedWith = (session: MergeSession, pane: Pane) =>
  pane === 'result' ? resultPrintedWith(session) : pane === 'theirs' ? SNAPSHOT_INDENT : undefined;

const conflictRanges = (text: string, session: MergeSession, pane: Pane) =>
  rangesIn(
    text,
    allConflicts(session).map((c) => c.path),
    printedWith(session, pane),
  );

type Pane = 'result' | 'theirs' | 'mine';

/**
 * Highlights, in one pane: each conflict's value (undecided, settled, in focus — in the Result an
 * undecided one also says so at the end of its line, since it shows your value until you choose),
 * and the changes merged automatically, coloured by whose they are (the legend under the panes).
 */
function decorate(
  ed: CodeEditor | null,
  text: string,
  session: MergeSession,
  collection: editor.IEditorDecorationsCollection | null,
  pane: Pane,
) {
  if (!ed || !collection) return;
  const model = ed.getModel();
  if (!model) return;
  const pending = new Set(unresolved(session).map((c) => c.id));
  const focus = focusedConflict(session)?.id;
  const decorations: editor.IModelDeltaDecoration[] = [];
  const rangeOf = (range: TextSpan) => {
    const from = model.getPositionAt(range.keyOffset ?? range.offset);
    const to = model.getPositionAt(range.offset + range.length);
    return new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column);
  };
  const conflicts = allConflicts(session);
  // Automatic changes: the server's in its pane, yours in yours, both kinds in the Result.
  const changes = autoChanges(session).filter(
    (c) =>
      !session.reverted.includes(c.path) &&
      (pane === 'result' || c.side === pane || c.side === 'both'),
  );
  const all = rangesIn(
    text,
    [...conflicts.map((c) => c.path), ...changes.map((c) => c.path)],
    printedWith(session, pane),
  );
  const ranges = all.slice(0, conflicts.length);
  const changeRanges = all.slice(conflicts.length);
  conflicts.forEach((conflict, i) => {
    const range = ranges[i];
    if (!range) return;
    const open = pending.has(conflict.id);
    const className =
      conflict.id === focus ? 'conflict-focus' : open ? 'conflict-pending' : 'conflict-settled';
    decorations.push({
      range: rangeOf(range),
      options: {
        className,
        isWholeLine: false,
        overviewRuler: {
          color: open ? '#d1242f' : '#1a7f37',
          position: monaco.editor.OverviewRulerLane.Full,
        },
        minimap: null,
        linesDecorationsClassName: `${className}-gutter`,
        ...(pane === 'result' && open && session.manualText === null
          ? { after: { content: '  ◀ undecided', inlineClassName: 'undecided-note' } }
          : {}),
      },
    });
  });
  changes.forEach((change, i) => {
    const range = changeRanges[i];
    if (!range) return;
    decorations.push({
      range: rangeOf(range),
      options: {
        className: `auto-${change.side}`,
        minimap: null,
        overviewRuler: {
          color: change.side === 'theirs' ? '#8250df' : '#0969da',
          position: monaco.editor.OverviewRulerLane.Left,
        },
      },
    });
  });
  collection.set(decorations);
}

/** Brings `conflict` into view in a pane; in the Result, the cursor goes to it too. */
function reveal(
  ed: CodeEditor | null,
  text: string,
  session: MergeSession,
  conflict: Conflict | undefined,
  pane: Pane,
) {
  if (!ed || !conflict) return;
  const moveCursor = pane === 'result';
  const range = conflictRanges(text, session, pane)[allConflicts(session).indexOf(conflict)];
  const model = ed.getModel();
  if (!range || !model) return;
  const pos = model.getPositionAt(range.keyOffset ?? range.offset);
  ed.revealLineInCenterIfOutsideViewport(pos.lineNumber);
  if (moveCursor) ed.setPosition(pos);
}

export function MergeView({ tab }: { tab: Tab }) {
  const session = tab.merge!;
  const update = useDesk((s) => s.updateMerge);
  const updateThis = useCallback(
    (fn: (s: MergeSession) => MergeSession) => update(tab.key, fn),
    [update, tab.key],
  );
  const saveMerge = useDesk((s) => s.saveMerge);
  const overwrite = useDesk((s) => s.overwriteWithMine);
  const cancel = useDesk((s) => s.cancelMerge);
  const dismiss = useDesk((s) => s.dismissMessage);
  const ask = useDesk((s) => s.ask);
  const setView = useDesk((s) => s.setView);
  const takeAll = useDesk((s) => s.takeAllRemaining);
  const redo = useDesk((s) => s.redoMerge);
  const [showBase, setShowBase] = useState(false);
  // On narrow windows three panes are too thin to read: "Your edit" moves behind a toggle.
  const [showMine, setShowMine] = useState(() => window.innerWidth >= 1300);
  const [choiceError, setChoiceError] = useState<string | null>(null);
  const unregisterResult = useRef<(() => void) | null>(null);
  useEffect(() => () => unregisterResult.current?.(), []);
  const editors = useRef<{
    result: CodeEditor | null;
    theirs: CodeEditor | null;
    mine: CodeEditor | null;
  }>({ result: null, theirs: null, mine: null });
  const collections = useRef<{
    result: editor.IEditorDecorationsCollection | null;
    theirs: editor.IEditorDecorationsCollection | null;
    mine: editor.IEditorDecorationsCollection | null;
  }>({ result: null, theirs: null, mine: null });
  const sessionRef = useRef(session);
  useLayoutEffect(() => {
    sessionRef.current = session;
  });

  const result = resultText(session);
  const pending = unresolved(session);
  const total = allConflicts(session).length;
  // A hand-edited 5 MB result is checked once typing pauses, not at every key press (saving
  // checks it again, strictly).
  const { parse: manualParse, settled: manualSettled } = useSettledParseState(session.manualText);
  const blocker = saveBlockerWith(session, manualParse);
  const focus = focusedConflict(session);

  const mountSide = useCallback((ed: CodeEditor, side: 'theirs' | 'mine') => {
    editors.current[side] = ed;
    collections.current[side] = ed.createDecorationsCollection();
    decorate(
      ed,
      side === 'theirs' ? sessionRef.current.theirs.text : sessionRef.current.mineText,
      sessionRef.current,
      collections.current[side],
      side,
    );
  }, []);

  const apply = useCallback(
    (request: ChoiceRequest) => {
      // Chosen in the store's session, not the one last drawn: a rebase between the draw and the
      // key press must not be overwritten.
      let error: string | null = null;
      update(tab.key, (current) => {
        const next = choose(current, request.id, request.choice);
        if (next.ok) return next.session;
        error = next.error;
        return current;
      });
      setChoiceError(error);
      if (error !== null) return;
      // Keep the keyboard in the result editor and move on to the next open conflict.
      editors.current.result?.focus();
    },
    [tab.key, update],
  );

  const step = useCallback(
    (delta: 1 | -1) => update(tab.key, (s) => moveFocus(s, delta)),
    [tab.key, update],
  );

  // Decorations follow the session; the focused conflict is revealed in all three panes. While a
  // large result is typed in by hand, they follow once typing pauses, in the task that checks the
  // text then (useSettledParseState): Monaco moves the ones there with each edit, and finding them
  // again in a 5 MB text took a long task per key press.
  useEffect(() => {
    const run = () => {
      decorate(editors.current.result, result, session, collections.current.result, 'result');
      decorate(
        editors.current.theirs,
        session.theirs.text,
        session,
        collections.current.theirs,
        'theirs',
      );
      decorate(editors.current.mine, session.mineText, session, collections.current.mine, 'mine');
    };
    if (session.manualText !== null && session.manualText.length >= LARGE_TEXT && !manualSettled)
      return;
    run();
  }, [result, session, manualSettled]);

  useEffect(() => {
    const current = sessionRef.current;
    reveal(editors.current.result, resultText(current), current, focus, 'result');
    reveal(editors.current.theirs, current.theirs.text, current, focus, 'theirs');
    reveal(editors.current.mine, current.mineText, current, focus, 'mine');
  }, [focus?.id, focus]);

  // The merge's keys work from anywhere in the merge view, Monaco included: the listener runs in
  // the capture phase, before the editor sees the key. F7 / Shift+F7 move between open conflicts;
  // Alt+T / M / B / O (and Alt+1 / 2 / 3 / 0 where the browser leaves them alone) settle the one in focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // Not behind a modal either (the batch view and the team store are modals too).
      if (useDesk.getState().question || modalOpen()) return;
      if (e.key === 'F7' && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        e.stopPropagation();
        step(e.shiftKey ? -1 : 1);
        return;
      }
      const choice = mergeKeyChoice(e);
      if (!choice) return;
      e.preventDefault();
      e.stopPropagation();
      // The card the keyboard is on, if any: "the one in focus" is where the operator is.
      const card = document.activeElement?.closest<HTMLElement>('[data-conflict-id]');
      const target = conflictForKeys(sessionRef.current, card?.dataset['conflictId'] ?? null);
      if (target) apply({ id: target.id, choice });
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [step, apply]);

  const mountResult = useCallback(
    (ed: CodeEditor) => {
      editors.current.result = ed;
      unregisterResult.current = setPrimaryEditor(ed);
      collections.current.result = ed.createDecorationsCollection();
      decorate(
        ed,
        resultText(sessionRef.current),
        sessionRef.current,
        collections.current.result,
        'result',
      );
      reveal(
        ed,
        resultText(sessionRef.current),
        sessionRef.current,
        focusedConflict(sessionRef.current),
        'result',
      );
      // The keyboard lands in the Result, on the first open conflict, as soon as the merge opens.
      ed.focus();
      // Performance mark for the benchmark: the conflict view is ready to use.
      requestAnimationFrame(() => performance.mark(`cd:merge-ready:${tab.key}`));
    },
    [tab.key],
  );
  const mountTheirs = useCallback((ed: CodeEditor) => mountSide(ed, 'theirs'), [mountSide]);
  const mountMine = useCallback((ed: CodeEditor) => mountSide(ed, 'mine'), [mountSide]);

  const takeAllSide = (side: 'mine' | 'theirs') => {
    const error = takeAll(tab.key, side);
    setChoiceError(error);
    editors.current.result?.focus();
  };

  return (
    <div className="merge-view" data-testid="merge-view">
      <div className="toolbar merge-toolbar">
        <div className="toolbar-title">
          <strong>“{tab.title}” changed on the server while you were editing</strong>
          <span className="muted small">
            You started from revision {session.base.revision ?? '?'} ({timeOf(session.base.seenAt)}
            ); the server now has revision {session.theirs.revision ?? '?'} (
            {timeOf(session.theirs.seenAt)}). Nothing is written until you save.
          </span>
        </div>
        <button
          type="button"
          className={`counter${pending.length ? ' open' : ' done'}`}
          data-testid="conflict-counter"
          onClick={() =>
            document.getElementById('conflict-list')?.scrollIntoView({ block: 'start' })
          }
        >
          {pending.length === 0
            ? total === 0
              ? 'No conflicts'
              : 'All conflicts settled'
            : `${pending.length} conflict${pending.length === 1 ? '' : 's'} remaining`}
        </button>
        <div className="toolbar-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => step(-1)}
            disabled={pending.length === 0}
            title="Previous conflict (Shift+F7)"
            aria-label="Previous open conflict (Shift+F7)"
          >
            ↑
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => step(1)}
            disabled={pending.length === 0}
            title="Next conflict (F7)"
            aria-label="Next open conflict (F7)"
          >
            ↓
          </button>
          <label className="toggle small">
            <input
              type="checkbox"
              checked={showBase}
              onChange={(e) => setShowBase(e.target.checked)}
              data-testid="show-base"
            />{' '}
            Compare with “When you opened it”
          </label>
          <label className="toggle small">
            <input
              type="checkbox"
              checked={showMine}
              onChange={(e) => setShowMine(e.target.checked)}
              data-testid="show-mine"
            />{' '}
            Show “Your edit”
          </label>
          <button
            type="button"
            className="secondary"
            // With decisions made, the merge stays (the editor offers the way back); without, nothing is lost by closing it.
            onClick={() => (hasWork(session) ? setView(tab.key, 'edit') : cancel(tab.key))}
            title={
              hasWork(session)
                ? 'Your decisions stay: the editor offers the way back to this merge'
                : 'Close the merge; your edit is kept'
            }
            data-testid="back-to-edit"
          >
            Back to my edit
          </button>
          <button
            type="button"
            className="danger secondary"
            onClick={() => {
              // Listed when asked, from the documents the merge already parsed: diffing two
              // megabyte documents on every render held up the view's first paint.
              const { base, theirs, mine } = session.resolution;
              const reverts = overwriteRevertsOf(base, theirs, mine);
              inBackground(
                ask({
                  title: 'Overwrite with your edit?',
                  body: `Your edit replaces the server's revision ${session.theirs.revision ?? '?'}. ${reverts.length > 0 ? `${reverts.length === 1 ? 'This change' : `These ${reverts.length} changes`} by others ${reverts.length === 1 ? 'is' : 'are'} reverted (server's value → yours):` : 'No change by others is reverted.'}`,
                  items: reverts,
                  note: `The write is still conditional on revision ${session.theirs.revision ?? '?'} and is recorded in the audit log.`,
                  confirm: 'Overwrite with mine',
                  danger: true,
                }).then((yes) => (yes ? overwrite(tab.key) : undefined)),
                'overwrite with your version',
              );
            }}
          >
            Overwrite with mine…
          </button>
          {pending.length > 0 ? (
            <>
              <button
                type="button"
                className="secondary"
                onClick={() => takeAllSide('theirs')}
                data-testid="take-all-theirs"
                title="Settle every open conflict with the server's value"
              >
                All open: server’s
              </button>
              <button
                type="button"
                className="secondary"
                onClick={() => takeAllSide('mine')}
                data-testid="take-all-mine"
                title="Settle every open conflict with your value"
              >
                All open: mine
              </button>
            </>
          ) : null}
          {session.manualText !== null ? (
            <button
              type="button"
              className="secondary"
              onClick={() => update(tab.key, resetHandEdits)}
              data-testid="reset-hand-edits"
              title="Drop your hand edits of the Result; the decisions made stay"
            >
              Reset hand edits
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => inBackground(saveMerge(tab.key), 'save the merge result')}
            disabled={blocker !== null || tab.saving}
            title={
              blocker ??
              `Save the result against revision ${session.theirs.revision ?? '?'} (Ctrl+S)`
            }
            data-testid="save-result"
          >
            {tab.saving ? 'Saving…' : 'Save result'}
          </button>
        </div>
      </div>
      {session.afterLostAnswer ? (
        <div className="banner warn" data-testid="after-lost-answer">
          The answer to your earlier save was lost, and the server has since moved to revision{' '}
          {session.theirs.revision ?? '?'} without your edit. Your save may have landed before that
          change, or never will: merge against what the server holds now.
        </div>
      ) : null}
      {/* A merge restored after its save was cut off: what became of that save shows here too. */}
      {tab.unknown ? <UnknownOutcomeBanner tab={tab} /> : null}
      {tab.serverMoved ? (
        <div className="banner warn" data-testid="merge-server-moved">
          <span className="grow">
            The server changed again while you were merging (now revision{' '}
            {tab.serverMoved.revision ?? '?'}). Saving now would be refused.
          </span>
          <button
            type="button"
            className="link"
            onClick={() => inBackground(redo(tab.key), 'redo the merge')}
            data-testid="redo-merge"
          >
            Redo the merge keeping my decisions
          </button>
        </div>
      ) : null}
      {session.notice ? (
        <div className="banner info" data-testid="rebase-notice">
          <span className="grow">{session.notice}</span>
          {session.setAside !== null ? (
            <button type="button" className="link" onClick={() => update(tab.key, restoreSetAside)}>
              Bring back my hand edits
            </button>
          ) : null}
        </div>
      ) : null}
      {session.onlyOtherFieldsChanged && total === 0 ? (
        <div className="banner ok" data-testid="clean-merge">
          The server changed other fields than yours: both sets of changes are merged in the result.
          Review it and save.
        </div>
      ) : null}
      {tab.message ? <MessageBar message={tab.message} onDismiss={() => dismiss(tab.key)} /> : null}
      {choiceError ? (
        <div className="banner error" role="alert">
          {choiceError}
        </div>
      ) : null}
      <div className={`merge-panes${showMine ? '' : ' two'}`}>
        <div className="pane" data-testid="pane-theirs">
          <div className="pane-title theirs">
            Server now{' '}
            <span className="muted small">
              revision {session.theirs.revision ?? '?'}
              {showBase ? ' · compared with when you opened it' : ''}
            </span>
          </div>
          {showBase ? (
            <JsonDiff
              original={session.base.text}
              modified={session.theirs.text}
              originalPath={`merge-base/${tab.key}/theirs`}
              modifiedPath={`merge-theirs-diff/${tab.key}/${session.theirs.journalId}`}
              originalLabel="When you opened it"
              modifiedLabel="Server now, compared with when you opened it"
              inline
              testId="diff-theirs"
            />
          ) : (
            <JsonEditor
              path={`merge-theirs/${tab.key}/${session.theirs.journalId}`}
              value={session.theirs.text}
              readOnly
              onMount={mountTheirs}
              ariaLabel="Server now"
            />
          )}
        </div>
        <div className="pane result" data-testid="pane-result">
          <div className="pane-title result">
            Result{' '}
            <span className="muted small">
              {session.manualText !== null ? 'edited by hand · ' : ''}what “Save result” writes on
              top of revision {session.theirs.revision ?? '?'}
            </span>
          </div>
          <JsonEditor
            path={`merge-result/${tab.key}`}
            value={result}
            parseError={manualParse && !manualParse.ok ? manualParse.error : null}
            onChange={(text) => update(tab.key, (s) => editResult(s, text))}
            // Typing during a save would not be in what was sent (see mergeUpdated).
            readOnly={tab.saving}
            onMount={mountResult}
            testId="result-editor"
            ariaLabel="Merge result"
          />
        </div>
        <div className="pane" data-testid="pane-mine" hidden={!showMine}>
          <div className="pane-title mine">
            Your edit{' '}
            <span className="muted small">
              {showBase
                ? 'compared with when you opened it'
                : `based on revision ${session.base.revision ?? '?'}`}
            </span>
          </div>
          {showBase ? (
            <JsonDiff
              original={session.base.text}
              modified={session.mineText}
              originalPath={`merge-base/${tab.key}/mine`}
              modifiedPath={`merge-mine-diff/${tab.key}`}
              originalLabel="When you opened it"
              modifiedLabel="Your edit, compared with when you opened it"
              inline
              testId="diff-mine"
            />
          ) : (
            <JsonEditor
              path={minePanePath(tab.key)}
              value={session.mineText}
              readOnly
              onMount={mountMine}
              ariaLabel="Your edit"
            />
          )}
        </div>
      </div>
      <div className="merge-legend small muted" data-testid="merge-legend">
        <span>
          <span className="swatch auto-theirs" /> changed by the server, merged
        </span>
        <span>
          <span className="swatch auto-mine" /> changed by you, merged
        </span>
        <span>
          <span className="swatch conflict-pending" /> conflict, undecided
        </span>
        <span>
          <span className="swatch conflict-settled" /> conflict, settled
        </span>
        <span>
          <span className="swatch conflict-focus" /> conflict in focus
        </span>
      </div>
      <div className="merge-details">
        <ConflictList
          session={session}
          focusId={focus?.id ?? null}
          onChoose={apply}
          onUndo={(id) => update(tab.key, (s) => undoChoice(s, id))}
          onFocusCard={(id) => update(tab.key, (s) => focusOn(s, id))}
          choiceOf={(id) => choiceOf(session, id)}
          overwritten={(id) => decisionOverwritten(session, id, manualParse)}
        />
        <ChangeList session={session} onUpdate={updateThis} />
      </div>
    </div>
  );
}
