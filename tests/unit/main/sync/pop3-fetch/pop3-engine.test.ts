import { afterEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../../../src-main/accounts/account-config';
import { SyncStateView } from '../../../../../src-main/api/mail-actions-contract';
import { createSyncHandlers } from '../../../../../src-main/api/sync-handlers';
import { MailError } from '../../../../../src-main/domain/errors';
import type { AccountId } from '../../../../../src-main/domain/ids';
import type { AccountEngine, EngineStatus } from '../../../../../src-main/sync/engines/account-engine';
import {
  createPop3Engine,
  stateOfFailure,
  type Pop3SettingsSource,
} from '../../../../../src-main/sync/pop3-fetch';
import type { FakePop3Options } from '../../../../support/fake-pop3-server';
import { PASSWORD, TEST_TIMEOUTS, USER, message, openFetchKit, type FetchKit } from './fetch-kit';
import { ManualClock, ManualTimers } from './manual-timers';

interface Emitted {
  event: string;
  payload: unknown;
}

interface EngineKit {
  kit: FetchKit;
  engine: AccountEngine;
  timers: ManualTimers;
  clock: ManualClock;
  events: Emitted[];
  /** Statuses as the registry would publish them (each statusChanged call). */
  statuses: EngineStatus[];
  source: MutableSource;
}

interface MutableSource extends Pop3SettingsSource {
  password$: string | null;
  pop3: AccountConfig['pop3'];
  port: number;
}

const kits: FetchKit[] = [];
const engines: AccountEngine[] = [];

afterEach(async () => {
  await Promise.all(engines.splice(0).map((engine) => engine.stop()));
  await Promise.all(kits.splice(0).map((kit) => kit.dispose()));
});

function sourceFor(kit: FetchKit): MutableSource {
  const source: MutableSource = {
    password$: PASSWORD,
    pop3: { leaveOnServer: false, deleteAfterDays: null, deleteWhenDeletedHere: false },
    port: kit.server.port,
    config: (accountId: AccountId) => {
      if (accountId !== kit.accountId) throw new MailError('NOT_FOUND', 'That account no longer exists.');
      return {
        name: 'Alice',
        email: `${USER}@example.test`,
        incoming: {
          protocol: 'pop3',
          host: kit.server.host,
          port: source.port,
          security: 'none',
          username: USER,
          authMethod: 'password',
        },
        outgoing: {
          host: kit.server.host,
          port: 587,
          security: 'starttls',
          username: USER,
          authMethod: 'password',
        },
        pop3: source.pop3,
        signature: '',
        identities: [],
      };
    },
    // As AccountCredentials.authFor does for a password account.
    authFor: async () => {
      if (source.password$ === null) {
        throw new MailError(
          'AUTH_FAILED',
          'No password is saved for this account. Enter it in Account settings.',
        );
      }
      return { password: source.password$ };
    },
    trustFor: async () => undefined,
  };
  return source;
}

async function engineKit(
  serverOptions: FakePop3Options,
  pop3: Partial<AccountConfig['pop3']> = {},
  checkOnStart = false,
): Promise<EngineKit> {
  const kit = await openFetchKit(serverOptions);
  kits.push(kit);
  const timers = new ManualTimers();
  const clock = new ManualClock();
  const events: Emitted[] = [];
  const statuses: EngineStatus[] = [];
  const source = sourceFor(kit);
  source.pop3 = { ...source.pop3, ...pop3 };
  const factory = createPop3Engine({
    store: kit.store,
    settings: source,
    events: { emit: (event: string, payload: unknown) => void events.push({ event, payload }) },
    checkOnStart,
    timers,
    now: clock.now,
    timeouts: TEST_TIMEOUTS,
  });
  const engine: AccountEngine = factory(kit.accountId, {
    statusChanged: () => statuses.push(engine.status()),
  });
  engines.push(engine);
  return { kit, engine, timers, clock, events, statuses, source };
}

const named = (events: Emitted[], name: string): unknown[] =>
  events.filter((e) => e.event === name).map((e) => e.payload);

describe('Pop3Engine', () => {
  it('"Get mail" downloads new mail, announces it and its counts, and ends idle', async () => {
    const { kit, engine, events, statuses } = await engineKit({ messages: [message(1), message(2)] });
    await engine.checkNow();
    expect(kit.inboxRows()).toHaveLength(2);
    expect(kit.server.mailbox()).toHaveLength(0);
    const inbox = kit.store.folders.findByRole(kit.accountId, 'inbox');
    expect(named(events, 'mail.arrived')).toEqual([
      { accountId: kit.accountId, folderId: inbox?.id, count: 2 },
    ]);
    expect(named(events, 'counts.changed')).toContainEqual({
      folders: [{ folderId: inbox?.id, unread: 2, total: 2 }],
    });
    expect(named(events, 'messages.changed')).toContainEqual({ folderIds: [inbox?.id] });
    const phases = named(events, 'sync.progress').map((p) => (p as { phase: string }).phase);
    expect(phases[0]).toBe('connecting');
    expect(phases.at(-1)).toBe('done');
    expect(statuses.map((s) => s.state)).toEqual(['syncing', 'idle']);
    expect(engine.status()).toEqual({
      accountId: kit.accountId,
      state: 'idle',
      message: null,
      pendingActions: 0,
      checkDeferredUntil: null,
    });
  });

  it('shows a wrong password as an error in words, and recovers once the password is right', async () => {
    const { kit, engine, source } = await engineKit({ messages: [message(1)] });
    source.password$ = 'not the password';
    await expect(engine.checkNow()).resolves.toBeUndefined();
    expect(engine.status()).toMatchObject({
      state: 'error',
      message: 'The server rejected the user name or password.',
    });
    expect(kit.inboxRows()).toHaveLength(0);
    // Settings are read again for every check.
    source.password$ = PASSWORD;
    await engine.checkNow();
    expect(engine.status()).toMatchObject({ state: 'idle', message: null });
    expect(kit.inboxRows()).toHaveLength(1);
  });

  it('shows a server that cannot be reached as offline', async () => {
    const { kit, engine } = await engineKit({ messages: [message(1)] });
    await kit.server.close();
    await engine.checkNow();
    expect(engine.status()).toMatchObject({
      state: 'offline',
      message: 'Could not connect to the mail server. Check the server name and port.',
    });
  });

  it('shows a maildrop locked by another program as a busy server', async () => {
    const { engine } = await engineKit({
      messages: [message(1)],
      capabilities: ['TOP', 'USER', 'UIDL', 'RESP-CODES'], // USER/PASS, no SASL
      failOn: { PASS: '[IN-USE] Mailbox is locked by another POP3 session' },
    });
    await engine.checkNow();
    expect(engine.status().state).toBe('error');
    expect(engine.status().message).toMatch(/in use by another program/);
  });

  it('says so when no password is saved, without connecting', async () => {
    const { kit, engine, source } = await engineKit({ messages: [message(1)] });
    source.password$ = null;
    await engine.checkNow();
    expect(engine.status()).toMatchObject({ state: 'error', message: expect.stringMatching(/No password/) });
    expect(kit.server.sessions).toHaveLength(0);
  });

  it('checks at start and then every N minutes of the account settings; stop ends it', async () => {
    const { kit, engine, timers } = await engineKit(
      { messages: [message(1)] },
      { checkEveryMinutes: 7 },
      true,
    );
    engine.start();
    await engine.stop(); // waits for the check that start() began
    expect(kit.inboxRows()).toHaveLength(1);
    expect(timers.delays).toEqual([]);
  });

  it('stop() cuts a check in the middle without QUIT: nothing is deleted, what was stored stays', async () => {
    let retrs = 0;
    const { kit, engine, statuses } = await engineKit({
      messages: [message(1), message(2)],
      capabilities: ['TOP', 'USER', 'UIDL'], // no PIPELINING: one RETR at a time
      handlers: {
        // The first RETR is answered; the second never is (a server that stalls).
        RETR: (argument) => {
          retrs += 1;
          if (argument !== '1') return null;
          return Buffer.concat([Buffer.from('+OK\r\n'), message(1), Buffer.from('.\r\n')]);
        },
      },
    });
    const check = engine.checkNow();
    for (let i = 0; i < 200 && retrs < 2; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(retrs).toBe(2);
    await engine.stop(); // long before the 3 s reply deadline of the test timeouts
    await check;
    expect(kit.server.sessions[0]?.sawQuit).toBe(false);
    expect(kit.server.mailbox()).toHaveLength(2); // RFC 1939 §6: no QUIT, no deletion
    expect(kit.inboxRows().map((row) => row.subject)).toEqual(['Message 1']);
    expect(statuses.map((s) => s.state)).toEqual(['syncing']); // the cut is not reported as a failure
  });

  it('schedules checks at the account interval', async () => {
    const { engine, timers } = await engineKit({}, { checkEveryMinutes: 7 });
    await engine.checkNow(); // "Get mail" before start() does not keep the timer from starting
    expect(timers.delays).toEqual([]);
    engine.start();
    expect(timers.delays).toEqual([7 * 60_000]);
    await engine.stop();
    expect(timers.delays).toEqual([]);
  });

  it('respects the LOGIN-DELAY the server states after login: "Get mail" too soon sends nothing', async () => {
    const { kit, engine, timers, clock, statuses } = await engineKit({
      messages: [message(1)],
      capabilities: ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'LOGIN-DELAY 600'],
    });
    engine.start();
    await engine.checkNow();
    expect(kit.server.sessions).toHaveLength(1);
    expect(timers.delays).toEqual([600_000]);
    expect(engine.status().checkDeferredUntil).toBeNull();
    clock.advance(120_000);
    const askedAt = clock.now();
    await engine.checkNow();
    expect(kit.server.sessions).toHaveLength(1);
    expect(timers.delays).toEqual([480_000]);
    // The status (sync.state) says why no mail came and when the check runs by itself.
    expect(engine.status()).toMatchObject({ state: 'idle', checkDeferredUntil: askedAt + 480_000 });
    expect(statuses.at(-1)).toMatchObject({ checkDeferredUntil: askedAt + 480_000 });
    clock.advance(480_000);
    timers.fireAll();
    await engine.stop(); // lets the deferred check finish
    expect(kit.server.sessions).toHaveLength(2);
    expect(engine.status().checkDeferredUntil).toBeNull();
    expect(statuses.at(-1)).toMatchObject({ state: 'idle', checkDeferredUntil: null });
  });

  it('tells the UI through sync.status why "Get mail" brought nothing: deferred by LOGIN-DELAY', async () => {
    const { engine, clock } = await engineKit({
      messages: [message(1)],
      capabilities: ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'LOGIN-DELAY 300'],
    });
    const handlers = createSyncHandlers({
      checkNow: () => engine.checkNow(),
      statuses: () => [engine.status()],
      ensureBody: async () => undefined,
    });
    engine.start();
    await handlers['mail.check']({});
    const [afterCheck] = await handlers['sync.status']({});
    expect(afterCheck?.checkDeferredUntil).toBeUndefined();
    clock.advance(60_000);
    await handlers['mail.check']({});
    const [deferred] = await handlers['sync.status']({});
    // What the renderer receives validates against the contract and names the moment.
    expect(SyncStateView.parse(deferred)).toMatchObject({
      state: 'idle',
      checkDeferredUntil: clock.now() + 240_000,
    });
    await engine.stop();
  });

  it('shows a login the server refused with [LOGIN-DELAY] as a deferred check, until the retry runs', async () => {
    const { kit, engine, timers, clock, statuses } = await engineKit({
      messages: [message(1)],
      // Every way to log in is refused the same way (the client may try SASL after USER/PASS).
      failOn: {
        PASS: '[LOGIN-DELAY] wait a while between logins',
        AUTH: '[LOGIN-DELAY] wait a while between logins',
        APOP: '[LOGIN-DELAY] wait a while between logins',
      },
    });
    engine.start();
    await engine.checkNow();
    expect(kit.inboxRows()).toHaveLength(0);
    const retryIn = timers.delays.at(-1) ?? 0;
    expect(retryIn).toBeGreaterThan(0);
    expect(engine.status()).toMatchObject({
      state: 'error',
      checkDeferredUntil: clock.now() + retryIn,
    });
    expect(statuses.at(-1)?.checkDeferredUntil).toBe(clock.now() + retryIn);
    await engine.stop();
  });

  it('downloads the whole of a message kept as headers only when it is opened', async () => {
    const big = message(2, 'x'.repeat(4_000));
    const { kit, engine, events } = await engineKit({ messages: [message(1), big] }, { maxMessageKb: 2 });
    await engine.checkNow();
    const rows = kit.inboxRows();
    expect(rows).toHaveLength(2);
    const [small, partial] = rows;
    if (!small || !partial) throw new Error('rows missing');
    // The small one is whole, so opening it needs no connection.
    const sessions = kit.server.sessions.length;
    await engine.ensureBody(small.id);
    expect(kit.server.sessions).toHaveLength(sessions);
    expect(kit.server.mailbox()).toHaveLength(1); // the large one stays until it is whole here
    events.length = 0;
    await engine.ensureBody(partial.id);
    expect(kit.server.sessions).toHaveLength(sessions + 1);
    const stored = kit.store.messages.get(partial.id);
    if (!stored) throw new Error('row missing');
    await expect(kit.store.emlFiles.read(stored.emlPath)).resolves.toEqual(big);
    expect(kit.server.mailbox()).toHaveLength(0); // download-and-delete applies once it is whole
    expect(named(events, 'messages.changed')).toContainEqual({ folderIds: [stored.folderId] });
  });

  it('reports a failed full download to the caller (the reader shows it)', async () => {
    const big = message(2, 'x'.repeat(4_000));
    const { kit, engine } = await engineKit({ messages: [big] }, { maxMessageKb: 2 });
    await engine.checkNow();
    const [partial] = kit.inboxRows();
    if (!partial) throw new Error('row missing');
    await kit.server.close();
    await expect(engine.ensureBody(partial.id)).rejects.toMatchObject({ code: 'CONNECT_FAILED' });
  });
});

describe('stateOfFailure', () => {
  it('calls unreachable servers offline and everything else an error', () => {
    expect(stateOfFailure(new MailError('TIMEOUT', 'slow')).state).toBe('offline');
    expect(stateOfFailure(new MailError('CONNECTION_LOST', 'cut')).state).toBe('offline');
    expect(stateOfFailure(new MailError('TLS_UNTRUSTED', 'cert')).state).toBe('error');
    expect(stateOfFailure(new Error('boom'))).toEqual({
      state: 'error',
      message: 'Checking for mail failed unexpectedly. It will be tried again.',
    });
  });
});
