import { describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN, createMainWindow, externalUrlToOpen, isAppUrl, trustedSender } from './window';

type Listener = (...args: unknown[]) => void;

function fakeElectron() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  let permissionHandler: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  const webContents = {
    id: 7,
    mainFrame: { url: `${APP_ORIGIN}/index.html` },
    on: vi.fn((event: string, fn: Listener) => listeners.set(event, fn)),
    setWindowOpenHandler: vi.fn((fn: typeof openHandler) => (openHandler = fn)),
    session: { setPermissionRequestHandler: vi.fn((fn: typeof permissionHandler) => (permissionHandler = fn)) },
  };
  const created: Array<Record<string, unknown>> = [];
  const loadURL = vi.fn(async () => undefined);
  class BrowserWindow {
    webContents = webContents;
    loadURL = loadURL;
    once = vi.fn();
    constructor(options: Record<string, unknown>) {
      created.push(options);
    }
  }
  const shell = { openExternal: vi.fn(async () => undefined) };
  return { BrowserWindow, shell, created, listeners, loadURL, webContents, open: () => openHandler!, permission: () => permissionHandler! };
}

describe('main window', () => {
  it('creates the renderer isolated, sandboxed and without Node', () => {
    const e = fakeElectron();
    createMainWindow({ BrowserWindow: e.BrowserWindow as never, shell: e.shell, preloadPath: '/app/preload/index.cjs', devServerUrl: undefined });
    const prefs = e.created[0]!['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(e.loadURL).toHaveBeenCalledWith(`${APP_ORIGIN}/index.html`);
  });

  it('denies window.open and hands only https links to the OS browser', () => {
    const e = fakeElectron();
    createMainWindow({ BrowserWindow: e.BrowserWindow as never, shell: e.shell, preloadPath: 'p', devServerUrl: undefined });
    expect(e.open()({ url: 'https://www.twilio.com/docs/errors/20412' })).toEqual({ action: 'deny' });
    expect(e.shell.openExternal).toHaveBeenCalledWith('https://www.twilio.com/docs/errors/20412');
    for (const url of ['http://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      expect(e.open()({ url })).toEqual({ action: 'deny' });
    }
    expect(e.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation and redirects away from the app, and attaching webviews', () => {
    const e = fakeElectron();
    createMainWindow({ BrowserWindow: e.BrowserWindow as never, shell: e.shell, preloadPath: 'p', devServerUrl: undefined });
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = { preventDefault: vi.fn() };
      e.listeners.get(name)!(away, 'https://evil.example/');
      expect(away.preventDefault).toHaveBeenCalled();
      const inside = { preventDefault: vi.fn() };
      e.listeners.get(name)!(inside, `${APP_ORIGIN}/index.html#x`);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    const webview = { preventDefault: vi.fn() };
    e.listeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('grants no permission requests', () => {
    const e = fakeElectron();
    createMainWindow({ BrowserWindow: e.BrowserWindow as never, shell: e.shell, preloadPath: 'p', devServerUrl: undefined });
    const answer = vi.fn();
    e.permission()(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
  });

  it('recognises app URLs, the dev server and nothing else', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`, undefined)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isAppUrl('app://other/index.html', undefined)).toBe(false);
    expect(externalUrlToOpen('https://a.example/x')).toBe('https://a.example/x');
    expect(externalUrlToOpen('http://a.example/x')).toBeNull();
  });

  it('trusts IPC only from its own window main frame on the app origin', () => {
    const e = fakeElectron();
    const win = { webContents: e.webContents } as never;
    const check = trustedSender(() => win, undefined);
    const mainFrame = e.webContents.mainFrame;
    expect(check({ sender: e.webContents, senderFrame: mainFrame } as never)).toBe(true);
    expect(check({ sender: { ...e.webContents, id: 8 }, senderFrame: mainFrame } as never)).toBe(false);
    expect(check({ sender: e.webContents, senderFrame: { url: `${APP_ORIGIN}/x` } } as never)).toBe(false);
    const foreign = { url: 'https://evil.example/' };
    expect(check({ sender: { ...e.webContents, mainFrame: foreign }, senderFrame: foreign } as never)).toBe(false);
    expect(trustedSender(() => null, undefined)({ sender: e.webContents, senderFrame: mainFrame } as never)).toBe(false);
  });
});
