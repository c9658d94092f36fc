// Push from real Dovecot: IDLE reports a message delivered over LMTP within seconds, and the
// expunge and flag changes of another device; polling does the same without IDLE; stop() ends it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImapFlow } from 'imapflow';
import {
  watchMailbox,
  type ImapSession,
  type MailboxEvent,
  type MailboxWatch,
} from '../../../../src-main/protocols/imap';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { buildTestMessage, deliverViaLmtp } from '../../../support/seed-mailbox';
import { connectAs, otherDevice, withTimeout } from './imap-test-kit';

/** New mail must show within this (the user-facing promise); the wait itself is bounded higher. */
const PUSH_EXPECTED_MS = 5_000;
const WAIT_BOUND_MS = 10_000;
const POLL_INTERVAL_MS = 1_000;

let servers: MailServers;
let device: ImapFlow;

beforeAll(async () => {
  servers = await startMailServers();
  device = await otherDevice(servers, 'alice');
});

afterAll(async () => {
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

/** Collects events and lets a test wait for the first one matching a predicate. */
function recorder(): {
  events: MailboxEvent[];
  onEvent: (e: MailboxEvent) => void;
  next: (match: (e: MailboxEvent) => boolean) => Promise<MailboxEvent>;
} {
  const events: MailboxEvent[] = [];
  const waiters: { match: (e: MailboxEvent) => boolean; resolve: (e: MailboxEvent) => void }[] = [];
  return {
    events,
    onEvent(event) {
      events.push(event);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(event)) waiter.resolve(event);
        else waiters.push(waiter);
      }
    },
    next(match) {
      const earlier = events.find(match);
      if (earlier) return Promise.resolve(earlier);
      return withTimeout(
        new Promise((resolve) => waiters.push({ match, resolve })),
        WAIT_BOUND_MS,
        'mailbox event',
      );
    },
  };
}

const deliver = (subject: string): Promise<void> =>
  deliverViaLmtp(
    servers,
    'alice',
    buildTestMessage({ from: 'bob@example.test', to: 'alice@example.test', subject, text: subject }),
  );

describe('watchMailbox with IDLE', () => {
  let session: ImapSession;
  let watch: MailboxWatch;
  const rec = recorder();

  beforeAll(async () => {
    session = await connectAs(servers, 'alice');
    watch = await watchMailbox(session, 'INBOX', rec.onEvent);
  });

  afterAll(async () => {
    await watch?.stop();
    await session?.logout();
  });

  it('uses IDLE and reports mail delivered by LMTP within seconds', async () => {
    expect(watch.mode).toBe('idle');
    await withTimeout(
      (async () => {
        while (!session.client.idling) await new Promise((resolve) => setTimeout(resolve, 20));
      })(),
      WAIT_BOUND_MS,
      'IDLE start',
    );
    const started = Date.now();
    await deliver('pushed');
    const event = await rec.next((e) => e.type === 'exists');
    expect(Date.now() - started).toBeLessThan(PUSH_EXPECTED_MS);
    expect(event).toMatchObject({ type: 'exists', path: 'INBOX', count: 1, previousCount: 0 });
  });

  it("reports another device's flag change and expunge, with the UID (QRESYNC)", async () => {
    await device.mailboxOpen('INBOX');
    const uid = (await device.search({ all: true }, { uid: true })) || [];
    const target = uid[0];
    if (target === undefined) throw new Error('the pushed message is missing');
    await device.messageFlagsAdd(String(target), ['\\Flagged'], { uid: true });
    const flags = await rec.next((e) => e.type === 'flags');
    expect(flags).toMatchObject({ type: 'flags', uid: target, flags: { flagged: true } });

    await device.messageDelete(String(target), { uid: true });
    const expunge = await rec.next((e) => e.type === 'expunge');
    expect(expunge).toMatchObject({ type: 'expunge', path: 'INBOX', uid: target });
  });

  it('stops cleanly: IDLE ends and the session stays usable', async () => {
    await withTimeout(watch.stop(), WAIT_BOUND_MS, 'stop');
    expect(session.client.idling).toBe(false);
    const countBefore = rec.events.length;
    await session.command((client) => client.noop());
    expect(session.isUsable).toBe(true);
    await deliver('after stop');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rec.events.length).toBe(countBefore);
  });
});

describe('watchMailbox by polling', () => {
  it('finds new mail with NOOP when IDLE is not used', async () => {
    const session = await connectAs(servers, 'alice');
    const rec = recorder();
    const watch = await watchMailbox(session, 'INBOX', rec.onEvent, {
      preferPolling: true,
      pollIntervalMs: POLL_INTERVAL_MS,
    });
    try {
      expect(watch.mode).toBe('poll');
      await deliver('polled');
      const event = await rec.next((e) => e.type === 'exists');
      expect(event).toMatchObject({ type: 'exists', path: 'INBOX' });
      expect(session.client.idling).toBe(false);
    } finally {
      await withTimeout(watch.stop(), WAIT_BOUND_MS, 'stop');
      await session.logout();
    }
  });
});
