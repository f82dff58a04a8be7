// The main window and its hardening: isolated, sandboxed renderer with no Node; no popups, no
// navigation away from our own origin (any frame), no permission grants or checks. External https
// links open in the OS browser once the operator confirms the host.
import type {
  BrowserWindow as BrowserWindowType,
  BrowserWindowConstructorOptions,
  Dialog,
  IpcMainInvokeEvent,
  Shell,
  WebContents,
} from 'electron';

export const APP_ORIGIN = 'app://conflict-desk';

export function secureWebPreferences(
  preloadPath: string,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
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

/**
 * The dev server's URL, only in an explicit development run: an unpackaged app started by
 * `electron-vite dev` (which sets NODE_ENV_ELECTRON_VITE=development), and only on loopback.
 * Anything else (a stray ELECTRON_RENDERER_URL, a packaged app) loads the bundled renderer.
 */
export function devServerUrlFrom(
  env: Record<string, string | undefined>,
  isPackaged: boolean,
): string | undefined {
  const raw = env['ELECTRON_RENDERER_URL'];
  if (isPackaged || env['NODE_ENV_ELECTRON_VITE'] !== 'development' || !raw) return undefined;
  try {
    const url = new URL(raw);
    const loopback =
      url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
    return (url.protocol === 'http:' || url.protocol === 'https:') && loopback ? raw : undefined;
  } catch {
    return undefined;
  }
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

/** Asks the operator whether to open an external address; true only on an explicit yes. */
export type ConfirmExternal = (url: URL) => Promise<boolean>;

export function hardenWebContents(
  contents: WebContents,
  shell: Pick<Shell, 'openExternal'>,
  devServerUrl: string | undefined,
  confirmExternal: ConfirmExternal,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    // The operator sees the host and says yes before anything leaves the app.
    if (external) {
      confirmExternal(new URL(external))
        .then((yes) => (yes ? shell.openExternal(external) : undefined))
        .catch((error: unknown) =>
          console.error('[conflict-desk] the link could not be opened:', error),
        );
    }
    return { action: 'deny' };
  });
  const blockNavigation = (event: { preventDefault(): void }, url: string) => {
    if (!isAppUrl(url, devServerUrl)) event.preventDefault();
  };
  contents.on('will-navigate', blockNavigation);
  contents.on('will-redirect', blockNavigation);
  // Every frame, not only the main one (will-navigate covers the main frame only).
  contents.on('will-frame-navigate', (event) => blockNavigation(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  // Checks (navigator.permissions, clipboard, media queries of devices…) are answered "no" too.
  contents.session.setPermissionCheckHandler(() => false);
}

/** The operator's yes to an external address, naming its host, with Cancel as the default. */
export function dialogConfirmExternal(
  dialog: Pick<Dialog, 'showMessageBox'>,
  getWindow: () => BrowserWindowType | null,
): ConfirmExternal {
  return async (url) => {
    const options = {
      type: 'question' as const,
      buttons: ['Open in browser', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      title: 'Open an external link',
      message: `Open ${url.host} in your browser?`,
      detail: url.toString(),
      noLink: true,
    };
    const win = getWindow();
    const { response } = win
      ? await dialog.showMessageBox(win, options)
      : await dialog.showMessageBox(options);
    return response === 0;
  };
}

export type WindowDeps = {
  BrowserWindow: typeof BrowserWindowType;
  shell: Pick<Shell, 'openExternal'>;
  preloadPath: string;
  devServerUrl: string | undefined;
  confirmExternal: ConfirmExternal;
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
  hardenWebContents(win.webContents, deps.shell, deps.devServerUrl, deps.confirmExternal);
  win.once('ready-to-show', () => win.show());
  win
    .loadURL(deps.devServerUrl ?? `${APP_ORIGIN}/index.html`)
    .catch((error: unknown) =>
      console.error('[conflict-desk] the window could not load the app:', error),
    );
  return win;
}

/** IPC is answered only for our window's main frame showing our own origin. */
export function trustedSender(
  getWindow: () => BrowserWindowType | null,
  devServerUrl: string | undefined,
) {
  return (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow();
    if (!win || event.sender.id !== win.webContents.id) return false;
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame) return false;
    return isAppUrl(frame.url, devServerUrl);
  };
}
