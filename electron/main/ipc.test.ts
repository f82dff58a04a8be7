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

  // An exception's text may carry a path, an upstream URL with its query credential, or a header:
  // the renderer gets the method's name and an incident id the log repeats, never the text.
  it('does not send an exception’s text to the renderer, only an incident id the log repeats', async () => {
    const ipc = fakeIpc();
    const broken: Api = {
      ...service,
      appInfo: async () => {
        throw new Error(
          'GET https://api.example/x?api_key=hunter2 failed: Authorization: Bearer s3cret',
        );
      },
    };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    registerApiHandlers(ipc, broken, () => true);
    const answer = (await ipc.handlers.get('api:appInfo')!({}, {})) as { message: string };
    expect(answer).toMatchObject({ kind: 'host-error', code: 'internal' });
    expect(answer.message).not.toMatch(/hunter2|s3cret|api\.example/);
    const incident = /incident ([0-9a-f]{8})/.exec(answer.message)?.[1];
    expect(incident).toBeDefined();
    expect(String(spy.mock.calls[0]?.[0])).toContain(incident);
    spy.mockRestore();
  });
});
