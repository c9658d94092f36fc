/**
 * Our side of the POP3 benchmark, in its own process so its memory figures are its own (VmHWM is
 * a process-lifetime peak): one download-and-delete check of a maildrop into a fresh store.
 *
 *   tsx bench/support/pop3-child.ts <data dir> <host> <port> <user> <password>
 * Prints one JSON line.
 */
import './raw-sql-loader';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { asAccountId } from '../../src-main/domain/ids';
import { SqliteMailStore } from '../../src-main/store/mail-store';
import { Pop3Fetcher } from '../../src-main/sync/pop3-fetch';

/** RSS is sampled this often while the check runs. */
const RSS_SAMPLE_MS = 50;
const MB = 1024 * 1024;

export interface Pop3ChildFigures {
  seconds: number;
  downloaded: number;
  deletedFromServer: number;
  stored: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  rssPeakMb: number;
  vmHwmMb: number | null;
  progressEvents: number;
  /** Share of the run the main thread was busy (not waiting for the network or the disk). */
  mainThreadBusy: number;
}

function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null; // not Linux
  }
}

async function main(): Promise<void> {
  const [dataDir, host, port, user, password] = process.argv.slice(2);
  if (!dataDir || !host || !port || !user || !password) {
    throw new Error('usage: pop3-child.ts <data dir> <host> <port> <user> <password>');
  }
  const store = SqliteMailStore.open(dataDir);
  const account = store.accounts.insert({ kind: 'pop3', displayName: user, email: null });
  let progressEvents = 0;
  const fetcher = new Pop3Fetcher({ store, onProgress: () => progressEvents++ });
  let rssPeakMb = process.memoryUsage().rss / MB;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / MB);
  }, RSS_SAMPLE_MS);
  const cpuBefore = process.cpuUsage();
  const loopBefore = performance.eventLoopUtilization();
  const started = process.hrtime.bigint();
  const result = await fetcher.checkMail({
    accountId: asAccountId(account.id),
    host,
    port: Number(port),
    security: 'none',
    username: user,
    password,
    leaveOnServer: false,
    deleteAfterDays: null,
    deleteWhenDeletedHere: false,
    maxMessageKb: null,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  clearInterval(sampler);
  rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / MB);
  const inbox = store.folders.findByRole(account.id, 'inbox');
  const stored = inbox ? (store.messages.countsFor([inbox.id]).get(inbox.id)?.total ?? 0) : 0;
  store.close();
  const figures: Pop3ChildFigures = {
    seconds,
    downloaded: result.downloaded,
    deletedFromServer: result.deletedFromServer,
    stored,
    cpuUserSeconds: cpu.user / 1e6,
    cpuSystemSeconds: cpu.system / 1e6,
    rssPeakMb,
    vmHwmMb: vmHwmMb(),
    progressEvents,
    mainThreadBusy: loop.utilization,
  };
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
