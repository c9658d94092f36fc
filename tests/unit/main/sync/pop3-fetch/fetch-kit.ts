/** A store with one POP3 account, a fake POP3 server and a fetcher between them. */
import type { AccountId, FolderId } from '../../../../../src-main/domain/ids';
import { SqliteMailStore, type MailStoreOptions } from '../../../../../src-main/store/mail-store';
import type { StoredMessage } from '../../../../../src-main/store/message-rows';
import {
  Pop3Fetcher,
  type Pop3AccountSettings,
  type Pop3FetcherOptions,
  type Pop3Progress,
} from '../../../../../src-main/sync/pop3-fetch';
import {
  startFakePop3Server,
  type FakePop3Options,
  type FakePop3Server,
} from '../../../../support/fake-pop3-server';
import { makeTempDir, type TempDir } from '../../../../support/temp-dir';

export const USER = 'alice';
export const PASSWORD = 'correct horse';
/** Short deadlines so a failure shows up well inside the test timeout. */
export const TEST_TIMEOUTS = {
  connectMs: 3_000,
  greetingMs: 3_000,
  tlsHandshakeMs: 3_000,
  commandMs: 3_000,
  idleMs: 3_000,
};

export interface FetchKit {
  dir: TempDir;
  store: SqliteMailStore;
  accountId: AccountId;
  server: FakePop3Server;
  fetcher: Pop3Fetcher;
  progress: Pop3Progress[];
  newMail: Array<[FolderId, number]>;
  settings(overrides?: Partial<Pop3AccountSettings>): Pop3AccountSettings;
  /** The account's Inbox rows, oldest id first. */
  inboxRows(): StoredMessage[];
  /** Raw bytes of every Inbox message, in row order. */
  inboxBytes(): Promise<Buffer[]>;
  /** A new fetcher on the same store (another "run" of the app). */
  newFetcher(options?: Partial<Pop3FetcherOptions>): Pop3Fetcher;
  dispose(): Promise<void>;
}

export async function openFetchKit(
  serverOptions: FakePop3Options,
  fetcherOptions: Partial<Pop3FetcherOptions> = {},
  storeOptions: MailStoreOptions = {},
): Promise<FetchKit> {
  const dir = await makeTempDir('estafeta-pop3-fetch-');
  const store = SqliteMailStore.open(dir.path, storeOptions);
  const accountId = store.accounts.insert({
    kind: 'pop3',
    displayName: USER,
    email: `${USER}@example.test`,
  }).id;
  const server = await startFakePop3Server({ username: USER, password: PASSWORD, ...serverOptions });
  const progress: Pop3Progress[] = [];
  const newMail: Array<[FolderId, number]> = [];
  const newFetcher = (options: Partial<Pop3FetcherOptions> = {}): Pop3Fetcher =>
    new Pop3Fetcher({
      store,
      timeouts: TEST_TIMEOUTS,
      onProgress: (event) => progress.push(event),
      onNewMail: (folderId, count) => newMail.push([folderId, count]),
      ...fetcherOptions,
      ...options,
    });
  const inboxRows = (): StoredMessage[] => {
    const inbox = store.folders.findByRole(accountId, 'inbox');
    if (!inbox) return [];
    const rows: StoredMessage[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = store.messages.page(inbox.id, offset, 500, { by: 'date', direction: 'asc' }).rows;
      for (const row of page) {
        const stored = store.messages.get(row.id);
        if (stored) rows.push(stored);
      }
      if (page.length < 500) break;
    }
    return rows.sort((a, b) => a.id - b.id);
  };
  return {
    dir,
    store,
    accountId,
    server,
    fetcher: newFetcher(),
    progress,
    newMail,
    settings: (overrides = {}) => ({
      accountId,
      host: server.host,
      port: server.port,
      security: 'none',
      username: USER,
      password: PASSWORD,
      leaveOnServer: false,
      deleteAfterDays: null,
      deleteWhenDeletedHere: false,
      maxMessageKb: null,
      ...overrides,
    }),
    inboxRows,
    inboxBytes: () => Promise.all(inboxRows().map((row) => store.emlFiles.read(row.emlPath))),
    newFetcher,
    async dispose() {
      await server.close();
      store.close();
      await dir.remove();
    },
  };
}

/** A small message with a recognisable subject; CRLF line ends like a real maildrop. */
export function message(n: number, body = `Body of message ${n}.`): Buffer {
  return Buffer.from(
    `From: Sender ${n} <s${n}@example.test>\r\nTo: alice@example.test\r\nSubject: Message ${n}\r\n` +
      `Date: Mon, 05 Jan 2026 10:00:${String(n % 60).padStart(2, '0')} +0000\r\n` +
      `Message-ID: <m${n}@example.test>\r\n\r\n${body}\r\n`,
    'latin1',
  );
}
