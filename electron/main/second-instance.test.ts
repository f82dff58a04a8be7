// Launched while it already runs, the app hands over to the window open (Electron's single
// instance lock) and quits: no second backend, sandbox or window on the same data directory.
import { describe, expect, it, vi } from 'vitest';

const seen = vi.hoisted(() => ({ quit: 0, ready: 0, windows: 0, events: [] as string[] }));

vi.mock('electron', () => ({
  app: {
    requestSingleInstanceLock: () => false,
    quit: () => void seen.quit++,
    whenReady: () => {
      seen.ready++;
      return new Promise(() => undefined);
    },
    on: (event: string) => void seen.events.push(event),
    getPath: () => {
      throw new Error('the data directory must not be touched');
    },
    isPackaged: false,
    enableSandbox: () => undefined,
  },
  BrowserWindow: class {
    constructor() {
      seen.windows++;
    }
  },
  ipcMain: { handle: vi.fn() },
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
  shell: {},
  dialog: { showErrorBox: vi.fn() },
  safeStorage: {},
}));

vi.mock('../backend/embedded-sandbox', () => ({
  startEmbeddedSandbox: () => {
    throw new Error('no sandbox may start');
  },
}));

describe('a second launch', () => {
  it('quits at once, starting nothing', async () => {
    await import('./index');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen.quit).toBe(1);
    expect(seen.ready).toBe(0);
    expect(seen.windows).toBe(0);
    expect(seen.events).not.toContain('will-quit');
  });
});
