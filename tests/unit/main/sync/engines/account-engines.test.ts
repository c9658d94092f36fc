// The engines registry: one engine per server account of a kind with a factory, restarted when its
// account changes, stopped when it is removed, and `sync.state` only when a status really changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountId, MessageId } from '../../../../../src-main/domain/ids';
import type {
  AccountEngine,
  EngineContext,
  EngineStatus,
} from '../../../../../src-main/sync/engines/account-engine';
import { AccountEngines } from '../../../../../src-main/sync/engines/account-engines';
import type { SyncEventSink } from '../../../../../src-main/sync/engines/sync-events';
import { openStoreFixture, newMessage, type StoreFixture } from '../../store/store-fixture';

class FakeEngine implements AccountEngine {
  started = 0;
  stopped = 0;
  checks = 0;
  bodies: MessageId[] = [];
  state: EngineStatus['state'] = 'idle';
  constructor(
    readonly accountId: AccountId,
    readonly context: EngineContext,
  ) {}
  start(): void {
    this.started++;
  }
  async stop(): Promise<void> {
    this.stopped++;
  }
  async checkNow(): Promise<void> {
    this.checks++;
  }
  status(): EngineStatus {
    return { accountId: this.accountId, state: this.state, message: null, pendingActions: 0 };
  }
  async ensureBody(messageId: MessageId): Promise<void> {
    this.bodies.push(messageId);
  }
}

let fixture: StoreFixture;
let built: FakeEngine[];
let emitted: Array<{ event: string; payload: unknown }>;
let engines: AccountEngines;

const sink: SyncEventSink = {
  emit: (event: string, payload: unknown) => {
    emitted.push({ event, payload });
  },
};

beforeEach(async () => {
  fixture = await openStoreFixture();
  built = [];
  emitted = [];
  engines = new AccountEngines({
    store: fixture.store,
    events: sink,
    factories: {
      imap: (accountId, context) => {
        const engine = new FakeEngine(accountId, context);
        built.push(engine);
        return engine;
      },
    },
  });
});

afterEach(async () => {
  await engines.stopAll();
  await fixture.dispose();
});

const addAccount = (kind: 'imap' | 'pop3') =>
  fixture.store.accounts.insert({ kind, displayName: kind, email: `${kind}@example.test` }).id;

describe('AccountEngines', () => {
  it('starts one engine per account whose kind has a factory, none for Local Folders', () => {
    const imap = addAccount('imap');
    addAccount('pop3'); // no POP3 factory in this registry
    engines.startAll();
    expect(built.map((e) => e.accountId)).toEqual([imap]);
    expect(built[0]?.started).toBe(1);
    expect(engines.statuses()).toEqual([
      { accountId: imap, state: 'idle', message: null, pendingActions: 0 },
    ]);
    expect(emitted).toEqual([{ event: 'sync.state', payload: engines.statuses()[0] }]);
  });

  it('restarts a changed account, starts a new one and stops a removed one', async () => {
    const first = addAccount('imap');
    engines.startAll();
    await engines.accountChanged(first);
    expect(built).toHaveLength(2);
    expect(built[0]?.stopped).toBe(1);
    expect(built[1]?.started).toBe(1);

    const second = addAccount('imap');
    await engines.accountChanged(second);
    expect(engines.statuses().map((s) => s.accountId)).toEqual([first, second]);

    fixture.store.accounts.remove(second);
    await engines.accountChanged(second);
    expect(built[2]?.stopped).toBe(1);
    expect(engines.statuses().map((s) => s.accountId)).toEqual([first]);
  });

  it('checks one account or all, and refuses an unknown account', async () => {
    const a = addAccount('imap');
    const b = addAccount('imap');
    engines.startAll();
    await engines.checkNow(a);
    expect(built.map((e) => e.checks)).toEqual([1, 0]);
    await engines.checkNow();
    expect(built.map((e) => e.checks)).toEqual([2, 1]);
    await expect(engines.checkNow(9_999 as AccountId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(b).toBeGreaterThan(a);
  });

  it('publishes sync.state only when a status changed', () => {
    addAccount('imap');
    engines.startAll();
    const engine = built[0];
    if (!engine) throw new Error('no engine');
    emitted = [];
    engine.context.statusChanged();
    expect(emitted).toEqual([]);
    engine.state = 'offline';
    engine.context.statusChanged();
    engine.context.statusChanged();
    expect(emitted.map((e) => (e.payload as EngineStatus).state)).toEqual(['offline']);
  });

  it("asks the message's own account engine for its body, and nobody for local mail", async () => {
    const imap = addAccount('imap');
    engines.startAll();
    const folder = fixture.store.folders.insert({
      accountId: imap,
      parentId: null,
      name: 'INBOX',
      path: 'INBOX',
      delimiter: '/',
      role: 'inbox',
    });
    const remote = fixture.store.messages.insert(newMessage(folder, 1));
    const local = fixture.store.messages.insert(newMessage(fixture.inbox, 2));
    await engines.ensureBody(remote);
    await engines.ensureBody(local);
    expect(built[0]?.bodies).toEqual([remote]);
  });

  it('stops every engine and starts none after stopAll', async () => {
    const id = addAccount('imap');
    engines.startAll();
    await engines.stopAll();
    expect(built[0]?.stopped).toBe(1);
    await engines.accountChanged(id);
    expect(built).toHaveLength(1);
    expect(engines.statuses()).toEqual([]);
  });
});
