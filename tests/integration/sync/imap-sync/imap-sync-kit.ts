// Shared by the IMAP sync engine's integration tests: a store with an IMAP account pointed at the
// fixture's Dovecot, the engines registry running the real engine with short timings, recorded
// events, and comparisons of the store with what "another device" (plain imapflow) sees.
import { ImapFlow } from 'imapflow';
import {
  toStoredConfig,
  type AccountConfig,
  type ImapOptions,
} from '../../../../src-main/accounts/account-config';
import { flagsToImap, type MessageFlags } from '../../../../src-main/domain/flags';
import type { AccountId, FolderId } from '../../../../src-main/domain/ids';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import type { StoredMessage } from '../../../../src-main/store/message-rows';
import type { ImapSession } from '../../../../src-main/protocols/imap';
import type { PendingServerActions } from '../../../../src-main/sync/engines/account-engine';
import { AccountEngines } from '../../../../src-main/sync/engines/account-engines';
import type { SyncEventSink } from '../../../../src-main/sync/engines/sync-events';
import { createImapEngine, type EngineTiming } from '../../../../src-main/sync/imap-sync';
import type { MailServers } from '../../../support/mail-servers';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

export interface RecordedEvent {
  event: string;
  payload: Record<string, unknown>;
}

export const FAST_TIMING: EngineTiming = { checkIntervalMs: 60_000, retryInitialMs: 200, retryMaxMs: 2_000 };

export interface ImapSyncKit {
  dir: TempDir;
  store: SqliteMailStore;
  accountId: AccountId;
  engines: AccountEngines;
  events: RecordedEvent[];
  config: AccountConfig;
  /** Stored rows of one folder path, by UID. */
  rowsOf(path: string): Map<number, StoredMessage>;
  folderId(path: string): FolderId;
  dispose(): Promise<void>;
}

export interface KitOptions {
  user?: string;
  /** Another port (a TCP proxy in front of Dovecot). */
  port?: number;
  security?: 'tls' | 'starttls' | 'none';
  host?: string;
  password?: string;
  imap?: ImapOptions;
  timing?: Partial<EngineTiming>;
  /** Do not start the engines (the test starts them). */
  noStart?: boolean;
  pending?: PendingServerActions<ImapSession>;
  /** Trust only the system CAs (the fixture's self-signed certificate is then refused). */
  systemTrustOnly?: boolean;
}

export async function openImapSyncKit(servers: MailServers, options: KitOptions = {}): Promise<ImapSyncKit> {
  const user = options.user ?? 'alice';
  const dir = await makeTempDir('estafeta-imap-sync-it-');
  const store = SqliteMailStore.open(dir.path);
  const config: AccountConfig = {
    name: user,
    email: servers.address(user),
    incoming: {
      protocol: 'imap',
      host: options.host ?? servers.host,
      port: options.port ?? servers.ports.imaps,
      security: options.security ?? 'tls',
      username: user,
      authMethod: 'password',
    },
    outgoing: {
      host: servers.host,
      port: servers.ports.submissions,
      security: 'tls',
      username: user,
      authMethod: 'password',
    },
    pop3: { leaveOnServer: false, deleteAfterDays: null, deleteWhenDeletedHere: false },
    ...(options.imap ? { imap: options.imap } : {}),
    signature: '',
    identities: [],
  };
  const accountId = store.accounts.insert({
    kind: 'imap',
    displayName: config.email,
    email: config.email,
    settings: toStoredConfig(config),
  }).id;
  const events: RecordedEvent[] = [];
  const sink: SyncEventSink = {
    emit: (event: string, payload: unknown) => {
      events.push({ event, payload: payload as Record<string, unknown> });
    },
  };
  const engines = new AccountEngines({
    store,
    events: sink,
    factories: {
      imap: createImapEngine({
        store,
        accounts: {
          config: () => config,
          authFor: async () => ({ password: options.password ?? servers.password }),
        },
        trustFor: async () => (options.systemTrustOnly ? undefined : { extraCaPem: servers.caPem }),
        events: sink,
        pending: options.pending,
        timing: { ...FAST_TIMING, ...options.timing },
      }),
    },
  });
  if (!options.noStart) engines.startAll();
  const folderId = (path: string): FolderId => {
    const folder = store.folders.findByPath(accountId, path);
    if (!folder) throw new Error(`no folder ${path}`);
    return folder.id;
  };
  return {
    dir,
    store,
    accountId,
    engines,
    events,
    config,
    folderId,
    rowsOf(path) {
      const rows = new Map<number, StoredMessage>();
      const id = folderId(path);
      for (let offset = 0; ; offset += 1000) {
        const page = store.messages.page(id, offset, 1000).rows;
        for (const row of page) {
          const stored = store.messages.get(row.id);
          if (!stored) continue;
          if (stored.imapUid === null) throw new Error(`row ${stored.id} in ${path} has no UID`);
          if (rows.has(stored.imapUid)) throw new Error(`UID ${stored.imapUid} stored twice in ${path}`);
          rows.set(stored.imapUid, stored);
        }
        if (page.length < 1000) break;
      }
      return rows;
    },
    async dispose() {
      await engines.stopAll();
      store.close();
      await dir.remove();
    },
  };
}

/** A second, independent client: "another device" of the same user. */
export async function otherDevice(servers: MailServers, user = 'alice'): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: servers.host,
    port: servers.ports.imaps,
    secure: true,
    auth: { user, pass: servers.password },
    tls: { ca: servers.caPem },
    logger: false,
    disableAutoIdle: true,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

export interface ServerMessage {
  flags: string[];
  size: number;
}

/** Every message of `path` as the server has it: UID -> sorted flags and size. */
export async function serverMessages(device: ImapFlow, path: string): Promise<Map<number, ServerMessage>> {
  const result = new Map<number, ServerMessage>();
  const lock = await device.getMailboxLock(path);
  try {
    await device.noop(); // a selected mailbox shows new mail only after a sync point (RFC 3501 §6.1.2)
    if (device.mailbox === false || device.mailbox.exists === 0) return result;
    for await (const row of device.fetch('1:*', { uid: true, flags: true, size: true }, { uid: true })) {
      result.set(row.uid, {
        flags: [...(row.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
        size: row.size ?? -1,
      });
    }
  } finally {
    lock.release();
  }
  return result;
}

export const imapFlags = (flags: MessageFlags): string[] => flagsToImap(flags).sort();

/** The store's view of a folder in the same shape as serverMessages. */
export function storedMessages(kit: ImapSyncKit, path: string): Map<number, ServerMessage> {
  const result = new Map<number, ServerMessage>();
  for (const [uid, row] of kit.rowsOf(path)) result.set(uid, { flags: imapFlags(row.flags), size: row.size });
  return result;
}

/** Polls `condition` every 50 ms until it holds or `timeoutMs` passed (then throws `what`). */
export async function waitFor(
  what: string,
  timeoutMs: number,
  condition: () => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function statusOf(kit: ImapSyncKit) {
  const status = kit.engines.statuses().find((s) => s.accountId === kit.accountId);
  if (!status) throw new Error('no engine status');
  return status;
}
