/**
 * The API implemented once: one async handler per contract method. Transports (IPC, WebSocket)
 * reach it only through dispatch.ts, which has already validated every params object.
 */
import { MailError } from '../domain/errors';
import { compareFolders } from '../domain/folder';
import { asAccountId, asFolderId, asMessageId, type FolderId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import type { LocalImporter } from '../sync/local-import/importer';
import { createAccountHandlers, type AccountServiceDeps } from './account-handlers';
import type { ApiHandlers, ImportFormat, ImportResult } from './contract';
import type { EventBus } from './events';
import { createMailActionHandlers } from './mail-action-handlers';
import { buildMessageView } from './message-view';
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
  events: EventBus;
  /** Account setup and management (account-handlers.ts); store and events are the ones above. */
  accounts: Omit<AccountServiceDeps, 'store' | 'events'>;
}

/** Tells every UI that these folders' lists and unread/total counts changed. */
export function announceFolderChanges(
  store: Pick<SqliteMailStore, 'messages'>,
  events: EventBus,
  folderIds: readonly FolderId[],
): void {
  if (folderIds.length === 0) return;
  const counts = store.messages.countsFor(folderIds);
  events.emit('counts.changed', {
    folders: folderIds.map((folderId) => ({
      folderId,
      ...(counts.get(folderId) ?? { unread: 0, total: 0 }),
    })),
  });
  events.emit('messages.changed', { folderIds: [...folderIds] });
}

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

    ...createMailActionHandlers(),

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

    'message.open': async ({ messageId }) => {
      const stored = store.messages.get(asMessageId(messageId));
      if (!stored) throw new MailError('NOT_FOUND', 'That message is no longer here.');
      const raw = await store.emlFiles.read(stored.emlPath);
      return buildMessageView(stored, raw);
    },

    'flags.set': async ({ messageIds, flag, value }) => {
      const change = store.messages.setFlags(messageIds.map(asMessageId), flag, value);
      announceFolderChanges(store, events, change.folderIds);
      return { changed: change.changed };
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
