import { afterEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import type { FolderId } from '../../../../../src-main/domain/ids';
import { parseMessage } from '../../../../../src-main/mime/parse';
import type { FakeHandler, FakePop3Options } from '../../../../support/fake-pop3-server';
import { dotStuff } from '../../../../support/fake-pop3-server';
import { BackgroundIndexer } from '../../../../../src-main/search/background-indexer';
import { nodeEmlFileSystem, type EmlFileSystem } from '../../../../../src-main/store/eml-files';
import type { MailStoreOptions } from '../../../../../src-main/store/mail-store';
import type { Pop3FetcherOptions } from '../../../../../src-main/sync/pop3-fetch';
import { message, openFetchKit, type FetchKit } from './fetch-kit';

const kits: FetchKit[] = [];

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.dispose()));
});

async function kitWith(
  options: FakePop3Options,
  fetcherOptions: Partial<Pop3FetcherOptions> = {},
  storeOptions: MailStoreOptions = {},
): Promise<FetchKit> {
  const kit = await openFetchKit(options, fetcherOptions, storeOptions);
  kits.push(kit);
  return kit;
}

/**
 * The real file system, except that writing message N (by its subject) fails with ENOSPC while
 * `isFull(N)`: on the file writer's thread (writeNewFile, what the download uses) and in the
 * one-call-at-a-time path (createExclusive, where there is no writer thread).
 */
function fillingDisk(isFull: (n: number) => boolean): EmlFileSystem {
  const refuseIfFull = (data: Uint8Array): void => {
    const n = Number(/Subject: Message (\d+)/.exec(Buffer.from(data).toString('latin1'))?.[1]);
    if (isFull(n)) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  };
  const writeNewFile = nodeEmlFileSystem.writeNewFile;
  return {
    ...nodeEmlFileSystem,
    async createExclusive(file) {
      const real = await nodeEmlFileSystem.createExclusive(file);
      return {
        ...real,
        async write(data) {
          refuseIfFull(data);
          await real.write(data);
        },
      };
    },
    ...(writeNewFile
      ? {
          async writeNewFile(file: string, data: Uint8Array) {
            refuseIfFull(data);
            await writeNewFile(file, data);
          },
        }
      : {}),
  };
}

/** 8-bit bytes, lines that start with dots (one is only "."), a bare LF: stored exactly as sent. */
const trickyMessage = Buffer.concat([
  Buffer.from(
    'From: a@example.test\r\nSubject: dots\r\nMessage-ID: <tricky@example.test>\r\nX-Raw: ',
    'latin1',
  ),
  Buffer.from([0x80, 0xff, 0xe9, 0x0a, 0x2e, 0x2e, 0xc3, 0xa9]),
  Buffer.from('\r\n\r\n.\r\n..two\r\n.leading\r\nend.\r\n', 'latin1'),
]);

/**
 * Cuts the first session at QUIT (RFC 1939 §6: then none of its DELEs is applied); later sessions
 * get the fake server's own QUIT, which the handler gives back by removing itself.
 */
function cutFirstQuit(): Record<string, FakeHandler> {
  const handlers: Record<string, FakeHandler> = {
    QUIT: (_argument, session) => {
      delete handlers.QUIT;
      session.drop();
      return null;
    },
  };
  return handlers;
}

const TERMINATOR = Buffer.from('.\r\n');

/** RETR that answers normally except for the listed message numbers. */
function retrFailingFor(messages: Buffer[], failing: Set<number>): FakeHandler {
  return (argument) => {
    const number = Number(argument);
    if (failing.has(number)) return '-ERR message is locked\r\n';
    const content = messages[number - 1];
    if (!content) return '-ERR no such message\r\n';
    return Buffer.concat([Buffer.from(`+OK ${content.length} octets\r\n`), dotStuff(content), TERMINATOR]);
  };
}

