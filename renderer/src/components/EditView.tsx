import { useEffect, useRef } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api';
import { formatParseError } from '../../../shared/json';
import { useSettledParse } from '../lib/use-settled-parse';
import { useDesk } from '../store';
import { isDirty, type Tab } from '../store/tabs-slice';
import { timeOf } from '../lib/format';
import { takeEditorFocusRequest } from '../lib/commands';
import { focusDropped } from '../lib/return-focus';
import { saveEdit, saveWithoutPrecondition } from '../lib/unguarded-save';
import { setPrimaryEditor } from '../lib/primary-editor';
import { JsonEditor } from './JsonEditor';
import { MessageBar } from './MessageBar';
import { ResourceId } from './ResourceId';
import { RevisionBadge } from './RevisionBadge';
import { ServerMovedBanner } from './ServerMovedBanner';
import { TeamPresenceChip } from '../team/TeamPresenceChip';
import { UnknownOutcomeBanner } from './UnknownOutcomeBanner';
import { missingWords } from '../session/outcome-words';
import { unreadBase } from '../session/editing-session';
import { inBackground } from '../store/background';

export function EditView({ tab }: { tab: Tab }) {
  const setText = useDesk((s) => s.setText);
  const refresh = useDesk((s) => s.refresh);
  const setView = useDesk((s) => s.setView);
  const discardDraft = useDesk((s) => s.discardDraft);
  const dismiss = useDesk((s) => s.dismissMessage);
  const ask = useDesk((s) => s.ask);
  const cancelMerge = useDesk((s) => s.cancelMerge);
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const unregister = useRef<(() => void) | null>(null);
  useEffect(() => () => unregister.current?.(), []);
  const dirty = isDirty(tab);
  const parsed = useSettledParse(tab.text);
  const jsonError = parsed === null || parsed.ok ? null : parsed.error;

  const goToError = () => {
    if (!jsonError || !editorRef.current) return;
    editorRef.current.setPosition({ lineNumber: jsonError.line, column: jsonError.column });
    editorRef.current.revealPositionInCenter({
      lineNumber: jsonError.line,
      column: jsonError.column,
    });
    editorRef.current.focus();
  };

  const saveDisabled = !dirty || jsonError !== null || tab.saving;
  const saveTitle = jsonError
    ? 'Fix the JSON error first'
    : !dirty
      ? 'Nothing to save'
      : 'Save (Ctrl+S)';

  return (
    <div className="edit-view">
      <div className="toolbar">
        <div className="toolbar-title">
          <strong className="ellipsis" data-testid="tab-title">
            {tab.title} <span className="muted small">· {tab.connectionName}</span>
          </strong>
          <ResourceId id={tab.ref.id} />
        </div>
        <RevisionBadge snapshot={tab.base} />
        <span
          className={`small ${dirty && tab.draftError !== null ? 'draft-not-kept' : 'muted'}`}
          data-testid="dirty-state"
        >
          {dirty
            ? tab.draftError !== null
              ? 'Unsaved changes · draft not kept'
              : tab.draftSavedAt
                ? `Unsaved changes · draft kept ${timeOf(tab.draftSavedAt)}`
                : 'Unsaved changes'
            : 'No changes'}
        </span>
        <div className="toolbar-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => inBackground(refresh(tab.key), 'check the server')}
            title="Check the server for a newer revision"
          >
            Refresh
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => setView(tab.key, 'history')}
            data-testid="open-history"
          >
            History
          </button>
          <button
            type="button"
            className="secondary"
            disabled={!dirty}
            onClick={() =>
              inBackground(
                ask({
                  title: 'Discard your changes?',
                  body: 'Your unsaved changes to this resource are dropped; its revision from the server is shown again.',
                  confirm: 'Discard changes',
                  danger: true,
                }).then((yes) => (yes ? discardDraft(tab.key) : undefined)),
                'discard your changes',
              )
            }
          >
            Discard changes
          </button>
          {tab.base.guarded ? (
            <button
              type="button"
              onClick={() => inBackground(saveEdit(useDesk.getState(), tab), 'save')}
              disabled={saveDisabled}
              title={saveTitle}
              data-testid="save"
            >
              {tab.saving ? 'Saving…' : 'Save'}
            </button>
          ) : (
            <button
              type="button"
              className="danger"
              disabled={saveDisabled}
              data-testid="save-unconditional"
              onClick={() => inBackground(saveWithoutPrecondition(useDesk.getState(), tab), 'save')}
            >
              Save without a precondition…
            </button>
          )}
        </div>
      </div>
      {tab.merge ? (
        <div className="banner warn" data-testid="merge-in-progress">
          A merge with the server’s revision {tab.merge.theirs.revision ?? '?'} is in progress.
          <button
            type="button"
            className="link"
            onClick={() => setView(tab.key, 'merge')}
            data-testid="back-to-merge"
          >
            Back to the merge
          </button>
          <button
            type="button"
            className="link"
            data-testid="drop-merge"
            onClick={() =>
              inBackground(
                ask({
                  title: 'Drop the merge?',
                  body: 'The decisions and hand edits made in it are dropped; your own edit is kept.',
                  confirm: 'Drop the merge',
                  danger: true,
                }).then((yes) => (yes ? cancelMerge(tab.key) : undefined)),
                'drop the merge',
              )
            }
          >
            Drop it
          </button>
        </div>
      ) : null}
      {tab.restoredDraftAt && dirty ? (
        <div className="banner info" data-testid="draft-restored">
          Restored your unsaved edit from {timeOf(tab.restoredDraftAt)}{' '}
          {unreadBase(tab)
            ? '(made from a revision that can no longer be read).'
            : `(based on revision ${tab.base.revision ?? '(none)'}).`}
          <button
            type="button"
            className="link"
            onClick={() => inBackground(discardDraft(tab.key), 'discard the draft')}
          >
            Discard it
          </button>
        </div>
      ) : null}
      {!tab.base.guarded ? <div className="banner warn">{tab.base.unguardedReason}</div> : null}
      <TeamPresenceChip connectionId={tab.ref.connectionId} resourceId={tab.ref.id} />
      {tab.base.serverManaged ? (
        <details className="small" data-testid="server-managed">
          <summary className="muted">
            Fields the server manages (read-only, never written back)
          </summary>
          <pre>{tab.base.serverManaged}</pre>
        </details>
      ) : null}
      {tab.serverMoved ? <ServerMovedBanner tab={tab} /> : null}
      {tab.unknown ? <UnknownOutcomeBanner tab={tab} /> : null}
      {tab.message ? <MessageBar message={tab.message} onDismiss={() => dismiss(tab.key)} /> : null}
      {tab.missing && tab.missing.length > 0 ? (
        <div className="banner error" data-testid="missing-changes">
          <div className="grow">
            <strong>Not applied by the server:</strong>
            <ul>
              {tab.missing.map((m) => (
                <li key={m.path} data-testid="missing-change">
                  {missingWords(m)}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {jsonError ? (
        <div className="banner error" role="alert" data-testid="json-error">
          Not valid JSON — {formatParseError(jsonError)}. Saving is blocked until it is fixed.
          <button type="button" className="link" onClick={goToError}>
            Go to the error
          </button>
        </div>
      ) : null}
      <JsonEditor
        path={`edit/${tab.key}`}
        value={tab.text}
        parseError={jsonError}
        onChange={(text) => setText(tab.key, text)}
        onMount={(ed) => {
          editorRef.current = ed;
          unregister.current = setPrimaryEditor(ed);
          // Opened from the list with Enter: the keyboard moves on to the editor. So it does when
          // the view it was in went away (back from history, a restored revision, a tab closed).
          if (takeEditorFocusRequest(tab.key) || focusDropped()) ed.focus();
          // Performance mark for the benchmark: the opened resource is on screen.
          requestAnimationFrame(() => performance.mark(`cd:shown:${tab.key}`));
        }}
        testId="editor"
        ariaLabel={`JSON of ${tab.title}`}
      />
    </div>
  );
}
