import { describe, expect, it, vi } from 'vitest';
import { apiMethodNames, ipcChannel, type Api } from '../../shared/api/contract';
import { registerApiHandlers } from './ipc';

function fakeIpc() {
  const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
  return {
    handlers,
    handle: vi.fn(
      (channel: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
        void handlers.set(channel, fn),
    ),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
  };
}

const service = {
  appInfo: vi.fn(async () => ({
    name: 'Conflict Desk',
    version: '1',
    host: 'electron' as const,
    platform: 'linux',
    dataDir: '/d',
    sandboxUrl: null,
    suggestedUrl: null,
  })),
  getResource: vi.fn(async ({ url }: { url: string }) => ({
    kind: 'error' as const,
    reason: 'network' as const,
    message: 'x',
    url,
  })),
} as unknown as Api;

describe('IPC registration', () => {
  it('registers exactly one handler per contract method, and removes them', () => {
    const ipc = fakeIpc();
    const dispose = registerApiHandlers(ipc, service, () => true);
    expect([...ipc.handlers.keys()].sort()).toEqual(apiMethodNames.map(ipcChannel).sort());
    dispose();
    expect(ipc.handlers.size).toBe(0);
  });

  it('refuses a sender that is not our window', async () => {
    const ipc = fakeIpc();
    registerApiHandlers(ipc, service, () => false);
    await expect(ipc.handlers.get('api:getResource')!({}, { url: 'http://x' })).rejects.toThrow(
      /not the Conflict Desk window/,
    );
    expect(service.getResource).not.toHaveBeenCalled();
  });

  it('validates arguments before the service sees them', async () => {
    const ipc = fakeIpc();
    registerApiHandlers(ipc, service, () => true);
    const call = ipc.handlers.get('api:getResource')!;
    expect(await call({}, { url: 42 })).toMatchObject({
      kind: 'host-error',
      code: 'invalid-arguments',
      message: expect.stringMatching(/url: expected a string/),
    });
    expect(await call({}, { url: 'http://x', extra: 1 })).toMatchObject({
      kind: 'host-error',
      message: expect.stringMatching(/extra: is not a known field/),
    });
    expect(await call({}, 'nope')).toMatchObject({ kind: 'host-error' });
    expect(service.getResource).not.toHaveBeenCalled();
    expect(await call({}, { url: 'http://x' })).toMatchObject({ kind: 'error', url: 'http://x' });
    expect(service.getResource).toHaveBeenCalledWith({ url: 'http://x' });
  });

  it('turns an unexpected exception into an internal host error value', async () => {
    const ipc = fakeIpc();
    const broken: Api = {
      ...service,
      appInfo: async () => {
        throw new Error('boom');
      },
    };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    registerApiHandlers(ipc, broken, () => true);
    expect(await ipc.handlers.get('api:appInfo')!({}, {})).toMatchObject({
      kind: 'host-error',
      code: 'internal',
    });
    spy.mockRestore();
  });
});
