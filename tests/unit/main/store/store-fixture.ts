/** A fresh SqliteMailStore in a temp directory, and message rows to put in it. */
import { NO_FLAGS } from '../../../../src-main/domain/flags';
import type { MessageFlags } from '../../../../src-main/domain/flags';
import type { Folder } from '../../../../src-main/domain/folder';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import type { NewMessage } from '../../../../src-main/store/messages-repo';
import { makeTempDir } from '../../../support/temp-dir';
import type { TempDir } from '../../../support/temp-dir';

export interface StoreFixture {
  dir: TempDir;
  store: SqliteMailStore;
  inbox: Folder;
  trash: Folder;
  dispose(): Promise<void>;
}

export async function openStoreFixture(): Promise<StoreFixture> {
  const dir = await makeTempDir('estafeta-store-');
  const store = SqliteMailStore.open(dir.path);
  const { folders } = store.ensureLocalFolders();
  const inbox = folders.find((f) => f.role === 'inbox')!;
  const trash = folders.find((f) => f.role === 'trash')!;
  return {
    dir,
    store,
    inbox,
    trash,
    async dispose() {
      store.close();
      await dir.remove();
    },
  };
}

export function newMessage(folder: Folder, n: number, overrides: Partial<NewMessage> = {}): NewMessage {
  const flags: MessageFlags = { ...NO_FLAGS, keywords: [] };
  return {
    accountId: folder.accountId,
    folderId: folder.id,
    messageIdHeader: `m${n}@example.test`,
    subject: `Subject ${n}`,
    from: { name: `Sender ${n}`, address: `s${n}@example.test` },
    to: [{ name: '', address: 'me@example.test' }],
    cc: [],
    date: 1_700_000_000_000 + n * 1000,
    receivedAt: 1_700_000_000_000 + n * 1000,
    size: 1000 + n,
    flags,
    hasAttachments: false,
    threadKey: `id:m${n}@example.test`,
    snippet: `snippet ${n}`,
    emlPath: `mail/00/${n.toString(16).padStart(32, '0')}.eml`,
    parseState: 'ok',
    ...overrides,
  };
}