describe('Pop3Fetcher: download and delete', () => {
  it('stores every message byte for byte in the Inbox, then deletes it from the server', async () => {
    const messages = [message(1), trickyMessage, message(3)];
    const kit = await kitWith({ messages, capabilities: ['TOP', 'USER', 'UIDL', 'PIPELINING'] });
    const result = await kit.fetcher.checkMail(kit.settings());
    expect(result).toMatchObject({
      onServer: 3,
      downloaded: 3,
      deletedFromServer: 3,
      hasUidl: true,
      failed: 0,
    });
    expect(await kit.inboxBytes()).toEqual(messages);
    expect(kit.inboxRows().map((row) => row.pop3Uidl)).toEqual(['uid-1', 'uid-2', 'uid-3']);
    expect(kit.inboxRows().every((row) => !row.flags.seen)).toBe(true);
    expect(kit.server.mailbox()).toEqual([]);
    expect(kit.server.sessions[0]?.maxPendingCommands).toBeGreaterThan(1); // RFC 2449 PIPELINING used
    expect(kit.store.folders.list(kit.accountId).map((folder) => folder.role)).toEqual([
      'inbox',
      'drafts',
      'sent',
      'trash',
    ]);
  });

  it('tells about new mail once per check and reports progress phases in order', async () => {
    const kit = await kitWith({ messages: [message(1), message(2)] });
    await kit.fetcher.checkMail(kit.settings());
    const inbox = kit.store.folders.findByRole(kit.accountId, 'inbox');
    expect(kit.newMail).toEqual([[inbox?.id, 2]]);
    const phases = kit.progress.map((event) => event.phase);
    expect(phases[0]).toBe('connecting');
    expect(phases.at(-1)).toBe('done');
    expect(kit.progress.at(-1)).toMatchObject({ accountId: kit.accountId, done: 2, total: 2 });
    await kit.fetcher.checkMail(kit.settings());
    expect(kit.newMail).toHaveLength(1); // nothing new the second time
  });

  it('joins a check asked for while one is running instead of starting a second session', async () => {
    const kit = await kitWith({ messages: [message(1)], replyDelayMs: 20 });
    const [first, second] = [kit.fetcher.checkMail(kit.settings()), kit.fetcher.checkMail(kit.settings())];
    expect(second).toBe(first);
    await first;
    expect(kit.server.sessions).toHaveLength(1);
  });

  it('deletes without downloading again what an interrupted run stored but could not delete', async () => {
    const messages = [message(1), message(2), message(3)];
    const kit = await kitWith({ messages, handlers: cutFirstQuit() });
    const first = await kit.fetcher.checkMail(kit.settings());
    expect(first.downloaded).toBe(3);
    expect(first.problems.join(' ')).toMatch(/deletions/);
    expect(kit.server.mailbox()).toHaveLength(3);
    const second = await kit.newFetcher().checkMail(kit.settings());
    expect(second).toMatchObject({ downloaded: 0, deletedFromServer: 3 });
    expect(kit.server.sessions[1]?.commands.filter((c) => c.startsWith('RETR'))).toEqual([]);
    expect(await kit.inboxBytes()).toEqual(messages);
  });

  it('keeps a message the server refuses to delete, and deletes it at the next check', async () => {
    let refuse = true;
    const kit = await kitWith({
      messages: [message(1), message(2)],
      handlers: {
        DELE: (argument, session) => {
          if (refuse && argument === '2') return '-ERR [SYS/TEMP] cannot delete now\r\n';
          session.deleted.add(Number(argument));
          return '+OK deleted\r\n';
        },
      },
    });
    const first = await kit.fetcher.checkMail(kit.settings());
    expect(first).toMatchObject({ downloaded: 2, deletedFromServer: 1, deleteRefused: 1 });
    expect(kit.server.mailbox()).toEqual([message(2)]);
    refuse = false;
    const second = await kit.fetcher.checkMail(kit.settings());
    expect(second).toMatchObject({ downloaded: 0, deletedFromServer: 1 });
    expect(kit.server.mailbox()).toEqual([]);
    expect(kit.inboxRows()).toHaveLength(2);
  });

  it('ends the check on a permanent DELE failure, keeping what it stored, and finishes next time', async () => {
    let isBroken = true;
    const kit = await kitWith({
      messages: [message(1), message(2), message(3)],
      capabilities: ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'PIPELINING'],
      handlers: {
        DELE: (argument, session) => {
          if (isBroken && argument === '2') return '-ERR [SYS/PERM] mailbox is damaged\r\n';
          session.deleted.add(Number(argument));
          return '+OK deleted\r\n';
        },
      },
    });
    await expect(kit.fetcher.checkMail(kit.settings())).rejects.toMatchObject({ code: 'SERVER_REJECTED' });
    expect(kit.inboxRows()).toHaveLength(3);
    // The pipelined DELEs of 1 and 3 were for stored messages; the QUIT after the failure applied them.
    expect(kit.server.mailbox()).toEqual([message(2)]);
    isBroken = false;
    const second = await kit.fetcher.checkMail(kit.settings());
    expect(second).toMatchObject({ downloaded: 0, deletedFromServer: 1 });
    expect(kit.server.mailbox()).toEqual([]);
    expect(await kit.inboxBytes()).toEqual([message(1), message(2), message(3)]);
  });

  it('skips a message the server refuses to send and downloads the others', async () => {
    const messages = [message(1), message(2), message(3), message(4)];
    const handlers: Record<string, FakeHandler> = { RETR: retrFailingFor(messages, new Set([2])) };
    const kit = await kitWith({ messages, capabilities: ['TOP', 'USER', 'UIDL', 'PIPELINING'], handlers });
    const first = await kit.fetcher.checkMail(kit.settings());
    expect(first).toMatchObject({ downloaded: 3, failed: 1, deletedFromServer: 3 });
    expect(first.problems.join(' ')).toMatch(/Message 2 could not be downloaded/);
    expect(kit.server.mailbox()).toEqual([message(2)]);
    delete handlers.RETR; // the server's own RETR from now on (it numbers the maildrop afresh)
    await kit.fetcher.checkMail(kit.settings());
    expect(kit.server.mailbox()).toEqual([]);
    expect((await kit.inboxBytes()).map((raw) => raw.toString('latin1')).sort()).toEqual(
      messages.map((raw) => raw.toString('latin1')).sort(),
    );
  });

  for (const where of ['mid-body', 'mid-terminator'] as const) {
    it(`loses and duplicates nothing when the connection is cut ${where} of a RETR`, async () => {
      const messages = [message(1), message(2), message(3)];
      let cuts = 0;
      const kit = await kitWith({
        messages,
        handlers: {
          RETR: (argument, session) => {
            const content = messages[Number(argument) - 1] ?? Buffer.alloc(0);
            const stuffed = dotStuff(content);
            if (argument === '2' && cuts++ === 0) {
              // mid-terminator: the body and "." arrive, its CRLF never does.
              const partial =
                where === 'mid-body' ? stuffed.subarray(0, 20) : Buffer.concat([stuffed, Buffer.from('.')]);
              void session.send(Buffer.concat([Buffer.from('+OK\r\n'), partial])).then(() => session.drop());
              return null;
            }
            return Buffer.concat([Buffer.from('+OK\r\n'), stuffed, TERMINATOR]);
          },
        },
      });
      const error = await kit.fetcher.checkMail(kit.settings()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(MailError);
      expect((error as MailError).code).toBe('CONNECTION_LOST');
      expect(kit.server.mailbox()).toHaveLength(3); // no QUIT: nothing removed
      const second = await kit.fetcher.checkMail(kit.settings());
      expect(second.failed).toBe(0);
      expect(kit.server.mailbox()).toEqual([]);
      expect(await kit.inboxBytes()).toEqual(messages);
    });
  }
});

