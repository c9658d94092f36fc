// Shared by the POP3 engine's integration tests: a store with a POP3 account pointed at the
// fixture's Dovecot, exact known messages delivered over LMTP, and a look at the maildrop.
import net from 'node:net';
import type { AccountId } from '../../../../src-main/domain/ids';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import type { StoredMessage } from '../../../../src-main/store/message-rows';
import {
  Pop3Fetcher,
  type Pop3AccountSettings,
  type Pop3FetcherOptions,
} from '../../../../src-main/sync/pop3-fetch';
import type { MailServers } from '../../../support/mail-servers';
import { buildTestMessage, deliverViaLmtp, type TestAttachment } from '../../../support/seed-mailbox';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

/** Dovecot's LMTP puts this line before the delivered bytes (seed-mailbox.ts, deliverViaLmtp). */
export function returnPathOf(servers: MailServers): Buffer {
  return Buffer.from(`Return-Path: <lmtp-inject@${servers.domain}>\r\n`);
}

export interface DeliveredMessage {
  messageId: string;
  /** What a POP3 client must store: the Return-Path line plus the bytes delivered. */
  stored: Buffer;
}

export interface DeliverOptions {
  /** Added to each body, e.g. a marker for the TCP proxy. */
  body?: (n: number) => string;
  attachments?: (n: number) => TestAttachment[];
}

/** Delivers `count` exact messages to `user`'s INBOX, in order, and returns what should be stored. */
export async function deliverMessages(
  servers: MailServers,
  user: string,
  count: number,
  tag: string,
  options: DeliverOptions = {},
): Promise<DeliveredMessage[]> {
  const delivered: DeliveredMessage[] = [];
  for (let n = 1; n <= count; n++) {
    const messageId = `<${tag}-${n}@estafeta.test>`;
    const raw = buildTestMessage({
      from: `Sender ${n} <sender${n}@example.test>`,
      to: servers.address(user),
      subject: `${tag} message ${n} – ünïcödé`,
      text: options.body?.(n) ?? `Hello ${n} from ${tag}.\r\n.a line that starts with a dot\r\n`,
      messageId,
      date: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
      ...(options.attachments ? { attachments: options.attachments(n) } : {}),
    });
    await deliverViaLmtp(servers, user, raw);
    delivered.push({
      messageId: messageId.slice(1, -1),
      stored: Buffer.concat([returnPathOf(servers), raw]),
    });
  }
  return delivered;
}

/** Messages in `user`'s INBOX as Dovecot counts them. */
export async function maildropCount(servers: MailServers, user: string): Promise<number> {
  const out = await servers.doveadm(['mailbox', 'status', '-u', user, 'messages', 'INBOX']);
  const match = /messages=(\d+)/.exec(out);
  if (!match) throw new Error(`doveadm mailbox status: ${out}`);
  return Number(match[1]);
}

/** Empties `user`'s INBOX so each test starts from a known maildrop. */
export async function emptyMaildrop(servers: MailServers, user: string): Promise<void> {
  await servers.doveadm(['expunge', '-u', user, 'mailbox', 'INBOX', 'all']);
}

export interface Pop3Kit {
  dir: TempDir;
  store: SqliteMailStore;
  accountId: AccountId;
  fetcher: Pop3Fetcher;
  settings(overrides?: Partial<Pop3AccountSettings>): Pop3AccountSettings;
  /** Every stored message of the account, by id. */
  rows(): StoredMessage[];
  /** Message-ID -> stored bytes, failing on a Message-ID stored twice. */
  storedByMessageId(): Promise<Map<string, Buffer>>;
  dispose(): Promise<void>;
}

export async function openPop3Kit(
  servers: MailServers,
  user: string,
  options: Partial<Pop3FetcherOptions> = {},
): Promise<Pop3Kit> {
  const dir = await makeTempDir('estafeta-pop3-it-');
  const store = SqliteMailStore.open(dir.path);
  const accountId = store.accounts.insert({
    kind: 'pop3',
    displayName: user,
    email: servers.address(user),
  }).id;
  const rows = (): StoredMessage[] => {
    const result: StoredMessage[] = [];
    for (const folder of store.folders.list(accountId)) {
      for (let offset = 0; ; offset += 500) {
        const page = store.messages.page(folder.id, offset, 500).rows;
        for (const row of page) {
          const stored = store.messages.get(row.id);
          if (stored) result.push(stored);
        }
        if (page.length < 500) break;
      }
    }
    return result.sort((a, b) => a.id - b.id);
  };
  return {
    dir,
    store,
    accountId,
    fetcher: new Pop3Fetcher({ store, ...options }),
    settings: (overrides = {}) => ({
      accountId,
      host: servers.host,
      port: servers.ports.pop3,
      security: 'starttls',
      username: user,
      password: servers.password,
      trust: { extraCaPem: servers.caPem },
      leaveOnServer: false,
      deleteAfterDays: null,
      deleteWhenDeletedHere: false,
      maxMessageKb: null,
      ...overrides,
    }),
    rows,
    async storedByMessageId() {
      const byId = new Map<string, Buffer>();
      for (const row of rows()) {
        const key = row.messageIdHeader ?? `(none ${row.id})`;
        if (byId.has(key)) throw new Error(`${key} is stored twice`);
        byId.set(key, await store.emlFiles.read(row.emlPath));
      }
      return byId;
    },
    async dispose() {
      store.close();
      await dir.remove();
    },
  };
}

/**
 * A forwarding proxy that records what the server sends on its first connection, to find the
 * byte offset of a moment (such as the middle of a terminator) for tcp-proxy's afterServerBytes.
 */
export async function recordServerBytes(
  target: { host: string; port: number },
  run: (port: number) => Promise<unknown>,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let isFirst = true;
  const server = net.createServer((client) => {
    const record = isFirst;
    isFirst = false;
    const upstream = net.connect(target.port, target.host);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      if (record) chunks.push(chunk);
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  try {
    await run(address.port);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return Buffer.concat(chunks);
}

/** How often the slow proxy releases bytes. */
const SLOW_PROXY_TICK_MS = 2;

export interface SlowProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * A forwarding proxy that passes the server's bytes at `bytesPerSecond` (a slow network), so a
 * download lasts long enough for a test to interrupt it at many different moments.
 */
export async function startSlowProxy(
  target: { host: string; port: number },
  bytesPerSecond: number,
): Promise<SlowProxy> {
  const perTick = Math.max(1, Math.floor((bytesPerSecond * SLOW_PROXY_TICK_MS) / 1000));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const queue: Buffer[] = [];
    let isUpstreamDone = false;
    const end = (): void => {
      clearInterval(timer);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    const timer = setInterval(() => {
      let budget = perTick;
      while (budget > 0 && queue.length > 0) {
        const head = queue[0] as Buffer;
        const piece = head.subarray(0, budget);
        client.write(piece);
        budget -= piece.length;
        if (piece.length === head.length) queue.shift();
        else queue[0] = head.subarray(piece.length);
      }
      if (isUpstreamDone && queue.length === 0) client.end(end); // the server's last words still arrive
    }, SLOW_PROXY_TICK_MS);
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => queue.push(chunk));
    client.on('close', end);
    client.on('error', end);
    upstream.on('close', () => (isUpstreamDone = true));
    upstream.on('error', () => (isUpstreamDone = true));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
