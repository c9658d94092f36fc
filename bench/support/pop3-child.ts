/**
 * Our side of the POP3 benchmark, in its own process so its memory figures are its own (VmHWM is
 * a process-lifetime peak): one download-and-delete check of a maildrop into a fresh store, then
 * (timed apart) the background indexer's pass that gives the new mail its snippets and search text.
 *
 *   tsx bench/support/pop3-child.ts <data dir> <host> <port> <user> <password>
 * Prints one JSON line.
 */
import './raw-sql-loader';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { asAccountId } from '../../src-main/domain/ids';
import { BackgroundIndexer } from '../../src-main/search/background-indexer';
import { EmlWriteBatch } from '../../src-main/store/eml-files';
import { SqliteMailStore } from '../../src-main/store/mail-store';
import { Pop3Client } from '../../src-main/protocols/pop3';
import { Pop3Fetcher } from '../../src-main/sync/pop3-fetch';

/**
 * RSS is sampled this often while the check runs, with memoryUsage.rss() (one system call):
 * memoryUsage() also walks the heap, which showed in profiles of the run it measures.
 */
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
  /**
   * After the check: the background search indexer's pass over the new mail (snippets and search
   * text, which the download leaves to it), timed on its own; not part of `seconds`.
   */
  indexSeconds: number;
  /** Messages still waiting for the indexer after that pass (should be 0). */
  unindexed: number;
}

/**
 * POP3_CHILD_TRACE=1: where the check's wall time goes (RETR runs, DELEs, QUIT, file-system
 * flushes, transactions), on stderr. A development aid: stdout's figures are the same without it.
 */
function traceStorage(store: SqliteMailStore): () => string {
  const totals = {
    flushMs: 0,
    flushes: 0,
    transactionMs: 0,
    transactions: 0,
    retrMs: 0,
    deleMs: 0,
    quitMs: 0,
  };
  const timed = <A extends unknown[], R>(
    key: 'retrMs' | 'deleMs' | 'quitMs',
    method: (this: Pop3Client, ...args: A) => Promise<R>,
  ) =>
    async function (this: Pop3Client, ...args: A): Promise<R> {
      const started = performance.now();
      try {
        return await method.apply(this, args);
      } finally {
        totals[key] += performance.now() - started;
      }
    };
  Pop3Client.prototype.retrMany = timed('retrMs', Pop3Client.prototype.retrMany);
  Pop3Client.prototype.deleMany = timed('deleMs', Pop3Client.prototype.deleMany);
  Pop3Client.prototype.quit = timed('quitMs', Pop3Client.prototype.quit);
  const flush = EmlWriteBatch.prototype.flush;
  EmlWriteBatch.prototype.flush = async function (this: EmlWriteBatch): Promise<void> {
    const started = performance.now();
    await flush.call(this);
    totals.flushMs += performance.now() - started;
    totals.flushes += 1;
  };
  const transaction = store.transaction.bind(store);
  store.transaction = <T>(work: () => T): T => {
    const started = performance.now();
    try {
      return transaction(work);
    } finally {
      totals.transactionMs += performance.now() - started;
      totals.transactions += 1;
    }
  };
  return () => JSON.stringify(totals);
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
  const trace = process.env.POP3_CHILD_TRACE === '1' ? traceStorage(store) : null;
  let progressEvents = 0;
  const fetcher = new Pop3Fetcher({ store, onProgress: () => progressEvents++ });
  let rssPeakMb = process.memoryUsage.rss() / MB;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, process.memoryUsage.rss() / MB);
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
  const ended = process.hrtime.bigint();
  const seconds = Number(ended - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  const loop = performance.eventLoopUtilization(loopBefore);
  clearInterval(sampler);
  rssPeakMb = Math.max(rssPeakMb, process.memoryUsage.rss() / MB);
  if (trace) console.error(`trace ${trace()}`);
  // With --cpu-prof: the check's span on the profile's clock (µs, monotonic), to rank its samples apart
  // from start-up and the indexer's pass.
  if (process.execArgv.some((arg) => arg.startsWith('--cpu-prof'))) {
    console.error(`cpu-prof window ${started / 1000n} ${ended / 1000n}`);
  }
  const indexStarted = process.hrtime.bigint();
  await new BackgroundIndexer(store).schedule();
  const indexSeconds = Number(process.hrtime.bigint() - indexStarted) / 1e9;
  const unindexed = store.search.pendingCount();
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
    indexSeconds,
    unindexed,
  };
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
