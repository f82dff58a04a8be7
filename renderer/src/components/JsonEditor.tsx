import { useEffect, useLayoutEffect, useRef } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api';
import { editFor } from '../lib/changed-span';
import type { ParseError } from '../../../shared/json';
import {
  createJsonModel,
  EDITOR_OPTIONS,
  keepLanguageFitting,
  LARGE_JSON_LANGUAGE,
  monaco,
  monacoTheme,
} from '../lib/monaco';
import { LARGE_TEXT } from '../lib/use-settled-parse';
import { useColorScheme } from '../lib/use-color-scheme';

type EditorProps = {
  path: string;
  value: string;
  readOnly?: boolean;
  onChange?: (text: string) => void;
  onMount?: (editor: editor.IStandaloneCodeEditor) => void;
  testId?: string;
  ariaLabel: string;
  /**
   * Where the text stops being JSON, from the app's own parse. Shown as a marker in a large
   * document, which has no JSON language service to draw its own (lib/monaco's json-large).
   */
  parseError?: ParseError | null;
};

/** The owner of the markers the app sets itself. */
const MARKER_OWNER = 'conflict-desk';

export const modelUri = (path: string) =>
  monaco.Uri.parse(`inmemory:///${encodeURIComponent(path)}.json`);

/**
 * Monaco with JSON validation, following the OS theme, built on the bundled Monaco directly (no
 * loader, so nothing can reach for a CDN). One model per `path`; edits from outside (a merge
 * choice, a restored revision) are applied as undoable edits.
 */
export function JsonEditor({
  path,
  value,
  readOnly = false,
  onChange,
  onMount,
  testId,
  ariaLabel,
  parseError = null,
}: EditorProps) {
  const scheme = useColorScheme();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const onChangeRef = useRef(onChange);
  const applying = useRef(false);
  /** The text a model holds as far as this component knows (it made, reported or applied it). */
  const known = useRef<{ text: string; model: editor.ITextModel } | null>(null);
  const initial = useRef({ path, value, readOnly, ariaLabel, onMount });
  /** The parse error last drawn as this editor's marker, and on which model. */
  const markerOf = useRef<{
    model: editor.ITextModel;
    error: ParseError | null;
    shown: boolean;
  } | null>(null);

  useLayoutEffect(() => {
    onChangeRef.current = onChange;
  });

  useEffect(() => {
    const start = initial.current;
    const existing = monaco.editor.getModel(modelUri(start.path));
    const model = existing ?? createJsonModel(start.value, modelUri(start.path));
    // A model made here holds the text it was made from: nothing to read back and compare when the
    // first value arrives (three 8 MB texts when a large merge view opens).
    if (!existing) known.current = { text: start.value, model };
    const ed = monaco.editor.create(host.current!, {
      ...EDITOR_OPTIONS,
      model,
      readOnly: start.readOnly,
      domReadOnly: start.readOnly,
      ariaLabel: start.ariaLabel,
    });
    editorRef.current = ed;
    const sub = ed.onDidChangeModelContent(() => {
      const edited = ed.getModel()!;
      // A text that grows past the large size (a paste), or shrinks below it, changes language.
      keepLanguageFitting(edited);
      if (applying.current) return;
      const text = ed.getValue();
      known.current = { text, model: edited };
      onChangeRef.current?.(text);
    });
    start.onMount?.(ed);
    return () => {
      sub.dispose();
      const current = ed.getModel();
      ed.dispose();
      current?.dispose();
      editorRef.current = null;
    };
  }, []);

  // The editable Result is held read-only while its merge is being saved (MergeView): the option
  // follows the prop, not only its first value.
  useEffect(() => {
    const ed = editorRef.current;
    if (ed && ed.getRawOptions().readOnly !== readOnly)
      ed.updateOptions({ readOnly, domReadOnly: readOnly });
  }, [readOnly]);

  useEffect(() => {
    const ed = editorRef.current;
    if (!ed) return;
    let model = ed.getModel();
    if (!model || model.uri.toString() !== modelUri(path).toString()) {
      const previous = model;
      const existing = monaco.editor.getModel(modelUri(path));
      model = existing ?? createJsonModel(value, modelUri(path));
      if (!existing) known.current = { text: value, model };
      ed.setModel(model);
      previous?.dispose();
    }
    // The text the editor itself just reported comes back as `value`: the model holds it already.
    // (Reading the model's text to compare built a second copy of a 5 MB text at every key press.)
    if (known.current?.text === value && known.current.model === model) return;
    known.current = { text: value, model };
    // Only the stretch that differs is replaced (a merge decision changes a few characters of a
    // 5 MB result): the editor keeps its place, its line index and a small undo step.
    const change = editFor(model.getValue(), model.getEOL(), value);
    if (change === null) return;
    const from = model.getPositionAt(change.start);
    const to = model.getPositionAt(change.end);
    const edit = {
      range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column),
      text: change.text,
      forceMoveMarkers: true,
    };
    applying.current = true;
    try {
      if (readOnly) {
        model.applyEdits([edit]);
      } else {
        ed.pushUndoStop();
        ed.executeEdits('conflict-desk', [edit]);
        ed.pushUndoStop();
      }
    } finally {
      applying.current = false;
    }
  }, [path, value, readOnly]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    const shown = parseError !== null && model.getLanguageId() === LARGE_JSON_LANGUAGE;
    // Set once per parse: while typing waits for the next one, Monaco moves the marker with the
    // edits, and setting the same parse's position again at each key press put it back where the
    // error was before them (on a blank line, once lines were typed above it).
    const last = markerOf.current;
    if (last && last.model === model && last.error === parseError && last.shown === shown) return;
    markerOf.current = { model, error: parseError, shown };
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      shown
        ? [
            {
              severity: monaco.MarkerSeverity.Error,
              message: parseError.message,
              startLineNumber: parseError.line,
              startColumn: parseError.column,
              endLineNumber: parseError.line,
              endColumn: parseError.column + 1,
            },
          ]
        : [],
    );
  }, [parseError, path, value]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly, domReadOnly: readOnly, ariaLabel });
  }, [readOnly, ariaLabel]);

  // In a large document the brackets around the cursor are matched only next to it: finding the
  // enclosing pair from anywhere searched megabytes after every key press (17 ms a key at 5 MB).
  const large = value.length >= LARGE_TEXT;
  useEffect(() => {
    editorRef.current?.updateOptions({ matchBrackets: large ? 'near' : 'always' });
  }, [large]);

  useEffect(() => {
    monaco.editor.setTheme(monacoTheme(scheme));
  }, [scheme]);

  return <div className="editor-host" data-testid={testId} ref={host} />;
}

