// Download-and-delete from the fixture's Dovecot POP3: exact bytes, an empty maildrop after, every
// kind of connection security, offline reading with Dovecot stopped, and connections cut in the
// middle of a RETR and in the middle of its terminator (a TCP proxy) losing and duplicating nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailError } from '../../../../src-main/domain/errors';
import type { FolderId } from '../../../../src-main/domain/ids';
import { parseMessage } from '../../../../src-main/mime/parse';
import { makeSnippet } from '../../../../src-main/mime/snippet';
import { BackgroundIndexer } from '../../../../src-main/search/background-indexer';
import { parseForIngest } from '../../../../src-main/sync/message-ingest';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { seedMailbox } from '../../../support/seed-mailbox';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy';
import {
  deliverMessages,
  emptyMaildrop,
  maildropCount,
  openPop3Kit,
  recordServerBytes,
  type Pop3Kit,
} from './pop3-fetch-kit';

const SEEDED = 300;
/** A body big enough to span many TCP chunks, so a cut can land inside it. */
const LARGE_BODY_LINES = 4_000;

let servers: MailServers;
const kits: Pop3Kit[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  servers = await startMailServers();
});

afterAll(async () => {
  await servers?.stop();
});

afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await Promise.all(kits.splice(0).map((kit) => kit.dispose()));
});

async function kitFor(user: string): Promise<Pop3Kit> {
  const kit = await openPop3Kit(servers, user);
  kits.push(kit);
  return kit;
}

describe('POP3 download and delete (Dovecot)', () => {
  it('stores every message byte for byte in the Inbox and leaves the maildrop empty, over STLS and POP3S', async () => {
    await emptyMaildrop(servers, 'alice');
    for (const security of ['starttls', 'tls', 'none'] as const) {
      const delivered = await deliverMessages(servers, 'alice', 5, `dd-${security}`, {
        attachments: (n) => [
          {
            filename: `résumé-${n}.bin`,
            contentType: 'application/octet-stream',
            content: Buffer.alloc(3000, n),
          },
        ],
      });
      const kit = await kitFor('alice');
      const port = security === 'tls' ? servers.ports.pop3s : servers.ports.pop3;
      const result = await kit.fetcher.checkMail(kit.settings({ security, port }));
      expect(result).toMatchObject({
        onServer: 5,
        downloaded: 5,
        deletedFromServer: 5,
        failed: 0,
        problems: [],
      });
      expect(await maildropCount(servers, 'alice')).toBe(0);
      const stored = await kit.storedByMessageId();
      expect(stored).toEqual(new Map(delivered.map((m) => [m.messageId, m.stored])));
      const inbox = kit.store.folders.findByRole(kit.accountId, 'inbox');
      expect(new Set(kit.rows().map((row) => row.folderId))).toEqual(new Set([inbox?.id]));
      expect(kit.store.folders.list(kit.accountId).map((folder) => folder.name)).toEqual([
        'Inbox',
        'Drafts',
        'Sent',
        'Trash',
      ]);
    }
  });

  it('downloads a seeded mailbox of every MIME shape once each, and a second check finds nothing', async () => {
    await seedMailbox(servers, 'carol', SEEDED, { extraFolders: false, seed: 11, reset: true });
    const kit = await kitFor('carol');
    const result = await kit.fetcher.checkMail(kit.settings());
    expect(result).toMatchObject({ onServer: SEEDED, downloaded: SEEDED, deletedFromServer: SEEDED });
    expect(await maildropCount(servers, 'carol')).toBe(0);
    const stored = await kit.storedByMessageId(); // throws on a Message-ID stored twice
    expect(stored.size).toBe(SEEDED);
    // The list's fields come from the download's header and structure read; they must be what
    // the full parse says. The text (snippet, search) waits for the background indexer.
    for (const row of kit.rows()) {
      const full = parseForIngest(await kit.store.emlFiles.read(row.emlPath));
      expect(row.subject).toBe(full.subject);
      expect(row.from).toEqual(full.from[0] ?? null);
      expect(row.hasAttachments).toBe(full.hasAttachments);
      expect(row.snippet).toBe('');
    }
    expect(kit.store.search.pendingCount()).toBe(SEEDED);
    const snippetFolders: FolderId[] = [];
    await new BackgroundIndexer(kit.store, undefined, (ids) => snippetFolders.push(...ids)).schedule();
    expect(kit.store.search.pendingCount()).toBe(0);
    expect(kit.store.search.search('the', { limit: 5 }).length).toBeGreaterThan(0);
    const inbox = kit.store.folders.findByRole(kit.accountId, 'inbox');
    expect(new Set(snippetFolders)).toEqual(new Set([inbox?.id]));
    for (const row of kit.rows()) {
      const full = parseForIngest(await kit.store.emlFiles.read(row.emlPath));
      expect(row.snippet).toBe(makeSnippet(full.text));
      expect(row.parseState).toBe(full.isDamaged ? 'damaged' : 'ok');
    }
    const again = await kit.fetcher.checkMail(kit.settings());
    expect(again).toMatchObject({ onServer: 0, downloaded: 0 });
  });

  it('opens every downloaded message, attachments included, with Dovecot stopped', async () => {
    await emptyMaildrop(servers, 'alice');
    const attachment = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 256));
    await deliverMessages(servers, 'alice', 3, 'offline', {
      attachments: () => [
        { filename: 'data.bin', contentType: 'application/octet-stream', content: attachment },
      ],
    });
    const kit = await kitFor('alice');
    await kit.fetcher.checkMail(kit.settings());
    await servers.stopDovecot();
    try {
      const rows = kit.rows();
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        // What message.open does: the .eml from the store, parsed; no network involved.
        const parsed = await parseMessage(await kit.store.emlFiles.read(row.emlPath));
        expect(parsed.subject).toBe(row.subject);
        expect(parsed.attachments.map((a) => [a.filename, a.content])).toEqual([['data.bin', attachment]]);
      }
      const error = await kit.fetcher.checkMail(kit.settings()).catch((caught: unknown) => caught);
      expect((error as MailError).code).toBe('CONNECT_FAILED');
    } finally {
      await servers.startDovecot();
    }
  });
});

