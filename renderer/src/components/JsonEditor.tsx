import Editor, { DiffEditor, type OnMount, type DiffOnMount } from '@monaco-editor/react';
import '../lib/monaco';
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

type DiffProps = {
  original: string;
  modified: string;
  originalPath: string;
  modifiedPath: string;
  inline?: boolean;
  onMount?: DiffOnMount;
  testId?: string;
};

/** Read-only Monaco diff of two JSON texts; unchanged regions fold away. */
export function JsonDiff({ original, modified, originalPath, modifiedPath, inline = false, onMount, testId }: DiffProps) {
  const scheme = useColorScheme();
  return (
    <div className="editor-host" data-testid={testId}>
      <DiffEditor
        original={original}
        modified={modified}
        originalModelPath={originalPath}
        modifiedModelPath={modifiedPath}
        language="json"
        theme={scheme === 'dark' ? 'vs-dark' : 'vs'}
        loading={<div className="muted pad">Loading diff…</div>}
        {...(onMount ? { onMount } : {})}
        options={{
          ...BASE_OPTIONS,
          readOnly: true,
          originalEditable: false,
          renderSideBySide: !inline,
          hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5, revealLineCount: 10 },
          accessibilityVerbose: true,
        }}
      />
    </div>
  );
}