let diffModelSeq = 0;

type DiffProps = {
  original: string;
  modified: string;
  originalPath: string;
  modifiedPath: string;
  inline?: boolean;
  testId?: string;
  /** What a screen reader names each side (Monaco's own default reads "use undefined…"). */
  originalLabel: string;
  modifiedLabel: string;
};

/**
 * Read-only Monaco diff of two JSON texts; unchanged regions fold away. Built on Monaco directly so
 * teardown runs in the order Monaco requires (detach the models, then dispose them).
 */
export function JsonDiff({
  original,
  modified,
  originalPath,
  modifiedPath,
  inline = false,
  testId,
  originalLabel,
  modifiedLabel,
}: DiffProps) {
  const scheme = useColorScheme();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneDiffEditor | null>(null);

  useEffect(() => {
    const diff = monaco.editor.createDiffEditor(host.current!, {
      ...EDITOR_OPTIONS,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: !inline,
      hideUnchangedRegions: {
        enabled: true,
        contextLineCount: 3,
        minimumLineCount: 5,
        revealLineCount: 10,
      },
      accessibilityVerbose: true,
    });
    editorRef.current = diff;
    return () => {
      const model = diff.getModel();
      diff.setModel(null);
      model?.original.dispose();
      model?.modified.dispose();
      diff.dispose();
      editorRef.current = null;
    };
  }, [inline]);

  useEffect(() => {
    const diff = editorRef.current;
    if (!diff) return;
    const previous = diff.getModel();
    // A fresh URI per model, so a model still attached elsewhere is never disposed from here.
    const fresh = (text: string, path: string) =>
      createJsonModel(
        text,
        monaco.Uri.parse(`diff:///${diffModelSeq++}/${encodeURIComponent(path)}`),
      );
    diff.setModel({
      original: fresh(original, originalPath),
      modified: fresh(modified, modifiedPath),
    });
    previous?.original.dispose();
    previous?.modified.dispose();
  }, [original, modified, originalPath, modifiedPath, inline]);

  useEffect(() => {
    editorRef.current?.getOriginalEditor().updateOptions({ ariaLabel: originalLabel });
    editorRef.current?.getModifiedEditor().updateOptions({ ariaLabel: modifiedLabel });
  }, [originalLabel, modifiedLabel, inline]);

  useEffect(() => {
    editorRef.current?.getOriginalEditor().updateOptions({ ariaLabel: originalLabel });
    editorRef.current?.getModifiedEditor().updateOptions({ ariaLabel: modifiedLabel });
  }, [originalLabel, modifiedLabel, inline]);

  useEffect(() => {
    monaco.editor.setTheme(monacoTheme(scheme));
  }, [scheme]);

  return <div className="editor-host" data-testid={testId} ref={host} />;
}
