// The json language's tokenizer (monaco-editor ships it without types), used for large documents.
declare module 'monaco-editor/languages/features/json/tokenization' {
  import type { languages } from 'monaco-editor/editor/editor.api';
  export function createTokenizationSupport(supportComments: boolean): languages.TokensProvider;
}
