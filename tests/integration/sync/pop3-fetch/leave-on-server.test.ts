// "Leave messages on server" against the fixture's Dovecot: only new unique-ids are downloaded,
// deletion after N days (the clock is injected) and when deleted here, the size limit with a full
// download on opening, and the check scheduler driving real checks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MailError } from '../../../../src-main/domain/errors';
import { asMessageId } from '../../../../src-main/domain/ids';
import { parseMessage } from '../../../../src-main/mime/parse';
import { CheckScheduler, type SchedulerTimers } from '../../../../src-main/sync/pop3-fetch';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { deliverMessages, emptyMaildrop, maildropCount, openPop3Kit, type Pop3Kit } from './pop3-fetch-kit';

const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 2, 1);
/** Lines in the body of the large message: about 40 KB, well over the 8 KB limit below. */
const LARGE_LINES = 1_000;
const SIZE_LIMIT_KB = 8;

let servers: MailServers;
const kits: Pop3Kit[] = [];
let now = START;

beforeAll(async () => {
  servers = await startMailServers();
});

afterAll(async () => {
  await servers?.stop();
});

afterEach(async () => {
  await Promise.all(kits.splice(0).map((kit) => kit.dispose()));
});

async function kitFor(user: string): Promise<Pop3Kit> {
  await emptyMaildrop(servers, user);
  now = START;
  const kit = await openPop3Kit(servers, user, { now: () => now });
  kits.push(kit);
  return kit;
}

describe('POP3 leave on server (Dovecot)', () => {
  it('downloads only the new unique-ids on the next check and keeps the maildrop as it was', async () => {
    const kit = await kitFor('alice');
    const settings = kit.settings({ leaveOnServer: true });
    const first = await deliverMessages(servers, 'alice', 3, 'leave-a');
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({
      downloaded: 3,
      deletedFromServer: 0,
      keptOnServer: 3,
    });
    const second = await deliverMessages(servers, 'alice', 2, 'leave-b');
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({
      downloaded: 2,
      deletedFromServer: 0,
      keptOnServer: 5,
    });
    expect(await maildropCount(servers, 'alice')).toBe(5);
    expect(await kit.storedByMessageId()).toEqual(
      new Map([...first, ...second].map((m) => [m.messageId, m.stored])),
    );
    // Turning the option off later: what is stored is deleted from the server, nothing is fetched twice.
    expect(await kit.fetcher.checkMail(kit.settings())).toMatchObject({
      downloaded: 0,
      deletedFromServer: 5,
    });
    expect(await maildropCount(servers, 'alice')).toBe(0);
    expect(kit.rows()).toHaveLength(5);
  });

  it('deletes a message from the server N days after it first arrived here', async () => {
    const kit = await kitFor('bob');
    const settings = kit.settings({ leaveOnServer: true, deleteAfterDays: 7 });
    await deliverMessages(servers, 'bob', 2, 'age-old');
    await kit.fetcher.checkMail(settings);
    now += 4 * DAY_MS;
    await deliverMessages(servers, 'bob', 1, 'age-new');
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({ downloaded: 1, deletedFromServer: 0 });
    now += 3 * DAY_MS; // the first two are 7 days old, the last one 3
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({ downloaded: 0, deletedFromServer: 2 });
    expect(await maildropCount(servers, 'bob')).toBe(1);
    now += 4 * DAY_MS;
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({ deletedFromServer: 1 });
    expect(await maildropCount(servers, 'bob')).toBe(0);
    expect(kit.rows()).toHaveLength(3);
  });

  it('deletes from the server what was deleted here, and never downloads it again', async () => {
    const kit = await kitFor('carol');
    const delivered = await deliverMessages(servers, 'carol', 3, 'here');
    await kit.fetcher.checkMail(kit.settings({ leaveOnServer: true }));
    const victim = kit.rows().find((row) => row.messageIdHeader === delivered[1]?.messageId);
    if (!victim) throw new Error('message 2 not stored');
    kit.fetcher.markDeletedHere([victim.id]);
    // Without "delete when deleted here": stays on the server, is not downloaded again.
    expect(await kit.fetcher.checkMail(kit.settings({ leaveOnServer: true }))).toMatchObject({
      downloaded: 0,
      deletedFromServer: 0,
    });
    expect(await maildropCount(servers, 'carol')).toBe(3);
    const result = await kit.fetcher.checkMail(
      kit.settings({ leaveOnServer: true, deleteWhenDeletedHere: true }),
    );
    expect(result).toMatchObject({ downloaded: 0, deletedFromServer: 1, keptOnServer: 2 });
    expect(await maildropCount(servers, 'carol')).toBe(2);
    // The next check forgets the unique-id that left the server and still downloads nothing.
    expect(await kit.fetcher.checkMail(kit.settings({ leaveOnServer: true }))).toMatchObject({
      downloaded: 0,
    });
    expect(kit.store.pop3Uidls.entries(kit.accountId).size).toBe(2);
  });
});

