// Monaco from the bundle, never a CDN: the editor core, the features the app uses, the JSON
// language and the two workers it needs. No other language is loaded. Components use this module
// directly rather than a loader wrapper, so the bundle holds no CDN address at all.
//
// Features are listed one by one instead of `features/register.all` (58 contributions): code
// lenses, inlay hints, inline completions, rename, snippets, sticky scroll, the GPU renderer and
// the like serve languages and settings this app does not use, and only add to the script the
// window parses before its first paint.
import * as monaco from 'monaco-editor/editor/editor.api';
import {
  coloursBracketPairs,
  LARGE_JSON_LANGUAGE,
  languageFitting,
  languageFor,
} from './large-json';
import { format as formatEdits, type Range as OffsetRange } from 'jsonc-parser';
import { colorScheme } from './use-color-scheme';
// Editing JSON by hand.
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
// Keyboard users: Ctrl+M moves focus out of the editor instead of inserting a tab.
import 'monaco-editor/features/toggleTabFocusMode/register';
// History and the merge view.
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/language/json/monaco.contribution';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
// The json language's tokenizer, for large documents (below).
import { createTokenizationSupport } from 'monaco-editor/languages/features/json/tokenization';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

export { monaco };

/**
 * Texts from LARGE_JSON_CHARS up (lib/large-json) are edited as `json-large`: JSON's colours and
 * brackets without its language service. That service copies every line of every JSON model to
 * its worker when the model is made (a 5 MB conflict view made four: about 175 ms of the window's
 * thread in postMessage, then seconds of a second core validating them), to show squiggles the
 * app's own strict parse already reports in its banner, and which the editor shows as a marker for
 * these models (see JsonEditor). As VS Code does for large files, a large document keeps what is
 * cheap and drops the rest.
 */
export { LARGE_JSON_CHARS, LARGE_JSON_LANGUAGE, languageFitting, languageFor } from './large-json';

monaco.languages.register({ id: LARGE_JSON_LANGUAGE, aliases: ['JSON (large)'] });
monaco.languages.setTokensProvider(LARGE_JSON_LANGUAGE, createTokenizationSupport(true));
monaco.languages.setLanguageConfiguration(LARGE_JSON_LANGUAGE, {
  // JSON's own rules (the json language's configuration), so typing feels the same.
  wordPattern: /(-?\d*\.\d\w*)|([^[{\]}:",\s]+)/g,
  brackets: [
    ['{', '}'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '{', close: '}', notIn: ['string'] },
    { open: '[', close: ']', notIn: ['string'] },
    { open: '"', close: '"', notIn: ['string'] },
  ],
});

// Format Document and Format Selection for every JSON model, here in the window with jsonc-parser's
// formatter (the JSON language service's own, which json-large has no worker for). The document's
// final line break is kept: the worker's formatter dropped it, so formatting a document already
// laid out marked it changed. The worker's formatting is turned off so there is one formatter.
function formatting(
  model: monaco.editor.ITextModel,
  options: monaco.languages.FormattingOptions,
  range?: monaco.IRange,
): monaco.languages.TextEdit[] {
  const text = model.getValue();
  let within: OffsetRange | undefined;
  if (range) {
    const offset = model.getOffsetAt({
      lineNumber: range.startLineNumber,
      column: range.startColumn,
    });
    const end = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
    within = { offset, length: end - offset };
  }
  const eol = model.getEOL();
  return formatEdits(text, within, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol,
    insertFinalNewline: text.endsWith('\n'),
  }).map((edit) => ({
    range: monaco.Range.fromPositions(
      model.getPositionAt(edit.offset),
      model.getPositionAt(edit.offset + edit.length),
    ),
    text: edit.content,
  }));
}
jsonDefaults.setModeConfiguration({
  ...jsonDefaults.modeConfiguration,
  documentFormattingEdits: false,
  documentRangeFormattingEdits: false,
});
for (const language of ['json', LARGE_JSON_LANGUAGE]) {
  monaco.languages.registerDocumentFormattingEditProvider(language, {
    provideDocumentFormattingEdits: (model, options) => formatting(model, options),
  });
  monaco.languages.registerDocumentRangeFormattingEditProvider(language, {
    provideDocumentRangeFormattingEdits: (model, range, options) =>
      formatting(model, options, range),
  });
}

/** Monaco's theme for the OS light/dark setting. */
export const monacoTheme = (scheme: 'light' | 'dark'): string =>
  scheme === 'dark' ? 'vs-dark' : 'vs';

/** The options every editor of the app is made with. */
export const EDITOR_OPTIONS = {
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

/** A model for JSON text, in the language its size calls for, with that language's options. */
export function createJsonModel(text: string, uri: monaco.Uri): monaco.editor.ITextModel {
  const model = monaco.editor.createModel(text, languageFor(text.length), uri);
  fitOptions(model);
  return model;
}

/**
 * Puts a model in the language its length calls for (lib/large-json's languageFitting), e.g. when
 * a paste makes it large, with the options that go with the language.
 */
export function keepLanguageFitting(model: monaco.editor.ITextModel): void {
  const fitting = languageFitting(model.getValueLength(), model.getLanguageId());
  if (model.getLanguageId() === fitting) return;
  monaco.editor.setModelLanguage(model, fitting);
  fitOptions(model);
}

const fitted = new WeakSet<monaco.editor.ITextModel>();

/**
 * The options that go with a model's language. Monaco puts every model back on the editors' shared
 * options whenever an editor is made with options of its own (the merge view makes four), so they
 * are fitted again each time its options change.
 */
function fitOptions(model: monaco.editor.ITextModel): void {
  const enabled = coloursBracketPairs(model.getLanguageId());
  if (model.getOptions().bracketPairColorizationOptions.enabled !== enabled)
    model.updateOptions({
      bracketColorizationOptions: { enabled, independentColorPoolPerBracketType: false },
    });
  if (fitted.has(model)) return;
  fitted.add(model);
  model.onDidChangeOptions(() => fitOptions(model));
}

/**
 * Makes an editor over a few lines of JSON out of sight and drops it, so that Monaco's one-time
 * setup (its services, styles and font measurements, first run of its code) is done while the app
 * is idle rather than when the operator opens the first document: it took about 200 ms of the
 * first 1 MB document's opening (`npm run bench -- ui`). Nothing is left behind: no model, no
 * editor, no element. `json-large` needs no worker, so none is started for it.
 */
export function prepareEditorWhileIdle(): void {
  const start = () => {
    const host = document.createElement('div');
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText =
      'position:fixed;left:-10000px;top:0;width:600px;height:300px;visibility:hidden;contain:strict';
    document.body.appendChild(host);
    const model = monaco.editor.createModel('{\n  "ready": [1, 2, 3]\n}\n', LARGE_JSON_LANGUAGE);
    fitOptions(model);
    // The app's own options and theme: the first real editor then changes nothing shared.
    monaco.editor.setTheme(monacoTheme(colorScheme()));
    const editor = monaco.editor.create(host, { ...EDITOR_OPTIONS, model, readOnly: true });
    // Dropped once it has been drawn, or after a second in a window not drawn meanwhile (hidden).
    let dropped = false;
    const drop = () => {
      if (dropped) return;
      dropped = true;
      editor.dispose();
      model.dispose();
      host.remove();
    };
    requestAnimationFrame(() => setTimeout(drop));
    setTimeout(drop, 1000);
  };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 200);
}
