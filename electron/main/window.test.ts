import { describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  createMainWindow,
  devServerUrlFrom,
  dialogConfirmExternal,
  externalUrlToOpen,
  isAppUrl,
  trustedSender,
} from './window';

type Listener = (...args: unknown[]) => void;

function fakeElectron() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  let permissionHandler: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
  let permissionCheck: ((c: unknown, p: string) => boolean) | null = null;
  const webContents = {
    id: 7,
    mainFrame: { url: `${APP_ORIGIN}/index.html` },
    on: vi.fn((event: string, fn: Listener) => listeners.set(event, fn)),
    setWindowOpenHandler: vi.fn((fn: typeof openHandler) => (openHandler = fn)),
    session: {
      setPermissionRequestHandler: vi.fn(
        (fn: typeof permissionHandler) => (permissionHandler = fn),
      ),
      setPermissionCheckHandler: vi.fn((fn: typeof permissionCheck) => (permissionCheck = fn)),
    },
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
  // The operator's answer to "Open <host> in your browser?", and the hosts they were asked about.
  const asked: string[] = [];
  let answer = true;
  const confirmExternal = vi.fn(async (url: URL) => {
    asked.push(url.host);
    return answer;
  });
  const deps = {
    BrowserWindow: BrowserWindow as never,
    shell,
    preloadPath: 'p',
    devServerUrl: undefined,
    confirmExternal,
  };
  return {
    BrowserWindow,
    shell,
    created,
    listeners,
    loadURL,
    webContents,
    deps,
    asked,
    setAnswer: (yes: boolean) => (answer = yes),
    open: () => openHandler!,
    permission: () => permissionHandler!,
    check: () => permissionCheck!,
  };
}

describe('main window', () => {
  it('creates the renderer isolated, sandboxed and without Node', () => {
    const e = fakeElectron();
    createMainWindow({ ...e.deps, preloadPath: '/app/preload/index.cjs' });
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

  it('denies window.open; an https link goes to the OS browser only after the operator confirms its host', async () => {
    const e = fakeElectron();
    createMainWindow(e.deps);
    expect(e.open()({ url: 'https://www.twilio.com/docs/errors/20412' })).toEqual({
      action: 'deny',
    });
    await vi.waitFor(() =>
      expect(e.shell.openExternal).toHaveBeenCalledWith('https://www.twilio.com/docs/errors/20412'),
    );
    expect(e.asked).toEqual(['www.twilio.com']);
    e.setAnswer(false);
    expect(e.open()({ url: 'https://evil.example/phish' })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(e.asked).toEqual(['www.twilio.com', 'evil.example']));
    for (const url of [
      'http://evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(e.open()({ url })).toEqual({ action: 'deny' });
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Only https is ever offered, and a "no" opens nothing.
    expect(e.asked).toEqual(['www.twilio.com', 'evil.example']);
    expect(e.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('asks with a dialog that names the host and defaults to Cancel', async () => {
    const showMessageBox = vi.fn(async () => ({ response: 1, checkboxChecked: false }));
    const confirm = dialogConfirmExternal({ showMessageBox } as never, () => null);
    expect(await confirm(new URL('https://docs.example.com/a?b=1'))).toBe(false);
    expect(showMessageBox).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Open docs.example.com in your browser?',
        detail: 'https://docs.example.com/a?b=1',
        defaultId: 1,
        cancelId: 1,
      }),
    );
    showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    expect(await confirm(new URL('https://docs.example.com/'))).toBe(true);
  });

  it('blocks navigation and redirects away from the app, and attaching webviews', () => {
    const e = fakeElectron();
    createMainWindow(e.deps);
    for (const name of ['will-navigate', 'will-redirect']) {
      const away = { preventDefault: vi.fn() };
      e.listeners.get(name)!(away, 'https://evil.example/');
      expect(away.preventDefault).toHaveBeenCalled();
      const inside = { preventDefault: vi.fn() };
      e.listeners.get(name)!(inside, `${APP_ORIGIN}/index.html#x`);
      expect(inside.preventDefault).not.toHaveBeenCalled();
    }
    // Any frame, through will-frame-navigate (its event carries the URL).
    const frameAway = { url: 'https://evil.example/', isMainFrame: false, preventDefault: vi.fn() };
    e.listeners.get('will-frame-navigate')!(frameAway);
    expect(frameAway.preventDefault).toHaveBeenCalled();
    const frameInside = {
      url: `${APP_ORIGIN}/index.html`,
      isMainFrame: true,
      preventDefault: vi.fn(),
    };
    e.listeners.get('will-frame-navigate')!(frameInside);
    expect(frameInside.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    e.listeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('grants no permission requests and answers every permission check with no', () => {
    const e = fakeElectron();
    createMainWindow(e.deps);
    const answer = vi.fn();
    e.permission()(null, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    for (const permission of ['clipboard-read', 'media', 'notifications', 'geolocation'])
      expect(e.check()(null, permission)).toBe(false);
  });

  it('uses the dev server only in an explicit development run, and only on loopback', () => {
    const dev = {
      NODE_ENV_ELECTRON_VITE: 'development',
      ELECTRON_RENDERER_URL: 'http://localhost:5173',
    };
    expect(devServerUrlFrom(dev, false)).toBe('http://localhost:5173');
    expect(devServerUrlFrom(dev, true)).toBeUndefined();
    expect(
      devServerUrlFrom({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false),
    ).toBeUndefined();
    expect(
      devServerUrlFrom({ ...dev, ELECTRON_RENDERER_URL: 'http://evil.example:5173' }, false),
    ).toBeUndefined();
    expect(
      devServerUrlFrom({ ...dev, ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false),
    ).toBeUndefined();
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
    expect(check({ sender: { ...e.webContents, id: 8 }, senderFrame: mainFrame } as never)).toBe(
      false,
    );
    expect(check({ sender: e.webContents, senderFrame: { url: `${APP_ORIGIN}/x` } } as never)).toBe(
      false,
    );
    const foreign = { url: 'https://evil.example/' };
    expect(
      check({ sender: { ...e.webContents, mainFrame: foreign }, senderFrame: foreign } as never),
    ).toBe(false);
    expect(
      trustedSender(
        () => null,
        undefined,
      )({ sender: e.webContents, senderFrame: mainFrame } as never),
    ).toBe(false);
  });
});