describe('Pop3Fetcher: a full disk', () => {
  it('deletes from the server only what it stored, and stores the rest once there is room', async () => {
    const messages = [message(1), message(2), message(3), message(4), message(5)];
    let room = 2;
    const kit = await kitWith(
      { messages, capabilities: ['TOP', 'USER', 'UIDL', 'PIPELINING'] },
      { batchLimits: { maxMessages: 1 } },
      { fileSystem: fillingDisk((n) => n > room) },
    );
    const error = await kit.fetcher.checkMail(kit.settings()).catch((caught: unknown) => caught);
    expect((error as MailError).code).toBe('DISK_FULL');
    expect(kit.inboxRows().map((row) => row.subject)).toEqual(['Message 1', 'Message 2']);
    // QUIT still ran: the stored ones are gone from the server, the others wait there.
    expect(kit.server.mailbox()).toEqual(messages.slice(2));
    room = Number.POSITIVE_INFINITY;
    await kit.fetcher.checkMail(kit.settings());
    expect(kit.server.mailbox()).toEqual([]);
    expect(await kit.inboxBytes()).toEqual(messages);
  });
});

describe('Pop3Fetcher: batches on a slow line', () => {
  it('commits what came once a batch is a second old, so mail shows before a whole batch arrived', async () => {
    const messages = [message(1), message(2), message(3), message(4), message(5)];
    let clock = 1_000_000;
    // Message 3 takes a second and a half to arrive (by the injected clock; the server holds it back
    // a little for real, so 1 and 2 are in before); message 5 finds the disk full, which fails the
    // batch it is in: what was committed before it shows where the batches were cut.
    const handlers: Record<string, FakeHandler> = {
      RETR: async (argument) => {
        const n = Number(argument);
        if (n === 3) {
          await new Promise((resolve) => setTimeout(resolve, 150));
          clock += 1_500;
        }
        const content = messages[n - 1] ?? Buffer.alloc(0);
        return Buffer.concat([Buffer.from('+OK\r\n'), dotStuff(content), Buffer.from('.\r\n')]);
      },
    };
    const kit = await kitWith(
      { messages, capabilities: ['TOP', 'USER', 'UIDL', 'PIPELINING'], handlers },
      { now: () => clock },
      { fileSystem: fillingDisk((n) => n === 5) },
    );
    const error = await kit.fetcher.checkMail(kit.settings()).catch((caught: unknown) => caught);
    expect((error as MailError).code).toBe('DISK_FULL');
    // Without the time bound all five would be one batch (500 per batch) and none committed.
    expect(kit.inboxRows().map((row) => row.subject)).toEqual(['Message 1', 'Message 2', 'Message 3']);
    expect(kit.server.mailbox()).toEqual(messages.slice(3));
  });
});

