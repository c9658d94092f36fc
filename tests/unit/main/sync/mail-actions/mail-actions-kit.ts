// A store in a temp dir with Local Folders, a POP3 and an IMAP account, real .eml files, and the
// store-level actions wired to a real ImapActionQueue (nothing is replayed here: no server).
import type { Account } from '../../../../../src-main/domain/account';
import { NO_FLAGS } from '../../../../../src-main/domain/flags';
import type { Folder } from '../../../../../src-main/domain/folder';
import type { AccountId, MessageId } from '../../../../../src-main/domain/ids';
import { SqliteMailStore } from '../../../../../src-main/store/mail-store';
import { ImapActionQueue } from '../../../../../src-main/sync/imap-actions';
import { FolderActions, MessageActions } from '../../../../../src-main/sync/mail-actions';
import { parseForIngest, toNewMessage, toSearchDocument } from '../../../../../src-main/sync/message-ingest';
import { ensurePop3Folders } from '../../../../../src-main/sync/pop3-fetch';
import { makeTempDir, type TempDir } from '../../../../support/temp-dir';

export interface MailActionsKit {
  dir: TempDir;
  store: SqliteMailStore;
  queue: ImapActionQueue;
  messages: MessageActions;
  folders: FolderActions;
  local: Account;
  pop3: Account;
  imap: Account;
  folder(accountId: AccountId, role: 'inbox' | 'trash' | 'sent' | 'drafts'): Folder;
  /** Stores one message in `folder` as an ingest would; returns its id. */
  add(
    folder: Folder,
    n: number,
    extra?: { pop3Uidl?: string; imapUid?: number; seen?: boolean },
  ): Promise<MessageId>;
  raw(n: number): Buffer;
  /** Closes and opens the store again, as a restart does. */
  reopen(): void;
  dispose(): Promise<void>;
}

export function rawMessage(n: number): Buffer {
  return Buffer.from(
    [
      `From: Sender ${n} <s${n}@example.test>`,
      'To: me@example.test',
      `Subject: Message number ${n} kumquat${n}`,
      `Message-ID: <m${n}@example.test>`,
      'Date: Mon, 20 Nov 2023 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body of message ${n}, with a word to search: zebra${n}.`,
      '',
    ].join('\r\n'),
  );
}

export async function openMailActionsKit(): Promise<MailActionsKit> {
  const dir = await makeTempDir('estafeta-actions-');
  let store = SqliteMailStore.open(dir.path);
  const local = store.ensureLocalFolders().account;
  const pop3 = store.accounts.insert({ kind: 'pop3', displayName: 'pop', email: 'pop@example.test' });
  ensurePop3Folders(store, pop3.id);
  const imap = store.accounts.insert({ kind: 'imap', displayName: 'imap', email: 'imap@example.test' });
  for (const [name, role] of [
    ['INBOX', 'inbox'],
    ['Trash', 'trash'],
    ['Sent', 'sent'],
  ] as const) {
    store.folders.insert({ accountId: imap.id, parentId: null, name, path: name, delimiter: '.', role });
  }
  const kit: MailActionsKit = {
    dir,
    store,
    queue: new ImapActionQueue(store),
    messages: undefined as unknown as MessageActions,
    folders: undefined as unknown as FolderActions,
    local,
    pop3,
    imap,
    folder(accountId, role) {
      const folder = kit.store.folders.findByRole(accountId, role);
      if (!folder) throw new Error(`no ${role} in account ${accountId}`);
      return folder;
    },
    async add(folder, n, extra = {}) {
      const raw = rawMessage(n);
      const emlPath = await kit.store.emlFiles.write(raw);
      const parsed = parseForIngest(raw);
      return kit.store.transaction(() => {
        const id = kit.store.messages.insert(
          toNewMessage(parsed, folder, {
            emlPath,
            size: raw.length,
            receivedAt: 1_700_000_000_000 + n,
            flags: { ...NO_FLAGS, keywords: [], seen: extra.seen ?? false },
            pop3Uidl: extra.pop3Uidl ?? null,
            imapUid: extra.imapUid ?? null,
          }),
        );
        kit.store.search.index(id, toSearchDocument(parsed));
        if (extra.pop3Uidl)
          kit.store.pop3Uidls.record(folder.accountId, extra.pop3Uidl, 'downloaded', id, 1_000);
        return id;
      });
    },
    raw: rawMessage,
    reopen() {
      kit.store.close();
      store = SqliteMailStore.open(dir.path);
      wire(store);
    },
    async dispose() {
      kit.store.close();
      await dir.remove();
    },
  };
  const wire = (opened: SqliteMailStore): void => {
    kit.store = opened;
    kit.queue = new ImapActionQueue(opened);
    kit.messages = new MessageActions({ store: opened, queue: kit.queue });
    kit.folders = new FolderActions({ store: opened, queue: kit.queue });
  };
  wire(store);
  return kit;
}
