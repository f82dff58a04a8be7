import Editor from '@monaco-editor/react';
import '../lib/monaco';
import { useColorScheme } from '../lib/use-color-scheme';

type Props = { text: string; path: string };

/** Read-only JSON in Monaco, pretty-printed for reading. */
export function JsonView({ text, path }: Props) {
  const scheme = useColorScheme();
  return (
    <div className="json-view" data-testid="json-view">
      <Editor
        path={path}
        language="json"
        value={text}
        theme={scheme === 'dark' ? 'vs-dark' : 'vs'}
        loading={<div className="muted">Loading editor…</div>}
        options={{
          readOnly: true,
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          automaticLayout: true,
          fontSize: 13,
          wordWrap: 'on',
          folding: true,
        }}
      />
    </div>
  );
}