describe('POP3 connections cut by a TCP proxy (Dovecot)', () => {
  async function proxyKit(
    options: Parameters<typeof openPop3Kit>[2] = {},
  ): Promise<{ kit: Pop3Kit; proxy: TcpProxy }> {
    const kit = await openPop3Kit(servers, 'bob', options);
    kits.push(kit);
    const proxy = await startTcpProxy({ host: servers.host, port: servers.ports.pop3 });
    proxies.push(proxy);
    return { kit, proxy };
  }

  /** The large body of message `n`: many lines, with a marker in the middle. */
  const largeBody = (n: number): string =>
    Array.from({ length: LARGE_BODY_LINES }, (_, line) =>
      line === LARGE_BODY_LINES / 2 ? `CUT-HERE-${n}` : `line ${line} of message ${n}`,
    ).join('\r\n');

  it('loses and duplicates nothing when the connection drops in the middle of a RETR', async () => {
    await emptyMaildrop(servers, 'bob');
    const delivered = await deliverMessages(servers, 'bob', 4, 'mid-retr', { body: largeBody });
    const { kit, proxy } = await proxyKit();
    proxy.setRule({ whenServerSends: 'CUT-HERE-3' });
    const settings = kit.settings({ port: proxy.port, security: 'none' });
    const error = await kit.fetcher.checkMail(settings).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('CONNECTION_LOST');
    expect(await maildropCount(servers, 'bob')).toBe(4); // no QUIT reached the server
    proxy.setRule(null);
    const second = await kit.fetcher.checkMail(settings);
    expect(second.failed).toBe(0);
    expect(await maildropCount(servers, 'bob')).toBe(0);
    expect(await kit.storedByMessageId()).toEqual(new Map(delivered.map((m) => [m.messageId, m.stored])));
  });

  const fillerLines = (count: number): string[] =>
    Array.from({ length: count }, (_, line) => `filler line ${line}`);

  it('keeps what arrived whole of a batch that was still open when the connection dropped', async () => {
    await emptyMaildrop(servers, 'bob');
    const delivered = await deliverMessages(servers, 'bob', 9, 'mid-batch', {
      // Message 8 is so large that the chunk carrying its marker cannot also carry its end.
      body: (n) =>
        n === 8 ? [largeBody(n), ...fillerLines(LARGE_BODY_LINES * 4)].join('\r\n') : `Hello ${n}.`,
    });
    // Batches of 3: 1-3 and 4-6 are committed as they fill, 7 waits in the open batch when the
    // cut lands inside message 8.
    const { kit, proxy } = await proxyKit({ batchLimits: { maxMessages: 3 } });
    proxy.setRule({ whenServerSends: 'CUT-HERE-8' });
    const settings = kit.settings({ port: proxy.port, security: 'none' });
    const error = await kit.fetcher.checkMail(settings).catch((caught: unknown) => caught);
    expect((error as MailError).code).toBe('CONNECTION_LOST');
    const kept = kit.rows().map((row) => row.messageIdHeader);
    expect(kept).toEqual(delivered.slice(0, 7).map((m) => m.messageId));
    expect(await maildropCount(servers, 'bob')).toBe(9); // no QUIT reached the server
    proxy.setRule(null);
    const second = await kit.fetcher.checkMail(settings);
    expect(second).toMatchObject({ downloaded: 2, deletedFromServer: 9, failed: 0 });
    expect(await maildropCount(servers, 'bob')).toBe(0);
    expect(await kit.storedByMessageId()).toEqual(new Map(delivered.map((m) => [m.messageId, m.stored])));
  });

  it('loses and duplicates nothing when the connection drops between the "." and the CRLF of a terminator', async () => {
    await emptyMaildrop(servers, 'bob');
    const delivered = await deliverMessages(servers, 'bob', 4, 'mid-term');
    // A dry run through a recording proxy (leave on server, a throwaway store) finds the byte
    // offset of message 2's terminator in exactly the stream the real run will receive.
    const dry = await kitFor('bob');
    const stream = await recordServerBytes({ host: servers.host, port: servers.ports.pop3 }, (port) =>
      dry.fetcher.checkMail(dry.settings({ port, security: 'none', leaveOnServer: true })),
    );
    const secondBody = stream.indexOf('Hello 2 from mid-term.');
    const terminator = stream.indexOf('\r\n.\r\n', secondBody);
    expect(secondBody).toBeGreaterThan(0);
    const { kit, proxy } = await proxyKit();
    proxy.setRule({ afterServerBytes: terminator + 3 }); // "\r\n." sent, its "\r\n" never
    const settings = kit.settings({ port: proxy.port, security: 'none' });
    const error = await kit.fetcher.checkMail(settings).catch((caught: unknown) => caught);
    expect((error as MailError).code).toBe('CONNECTION_LOST');
    expect(kit.rows()).toHaveLength(1); // message 1 arrived whole and is kept; message 2 did not
    expect(await maildropCount(servers, 'bob')).toBe(4);
    proxy.setRule(null);
    await kit.fetcher.checkMail(settings);
    expect(await maildropCount(servers, 'bob')).toBe(0);
    expect(await kit.storedByMessageId()).toEqual(new Map(delivered.map((m) => [m.messageId, m.stored])));
  });

  it('loses and duplicates nothing when the connection drops after a batch was stored, before its QUIT', async () => {
    await emptyMaildrop(servers, 'bob');
    const delivered = await deliverMessages(servers, 'bob', 3, 'before-quit');
    const { kit, proxy } = await proxyKit();
    proxy.setRule({ whenServerSends: 'Marked to be deleted' }); // Dovecot's +OK to the first DELE
    const settings = kit.settings({ port: proxy.port, security: 'none' });
    // The DELEs are pipelined (RFC 2449 §6.6), so their replies may arrive in the chunk that is cut
    // after: then QUIT goes unanswered and the check says the deletions were not confirmed;
    // otherwise a later DELE finds the connection gone. Either way no QUIT reached the server.
    const outcome = await kit.fetcher.checkMail(settings).then(
      (result) => result.problems.join(' '),
      (caught: unknown) => (caught as MailError).code,
    );
    expect(outcome).toMatch(/^CONNECTION_LOST$|did not confirm the deletions/);
    expect(kit.rows()).toHaveLength(3); // stored and committed before the first DELE
    expect(await maildropCount(servers, 'bob')).toBe(3); // RFC 1939 §6: no QUIT, no deletion
    proxy.setRule(null);
    const second = await kit.fetcher.checkMail(settings);
    expect(second).toMatchObject({ downloaded: 0, deletedFromServer: 3 });
    expect(await maildropCount(servers, 'bob')).toBe(0);
    expect(await kit.storedByMessageId()).toEqual(new Map(delivered.map((m) => [m.messageId, m.stored])));
  });
});
