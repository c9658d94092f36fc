/**
 * POP3 benchmark: 5,000 seeded messages downloaded and deleted from the fixture's Dovecot by our
 * engine (Pop3Fetcher.checkMail into a fresh store: RETR pipelined, .eml files made durable, row +
 * ledger committed, DELE, QUIT; then, timed apart as index_s, the background search indexer's pass
 * that adds the snippets and search text the download leaves to it), against a bare Node socket loop measured in the same run
 * (support/pop3-baseline.ts: USER/PASS, RETR 1..N one by one, QUIT; nothing stored), and the same
 * loop writing each message to its own fsynced file: the storage floor of any client that keeps
 * mail durably before it deletes it from the server (floor_s in the RESULT line), and the same
 * loop followed by DELE of every message and QUIT: what the server itself spends removing the
 * messages of a download-and-delete, whatever the client (delete_baseline_s, server_quit_s).
 *
 * Both read identical data: the maildrop is seeded again with the same seed before every run, so
 * each starts from freshly written Maildir files (in the page cache) and a cold
 * dovecot.index.cache; the runs alternate baseline, ours, baseline, ours, ... and the best of
 * each is compared. fetchmail is timed too when /usr/bin/fetchmail exists.
 *
 *   npx tsx bench/pop3.bench.ts [--messages N] [--rounds N]
 *
 * server_quit_s is Dovecot unlinking one Maildir file per message at QUIT; its CPU is negligible.
 * On a file system mounted with `discard` (ext4 here) each unlink waits for a TRIM of the file's
 * blocks (~3 ms on this VM), which no client can avoid; `findmnt -no OPTIONS /` shows whether it applies.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMailServers, type MailServers } from '../tests/support/mail-servers';
import { seedMailbox } from '../tests/support/seed-mailbox';
import { bareRetrLoop, type BaselineFigures } from './support/pop3-baseline';
import type { Pop3ChildFigures } from './support/pop3-child';

const DEFAULT_MESSAGES = 5_000;
const DEFAULT_ROUNDS = 2;
const SEED = 5;
const USER = 'alice';
const ROOT = path.resolve(process.cwd());
const CHILD = path.join(ROOT, 'bench', 'support', 'pop3-child.ts');
/** Measured when installed; FETCHMAIL_BIN points at another copy. */
const FETCHMAIL = process.env.FETCHMAIL_BIN ?? '/usr/bin/fetchmail';
/** fetchmail gets as long as this before it counts as failed. */
const FETCHMAIL_TIMEOUT_MS = 600_000;

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

async function maildropCount(servers: MailServers): Promise<number> {
  const out = await servers.doveadm(['mailbox', 'status', '-u', USER, 'messages', 'INBOX']);
  return Number(/messages=(\d+)/.exec(out)?.[1] ?? Number.NaN);
}

async function reseed(servers: MailServers, count: number): Promise<void> {
  await seedMailbox(servers, USER, count, { extraFolders: false, seed: SEED, reset: true });
  spawnSync('sync'); // one run's dirty pages are not written back during the next
}

/**
 * Stores (and the floor's files) stay until the whole bench ends: ext4 walks past every inode freed
 * in the last minutes each time it creates a file, so a round's files deleted just before the next
 * round's writes would slow those (see runOurs in imap-sync.bench.ts, where this was measured).
 */
function runOurs(servers: MailServers, work: string, round: number): Pop3ChildFigures {
  const dataDir = path.join(work, `store-${round}`);
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', CHILD, dataDir, servers.host, String(servers.ports.pop3), USER, servers.password],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`pop3-child failed (${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as Pop3ChildFigures;
}

