// The main window and its hardening: isolated, sandboxed renderer with no Node; no popups, no
// navigation away from our own origin, no permission grants. External https links open in the OS browser.
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, IpcMainInvokeEvent, Shell, WebContents } from 'electron';

export const APP_ORIGIN = 'app://conflict-desk';

export function secureWebPreferences(preloadPath: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** Only http(s) links to other sites leave the app, and only https ones are opened. */
export function externalUrlToOpen(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export function isAppUrl(raw: string, devServerUrl: string | undefined): boolean {
  try {
    const url = new URL(raw);
    if (url.origin === APP_ORIGIN || `${url.protocol}//${url.host}` === APP_ORIGIN) return true;
    return devServerUrl !== undefined && url.origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}

export function hardenWebContents(contents: WebContents, shell: Pick<Shell, 'openExternal'>, devServerUrl: string | undefined): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
  const blockNavigation = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', blockNavigation);
  contents.on('will-redirect', blockNavigation);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

export type WindowDeps = {
  BrowserWindow: typeof BrowserWindowType;
  shell: Pick<Shell, 'openExternal'>;
  preloadPath: string;
  devServerUrl: string | undefined;
};

export function createMainWindow(deps: WindowDeps): BrowserWindowType {
  const win = new deps.BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Conflict Desk',
    backgroundColor: '#1e1e1e',
    webPreferences: secureWebPreferences(deps.preloadPath),
  });
  hardenWebContents(win.webContents, deps.shell, deps.devServerUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(deps.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

/** IPC is answered only for our window's main frame showing our own origin. */
export function trustedSender(getWindow: () => BrowserWindowType | null, devServerUrl: string | undefined) {
  return (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow();
    if (!win || event.sender.id !== win.webContents.id) return false;
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame) return false;
    return isAppUrl(frame.url, devServerUrl);
  };
}