describe('Pop3Fetcher: a server without UIDL', () => {
  it('downloads and deletes by message number', async () => {
    const messages = [message(1), message(2)];
    const kit = await kitWith({ messages, omitUidl: true });
    const result = await kit.fetcher.checkMail(kit.settings());
    expect(result).toMatchObject({ hasUidl: false, downloaded: 2, deletedFromServer: 2 });
    expect(kit.server.mailbox()).toEqual([]);
    expect(await kit.inboxBytes()).toEqual(messages);
  });

  it('stores a message once even when a run is interrupted after storing it (content identity)', async () => {
    const messages = [message(1), message(2)];
    const kit = await kitWith({ messages, omitUidl: true, handlers: cutFirstQuit() });
    await kit.fetcher.checkMail(kit.settings());
    expect(kit.server.mailbox()).toHaveLength(2);
    const second = await kit.fetcher.checkMail(kit.settings());
    expect(second.downloaded).toBe(0);
    expect(kit.inboxRows()).toHaveLength(2);
    expect(await kit.inboxBytes()).toEqual(messages);
  });

  it('refuses "leave messages on server", which needs UIDL, and deletes nothing', async () => {
    const kit = await kitWith({ messages: [message(1)], omitUidl: true });
    const error = await kit.fetcher
      .checkMail(kit.settings({ leaveOnServer: true }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('SERVER_REJECTED');
    expect(kit.server.mailbox()).toHaveLength(1);
    expect(kit.inboxRows()).toHaveLength(0);
  });
});

describe('Pop3Fetcher: leave on server', () => {
  it('downloads each message once and leaves the server as it was', async () => {
    const kit = await kitWith({ messages: [message(1), message(2)] });
    const first = await kit.fetcher.checkMail(kit.settings({ leaveOnServer: true }));
    expect(first).toMatchObject({ downloaded: 2, deletedFromServer: 0, keptOnServer: 2 });
    const second = await kit.fetcher.checkMail(kit.settings({ leaveOnServer: true }));
    expect(second).toMatchObject({ downloaded: 0, deletedFromServer: 0, keptOnServer: 2 });
    expect(kit.server.mailbox()).toHaveLength(2);
    expect(kit.inboxRows()).toHaveLength(2);
  });

  it('deletes from the server N days after the first download (the clock is injected)', async () => {
    const day = 24 * 60 * 60 * 1000;
    let now = Date.UTC(2026, 0, 1);
    const kit = await kitWith({ messages: [message(1)] }, { now: () => now });
    const settings = kit.settings({ leaveOnServer: true, deleteAfterDays: 3 });
    await kit.fetcher.checkMail(settings);
    now += 2 * day;
    expect((await kit.fetcher.checkMail(settings)).deletedFromServer).toBe(0);
    now += day;
    expect((await kit.fetcher.checkMail(settings)).deletedFromServer).toBe(1);
    expect(kit.server.mailbox()).toEqual([]);
    expect(kit.inboxRows()).toHaveLength(1);
  });

  it('deletes from the server what was deleted here, and never downloads it again', async () => {
    const kit = await kitWith({ messages: [message(1), message(2)] });
    const settings = kit.settings({ leaveOnServer: true, deleteWhenDeletedHere: true });
    await kit.fetcher.checkMail(settings);
    const [first] = kit.inboxRows();
    expect(kit.fetcher.markDeletedHere(first ? [first.id] : [])).toBe(1);
    const result = await kit.fetcher.checkMail(settings);
    expect(result).toMatchObject({ downloaded: 0, deletedFromServer: 1, keptOnServer: 1 });
    expect(kit.server.mailbox()).toEqual([message(2)]);
    // Without that option a message deleted here stays on the server and is not downloaded again.
    await kit.fetcher.checkMail(kit.settings({ leaveOnServer: true }));
    expect(kit.inboxRows()).toHaveLength(2);
  });
});

describe('Pop3Fetcher: size limit', () => {
  const big = message(2, `${'All work and no play. '.repeat(200)}\r\nThe end.`);

  it('stores a large message as headers only, then downloads it whole under the same id', async () => {
    const kit = await kitWith({ messages: [message(1), big] });
    const settings = kit.settings({ maxMessageKb: 2 });
    const result = await kit.fetcher.checkMail(settings);
    expect(result).toMatchObject({ downloaded: 1, headersOnly: 1, deletedFromServer: 1, keptOnServer: 1 });
    expect(kit.server.mailbox()).toEqual([big]); // kept until it is whole here
    const partial = kit.inboxRows().find((row) => row.subject === 'Message 2');
    if (!partial) throw new Error('no partial row');
    expect(partial.size).toBe(big.length);
    expect(kit.fetcher.isHeadersOnly(partial.id)).toBe(true);
    expect((await kit.store.emlFiles.read(partial.emlPath)).length).toBeLessThan(big.length);

    const whole = await kit.fetcher.downloadFull(settings, partial.id);
    expect(whole.id).toBe(partial.id);
    expect(kit.fetcher.isHeadersOnly(partial.id)).toBe(false);
    const raw = await kit.store.emlFiles.read(whole.emlPath);
    expect(raw).toEqual(big);
    expect((await parseMessage(raw)).text).toContain('The end.');
    expect(kit.store.search.search('play').map((row) => row.id)).toEqual([partial.id]);
    expect(kit.server.mailbox()).toEqual([]); // download-and-delete: whole here, so removed
    await expect(kit.store.emlFiles.read(partial.emlPath)).rejects.toThrow(MailError);
  });

  it('says so when the rest of a headers-only message is no longer on the server', async () => {
    let listed = true;
    const kit = await kitWith({
      messages: [big],
      handlers: { UIDL: () => (listed ? '+OK\r\n1 uid-1\r\n.\r\n' : '+OK\r\n.\r\n') },
    });
    const settings = kit.settings({ leaveOnServer: true, maxMessageKb: 2 });
    await kit.fetcher.checkMail(settings);
    const [row] = kit.inboxRows();
    listed = false;
    const error = await kit.fetcher
      .downloadFull(settings, row?.id ?? (0 as never))
      .catch((caught: unknown) => caught);
    expect((error as MailError).code).toBe('NOT_FOUND');
    expect(kit.fetcher.isHeadersOnly(row?.id ?? (0 as never))).toBe(true);
  });
});

describe('Pop3Fetcher: settings', () => {
  it('refuses settings it cannot act on safely', async () => {
    const kit = await kitWith({ messages: [] });
    for (const bad of [{ deleteAfterDays: -1 }, { deleteAfterDays: 1.5 }, { maxMessageKb: 0 }]) {
      const error = await kit.fetcher.checkMail(kit.settings(bad)).catch((caught: unknown) => caught);
      expect((error as MailError).code).toBe('BAD_REQUEST');
    }
  });

  it('reports a wrong password as AUTH_FAILED and stores nothing', async () => {
    const kit = await kitWith({ messages: [message(1)] });
    const error = await kit.fetcher
      .checkMail(kit.settings({ password: 'wrong' }))
      .catch((caught: unknown) => caught);
    expect((error as MailError).code).toBe('AUTH_FAILED');
    expect(kit.progress.at(-1)?.phase).toBe('failed');
  });
});

describe('Pop3Fetcher: list fields now, text from the search indexer', () => {
  /** multipart/mixed: a quoted-printable text part and a PDF attachment. */
  const withAttachment = Buffer.from(
    'From: =?UTF-8?Q?Jos=C3=A9?= <jose@example.test>\r\nTo: alice@example.test\r\n' +
      'Subject: =?UTF-8?B?SW5mb3JtZSDDum5pY28=?=\r\nDate: Tue, 06 Jan 2026 09:00:00 +0000\r\n' +
      'Message-ID: <att@example.test>\r\nMIME-Version: 1.0\r\n' +
      'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n' +
      '--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n' +
      'The quarterly r=C3=A9sum=C3=A9 is attached.\r\n' +
      '--b1\r\nContent-Type: application/pdf; name="report.pdf"\r\n' +
      'Content-Disposition: attachment; filename="report.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n' +
      'JVBERi0xLjQK\r\n--b1--\r\n',
    'latin1',
  );
  /** Body bytes but no readable text and no attachment: the reader shows it as damaged. */
  const unreadable = Buffer.from(
    'From: b@example.test\r\nSubject: empty parts\r\nMessage-ID: <empty@example.test>\r\n' +
      'Content-Type: multipart/alternative; boundary="b2"\r\n\r\npreamble\r\n--b2--\r\n',
    'latin1',
  );

  it('stores the subject, sender and paperclip at once; the indexer adds snippet and search text', async () => {
    const kit = await kitWith({ messages: [withAttachment, message(2), unreadable] });
    await kit.fetcher.checkMail(kit.settings());
    const bySubject = new Map(kit.inboxRows().map((row) => [row.subject, row]));
    const report = bySubject.get('Informe único');
    expect(report).toMatchObject({
      from: { name: 'José', address: 'jose@example.test' },
      hasAttachments: true,
      snippet: '',
    });
    expect(bySubject.get('Message 2')).toMatchObject({ hasAttachments: false, snippet: '' });
    // Not searchable yet: the text is decoded by the background indexer, not by the download.
    expect(kit.store.search.search('quarterly')).toEqual([]);
    expect(kit.store.search.pendingCount()).toBe(3);

    const changed: FolderId[] = [];
    await new BackgroundIndexer(kit.store, undefined, (ids) => changed.push(...ids)).schedule();
    const inbox = kit.store.folders.findByRole(kit.accountId, 'inbox');
    expect(new Set(changed)).toEqual(new Set([inbox?.id]));
    const after = new Map(kit.inboxRows().map((row) => [row.subject, row]));
    expect(after.get('Informe único')?.snippet).toBe('The quarterly résumé is attached.');
    expect(after.get('Message 2')?.snippet).toBe('Body of message 2.');
    expect(after.get('empty parts')?.parseState).toBe('damaged'); // only the text parse can tell
    expect(kit.store.search.search('quarterly').map((row) => row.id)).toEqual([report?.id]);
    expect(kit.store.search.search('report.pdf').map((row) => row.id)).toEqual([report?.id]);
  });
});
