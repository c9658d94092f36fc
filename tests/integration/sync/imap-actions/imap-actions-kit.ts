// Shared by the IMAP action queue's integration tests: a store whose IMAP account mirrors a real
// Dovecot mailbox (folders as the server lists them, messages with their server UIDs), the
// store-level actions wired to the queue, and "another device" to look at the server.
import type { ImapFlow } from 'imapflow';
import { NO_FLAGS } from '../../../../src-main/domain/flags';
import type { Folder, FolderRole } from '../../../../src-main/domain/folder';
import type { AccountId, MessageId } from '../../../../src-main/domain/ids';
import { folderStatus, listFolders, type ImapSession } from '../../../../src-main/protocols/imap';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import { ImapActionQueue } from '../../../../src-main/sync/imap-actions';
import { FolderActions, MessageActions } from '../../../../src-main/sync/mail-actions';
import { parseForIngest, toNewMessage, toSearchDocument } from '../../../../src-main/sync/message-ingest';
import type { MailServers } from '../../../support/mail-servers';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';
import { connectAs, otherDevice } from '../../protocols/imap/imap-test-kit';

export interface ServerMessage {
  uid: number;
  subject: string;
  messageId: string;
  flags: string[];
}

export class ImapActionsKit {
  store: SqliteMailStore;
  queue!: ImapActionQueue;
  messages!: MessageActions;
  folders!: FolderActions;
  readonly accountId: AccountId;
  readonly localAccountId: AccountId;

  private constructor(
    readonly servers: MailServers,
    readonly user: string,
    readonly dir: TempDir,
    public device: ImapFlow,
    store: SqliteMailStore,
    accountId: AccountId,
    localAccountId: AccountId,
  ) {
    this.store = store;
    this.accountId = accountId;
    this.localAccountId = localAccountId;
    this.wire();
  }

  /** A new server user with an empty mailbox, and a store whose account mirrors its folders. */
  static async open(servers: MailServers, user: string): Promise<ImapActionsKit> {
    await servers.addUser(user);
    const dir = await makeTempDir('estafeta-imap-actions-');
    const store = SqliteMailStore.open(dir.path);
    const local = store.ensureLocalFolders().account;
    const account = store.accounts.insert({ kind: 'imap', displayName: user, email: servers.address(user) });
    const session = await connectAs(servers, user);
    try {
      const remote = await listFolders(session);
      const uidValidity = new Map<string, bigint>();
      for (const folder of remote)
        uidValidity.set(folder.path, (await folderStatus(session, folder.path)).uidValidity);
      store.transaction(() => {
        const ids = new Map<string, Folder>();
        for (const folder of [...remote].sort((a, b) => a.path.length - b.path.length)) {
          const parent = folder.parentPath === '' ? null : (ids.get(folder.parentPath) ?? null);
          const stored = store.folders.insert({
            accountId: account.id,
            parentId: parent?.id ?? null,
            name: folder.name,
            path: folder.path,
            delimiter: folder.delimiter,
            role: folder.role,
          });
          // As a first sync leaves it: queued UIDs are checked against this UIDVALIDITY.
          store.imapSync.saveFolderState(stored.id, {
            uidValidity: uidValidity.get(folder.path) ?? null,
            uidNext: null,
            highestModseq: null,
          });
          ids.set(folder.path, stored);
        }
      });
    } finally {
      await session.logout();
    }
    const device = await otherDevice(servers, user);
    return new ImapActionsKit(servers, user, dir, device, store, account.id, local.id);
  }

  connect(): Promise<ImapSession> {
    return connectAs(this.servers, this.user);
  }

  /** One connection, one replay, logout: what the IMAP engine does on each connect. */
  async replay(): Promise<void> {
    const session = await this.connect();
    try {
      await this.queue.replay(this.accountId, session);
    } finally {
      await session.logout();
    }
  }

  folder(role: FolderRole): Folder {
    const folder = this.store.folders.findByRole(this.accountId, role);
    if (!folder) throw new Error(`no ${role} folder`);
    return folder;
  }

  folderByPath(path: string): Folder {
    const folder = this.store.folders.findByPath(this.accountId, path);
    if (!folder) throw new Error(`no folder ${path}`);
    return folder;
  }

  /** Delivers a message to the server folder (another device) and stores it here with its UID, as a sync would. */
  async synced(folder: Folder, n: number): Promise<MessageId> {
    const raw = rawMessage(this.user, n);
    const appended = await this.device.append(folder.path, raw);
    if (!appended || !appended.uid) throw new Error('APPEND gave no UID');
    return this.storeLocally(folder, n, appended.uid);
  }

  /** Stores a message here only (Local Folders, or a row the server does not have). */
  async storeLocally(folder: Folder, n: number, imapUid: number | null = null): Promise<MessageId> {
    const raw = rawMessage(this.user, n);
    const emlPath = await this.store.emlFiles.write(raw);
    const parsed = parseForIngest(raw);
    return this.store.transaction(() => {
      const id = this.store.messages.insert(
        toNewMessage(parsed, folder, {
          emlPath,
          size: raw.length,
          receivedAt: Date.now(),
          flags: { ...NO_FLAGS, keywords: [] },
          imapUid,
        }),
      );
      this.store.search.index(id, toSearchDocument(parsed));
      return id;
    });
  }

  /** What another device sees in a server folder, by UID. */
  async onServer(path: string): Promise<ServerMessage[]> {
    const lock = await this.device.getMailboxLock(path);
    try {
      await this.device.noop();
      const out: ServerMessage[] = [];
      if (this.device.mailbox === false || this.device.mailbox.exists === 0) return out;
      for await (const row of this.device.fetch('1:*', { uid: true, flags: true, envelope: true })) {
        out.push({
          uid: row.uid,
          subject: row.envelope?.subject ?? '',
          messageId: row.envelope?.messageId ?? '',
          flags: [...(row.flags ?? [])].filter((flag) => flag !== '\\Recent').sort(),
        });
      }
      return out.sort((a, b) => a.uid - b.uid);
    } finally {
      lock.release();
    }
  }

  /** A new "other device" connection (after the server was restarted). */
  async reconnectDevice(): Promise<void> {
    await this.device.logout().catch(() => undefined);
    this.device = await otherDevice(this.servers, this.user);
  }

  async serverFolders(): Promise<string[]> {
    return (await this.device.list()).map((folder) => folder.path).sort();
  }

  /** Closes and opens the store again, with a new queue: an app restart. */
  restart(): void {
    this.store.close();
    this.store = SqliteMailStore.open(this.dir.path);
    this.wire();
  }

  async dispose(): Promise<void> {
    await this.device.logout().catch(() => undefined);
    this.store.close();
    await this.dir.remove();
  }

  private wire(): void {
    this.queue = new ImapActionQueue(this.store);
    this.messages = new MessageActions({ store: this.store, queue: this.queue });
    this.folders = new FolderActions({ store: this.store, queue: this.queue });
  }
}

export function rawMessage(user: string, n: number): Buffer {
  return Buffer.from(
    [
      'From: Bob <bob@example.test>',
      `To: ${user}@example.test`,
      `Subject: Message ${n}`,
      `Message-ID: <m${n}.${user}@example.test>`,
      'Date: Mon, 20 Nov 2023 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Body ${n}.`,
      '',
    ].join('\r\n'),
  );
}

export const subjects = (messages: readonly ServerMessage[]): string[] =>
  messages.map((m) => m.subject).sort();