describe('POP3 size limit (Dovecot)', () => {
  it('stores a large message as headers only and downloads it whole when opened, under the same id', async () => {
    const kit = await kitFor('alice');
    const body = Array.from({ length: LARGE_LINES }, (_, i) => `line ${i}: the quick brown fox`).join('\r\n');
    const [small] = await deliverMessages(servers, 'alice', 1, 'limit-small');
    const [large] = await deliverMessages(servers, 'alice', 1, 'limit-large', {
      body: () => `${body}\r\nTHE END`,
    });
    if (!small || !large) throw new Error('not delivered');
    const settings = kit.settings({ maxMessageKb: SIZE_LIMIT_KB });
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({
      downloaded: 1,
      headersOnly: 1,
      deletedFromServer: 1,
    });
    expect(await maildropCount(servers, 'alice')).toBe(1); // kept on the server until it is whole here
    const partial = kit.rows().find((row) => row.messageIdHeader === large.messageId);
    if (!partial) throw new Error('no partial row');
    expect(kit.fetcher.isHeadersOnly(partial.id)).toBe(true);
    expect(partial.size).toBe(large.stored.length); // LIST's size, not the header's
    expect(partial.subject).toBe('limit-large message 1 – ünïcödé');
    // Later checks leave it alone.
    expect(await kit.fetcher.checkMail(settings)).toMatchObject({
      downloaded: 0,
      headersOnly: 0,
      deletedFromServer: 0,
    });

    const whole = await kit.fetcher.downloadFull(settings, partial.id);
    expect(whole.id).toBe(partial.id);
    expect(await kit.store.emlFiles.read(whole.emlPath)).toEqual(large.stored);
    expect((await parseMessage(large.stored)).text).toContain('THE END');
    expect(kit.fetcher.isHeadersOnly(partial.id)).toBe(false);
    expect(await maildropCount(servers, 'alice')).toBe(0); // download and delete: whole now, so removed
    expect(kit.store.search.search('fox').map((row) => row.id)).toEqual([partial.id]);
    // Already whole: no network needed.
    await servers.stopDovecot();
    try {
      expect((await kit.fetcher.downloadFull(settings, partial.id)).emlPath).toBe(whole.emlPath);
    } finally {
      await servers.startDovecot();
    }
    const missing = await kit.fetcher
      .downloadFull(settings, asMessageId(999_999))
      .catch((caught: unknown) => caught);
    expect((missing as MailError).code).toBe('NOT_FOUND');
  });
});

describe('Checking every N minutes (Dovecot)', () => {
  it('runs real checks on the timer and backs off while the server is down', async () => {
    const kit = await kitFor('bob');
    const fired: Array<() => void> = [];
    const delays: number[] = [];
    const timers: SchedulerTimers = {
      setTimeout: (callback, ms) => {
        fired.push(callback);
        delays.push(ms);
        return fired.length;
      },
      clearTimeout: () => undefined,
    };
    const errors: unknown[] = [];
    const interval = 10 * 60_000;
    const scheduler = new CheckScheduler({
      intervalMs: interval,
      timers,
      check: () => kit.fetcher.checkMail(kit.settings()),
      onError: (error) => errors.push(error),
    });
    scheduler.start();
    await deliverMessages(servers, 'bob', 2, 'timer');
    fired.shift()?.();
    await scheduler.runNow(); // joins the check the timer started
    expect(kit.rows()).toHaveLength(2);
    await servers.stopDovecot();
    try {
      fired.shift()?.();
      await scheduler.runNow();
      expect(scheduler.consecutiveFailures).toBe(1);
      expect((errors[0] as MailError).code).toBe('CONNECT_FAILED');
      expect(delays.at(-1)).toBe(2 * interval);
    } finally {
      await servers.startDovecot();
    }
    await deliverMessages(servers, 'bob', 1, 'timer-after');
    fired.shift()?.();
    await scheduler.runNow();
    scheduler.stop();
    expect(scheduler.consecutiveFailures).toBe(0);
    expect(delays.at(-1)).toBe(interval);
    expect(kit.rows()).toHaveLength(3);
    expect(await maildropCount(servers, 'bob')).toBe(0);
  });
});
