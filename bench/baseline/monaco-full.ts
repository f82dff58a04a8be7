// The renderer's Monaco module as it was before the trim (every editor feature), for the
// first-paint comparison in bench/ui.bench.ts only; the app itself uses renderer/src/lib/monaco.ts.
// The app's module is loaded too, for what the components take from it beside `monaco` (the
// large-document language, the model maker): the baseline differs by the features alone.
import 'monaco-editor/features/register.all';
export * from '../../renderer/src/lib/monaco';
