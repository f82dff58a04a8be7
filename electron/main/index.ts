// Electron entry: app lifecycle only. The backend is the same one the web host runs.
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { API_EVENT_CHANNEL } from '../../shared/api/contract';
import { createDesk } from '../backend/desk-service';
import { startEmbeddedSandbox } from '../backend/embedded-sandbox';
import { HOST_WAITS_FOR_LOCK_MS, lockDataDir } from '../backend/store/data-dir-lock';
import { createAppProtocolHandler, APP_SCHEME } from './app-protocol';
import { registerApiHandlers } from './ipc';
import { desktopSecretBox } from './safe-storage-box';
import { createMainWindow, devServerUrlFrom, dialogConfirmExternal, trustedSender } from './window';

const here = path.dirname(fileURLToPath(import.meta.url));
// Only an explicit development run may load the renderer from the dev server (and trust it over IPC).
const devServerUrl = devServerUrlFrom(process.env, app.isPackaged);
// Every renderer sandboxed, whatever a window's options say (before the app is ready).
app.enableSandbox();

protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
  },
]);

let mainWindow: BrowserWindow | null = null;

async function main(): Promise<void> {
  await app.whenReady();
  protocol.handle(APP_SCHEME, createAppProtocolHandler(path.join(here, '../renderer')));
  const dataDir = app.getPath('userData');
  // Held before the sandbox, whose file lives there too: a browser-mode host started on this
  // directory is refused rather than taking this app's writes in flight for a stopped host's.
  const dataDirLock = lockDataDir(dataDir, HOST_WAITS_FOR_LOCK_MS);
  const sandbox = await startEmbeddedSandbox({ data: path.join(dataDir, 'sandbox.sqlite') });
  console.log(
    `Embedded sandbox: ${sandbox.url} (admin API at ${sandbox.url}/_sandbox, see docs/sandbox.md)`,
  );
  // The OS keychain when there is a real one (not Linux's basic_text); else the key file.
  const secretBox = desktopSecretBox(safeStorage, dataDir);
  if (secretBox.kind !== 'safe-storage')
    console.warn(
      '[conflict-desk] OS keychain unavailable: secrets are encrypted with a key file in the data directory.',
    );
  const desk = createDesk({
    host: 'electron',
    version: app.getVersion(),
    dataDir,
    dataDirLock,
    secretBox,
    sandbox,
  });
  registerApiHandlers(
    ipcMain,
    desk.api,
    trustedSender(() => mainWindow, devServerUrl),
  );
  // Pushed events go to our window only.
  desk.onEvent((event) => mainWindow?.webContents.send(API_EVENT_CHANNEL, event));
  const open = () => {
    mainWindow = createMainWindow({
      BrowserWindow,
      shell,
      preloadPath: path.join(here, '../preload/index.cjs'),
      devServerUrl,
      confirmExternal: dialogConfirmExternal(dialog, () => mainWindow),
    });
    mainWindow.on('closed', () => (mainWindow = null));
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Electron does not wait for promises: quitting is held until the backend has closed (polls in
  // flight, batches, the team store's goodbye, the local store) and the sandbox has stopped.
  let backendClosed = false;
  let closing: Promise<void> | null = null;
  app.on('will-quit', (event) => {
    if (backendClosed) return;
    event.preventDefault();
    // The desk first: a save to the sandbox mid-write finishes before the sandbox stops.
    const closed = (what: Promise<void>) =>
      what.catch((error: unknown) => console.error('[conflict-desk] closing:', error));
    closing ??= closed(desk.close())
      .then(() => closed(sandbox.close()))
      .then(() => {
        dataDirLock.release();
        backendClosed = true;
        app.quit();
      });
  });
  // Launched again: the window comes forward, or a new one opens (macOS keeps running without
  // one); while quitting, the app starts again once it has closed.
  app.on('second-instance', () => {
    if (closing) return app.relaunch();
    if (!mainWindow) return open();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
}

// One app at a time: launched again, it hands over to this one (second-instance, above) and quits.
if (!app.requestSingleInstanceLock()) app.quit();
else {
  // An app that cannot start says why (a dialog, the log), rather than staying open with no window.
  main().catch((error: unknown) => {
    console.error('[conflict-desk] could not start:', error);
    dialog.showErrorBox(
      'Conflict Desk could not start',
      error instanceof Error ? error.message : String(error),
    );
    app.exit(1);
  });
}
