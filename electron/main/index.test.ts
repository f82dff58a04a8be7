// The Electron entry wired against a mocked `electron` module (the binary is not installable
// offline): privileged scheme, one IPC handler per method, a hardened window, the app protocol.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { apiMethodNames, ipcChannel } from '../../shared/api/contract';
import type * as DeskService from '../backend/desk-service';
import { DataDirInUse, lockDataDir } from '../backend/store/data-dir-lock';

const calls = vi.hoisted(() => ({
  schemes: [] as unknown[],
  handled: [] as string[],
  protocolHandlers: new Map<string, (req: Request) => Promise<Response>>(),
  windows: [] as Array<Record<string, unknown>>,
  appEvents: new Map<string, (event: { preventDefault(): void }) => void>(),
  order: [] as string[],
  dataDir: '',
  loaded: [] as string[],
  sandboxEnabled: false,
}));

calls.dataDir = mkdtempSync(path.join(os.tmpdir(), 'cd-main-'));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => [];
    webContents = {
      id: 1,
      mainFrame: { url: 'app://conflict-desk/index.html' },
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      session: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn() },
    };
    constructor(options: Record<string, unknown>) {
      calls.windows.push(options);
    }
    loadURL = vi.fn(async (url: string) => void calls.loaded.push(url));
    once = vi.fn();
    on = vi.fn();
    isMinimized = () => true;
    restore = vi.fn(() => calls.order.push('restored'));
    focus = vi.fn(() => calls.order.push('focused'));
  }
  return {
    app: {
      whenReady: () => Promise.resolve(),
      getVersion: () => '9.9.9',
      getPath: () => calls.dataDir,
      on: (event: string, fn: (event: { preventDefault(): void }) => void) =>
        calls.appEvents.set(event, fn),
      quit: vi.fn(() => calls.order.push('quit')),
      // Not packaged, as in every run here: the dev URL must still be ignored without an explicit dev run.
      isPackaged: false,
      enableSandbox: () => {
        calls.sandboxEnabled = true;
      },
      requestSingleInstanceLock: () => true,
      relaunch: vi.fn(() => calls.order.push('relaunch')),
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string) => calls.handled.push(channel), removeHandler: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => calls.schemes.push(...schemes),
      handle: (scheme: string, fn: (req: Request) => Promise<Response>) =>
        calls.protocolHandlers.set(scheme, fn),
    },
    shell: { openExternal: vi.fn() },
    dialog: { showMessageBox: vi.fn(async () => ({ response: 1 })) },
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (s: string) => Buffer.from(s),
      decryptString: (b: Buffer) => b.toString(),
    },
  };
});

// The real desk, its close marked (and slowed: closed at the same time as the sandbox, it would
// end after it).
vi.mock('../backend/desk-service', async (importOriginal) => {
  const real = await importOriginal<typeof DeskService>();
  return {
    ...real,
    createDesk: (options: Parameters<typeof real.createDesk>[0]) => {
      const desk = real.createDesk(options);
      return {
        ...desk,
        close: async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await desk.close();
          calls.order.push('desk closed');
        },
      };
    },
  };
});

vi.mock('../backend/embedded-sandbox', () => ({
  startEmbeddedSandbox: async () => ({
    url: 'http://127.0.0.1:1',
    suggestedUrl: 'http://127.0.0.1:1/rest/items/1',
    connections: [],
    close: async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      calls.order.push('sandbox closed');
    },
  }),
}));

describe('electron main entry', () => {
  it('wires the app securely', async () => {
    // A dev-server URL in the environment is ignored outside an explicit dev run: the page comes from app://.
    process.env['ELECTRON_RENDERER_URL'] = 'http://localhost:5173';
    await import('./index');
    await vi.waitFor(() => expect(calls.windows.length).toBe(1));
    expect(calls.schemes).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(calls.handled.sort()).toEqual(apiMethodNames.map(ipcChannel).sort());
    expect(calls.windows[0]!['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    });
    expect(String((calls.windows[0]!['webPreferences'] as { preload: string }).preload)).toMatch(
      /preload[\\/]index\.cjs$/,
    );
    expect(calls.protocolHandlers.has('app')).toBe(true);
    expect(calls.loaded).toEqual(['app://conflict-desk/index.html']);
    const response = await calls.protocolHandlers.get('app')!(
      new Request('app://conflict-desk/../../etc/passwd'),
    );
    expect([403, 404]).toContain(response.status);
    expect(calls.appEvents.has('window-all-closed')).toBe(true);
    // Launched again: this window comes forward (a second process hands over and quits).
    calls.appEvents.get('second-instance')!({ preventDefault: vi.fn() });
    expect(calls.order.splice(0)).toEqual(['restored', 'focused']);
    expect(calls.sandboxEnabled).toBe(true);
    // The data directory is held while the app runs: a browser-mode host started on it is refused.
    expect(() => lockDataDir(calls.dataDir, 50)).toThrow(DataDirInUse);
  });

  it('holds quitting until the backend and the sandbox have closed, then quits once', async () => {
    const willQuit = calls.appEvents.get('will-quit')!;
    const first = { preventDefault: vi.fn() };
    willQuit(first);
    willQuit({ preventDefault: vi.fn() }); // quit asked again while closing: still one close
    expect(first.preventDefault).toHaveBeenCalledOnce();
    // Launched again while quitting: it starts again once this one has closed.
    calls.appEvents.get('second-instance')!({ preventDefault: vi.fn() });
    await vi.waitFor(() =>
      expect(calls.order).toEqual(['relaunch', 'desk closed', 'sandbox closed', 'quit']),
    );
    const last = { preventDefault: vi.fn() };
    willQuit(last); // the quit it asked for goes through
    expect(last.preventDefault).not.toHaveBeenCalled();
    // Closed, it lets the data directory go.
    lockDataDir(calls.dataDir).release();
  });
});
