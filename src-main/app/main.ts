/**
 * Electron lifecycle: one hardened window, the API served over IPC, links to the system browser.
 * Every security decision is taken in window-policy.ts (tested without Electron); this file only
 * applies them.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import { SafeStorageVault } from '../accounts/vault';
import { composeApp, type ComposedApp } from './compose';
import { argValue, resolveDataDir } from './data-dir';
import { RedactingLogger } from './logger';
import {
  decideNavigation,
  decidePermission,
  decideWindowOpen,
  isAppUrl,
  windowOptions,
  withContentSecurityPolicy,
} from './window-policy';
import { serveIpc } from '../api/ipc';
import type { ImportFilePicker } from '../api/service';
import type { AttachmentFilePicker } from '../api/sending-handlers';
import type { AttachmentFileDialogs } from '../api/reader-handlers';
import { MailError } from '../domain/errors';

const dataDir = resolveDataDir(argValue(process.argv, 'data-dir'), app.getPath('userData'));
app.setPath('userData', dataDir);
app.enableSandbox();

const logger = new RedactingLogger({ logDir: path.join(dataDir, 'logs') });
const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const appUrl = rendererUrl ?? new URL(`file://${path.join(__dirname, '../renderer/index.html')}`).href;

let mainWindow: BrowserWindow | null = null;
let composed: ComposedApp | null = null;

const filePicker: ImportFilePicker = {
  async chooseImportFiles() {
    const options: Electron.OpenDialogOptions = {
      title: 'Import messages',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Mail (.eml, mbox)', extensions: ['eml', 'mbox', 'mbx', 'mbs'] },
        { name: 'All files', extensions: ['*'] },
      ],
    };
    const result = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  },
};

/** The composer's "Attach files" (issue 6): the native open dialog, any file. */
const attachmentPicker: AttachmentFilePicker = {
  async chooseAttachmentFiles() {
    const options: Electron.OpenDialogOptions = {
      title: 'Attach files',
      properties: ['openFile', 'multiSelections'],
    };
    const result = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  },
};

/** Attachments (reader): the native save dialogs, and the system's viewer for "Open". */
const attachmentDialogs: AttachmentFileDialogs = {
  async chooseSaveFile(suggestedName) {
    const options: Electron.SaveDialogOptions = { title: 'Save attachment', defaultPath: suggestedName };
    const result = mainWindow
      ? await dialog.showSaveDialog(mainWindow, options)
      : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? null : result.filePath;
  },
  async chooseSaveFolder() {
    const options: Electron.OpenDialogOptions = {
      title: 'Save all attachments',
      properties: ['openDirectory', 'createDirectory'],
    };
    const result = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },
  async openWithSystem(file) {
    const failure = await shell.openPath(file);
    if (failure !== '')
      throw new MailError('INTERNAL', 'No application could open this file.', { detail: failure });
  },
};

function hardenSession(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(decidePermission(permission)),
  );
  ses.setPermissionCheckHandler((_contents, permission) => decidePermission(permission));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

function openExternally(url: string | null): void {
  if (url) void shell.openExternal(url);
}

app.on('web-contents-created', (_event, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    openExternally(decision.openExternally);
    return { action: decision.action };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, appUrl);
    if (!decision.allow) {
      event.preventDefault();
      openExternally(decision.openExternally);
    }
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function createWindow(): void {
  mainWindow = new BrowserWindow(windowOptions(path.join(__dirname, '../preload/preload.js')));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(appUrl);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  void app.whenReady().then(async () => {
    hardenSession();
    composed = await composeApp({
      dataDir,
      mode: 'electron',
      logger,
      filePicker,
      attachmentDialogs,
      attachmentPicker,
      // safeStorage is usable only after 'ready': the OS keyring protects every saved password.
      vault: new SafeStorageVault(safeStorage, dataDir),
      redactSecret: (secret) => logger.redact(secret),
      // OAuth2 sign-in happens in the user's own browser (RFC 8252 §8.12), never in a web view.
      oauth2: { openBrowser: (url) => shell.openExternal(url) },
    });
    serveIpc({
      ipcMain,
      dispatch: composed.dispatch,
      events: composed.events,
      appContents: () => mainWindow?.webContents ?? null,
      isAppUrl: (url) => isAppUrl(url, appUrl),
    });
    createWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closing = false;
  app.on('will-quit', (event) => {
    if (closing || !composed) return;
    closing = true;
    event.preventDefault();
    void composed.close().finally(() => app.exit(0));
  });
}
