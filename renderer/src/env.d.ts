/// <reference types="vite/client" />
import type { RendererApi } from '../../shared/api/contract';

declare global {
  interface Window {
    /** Present only in Electron, where the preload exposes the contract. */
    api?: RendererApi;
  }
}

declare module 'monaco-editor/language/json/monaco.contribution';
declare module 'monaco-editor/features/*';
