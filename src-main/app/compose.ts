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
import { discoveryOptionsFromEnv } from '../accounts/autoconfig/discovery-env';
import { CertificatePins } from '../accounts/certificate-pins';
import { AccountCredentials } from '../accounts/account-credentials';
import {
  OAuth2SignIns,
  OAuth2TokenSource,
  oauth2ClientsFromEnv,
  type OAuth2Clients,
} from '../accounts/oauth2';
import { AccountUploads } from '../sync/account-switch';
import type { SecretVault } from '../accounts/vault';
import { createDispatch, type Dispatch } from '../api/dispatch';
import { EventBus } from '../api/events';
import { announceFolderChanges, createService, type ImportFilePicker } from '../api/service';
import type { AttachmentFileDialogs } from '../api/reader-handlers';
import type { Logger } from '../domain/logger';
import { SqliteMailStore } from '../store/mail-store';
import { ComposeSessions, OutboxEngine } from '../sync/outbox';
import type { AttachmentFilePicker } from '../api/sending-handlers';
import { ConnectionChecker } from '../sync/connection-check';
import { ImapActionQueue } from '../sync/imap-actions';
import { AccountEngines } from '../sync/engines/account-engines';
import { createImapEngine } from '../sync/imap-sync';
import { createPop3Engine } from '../sync/pop3-fetch';
import { asAccountId, type AccountId, type FolderId } from '../domain/ids';
import { LocalImporter } from '../sync/local-import/importer';
import { createImapOpener } from '../search/imap-opener';
import { SearchSystem } from '../search/search-system';
import { APP_VERSION } from './version';

/** File times can lag the clock by a tick; files written this close to the start are left alone. */
const ORPHAN_SWEEP_MARGIN_MS = 2_000;

