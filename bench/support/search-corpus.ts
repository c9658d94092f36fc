/**
 * The search benchmark's mailbox: deterministic generated messages (mail-generator) written as
 * .eml files into a store's data directory and listed as rows, but not yet indexed: every row sits
 * in search_pending, so the timed index build is exactly what the app does in the background
 * (read the file, extract text, insert into FTS5). Messages over MAX_MESSAGE_BYTES (those carrying
 * multi-megabyte attachments) are replaced by the next generated one: attachment bytes are indexed
 * by neither engine, and would only make the corpus ten times larger on a shared disk.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Folder } from '../../src-main/domain/folder';
import { SqliteMailStore } from '../../src-main/store/mail-store';
import { parseForIngest, toNewMessage } from '../../src-main/sync/message-ingest';
import { MessageBuilder } from './mail-generator/message-builder';
import { Random } from './mail-generator/random';

export const MAX_MESSAGE_BYTES = 64 * 1024;
const SPAN_MS = 3 * 365 * 86_400_000;
const END_MS = Date.UTC(2025, 0, 1);
const ROWS_PER_TRANSACTION = 1_000;
/** Regenerations allowed per message before a large one is kept anyway (a bound, never reached). */
const MAX_REGENERATIONS = 50;

export interface SearchCorpus {
  messages: number;
  bytes: number;
  /** Where the .eml files are (the notmuch baseline indexes the same files). */
  mailDir: string;
  /** A number from an "Invoice #n" subject: a term that occurs in very few messages. */
  rareInvoiceNumber: string;
}

export async function buildSearchCorpus(dataDir: string, count: number, seed = 7): Promise<SearchCorpus> {
  const store = SqliteMailStore.open(dataDir);
  try {
    const { folders: localFolders } = store.ensureLocalFolders();
    const inbox = localFolders.find((f) => f.role === 'inbox')!;
    const sent = localFolders.find((f) => f.role === 'sent')!;
    const archive = store.folders.insert({
      accountId: inbox.accountId,
      parentId: null,
      name: 'Archive',
      path: 'Archive',
      delimiter: '/',
      role: 'archive',
    });
    const work = store.accounts.insert({ kind: 'local', displayName: 'Work', email: 'alice@work.example' });
    const workInbox = store.folders.insert({
      accountId: work.id,
      parentId: null,
      name: 'Projects',
      path: 'Projects',
      delimiter: '/',
      role: null,
    });
    const random = new Random(seed);
    const pickFolder = (): Folder => {
      const r = random.next();
      return r < 0.45 ? inbox : r < 0.65 ? archive : r < 0.75 ? sent : workInbox;
    };
    const builder = new MessageBuilder(random);
    const mailDir = path.join(dataDir, 'mail');
    let bytes = 0;
    let rareInvoiceNumber = '';
    let batch: Array<{ raw: Buffer; emlPath: string; seen: boolean; flagged: boolean; received: number }> =
      [];

    const flush = (): void => {
      store.transaction(() => {
        for (const item of batch) {
          const parsed = parseForIngest(item.raw);
          store.messages.insert(
            toNewMessage(parsed, pickFolder(), {
              emlPath: item.emlPath,
              size: item.raw.length,
              receivedAt: item.received,
              flags: {
                seen: item.seen,
                flagged: item.flagged,
                answered: false,
                forwarded: false,
                draft: false,
                deleted: false,
                keywords: [],
              },
            }),
          );
        }
      });
      batch = [];
    };

    for (let i = 0; i < count; i++) {
      const ms = END_MS - SPAN_MS + Math.floor(((i + random.next() * 0.9) / count) * SPAN_MS);
      let message = builder.build(ms);
      for (let tries = 0; message.text.length > MAX_MESSAGE_BYTES && tries < MAX_REGENERATIONS; tries++) {
        message = builder.build(ms);
      }
      const invoice = /^Subject: Invoice #(\d+)$/m.exec(message.text);
      if (invoice && rareInvoiceNumber === '') rareInvoiceNumber = invoice[1] ?? '';
      const raw = Buffer.from(message.text.replace(/\r?\n/g, '\r\n'), 'utf8');
      const name = i.toString(16).padStart(32, '0');
      const shard = name.slice(-2);
      const emlPath = `mail/${shard}/${name}.eml`;
      mkdirSync(path.join(mailDir, shard), { recursive: true });
      writeFileSync(path.join(dataDir, emlPath), raw);
      bytes += raw.length;
      batch.push({ raw, emlPath, seen: message.isSeen, flagged: message.isFlagged, received: ms + 60_000 });
      if (batch.length >= ROWS_PER_TRANSACTION) flush();
    }
    if (batch.length > 0) flush();
    return { messages: count, bytes, mailDir, rareInvoiceNumber };
  } finally {
    store.close();
  }
}
