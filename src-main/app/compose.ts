/**
 * Builds the service graph for either shell (Electron or browser mode) without importing
 * electron: store -> engines -> service -> dispatch. The shell adds its transport on top.
 */
import { AccountSettingsStore } from '../accounts/account-settings-store';
import {
  createDnsResolver,
  createFetchText,
  createProbe,
  discoverSettings,
  type DiscoveryOptions,
} from '../accounts/autoconfig';
import { CertificatePins } from '../accounts/certificate-pins';
import type { SecretVault } from '../accounts/vault';
import { createDispatch, type Dispatch } from '../api/dispatch';
import { EventBus } from '../api/events';
import { announceFolderChanges, createService, type ImportFilePicker } from '../api/service';
import type { Logger } from '../domain/logger';
import { SqliteMailStore } from '../store/mail-store';
import { ConnectionChecker } from '../sync/connection-check';
import { LocalImporter } from '../sync/local-import/importer';
import { APP_VERSION } from './version';

export interface ComposeOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  logger: Logger;
  filePicker: ImportFilePicker | null;
  /** Where passwords go: SafeStorageVault in Electron, FileKeyVault in browser mode. */
  vault: SecretVault;
  /** Registers a secret with the log redactor (RedactingLogger.redact); every password passes here. */
  redactSecret?: (secret: string) => void;
  /** Replaces parts of account discovery (tests use local DNS and HTTP stand-ins). */
  discovery?: Partial<DiscoveryOptions>;
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
  const redactSecret = options.redactSecret ?? (() => undefined);
  // Server accounts' settings, passwords and trusted certificates: what sync engines connect with.
  const accountSettings = new AccountSettingsStore(store, options.vault, redactSecret);
  const pins = new CertificatePins(options.dataDir);
  const checker = new ConnectionChecker({ trustFor: (host, port) => pins.trustFor(host, port) });
  const discovery: DiscoveryOptions = {
    resolver: createDnsResolver(),
    fetchText: createFetchText(),
    probe: createProbe(),
    ...options.discovery,
  };
  const service = createService({
    version: APP_VERSION,
    mode: options.mode,
    store,
    importer,
    filePicker: options.filePicker,
    events,
    accounts: {
      settings: accountSettings,
      pins,
      checker,
      discover: (email) => discoverSettings(email, discovery),
      redactSecret,
    },
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
