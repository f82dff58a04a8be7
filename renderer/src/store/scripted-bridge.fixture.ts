// The backend as a store test scripts it: `window.api` answers each method from `answers` (a method
// with no answer fails as an unreachable host does) and records every call. Installed when this
// module is imported, so a test imports it before it imports the store.
import type { RendererApi } from '../../../shared/api/contract';

export type Answer = (args: unknown) => Promise<unknown>;

export const answers = new Map<string, Answer>();
export const calls: { name: string; args: unknown }[] = [];

const bridge = new Proxy({} as RendererApi, {
  get: (_target, name: string) =>
    name === 'onEvent'
      ? () => () => undefined
      : (args: unknown) => {
          calls.push({ name, args });
          return (answers.get(name) ?? (() => Promise.reject(new TypeError('Failed to fetch'))))(
            args,
          );
        },
});
(globalThis as { window?: unknown }).window = { api: bridge };
