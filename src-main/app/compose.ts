/**
 * Builds the service graph for either shell (Electron or browser mode) without importing
 * electron: store -> engines -> service -> dispatch. The shell adds its transport on top.
 */
import { createDispatch, type Dispatch } from '../api/dispatch';
import { EventBus } from '../api/events';
import { announceFolderChanges, createService, type ImportFilePicker } from '../api/service';
import type { Logger } from '../domain/logger';
import { SqliteMailStore } from '../store/mail-store';
import { LocalImporter } from '../sync/local-import/importer';
import { APP_VERSION } from './version';

export interface ComposeOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  logger: Logger;
  filePicker: ImportFilePicker | null;
}

export interface ComposedApp {
  dispatch: Dispatch;
  events: EventBus;
  store: SqliteMailStore;
  /** Stops the engines and closes the store; safe to call twice. */
  close(): Promise<void>;
}

export async function composeApp(options: ComposeOptions): Promise<ComposedApp> {
  const events = new EventBus();
  const store = SqliteMailStore.open(options.dataDir);
  store.ensureLocalFolders();
  const importer = new LocalImporter({
    store,
    onProgress: (progress) => events.emit('import.progress', progress),
    onFolderChanged: (folderIds) => announceFolderChanges(store, events, folderIds),
  });
  const service = createService({
    version: APP_VERSION,
    mode: options.mode,
    store,
    importer,
    filePicker: options.filePicker,
    events,
  });
  let closed = false;
  return {
    dispatch: createDispatch(service, options.logger),
    events,
    store,
    close: async () => {
      if (closed) return;
      closed = true;
      await importer.cancelAll();
      store.close();
    },
  };
}