export interface ComposeOptions {
  dataDir: string;
  mode: 'electron' | 'browser';
  logger: Logger;
  filePicker: ImportFilePicker | null;
  /** Electron's save/open dialogs for attachments (reader); null or absent in browser mode. */
  attachmentDialogs?: AttachmentFileDialogs | null;
  /** Electron's open dialog for the composer's "Attach files"; absent or null in browser mode. */
  attachmentPicker?: AttachmentFilePicker | null;
  /** Waits between outbox retries (tests shorten them); the engine's defaults otherwise. */
  outboxRetryDelaysMs?: readonly number[];
  /** Where passwords go: SafeStorageVault in Electron, FileKeyVault in browser mode. */
  vault: SecretVault;
  /** Registers a secret with the log redactor (RedactingLogger.redact); every password passes here. */
  redactSecret?: (secret: string) => void;
  /** Replaces parts of account discovery (tests use local DNS and HTTP stand-ins). */
  discovery?: Partial<DiscoveryOptions>;
  /**
   * OAuth2 sign-in: the clients (default: ESTAFETA_*_CLIENT_ID from the environment) and how the
   * system browser is opened (Electron: shell.openExternal; absent in browser mode, where the page
   * opens the URL in a new tab).
   */
  oauth2?: { clients?: OAuth2Clients; openBrowser?: (url: string) => Promise<void> };
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
  // Mail files a crash left without a row (store/orphan-eml-sweep.ts), in the background: only
  // files older than this start (less a margin for coarse file times) are touched.
  const orphanSweep = store.sweepOrphanEmlFiles(Date.now() - ORPHAN_SWEEP_MARGIN_MS).then(
    (swept) => {
      const removed = swept.removedFiles + swept.removedTempFiles;
      if (removed > 0) options.logger.info('removed orphaned mail files', swept);
    },
    (error: unknown) => options.logger.warn('orphaned mail files sweep failed', String(error)),
  );
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
  // OAuth2 accounts (Gmail, Microsoft): browser sign-ins, and access tokens refreshed as they expire.
  const oauth2Clients = options.oauth2?.clients ?? oauth2ClientsFromEnv(process.env);
  const tokens = new OAuth2TokenSource({
    vault: options.vault,
    clients: oauth2Clients,
    redact: redactSecret,
  });
  const credentials = new AccountCredentials(accountSettings, tokens);
  const signIns = new OAuth2SignIns({
    clients: oauth2Clients,
    openBrowser: options.oauth2?.openBrowser ?? null,
    redact: redactSecret,
  });
  const uploads = new AccountUploads({
    store,
    settings: accountSettings,
    credentials,
    trustFor: (host, port) => pins.trustFor(host, port),
    dataDir: options.dataDir,
  });
  const discovery: DiscoveryOptions = {
    resolver: createDnsResolver(),
    fetchText: createFetchText(),
    probe: createProbe(),
    ...discoveryOptionsFromEnv(process.env),
    ...options.discovery,
  };
  // IMAP changes made here wait in the store until the IMAP engine replays them to the server.
  const imapActions = new ImapActionQueue(store);
  // One background engine per server account: IMAP sync (sync/imap-sync), POP3 download.
  const engines = new AccountEngines({
    store,
    events,
    logger: options.logger,
    factories: {
      imap: createImapEngine({
        store,
        accounts: { config: (id) => accountSettings.config(id), authFor: (id) => credentials.authFor(id) },
        trustFor: (host, port) => pins.trustFor(host, port),
        events,
        logger: options.logger,
        pending: imapActions,
        clientInfo: { name: 'Estafeta', version: APP_VERSION },
      }),
      pop3: createPop3Engine({
        store,
        settings: {
          config: (id) => accountSettings.config(id),
          authFor: (id) => credentials.authFor(id),
          trustFor: (host, port) => pins.trustFor(host, port),
        },
        events,
        logger: options.logger,
      }),
    },
  });
  // Created, changed or removed accounts: their engine restarts with what is now saved.
  events.subscribe((event, payload) => {
    if (event === 'accounts.changed') {
      void engines.accountChanged(asAccountId((payload as { accountId: number }).accountId));
    }
  });
  // Sending (issue 6): the durable outbox first, then submission; composers' state for the UI.
  const sendingAccess = {
    config: (id: AccountId) => accountSettings.config(id),
    authFor: (id: AccountId) => credentials.authFor(id),
    trustFor: (host: string, port: number) => pins.trustFor(host, port),
  };
  const sendingEvents = {
    outboxChanged: () => events.emit('outbox.changed', {}),
    folderAdded: (accountId: AccountId) => events.emit('folders.changed', { accountId }),
    foldersChanged: (folderIds: FolderId[]) => announceFolderChanges(store, events, folderIds),
    // The Sent copy or a draft was APPENDed: the account's sync fetches it now, not at its next check.
    serverChanged: (accountId: AccountId) => void engines.checkNow(accountId).catch(() => undefined),
  };
  const outbox = new OutboxEngine({
    store,
    access: sendingAccess,
    events: sendingEvents,
    retryDelaysMs: options.outboxRetryDelaysMs,
  });
  const composer = new ComposeSessions({
    store,
    access: sendingAccess,
    outbox,
    events: sendingEvents,
    ensureBody: (messageId) => engines.ensureBody(messageId),
  });
  // Search (issue 8): what ingest did not index inline is indexed in the background on changes.
  const search = new SearchSystem({
    store,
    onProgress: (progress) => events.emit('search.progress', progress),
    onSnippets: (folderIds) => events.emit('messages.changed', { folderIds }),
    // Indexing waits while an account syncs, so the download gets the main thread (issue 4).
    isSyncing: () => engines.statuses().some((status) => status.state === 'syncing'),
    openImap: createImapOpener({
      config: (id) => accountSettings.config(id),
      authFor: (id) => credentials.authFor(id),
      trustFor: (host, port) => pins.trustFor(host, port),
    }),
  });
  events.subscribe((event) => {
    if (event === 'messages.changed' || event === 'mail.arrived' || event === 'import.progress') {
      search.notifyChanged();
    }
  });
  const service = createService({
    version: APP_VERSION,
    mode: options.mode,
    store,
    importer,
    filePicker: options.filePicker,
    attachmentDialogs: options.attachmentDialogs ?? null,
    events,
    imapActions,
    engines,
    search,
    sending: { composer, outbox, attachmentPicker: options.attachmentPicker ?? null },
    accounts: {
      settings: accountSettings,
      pins,
      checker,
      discover: (email) => discoverSettings(email, discovery),
      redactSecret,
      credentials,
      signIns,
      uploads,
    },
  });
  engines.startAll();
  search.start((error) => options.logger.error('search indexing failed', error));
  outbox.start();
  let closed = false;
  return {
    dispatch: createDispatch(service, options.logger),
    events,
    store,
    close: async () => {
      if (closed) return;
      closed = true;
      await outbox.stop();
      await search.stop();
      await engines.stopAll();
      await importer.cancelAll();
      await signIns.closeAll();
      await orphanSweep;
      store.close();
    },
  };
}
