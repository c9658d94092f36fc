// The outbox's state machine with a scripted submitter: the state is written before the content
// goes out and after the server's reply, retryable failures wait with backoff, refusals stop with
// the server's words, an unknown outcome is never resent on its own, and a restart finds each
// interrupted attempt in the right state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../../../src-main/accounts/account-config';
import { MailError } from '../../../../../src-main/domain/errors';
import type { AccountId } from '../../../../../src-main/domain/ids';
import { SmtpDeliveryUnknownError, type SmtpSendOptions } from '../../../../../src-main/protocols/smtp';
import { OutboxEngine, type OutboxEvents } from '../../../../../src-main/sync/outbox';
import { serverSavesSentMail } from '../../../../../src-main/sync/outbox/follow-ups';
import { openStoreFixture, type StoreFixture } from '../../store/store-fixture';

const WAIT_MS = 5_000;

let fixture: StoreFixture;
let accountId: AccountId;
let engine: OutboxEngine | null = null;

const config = {
  name: 'Ana',
  email: 'ana@example.test',
  incoming: {
    protocol: 'pop3',
    host: 'h',
    port: 995,
    security: 'tls',
    username: 'ana',
    authMethod: 'password',
  },
  outgoing: { host: 'h', port: 587, security: 'starttls', username: 'ana', authMethod: 'password' },
  pop3: { leaveOnServer: false, deleteAfterDays: null, deleteWhenDeletedHere: false },
  signature: '',
  identities: [],
} as AccountConfig;

const access = {
  config: () => config,
  authFor: async () => ({ password: 'pw' }),
  trustFor: async () => undefined,
};

const events: OutboxEvents = {
  outboxChanged: () => undefined,
  folderAdded: () => undefined,
  foldersChanged: () => undefined,
  serverChanged: () => undefined,
};

type Step = (options: SmtpSendOptions) => Promise<{ accepted: string[]; rejected: []; response: string }>;

function start(steps: Step[], sent: string[]): OutboxEngine {
  let n = 0;
  engine = new OutboxEngine({
    store: fixture.store,
    access,
    events,
    retryDelaysMs: [20, 40],
    submitterFor: () => ({
      send: async (_envelope, raw, options) => {
        const step = steps[Math.min(n, steps.length - 1)];
        n += 1;
        if (!step) throw new Error('no step');
        const result = await step(options ?? {});
        sent.push(Buffer.isBuffer(raw) ? raw.toString('latin1') : 'stream');
        return result;
      },
    }),
  });
  engine.start();
  return engine;
}

const accepted: Step = async (options) => {
  await options.onDataStart?.();
  return { accepted: ['bob@example.test'], rejected: [], response: '250 2.0.0 Ok: queued as ABC' };
};

async function waitFor<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not reached: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const RAW = Buffer.from(
  'From: ana@example.test\r\nTo: bob@example.test\r\nSubject: Hi\r\nMessage-ID: <m1@example.test>\r\n\r\nHello\r\n',
);

function enqueue(target: OutboxEngine) {
  return target.enqueue({
    accountId,
    raw: RAW,
    messageIdHeader: 'm1@example.test',
    envelopeFrom: 'ana@example.test',
    recipients: ['bob@example.test'],
    subject: 'Hi',
    original: null,
    draftMessageIdHeader: null,
  });
}

beforeEach(async () => {
  fixture = await openStoreFixture();
  const { store } = fixture;
  const account = store.accounts.insert({ kind: 'pop3', displayName: 'ana', email: 'ana@example.test' });
  accountId = account.id;
  store.folders.insert({
    accountId,
    parentId: null,
    name: 'Sent',
    path: 'Sent',
    delimiter: '/',
    role: 'sent',
  });
});

afterEach(async () => {
  await engine?.stop();
  engine = null;
  await fixture.dispose();
});