/** fetchmail with its own rc file: fetch all, delete (no keep), every message to /dev/null. */
function runFetchmail(servers: MailServers, work: string): number {
  const rc = path.join(work, 'fetchmailrc');
  writeFileSync(
    rc,
    `poll ${servers.host} service ${servers.ports.pop3} proto pop3 auth password\n` +
      `  user "${USER}" password "${servers.password}" is root here\n` +
      `  options fetchall nokeep no rewrite sslproto '' mda "cat >/dev/null"\n`,
    { mode: 0o600 },
  );
  const started = process.hrtime.bigint();
  const run = spawnSync(FETCHMAIL, ['-f', rc, '--nosyslog', '--silent', '--nodetach', '--norewrite'], {
    encoding: 'utf8',
    timeout: FETCHMAIL_TIMEOUT_MS,
    env: { ...process.env, HOME: work, FETCHMAILHOME: work },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // 0: mail fetched; 1: no mail. Anything else is a failure worth seeing.
  if (run.status !== 0 && run.status !== 1) throw new Error(`fetchmail exit ${run.status}: ${run.stderr}`);
  return seconds;
}

function printTable(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

async function main(): Promise<void> {
  const count = Number(argument('messages') ?? DEFAULT_MESSAGES);
  const rounds = Number(argument('rounds') ?? DEFAULT_ROUNDS);
  const work = mkdtempSync(path.join(tmpdir(), 'estafeta-bench-pop3-'));
  const servers = await startMailServers();
  try {
    const baselines: BaselineFigures[] = [];
    const floors: BaselineFigures[] = [];
    const deleting: BaselineFigures[] = [];
    const ours: Pop3ChildFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      await reseed(servers, count);
      baselines.push(await bareRetrLoop(servers.host, servers.ports.pop3, USER, servers.password, count));
      await reseed(servers, count);
      const floorDir = path.join(work, `floor-${round}`);
      floors.push(
        await bareRetrLoop(servers.host, servers.ports.pop3, USER, servers.password, count, {
          writeDir: floorDir,
        }),
      );
      await reseed(servers, count);
      deleting.push(
        await bareRetrLoop(servers.host, servers.ports.pop3, USER, servers.password, count, {
          deletes: true,
        }),
      );
      const leftByLoop = await maildropCount(servers);
      if (leftByLoop !== 0) throw new Error(`round ${round}: the deleting loop left ${leftByLoop} messages`);
      await reseed(servers, count);
      const figures = runOurs(servers, work, round);
      const left = await maildropCount(servers);
      if (figures.stored !== count || left !== 0 || figures.unindexed !== 0) {
        throw new Error(
          `round ${round}: stored ${figures.stored} of ${count}, ${left} left on the server, ` +
            `${figures.unindexed} not indexed`,
        );
      }
      ours.push(figures);
    }
    let fetchmailSeconds: number | null = null;
    if (existsSync(FETCHMAIL)) {
      await reseed(servers, count);
      fetchmailSeconds = runFetchmail(servers, work);
      const left = await maildropCount(servers);
      if (left !== 0) throw new Error(`fetchmail left ${left} messages on the server`);
    }

    const baseline = baselines.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const floor = floors.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const withDeletes = deleting.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const best = ours.reduce((fastest, run) => (run.seconds < fastest.seconds ? run : fastest));
    const ratio = best.seconds / baseline.seconds;
    const rssMb = Math.max(...ours.map((run) => Math.max(run.rssPeakMb, run.vmHwmMb ?? 0)));
    const list = (runs: ReadonlyArray<{ seconds: number }>): string =>
      runs.map((run) => run.seconds.toFixed(2)).join(', ');
    printTable([
      [
        'maildrop',
        `${count} seeded messages, ${(baseline.bytes / 1024 / 1024).toFixed(1)} MiB (seed ${SEED})`,
      ],
      [
        'order',
        `${rounds} rounds of: reseed, baseline, reseed, storage floor, reseed, deleting loop, reseed, ours`,
      ],
      ['baseline: bare socket RETR loop', `best ${baseline.seconds.toFixed(2)} s of ${list(baselines)}`],
      [
        'storage floor: same + fsynced file each',
        `best ${floor.seconds.toFixed(2)} s of ${list(floors)} (what "durable before DELE" costs at least)`,
      ],
      [
        'deleting loop: baseline + DELE all + QUIT',
        `best ${withDeletes.seconds.toFixed(2)} s of ${list(deleting)}, of which QUIT ${withDeletes.quitSeconds.toFixed(2)} s (the server removing them)`,
      ],
      ['ours: Pop3Fetcher.checkMail', `best ${best.seconds.toFixed(2)} s of ${list(ours)}`],
      ['  messages/s', (count / best.seconds).toFixed(0)],
      ['  main thread busy (best run)', `${(best.mainThreadBusy * 100).toFixed(0)} %`],
      [
        '  CPU user / system (best run)',
        `${best.cpuUserSeconds.toFixed(2)} s / ${best.cpuSystemSeconds.toFixed(2)} s`,
      ],
      ['  stored / deleted from server', `${best.stored} / ${best.deletedFromServer}`],
      ['  then search indexing (background)', `${best.indexSeconds.toFixed(2)} s (not in the time above)`],
      ['  progress events', String(best.progressEvents)],
      [
        '  peak RSS (samples / VmHWM)',
        `${best.rssPeakMb.toFixed(0)} MB / ${(best.vmHwmMb ?? 0).toFixed(0)} MB`,
      ],
      ['fetchmail', fetchmailSeconds === null ? 'not installed' : `${fetchmailSeconds.toFixed(2)} s`],
      ['ratio ours / baseline (best / best)', ratio.toFixed(2)],
      ['ratio ours / storage floor', (best.seconds / floor.seconds).toFixed(2)],
      ['ratio ours / deleting loop', (best.seconds / withDeletes.seconds).toFixed(2)],
    ]);
    console.log(
      `RESULT pop3 messages=${count} seconds=${best.seconds.toFixed(2)} baseline_s=${baseline.seconds.toFixed(2)} ` +
        `ratio=${ratio.toFixed(2)} rss_mb=${rssMb.toFixed(0)} floor_s=${floor.seconds.toFixed(2)} ` +
        `delete_baseline_s=${withDeletes.seconds.toFixed(2)} server_quit_s=${withDeletes.quitSeconds.toFixed(2)} ` +
        `index_s=${best.indexSeconds.toFixed(2)}` +
        (fetchmailSeconds === null ? '' : ` fetchmail_s=${fetchmailSeconds.toFixed(2)}`),
    );
  } finally {
    await servers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
