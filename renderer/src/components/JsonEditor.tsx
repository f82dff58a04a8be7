import { useEffect, useRef } from 'react';
import Editor, { type OnMount } from '@monaco-editor/react';
import type { editor } from 'monaco-editor/editor/editor.api';
import { monaco } from '../lib/monaco';
import { useColorScheme } from '../lib/use-color-scheme';

const BASE_OPTIONS = {
  minimap: { enabled: false },
  scrollBeyondLastLine: false,
  automaticLayout: true,
  fontSize: 13,
  tabSize: 2,
  folding: true,
  renderWhitespace: 'none' as const,
  wordWrap: 'off' as const,
  stickyScroll: { enabled: false },
};

type EditorProps = {
  path: string;
  value: string;
  readOnly?: boolean;
  onChange?: (text: string) => void;
  onMount?: OnMount;
  testId?: string;
  ariaLabel: string;
};

/** Monaco with JSON validation, following the OS theme. One model per `path`. */
export function JsonEditor({ path, value, readOnly = false, onChange, onMount, testId, ariaLabel }: EditorProps) {
  const scheme = useColorScheme();
  return (
    <div className="editor-host" data-testid={testId}>
      <Editor
        path={path}
        language="json"
        value={value}
        theme={scheme === 'dark' ? 'vs-dark' : 'vs'}
        loading={<div className="muted pad">Loading editor…</div>}
        onChange={(text) => onChange?.(text ?? '')}
        {...(onMount ? { onMount } : {})}
        options={{ ...BASE_OPTIONS, readOnly, ariaLabel, domReadOnly: readOnly }}
      />
    </div>
  );
}

let diffModelSeq = 0;

type DiffProps = {
  original: string;
  modified: string;
  originalPath: string;
  modifiedPath: string;
  inline?: boolean;
  testId?: string;
};

/**
 * Read-only Monaco diff of two JSON texts; unchanged regions fold away. Built on Monaco directly so
 * teardown runs in the order Monaco requires (detach the models, then dispose them).
 */
export function JsonDiff({ original, modified, originalPath, modifiedPath, inline = false, testId }: DiffProps) {
  const scheme = useColorScheme();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneDiffEditor | null>(null);

  useEffect(() => {
    const diff = monaco.editor.createDiffEditor(host.current!, {
      ...BASE_OPTIONS,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: !inline,
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5, revealLineCount: 10 },
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
    const fresh = (text: string, path: string) => monaco.editor.createModel(text, 'json', monaco.Uri.parse(`diff:///${diffModelSeq++}/${encodeURIComponent(path)}`));
    diff.setModel({ original: fresh(original, originalPath), modified: fresh(modified, modifiedPath) });
    previous?.original.dispose();
    previous?.modified.dispose();
  }, [original, modified, originalPath, modifiedPath, inline]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? 'vs-dark' : 'vs');
  }, [scheme]);

  return <div className="editor-host" data-testid={testId} ref={host} />;
}