describe('OutboxEngine', () => {
  it("records 'data' before the content and 'sent' after, then keeps the copy in Sent", async () => {
    const sent: string[] = [];
    const seenStates: string[] = [];
    const running = start(
      [
        async (options) => {
          seenStates.push(fixture.store.outbox.list()[0]?.state ?? 'none');
          await options.onDataStart?.();
          seenStates.push(fixture.store.outbox.list()[0]?.state ?? 'none');
          return { accepted: ['bob@example.test'], rejected: [], response: '250 ok' };
        },
      ],
      sent,
    );
    await enqueue(running);
    await waitFor(
      () => fixture.store.outbox.list(),
      (items) => items.length === 0,
    );
    expect(seenStates).toEqual(['sending', 'data']);
    expect(sent).toEqual([RAW.toString('latin1')]);
    const sentFolder = fixture.store.folders.findByRole(accountId, 'sent');
    const rows = fixture.store.messages.page(sentFolder!.id, 0, 10).rows;
    expect(rows.map((r) => [r.subject, r.flags.seen])).toEqual([['Hi', true]]);
  });

  it('waits and retries after a retryable failure, keeping the error meanwhile', async () => {
    const sent: string[] = [];
    let failures = 0;
    const running = start(
      [
        async () => {
          failures += 1;
          throw new MailError('CONNECT_FAILED', 'Could not connect.', { detail: 'ECONNREFUSED' });
        },
        accepted,
      ],
      sent,
    );
    await enqueue(running);
    await waitFor(
      () => fixture.store.outbox.list(),
      (items) => items.length === 0,
    );
    expect(failures).toBe(1);
    expect(sent).toHaveLength(1);
  });

  it("stops on a refusal with the server's words and does not retry until asked", async () => {
    const sent: string[] = [];
    const running = start(
      [
        async () => {
          throw new MailError('AUTH_FAILED', 'Wrong password.', {
            retryable: false,
            detail: '535 5.7.8 Error: authentication failed',
          });
        },
        accepted,
      ],
      sent,
    );
    const item = await enqueue(running);
    const failed = await waitFor(
      () => fixture.store.outbox.get(item.id),
      (i) => i?.state === 'failed',
    );
    expect(failed?.error).toEqual({
      code: 'AUTH_FAILED',
      message: 'Wrong password.',
      detail: '535 5.7.8 Error: authentication failed',
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fixture.store.outbox.get(item.id)?.state).toBe('failed');
    running.retry(item.id);
    await waitFor(
      () => fixture.store.outbox.list(),
      (items) => items.length === 0,
    );
    expect(sent).toHaveLength(1);
  });

  it('never resends on its own when the connection broke during DATA', async () => {
    const sent: string[] = [];
    let attempts = 0;
    const running = start(
      [
        async (options) => {
          attempts += 1;
          await options.onDataStart?.();
          throw new SmtpDeliveryUnknownError('ECONNRESET after the content');
        },
      ],
      sent,
    );
    const item = await enqueue(running);
    const unknown = await waitFor(
      () => fixture.store.outbox.get(item.id),
      (i) => i?.state === 'unknown',
    );
    expect(unknown?.error?.code).toBe('CONNECTION_LOST');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(attempts).toBe(1);
  });

  it('after a restart, an attempt cut before DATA goes again and one cut during DATA waits for the user', async () => {
    const { store } = fixture;
    const sent: string[] = [];
    const first = new OutboxEngine({
      store,
      access,
      events,
      submitterFor: () => ({ send: async () => new Promise(() => undefined) }),
    });
    const a = await enqueue(first);
    const b = await enqueue(first);
    store.outbox.markSending(a.id);
    store.outbox.markSending(b.id);
    store.outbox.markData(b.id);
    const running = start([accepted], sent);
    await waitFor(
      () => store.outbox.list(),
      (items) => items.length === 1,
    );
    expect(store.outbox.get(b.id)).toMatchObject({ state: 'unknown', error: { code: 'CONNECTION_LOST' } });
    expect(sent).toHaveLength(1);
    await running.remove(b.id);
    expect(store.outbox.list()).toEqual([]);
    const outbox = store.folders.findByRole(store.ensureLocalFolders().account.id, 'outbox');
    expect(store.messages.countsFor([outbox!.id]).get(outbox!.id)?.total).toBe(0);
  });
});

describe('serverSavesSentMail', () => {
  it('knows the submission servers that file the Sent copy themselves', () => {
    expect(
      ['smtp.gmail.com', 'smtp.office365.com', 'smtp-mail.outlook.com', 'SMTP.GMAIL.COM.'].map(
        serverSavesSentMail,
      ),
    ).toEqual([true, true, true, true]);
    expect(['mail.example.test', 'notgmail.com', 'gmail.com.evil.test'].map(serverSavesSentMail)).toEqual([
      false,
      false,
      false,
    ]);
  });
});
