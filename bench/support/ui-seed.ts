/**
 * Fills a data directory with many list rows fast, through the store API (no MIME parsing per
 * message): the UI benchmark's 100,000-message folder and the list e2e tests' folders. Every row
 * points at one of a few real .eml files, so opening a message still shows a real message.
 */
import { SqliteMailStore } from '../../src-main/store/mail-store';
import type { AccountId, FolderId } from '../../src-main/domain/ids';
import { NO_FLAGS } from '../../src-main/domain/flags';
import type { NewMessage } from '../../src-main/store/messages-repo';

export interface SeedOptions {
  /** Messages in the Local Folders Inbox. */
  count: number;
  /** A second account ("Work", POP3 without server settings) with this many Inbox messages. */
  secondInbox?: number;
  /** Rows per transaction. */
  batch?: number;
}

export interface SeededStore {
  inboxId: number;
  secondAccountId: number | null;
  secondInboxId: number | null;
}

const SENDERS = [
  ['Ana García', 'ana@example.org'],
  ['Bruno Díaz', 'bruno@example.net'],
  ['Carla Ruiz', 'carla@example.com'],
  ['Diego Martín', 'diego@example.org'],
  ['Elena Sanz', 'elena@example.net'],
  ['Fatima Zahra', 'fatima@example.com'],
] as const;
const TOPICS = [
  'Quarterly report',
  'Team lunch',
  'Invoice',
  'Travel plans',
  'Release notes',
  'Meeting notes',
];
const DAY_MS = 86_400_000;
/** A fixed "now", so runs are comparable; the newest message is the one with index 0. */
const NEWEST_MS = Date.UTC(2026, 10, 20, 9, 30);

function emlFor(subject: string, from: readonly [string, string]): Buffer {
  return Buffer.from(
    [
      `From: ${from[0]} <${from[1]}>`,
      'To: You <you@example.com>',
      `Subject: ${subject}`,
      'Date: Thu, 20 Nov 2026 09:30:00 +0000',
      `Message-ID: <seed-${Math.abs(hash(subject))}@example.com>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `This is “${subject}”.`,
      '',
    ].join('\r\n'),
  );
}

function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (h * 31 + char.charCodeAt(0)) | 0;
  return h;
}

/** Row `i` of a seeded folder: deterministic sender, subject, date, size and flags. */
export function seedRow(
  i: number,
  accountId: AccountId,
  folderId: FolderId,
  emlPath: string,
  tag = '',
): NewMessage {
  const sender = SENDERS[i % SENDERS.length] ?? SENDERS[0];
  const topic = TOPICS[Math.floor(i / 3) % TOPICS.length] ?? 'Topic';
  // Every three messages share a thread (a message and two replies).
  const thread = Math.floor(i / 3);
  const isReply = i % 3 !== 0;
  const subject = `${isReply ? 'Re: ' : ''}${topic} ${tag}#${thread}`;
  return {
    accountId,
    folderId,
    messageIdHeader: `<seed-${tag}${i}@example.com>`,
    subject,
    from: { name: sender[0], address: sender[1] },
    to: [{ name: 'You', address: 'you@example.com' }],
    cc: [],
    date: NEWEST_MS - i * (DAY_MS / 24),
    receivedAt: NEWEST_MS - i * (DAY_MS / 24),
    size: 800 + ((i * 7919) % 250_000),
    flags: { ...NO_FLAGS, seen: i % 4 !== 0, flagged: i % 17 === 0, answered: i % 11 === 0 },
    hasAttachments: i % 5 === 0,
    threadKey: `id:<seed-thread-${tag}${thread}@example.com>`,
    snippet: `Message ${i} about ${topic.toLowerCase()}`,
    emlPath,
    parseState: 'ok',
  };
}

export async function seedUiStore(dataDir: string, options: SeedOptions): Promise<SeededStore> {
  const store = SqliteMailStore.open(dataDir);
  try {
    const { account, folders } = store.ensureLocalFolders();
    const inbox = folders.find((folder) => folder.role === 'inbox');
    if (!inbox) throw new Error('Local Folders has no Inbox');
    const emlPaths: string[] = [];
    for (let k = 0; k < 3; k++)
      emlPaths.push(await store.emlFiles.write(emlFor(`Seeded message ${k}`, SENDERS[k] ?? SENDERS[0])));
    insertRows(store, options.count, options.batch ?? 5_000, (i) =>
      seedRow(i, account.id, inbox.id, emlPaths[i % emlPaths.length] ?? ''),
    );

    if (!options.secondInbox) return { inboxId: inbox.id, secondAccountId: null, secondInboxId: null };
    // A second account (kind pop3, no server settings: nothing to check) with its own Inbox.
    const work = store.accounts.insert({ kind: 'pop3', displayName: 'Work', email: 'me@work.example' });
    const workInbox = store.folders.insert({
      accountId: work.id,
      parentId: null,
      name: 'Inbox',
      path: 'INBOX',
      delimiter: '/',
      role: 'inbox',
    });
    insertRows(store, options.secondInbox, options.batch ?? 5_000, (i) =>
      seedRow(i, work.id, workInbox.id, emlPaths[i % emlPaths.length] ?? '', 'work-'),
    );
    return { inboxId: inbox.id, secondAccountId: work.id, secondInboxId: workInbox.id };
  } finally {
    store.close();
  }
}

function insertRows(
  store: SqliteMailStore,
  count: number,
  batch: number,
  row: (i: number) => NewMessage,
): void {
  for (let start = 0; start < count; start += batch) {
    store.transaction(() => {
      for (let i = start; i < Math.min(count, start + batch); i++) store.messages.insert(row(i));
    });
  }
}
