// The IMAP engine's first sync of a real, seeded account: afterwards the store equals the server
// (folders with their hierarchy and roles, counts, every message's flags and size, every body byte
// for byte), and the message list received the newest 100 before anything else.
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSnippet } from '../../../../src-main/mime/snippet';
import { BackgroundIndexer } from '../../../../src-main/search/background-indexer';
import { parseForIngest } from '../../../../src-main/sync/message-ingest';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { seedMailbox } from '../../../support/seed-mailbox';
import {
  openImapSyncKit,
  otherDevice,
  serverMessages,
  statusOf,
  storedMessages,
  type ImapSyncKit,
} from './imap-sync-kit';

const SEEDED = 300;

let servers: MailServers;
let device: ImapFlow;
let kit: ImapSyncKit;

beforeAll(async () => {
  servers = await startMailServers();
  await seedMailbox(servers, 'alice', SEEDED, { extraFolders: true });
  device = await otherDevice(servers, 'alice');
  kit = await openImapSyncKit(servers);
  await kit.engines.checkNow(kit.accountId);
});

afterAll(async () => {
  await kit?.dispose();
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

describe('first sync of an IMAP account', () => {
  it('ends idle, with the folder tree, delimiters and special-use roles of the server', async () => {
    expect(statusOf(kit)).toMatchObject({ state: 'idle', message: null });
    const remote = await device.list();
    const local = kit.store.folders.list(kit.accountId);
    expect(local.map((f) => f.path).sort()).toEqual(remote.map((f) => f.path).sort());
    const byPath = new Map(local.map((f) => [f.path, f]));
    expect(byPath.get('INBOX')?.role).toBe('inbox');
    expect(byPath.get('Sent')?.role).toBe('sent');
    expect(byPath.get('Archive')?.role).toBe('archive');
    const reports = byPath.get('Work/Reports');
    expect(reports?.parentId).toBe(byPath.get('Work')?.id);
    expect(reports?.name).toBe('Reports');
    expect(reports?.delimiter).toBe('/');
    expect(kit.events.some((e) => e.event === 'folders.changed')).toBe(true);
  });

  it('stores every message of every folder once, with the server flags, sizes and counts', async () => {
    for (const { path } of await device.list()) {
      const server = await serverMessages(device, path);
      expect(storedMessages(kit, path), path).toEqual(server);
      const status = await device.status(path, { messages: true, unseen: true });
      if (status === false) throw new Error(`STATUS ${path} refused`);
      const counts = kit.store.messages.countsFor([kit.folderId(path)]).get(kit.folderId(path));
      expect(counts, path).toEqual({ total: status.messages, unread: status.unseen });
    }
    expect(kit.rowsOf('INBOX').size).toBe(SEEDED);
  });

  it('keeps every body byte for byte (offline policy "all" by default)', async () => {
    const rows = kit.rowsOf('INBOX');
    const lock = await device.getMailboxLock('INBOX');
    let compared = 0;
    try {
      for await (const row of device.fetch('1:*', { uid: true, source: true }, { uid: true })) {
        const stored = rows.get(row.uid);
        expect(stored?.emlPath, `UID ${row.uid}`).not.toBe('');
        const bytes = await kit.store.emlFiles.read(stored?.emlPath ?? '');
        expect(bytes.equals(row.source ?? Buffer.alloc(0)), `UID ${row.uid}`).toBe(true);
        compared++;
      }
    } finally {
      lock.release();
    }
    expect(compared).toBe(SEEDED);
  });

  it('stores bodies unparsed, and the search indexer fills in the snippets from its own parse', async () => {
    const rows = [...kit.rowsOf('INBOX').values()];
    await new BackgroundIndexer(kit.store).schedule();
    let compared = 0;
    for (const row of rows) {
      const raw = await kit.store.emlFiles.read(row.emlPath);
      const expected = makeSnippet(parseForIngest(raw).text);
      expect(kit.store.messages.get(row.id)?.snippet, `UID ${row.imapUid}`).toBe(expected);
      if (expected !== '') compared++;
    }
    // The seeded mail has text: the check above compared real snippets, not empty strings.
    expect(compared).toBeGreaterThan(rows.length / 2);
  });

  it('showed the newest 100 Inbox headers before the rest', () => {
    const inbox = kit.folderId('INBOX');
    const first = kit.events.find(
      (e) =>
        e.event === 'counts.changed' &&
        (e.payload.folders as Array<{ folderId: number; total: number }>).some((f) => f.folderId === inbox),
    );
    const inboxCounts = (first?.payload.folders as Array<{ folderId: number; total: number }>).find(
      (f) => f.folderId === inbox,
    );
    expect(inboxCounts?.total).toBe(100);
    const progress = kit.events.filter((e) => e.event === 'sync.progress');
    expect(progress.length).toBeGreaterThan(0);
  });

  it('guesses the paperclip from Content-Type without BODYSTRUCTURE, and the body parse makes it exact', async () => {
    const mail = (id: string, type: string, body: string): Buffer =>
      Buffer.from(
        `From: Ana <ana@example.test>\r\nTo: alice@example.test\r\nSubject: ${id}\r\n` +
          `Message-ID: <${id}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: ${type}\r\n\r\n${body}`,
      );
    // multipart/mixed of two text parts (a list footer): guessed yes, none in fact.
    await device.append(
      'Archive',
      mail(
        'footer-only',
        'multipart/mixed; boundary="b"',
        '--b\r\nContent-Type: text/plain\r\n\r\nHi\r\n--b\r\nContent-Type: text/plain\r\n\r\n-- footer\r\n--b--\r\n',
      ),
    );
    // A signed message whose signed part holds a PDF: guessed no, one in fact.
    const inner =
      'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nSee it\r\n' +
      '--m\r\nContent-Type: application/pdf; name="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--m--\r\n';
    await device.append(
      'Archive',
      mail(
        'signed-pdf',
        'multipart/signed; protocol="application/pgp-signature"; boundary="s"',
        `--s\r\n${inner}\r\n--s\r\nContent-Type: application/pgp-signature\r\nContent-Disposition: inline\r\n\r\nsig\r\n--s--\r\n`,
      ),
    );
    await kit.engines.checkNow(kit.accountId);
    const byId = (id: string) =>
      [...kit.rowsOf('Archive').values()].find((row) => row.messageIdHeader === `${id}@example.test`);
    expect(byId('footer-only')).toMatchObject({ hasAttachments: true });
    expect(byId('signed-pdf')).toMatchObject({ hasAttachments: false });
    expect(byId('signed-pdf')?.emlPath).not.toBe('');

    await new BackgroundIndexer(kit.store).schedule();
    expect(byId('footer-only')).toMatchObject({ hasAttachments: false });
    expect(byId('signed-pdf')).toMatchObject({ hasAttachments: true });
    // Every row of the first sync now says what the parse of its body says.
    for (const row of kit.rowsOf('INBOX').values()) {
      const parsed = parseForIngest(await kit.store.emlFiles.read(row.emlPath));
      expect(row.hasAttachments, `UID ${row.imapUid}`).toBe(parsed.hasAttachments);
    }
  });
});
