import { beforeEach, describe, expect, it, vi } from 'vitest';
import { apiMethodNames } from '../../shared/api/contract';

const exposed: Array<[string, unknown]> = [];
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true }));
const subscriptions: Array<[string, (...a: unknown[]) => void]> = [];
const removed: Array<[string, unknown]> = [];

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push([key, value]) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    send: vi.fn(),
    on: (channel: string, fn: (...a: unknown[]) => void) => subscriptions.push([channel, fn]),
    removeListener: (channel: string, fn: unknown) => removed.push([channel, fn]),
  },
}));

describe('preload', () => {
  beforeEach(async () => {
    exposed.length = 0;
    vi.resetModules();
    await import('./index');
  });

  it('exposes exactly the contract as window.api and nothing else', () => {
    expect(exposed.map(([key]) => key)).toEqual(['api']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...apiMethodNames, 'onEvent'].sort());
    for (const name of [...apiMethodNames, 'onEvent']) expect(typeof api[name]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each method on its own channel, with no generic invoke', async () => {
    const api = exposed[0]![1] as Record<string, (args?: unknown) => Promise<unknown>>;
    await api['getResource']!({ url: 'http://x' });
    expect(invoke).toHaveBeenLastCalledWith('api:getResource', { url: 'http://x' });
    await api['appInfo']!();
    expect(invoke).toHaveBeenLastCalledWith('api:appInfo', {});
    expect(api['invoke']).toBeUndefined();
    expect(api['ipcRenderer']).toBeUndefined();
    expect(api['send']).toBeUndefined();
  });
});

describe('preload events', () => {
  it('relays pushed events without the IPC event object, and unsubscribes', async () => {
    exposed.length = 0;
    vi.resetModules();
    await import('./index');
    const api = exposed[0]![1] as { onEvent(fn: (e: unknown) => void): () => void };
    const seen: unknown[] = [];
    const stop = api.onEvent((e) => seen.push(e));
    const [channel, relay] = subscriptions.at(-1)!;
    expect(channel).toBe('api:event');
    relay({ sender: 'ipc-internals' }, { type: 'activity', entry: { id: 1 } });
    expect(seen).toEqual([{ type: 'activity', entry: { id: 1 } }]);
    stop();
    expect(removed.at(-1)).toEqual(['api:event', relay]);
  });
});
