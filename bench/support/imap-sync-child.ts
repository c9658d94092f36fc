/**
 * Our side of the IMAP sync benchmark, in its own process so its memory figures are its own: the
 * real IMAP engine's first sync of an account into a fresh store (offline policy "all"), timed at
 * three moments: the first 100 Inbox headers committed, every header committed, every body
 * committed (the engine idle again).
 *
 *   tsx bench/support/imap-sync-child.ts <data dir> <host> <port> <user> <password> <messages>
 * Prints one JSON line.
 */
import './raw-sql-loader';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { toStoredConfig, type AccountConfig } from '../../src-main/accounts/account-config';
import type { FolderId } from '../../src-main/domain/ids';
import { SqliteMailStore } from '../../src-main/store/mail-store';
import type { SyncEventSink } from '../../src-main/sync/engines/sync-events';
import { createImapEngine } from '../../src-main/sync/imap-sync';

const RSS_SAMPLE_MS = 50;
const MB = 1024 * 1024;
/** The whole run; a bench that hangs is a failure. */
const RUN_BOUND_MS = 30 * 60_000;

export interface ImapChildFigures {
  first100Ms: number;
  headersSeconds: number;
  bodiesSeconds: number;
  totalSeconds: number;
  stored: number;
  rssPeakMb: number;
  vmHwmMb: number | null;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  /** Process CPU (user + system) until every header was stored: less load-dependent than wall time. */
  headersCpuSeconds: number;
  /** Main-thread event-loop idle time until then: waiting for the server (round trips, its pace). */
  headersIdleSeconds: number;
}

function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const [dataDir, host, port, user, password, count] = process.argv.slice(2);
  if (!dataDir || !host || !port || !user || !password || !count) {
    throw new Error('usage: imap-sync-child.ts <data dir> <host> <port> <user> <password> <messages>');
  }
  const expected = Number(count);
  const store = SqliteMailStore.open(dataDir);
  const config: AccountConfig = {
    name: user,
    email: `${user}@example.test`,
    incoming: {
      protocol: 'imap',
      host,
      port: Number(port),
      security: 'none',
      username: user,
      authMethod: 'password',
    },
    outgoing: { host, port: 587, security: 'starttls', username: user, authMethod: 'password' },
    pop3: { leaveOnServer: false, deleteAfterDays: null, deleteWhenDeletedHere: false },
    imap: { offline: 'all', days: null },
    signature: '',
    identities: [],
  };
  const account = store.accounts.insert({
    kind: 'imap',
    displayName: config.email,
    email: config.email,
    settings: toStoredConfig(config),
  });
  let rssPeakMb = process.memoryUsage().rss / MB;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / MB);
  }, RSS_SAMPLE_MS);
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  let first100 = Number.NaN;
  let headersDone = Number.NaN;
  let headersCpuSeconds = Number.NaN;
  let headersIdleSeconds = Number.NaN;
  const eluBefore = performance.eventLoopUtilization();
  let inboxId: FolderId | null = null;
  const sink: SyncEventSink = {
    emit: (event: string, payload: unknown) => {
      if (event !== 'counts.changed') return;
      inboxId ??= store.folders.findByRole(account.id, 'inbox')?.id ?? null;
      const folders = (payload as { folders: Array<{ folderId: number; total: number }> }).folders;
      const inbox = folders.find((f) => f.folderId === inboxId);
      if (!inbox) return;
      if (Number.isNaN(first100) && inbox.total >= 100) first100 = elapsed() * 1000;
      if (Number.isNaN(headersDone) && inbox.total >= expected) {
        headersDone = elapsed();
        const cpu = process.cpuUsage(cpuBefore);
        headersCpuSeconds = (cpu.user + cpu.system) / 1e6;
        headersIdleSeconds = performance.eventLoopUtilization(eluBefore).idle / 1000;
      }
    },
  };
  let finish: () => void = () => undefined;
  const idle = new Promise<void>((resolve) => (finish = resolve));
  let engine: ReturnType<ReturnType<typeof createImapEngine>> | null = null;
  let sawSyncing = false;
  const factory = createImapEngine({
    store,
    accounts: { config: () => config, authFor: async () => ({ password }) },
    trustFor: async () => undefined,
    events: sink,
  });
  engine = factory(account.id, {
    statusChanged: () => {
      const state = engine?.status().state;
      if (state === 'syncing') sawSyncing = true;
      else if (sawSyncing && state === 'idle') finish();
      else if (state === 'offline' || state === 'error') {
        console.error(`engine ${state}: ${engine?.status().message}`);
        process.exit(1);
      }
    },
  });
  const bound = setTimeout(() => {
    console.error('the sync did not end in time');
    process.exit(1);
  }, RUN_BOUND_MS);
  engine.start();
  await idle;
  const totalSeconds = elapsed();
  clearTimeout(bound);
  clearInterval(sampler);
  await engine.stop();
  const cpu = process.cpuUsage(cpuBefore);
  rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / MB);
  const stored = inboxId === null ? 0 : (store.messages.countsFor([inboxId]).get(inboxId)?.total ?? 0);
  const bodyless = inboxId === null ? 0 : store.imapSync.countBodyless(inboxId);
  store.close();
  if (bodyless > 0) throw new Error(`${bodyless} bodies missing after the sync`);
  const figures: ImapChildFigures = {
    first100Ms: first100,
    headersSeconds: headersDone,
    bodiesSeconds: totalSeconds - headersDone,
    totalSeconds,
    stored,
    rssPeakMb,
    vmHwmMb: vmHwmMb(),
    cpuUserSeconds: cpu.user / 1e6,
    cpuSystemSeconds: cpu.system / 1e6,
    headersCpuSeconds,
    headersIdleSeconds,
  };
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
