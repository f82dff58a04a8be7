// Stands in for monaco-editor's internal/common/workers.js (see electron.vite.config.ts): the JSON
// language loads that module lazily for one function, createWebWorker, but the module also imports
// every editor contribution Monaco has. Arriving after the first editor exists, those find their
// services missing and throw; and they are the features monaco.ts leaves out on purpose. This is
// the same function without them, starting the worker through our MonacoEnvironment.
import { editor } from 'monaco-editor/editor/editor.api';

type WorkerOptions = {
  readonly label?: string;
  readonly moduleId?: string;
  readonly createWorker?: () => Worker;
  readonly createData?: unknown;
  readonly host?: Record<string, (...args: never[]) => unknown>;
  readonly keepIdleModels?: boolean;
};

export function createWebWorker<T extends object>(opts: WorkerOptions): editor.MonacoWebWorker<T> {
  const label = opts.label ?? 'monaco-editor-worker';
  const worker = Promise.resolve(self.MonacoEnvironment!.getWorker!('workerMain.js', label)).then(
    (w) => {
      w.postMessage('ignore');
      w.postMessage(opts.createData);
      return w;
    },
  );
  return (editor.createWebWorker as (options: unknown) => editor.MonacoWebWorker<T>)({
    worker,
    host: opts.host,
    keepIdleModels: opts.keepIdleModels,
  });
}
