// Reading a real, seeded 2,000-message INBOX: summaries newest first and each exactly once, full
// sources, flag changes and expunges made by another device (CONDSTORE / QRESYNC), and a
// connection cut in the middle of a FETCH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import type { MailError } from '../../../../src-main/domain/errors';
import {
  fetchFlagChanges,
  fetchHeadersNewestFirst,
  fetchSource,
  fetchVanished,
  folderStatus,
  openFolder,
  type FlagChange,
  type ImapSession,
  type RemoteMessageHeader,
} from '../../../../src-main/protocols/imap';
import { summaryHeaders } from '../../../../src-main/sync/imap-sync/header-rows';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { seedMailbox } from '../../../support/seed-mailbox';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy';
import { connectAs, otherDevice, rejectionOf, withTimeout } from './imap-test-kit';

const SEEDED = 2_000;
const BATCH = 100;
/** A cut connection must fail the fetch quickly, never hang it. */
const CUT_BOUND_MS = 10_000;

let servers: MailServers;
let session: ImapSession;
let device: ImapFlow;

beforeAll(async () => {
  servers = await startMailServers();
  await seedMailbox(servers, 'alice', SEEDED);
  session = await connectAs(servers, 'alice');
  device = await otherDevice(servers, 'alice');
});

afterAll(async () => {
  await session?.logout();
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

describe('fetchHeadersNewestFirst', () => {
  it('delivers every summary exactly once, highest UIDs first, one bounded batch at a time', async () => {
    const status = await folderStatus(session, 'INBOX');
    const batches: number[][] = [];
    let sample: RemoteMessageHeader | undefined;
    let withReferences = 0;
    const result = await fetchHeadersNewestFirst(session, 'INBOX', { batchSize: BATCH }, (batch) => {
      batches.push(batch.map((header) => header.uid));
      sample ??= batch[0];
      withReferences += batch.filter((header) => summaryHeaders(header).references.length > 0).length;
    });

    expect(result).toEqual({ uidValidity: status.uidValidity, delivered: SEEDED });
    expect(batches).toHaveLength(SEEDED / BATCH);
    expect(batches[0]).toEqual(Array.from({ length: BATCH }, (_, i) => status.uidNext - 1 - i));
    const all = batches.flat();
    expect(new Set(all).size).toBe(SEEDED);
    expect(all).toEqual([...all].sort((a, b) => b - a)); // strictly newest first across batches
    expect(withReferences).toBeGreaterThan(0);
    expect(sample).toMatchObject({ uid: status.uidNext - 1 });
    expect(sample?.size).toBeGreaterThan(0);
    expect(sample?.internalDate).toBeInstanceOf(Date);
    expect(sample && summaryHeaders(sample).from[0]?.address).toMatch(/@/);
    expect(sample?.headerFields.toString('latin1')).toMatch(/^content-type: /im);
    expect(sample?.modseq).not.toBeNull();
  });

  it('fetches only the messages above sinceUid', async () => {
    const { uidNext } = await folderStatus(session, 'INBOX');
    const uids: number[] = [];
    const since = uidNext - 1 - 7;
    await fetchHeadersNewestFirst(session, 'INBOX', { sinceUid: since, batchSize: 3 }, (batch) => {
      uids.push(...batch.map((header) => header.uid));
    });
    expect(uids).toEqual(Array.from({ length: 7 }, (_, i) => uidNext - 1 - i));

    const none: number[] = [];
    await fetchHeadersNewestFirst(session, 'INBOX', { sinceUid: uidNext - 1 }, (batch) => {
      none.push(...batch.map((header) => header.uid));
    });
    expect(none).toEqual([]); // "n:*" still matches the last UID on the wire; it must not come back
  });

  it('refuses to read a folder whose UIDVALIDITY changed', async () => {
    const error = await rejectionOf(
      fetchHeadersNewestFirst(session, 'INBOX', { uidValidity: 1n }, () => undefined),
    );
    expect((error as MailError).code).toBe('UIDVALIDITY_CHANGED');
  });
});

describe('fetchSource', () => {
  it('streams full sources one by one and names the UIDs that are gone', async () => {
    const got: { uid: number; bytes: number }[] = [];
    const result = await fetchSource(session, 'INBOX', [3, 1, 2, 3, 999_999], ({ uid, source }) => {
      expect(source.toString('latin1', 0, 4000)).toMatch(/^Message-ID:|\r\nMessage-ID:/im);
      got.push({ uid, bytes: source.length });
    });
    expect(got.map((entry) => entry.uid).sort()).toEqual([1, 2, 3]);
    expect(got.every((entry) => entry.bytes > 100)).toBe(true);
    expect(result.missing).toEqual([999_999]);
  });
});

describe('changes made by another device', () => {
  it('finds a flag change with CHANGEDSINCE and nothing else', async () => {
    const opened = await openFolder(session, 'INBOX');
    expect(opened.highestModseq).not.toBeNull();
    await device.mailboxOpen('INBOX');
    await device.messageFlagsAdd('5', ['\\Flagged', 'Important'], { uid: true });

    const changes: FlagChange[] = [];
    const result = await fetchFlagChanges(
      session,
      'INBOX',
      { changedSince: opened.highestModseq ?? 0n },
      (batch) => void changes.push(...batch),
    );
    expect(result.mode).toBe('changedSince');
    expect(changes.map((change) => change.uid)).toEqual([5]);
    expect(changes[0]?.flags).toMatchObject({
      flagged: true,
      keywords: expect.arrayContaining(['Important']),
    });
    expect(changes[0]?.modseq ?? 0n).toBeGreaterThan(opened.highestModseq ?? 0n);
  });

  it('reads every flag in pages when there is no mod-sequence to start from', async () => {
    let count = 0;
    const result = await fetchFlagChanges(session, 'INBOX', {}, (batch) => {
      expect(batch.length).toBeLessThanOrEqual(1_000);
      count += batch.length;
    });
    expect(result.mode).toBe('full');
    expect(count).toBe(SEEDED);
  });

  it('finds an expunge with QRESYNC VANISHED, or lists the UIDs present without a mod-sequence', async () => {
    const before = await folderStatus(session, 'INBOX');
    await device.mailboxOpen('INBOX');
    await device.messageDelete('7', { uid: true });

    const vanished = await fetchVanished(session, 'INBOX', { changedSince: before.highestModseq ?? 0n });
    expect(vanished).toEqual({ kind: 'vanished', uids: [7] });

    const present = await fetchVanished(session, 'INBOX', {});
    expect(present.kind).toBe('present');
    expect(present.uids).toHaveLength(SEEDED - 1);
    expect(present.uids).not.toContain(7);
  });

  it('gets both kinds of change in the SELECT itself with QRESYNC', async () => {
    const known = await folderStatus(session, 'INBOX');
    await device.mailboxOpen('INBOX');
    await device.messageFlagsRemove('9', ['\\Seen'], { uid: true });
    await device.messageFlagsAdd('9', ['\\Answered'], { uid: true });
    await device.messageDelete('11', { uid: true });

    const fresh = await connectAs(servers, 'alice');
    try {
      const opened = await openFolder(fresh, 'INBOX', {
        uidValidity: known.uidValidity,
        highestModseq: known.highestModseq ?? 0n,
      });
      expect(opened).toMatchObject({ qresyncUsed: true, uidValidityChanged: false, vanished: [11] });
      expect(opened.changed.map((change) => change.uid)).toEqual([9]);
      expect(opened.changed[0]?.flags).toMatchObject({ seen: false, answered: true });
    } finally {
      await fresh.logout();
    }
  });
});

describe('a connection cut in the middle of a FETCH', () => {
  let proxy: TcpProxy;

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: servers.host, port: servers.ports.imaps });
  });

  afterAll(async () => {
    await proxy?.close();
  });

  it('fails the header fetch with CONNECTION_LOST instead of hanging', async () => {
    const cut = await connectAs(servers, 'alice', { port: proxy.port });
    const closed = new Promise((resolve) => cut.onClose(resolve));
    // Login and SELECT take a few KB; the summaries of 2,000 messages take megabytes.
    proxy.setRule({ afterServerBytes: 200_000 });
    let delivered = 0;
    const error = await withTimeout(
      rejectionOf(
        fetchHeadersNewestFirst(cut, 'INBOX', { batchSize: BATCH }, (batch) => {
          delivered += batch.length;
        }),
      ),
      CUT_BOUND_MS,
      'cut fetch',
    );
    expect((error as MailError).code).toBe('CONNECTION_LOST');
    expect((error as MailError).retryable).toBe(true);
    expect(delivered).toBeGreaterThan(0); // cut mid-fetch, after some batches were handed over
    expect(delivered).toBeLessThan(SEEDED);
    await expect(withTimeout(closed, CUT_BOUND_MS, 'close event')).resolves.toMatchObject({
      byClient: false,
    });
    expect(cut.isUsable).toBe(false);
    proxy.setRule(null);
  });

  it('fails a source fetch the same way while the consumer is writing', async () => {
    const cut = await connectAs(servers, 'alice', { port: proxy.port });
    proxy.setRule({ afterServerBytes: 300_000, fromConnection: proxy.connections });
    const error = await withTimeout(
      rejectionOf(
        fetchSource(
          cut,
          'INBOX',
          Array.from({ length: 400 }, (_, i) => i + 20),
          () => new Promise((resolve) => setTimeout(resolve, 1)),
        ),
      ),
      CUT_BOUND_MS,
      'cut source fetch',
    );
    expect((error as MailError).code).toBe('CONNECTION_LOST');
    proxy.setRule(null);
  });
});
