/**
 * The API implemented once: one async handler per contract method. Transports (IPC, WebSocket)
 * reach it only through dispatch.ts, which has already validated every params object.
 */
import { MailError } from '../domain/errors';
import { compareFolders } from '../domain/folder';
import { asAccountId, asFolderId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import type { LocalImporter } from '../sync/local-import/importer';
import { announceFolderChanges } from '../sync/engines/sync-events';
import { createAccountHandlers, type AccountServiceDeps } from './account-handlers';
import type { ApiHandlers, ImportFormat, ImportResult } from './contract';
import type { EventBus } from './events';
import { createListHandlers } from './list-handlers';
import type { ServerActionQueue } from '../sync/mail-actions';
import { createMailActionHandlers } from './mail-action-handlers';
import { createSendingHandlers, type SendingServiceDeps } from './sending-handlers';
import { createReaderHandlers, type AttachmentFileDialogs } from './reader-handlers';
import { createSearchHandlers } from './search-handlers';
import type { SearchSystem } from '../search/search-system';
import { createSyncHandlers, type SyncEnginesApi } from './sync-handlers';
import { accountView, folderView, messageRow } from './views';

/** Electron's native open dialog; null in browser mode, where the page picks files itself. */
export interface ImportFilePicker {
  chooseImportFiles(): Promise<string[]>;
}

/** The local import engine (sync/local-import) as the service uses it. */
export type Importer = Pick<LocalImporter, 'begin' | 'chunk' | 'finish' | 'cancel' | 'importFile'>;

export interface ServiceDeps {
  version: string;
  mode: 'electron' | 'browser';
  store: SqliteMailStore;
  importer: Importer;
  filePicker: ImportFilePicker | null;
  /** Electron's save/open dialogs for attachments; absent or null in browser mode. */
  attachmentDialogs?: AttachmentFileDialogs | null;
  events: EventBus;
  /** Account setup and management (account-handlers.ts); store and events are the ones above. */
  accounts: Omit<AccountServiceDeps, 'store' | 'events'>;
  /** The composer, drafts and the outbox (sending-handlers.ts, issue 6). */
  sending: Omit<SendingServiceDeps, 'store'>;
  /** The IMAP action queue (sync/imap-actions) that message and folder actions feed. */
  imapActions: ServerActionQueue;
  /** The server accounts' background engines (sync/engines/account-engines.ts); null: none run. */
  engines?: SyncEnginesApi | null;
  /** Local and server search and the background indexer (search/, issue 8). */
  search: SearchSystem;
}

/** The one way every part tells the UIs that folders' lists and counts changed (the engines use it too). */
export { announceFolderChanges };

function formatOfPath(file: string): ImportFormat {
  return /\.eml$/i.test(file) ? 'eml' : 'mbox';
}

export function createService(deps: ServiceDeps): ApiHandlers {
  const { store, events } = deps;

  const requireFolder = (id: number) => {
    const folder = store.folders.get(asFolderId(id));
    if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.');
    return folder;
  };

  return {
    'app.info': async () => ({ version: deps.version, mode: deps.mode }),

    'accounts.list': async () => store.accounts.list().map(accountView),

    ...createAccountHandlers({ ...deps.accounts, store, events }),

    // Moves, copies, deletes, flags and folder changes, queued for IMAP servers (issues 4, 5).
    ...createMailActionHandlers({
      store,
      events,
      queue: deps.imapActions,
      announceFolders: (folderIds) => announceFolderChanges(store, events, folderIds),
    }),

    ...createSyncHandlers(deps.engines ?? null),

    // Composer, drafts, outbox, address completion (issue 6).
    ...createSendingHandlers({ ...deps.sending, store }),

    // message.open, remote content, attachments (issue 7).
    ...createReaderHandlers({
      store,
      dialogs: deps.attachmentDialogs ?? null,
      // A message synced as headers only is downloaded first (IMAP offline policy, POP3 size limit).
      readRaw: async (stored) => {
        await deps.engines?.ensureBody(stored.id);
        return store.emlFiles.read(store.messages.get(stored.id)?.emlPath ?? stored.emlPath);
      },
    }),

    ...createListHandlers(store),

    // search.run, search.server, search.rebuild, search.status (issue 8).
    ...createSearchHandlers({ store, search: deps.search }),

    'folders.list': async ({ accountId }) => {
      const folders = store.folders.list(accountId === undefined ? undefined : asAccountId(accountId));
      const counts = store.messages.countsFor(folders.map((f) => f.id));
      return [...folders]
        .sort((a, b) => a.accountId - b.accountId || compareFolders(a, b))
        .map((folder) => folderView(folder, counts.get(folder.id) ?? { unread: 0, total: 0 }));
    },

    'messages.page': async ({ folderId, offset, limit, sort }) => {
      requireFolder(folderId);
      const page = store.messages.page(asFolderId(folderId), offset, limit, sort);
      return { total: page.total, rows: page.rows.map(messageRow) };
    },

    'import.begin': async ({ folderId, fileName, format, size }) => {
      requireFolder(folderId);
      return { importId: deps.importer.begin({ folderId: asFolderId(folderId), fileName, format, size }) };
    },

    'import.chunk': async ({ importId, data }) => ({
      bytes: await deps.importer.chunk(importId, Buffer.from(data, 'base64')),
    }),

    'import.finish': async ({ importId }) => deps.importer.finish(importId),

    'import.cancel': async ({ importId }) => {
      await deps.importer.cancel(importId);
      return {};
    },

    'import.chooseFiles': async ({ folderId }) => {
      requireFolder(folderId);
      if (!deps.filePicker) {
        throw new MailError('BAD_REQUEST', 'Choose the files in the page: this window has no file dialog.');
      }
      const files = await deps.filePicker.chooseImportFiles();
      const results: ImportResult[] = [];
      for (const file of files) {
        results.push(await deps.importer.importFile(asFolderId(folderId), file, formatOfPath(file)));
      }
      return results;
    },
  };
}
