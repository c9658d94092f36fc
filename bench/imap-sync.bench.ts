/**
 * IMAP sync benchmark: the first sync of a seeded Inbox (10,000 messages by default) by our engine
 * (support/imap-sync-child.ts: headers newest first in committed batches, then every body written
 * as an .eml cache file and committed; the search indexer, which parses bodies for search and
 * snippets, is not part of the sync and not timed) against a bare imapflow script in the same run
 * (support/imap-baseline.ts: the same header items for all, then all sources; nothing stored).
 * Figures: time to the first 100 headers stored, full header sync, full body sync, peak RSS, and
 * our time / baseline time for headers and bodies. mbsync (Debian package isync) is timed too
 * when installed.
 *
 * The storage floor (the baseline script also writing each source to a file of its own, on its one
 * thread) shows what keeping bodies as files costs at least on this disk (bodies_floor_s).
 *
 * The whole offline sync (start to last body stored, total_s) is compared with the baseline's two
 * fetches together as well (ratio_total).
 *
 * Runs alternate baseline, floor, ours, baseline, floor, ours, ...; the best of each is compared.
 *
 *   npm run bench -- imap-sync
 *   IMAP_BENCH_MESSAGES=2000 IMAP_BENCH_ROUNDS=1 npm run bench -- imap-sync   (a quick run)
 *   IMAP_BENCH_CPU_PROF_DIR=prof ...   (our child also writes V8 CPU profiles into prof/)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMailServers, type MailServers } from '../tests/support/mail-servers';
import { seedMailbox } from '../tests/support/seed-mailbox';
import type { ImapBaselineFigures } from './support/imap-baseline';
import type { ImapChildFigures } from './support/imap-sync-child';

const DEFAULT_MESSAGES = 10_000;
const DEFAULT_ROUNDS = 3;
const SEED = 7;
const USER = 'alice';
const ROOT = path.resolve(process.cwd());
const CHILD = path.join(ROOT, 'bench', 'support', 'imap-sync-child.ts');
const BASELINE = path.join(ROOT, 'bench', 'support', 'imap-baseline.ts');
const MBSYNC = process.env.MBSYNC_BIN ?? '/usr/bin/mbsync';
const CHILD_TIMEOUT_MS = 30 * 60_000;
const CHILD_MAX_OUTPUT = 16 * 1024 * 1024;

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** IMAP_BENCH_CPU_PROF_DIR=dir: our child writes a V8 CPU profile there (for finding hot spots). */
const PROFILE_DIR = process.env.IMAP_BENCH_CPU_PROF_DIR;

function runChild<T>(script: string, args: string[]): T {
  const profile =
    script === CHILD && PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(PROFILE_DIR)}`] : [];
  const child = spawnSync(process.execPath, [...profile, '--import', 'tsx', script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: CHILD_MAX_OUTPUT,
    timeout: CHILD_TIMEOUT_MS,
  });
  if (child.status !== 0)
    throw new Error(`${path.basename(script)} failed (${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as T;
}

/** With `writeDir`, the storage floor: the same script also writing each source to a file of its own. */
function runBaseline(servers: MailServers, writeDir?: string): ImapBaselineFigures {
  return runChild<ImapBaselineFigures>(BASELINE, [
    servers.host,
    String(servers.ports.imap),
    USER,
    servers.password,
    ...(writeDir === undefined ? [] : [writeDir]),
  ]);
}

/**
 * Each round's store stays on disk until the whole bench ends (`work` is removed then). ext4 will not
 * hand out an inode freed in the last 60-300 s, and finding a free one walks past every such inode
 * of the block group, once per new file: deleting one round's 10,000 files just before the next
 * round made that round's file creations cost 4-12 s of kernel time (perf: `recently_deleted`
 * under `ext4_create`), a cost of this bench's clean-up, not of a first sync.
 */
function runOurs(servers: MailServers, work: string, round: number, count: number): ImapChildFigures {
  return runChild<ImapChildFigures>(CHILD, [
    path.join(work, `store-${round}`),
    servers.host,
    String(servers.ports.imap),
    USER,
    servers.password,
    String(count),
  ]);
}

/** mbsync pulling the Inbox into a fresh Maildir (headers and bodies in one go). */
function runMbsync(servers: MailServers, work: string): number {
  const maildir = path.join(work, 'mbsync-maildir');
  mkdirSync(maildir, { recursive: true });
  const rc = path.join(work, 'mbsyncrc');
  writeFileSync(
    rc,
    [
      'IMAPAccount bench',
      `Host ${servers.host}`,
      `Port ${servers.ports.imap}`,
      `User ${USER}`,
      `Pass ${servers.password}`,
      // SSLType: isync 1.4 (Debian 12) knows only this name; 1.5 still accepts it for TLSType.
      'SSLType None',
      'AuthMechs LOGIN',
      '',
      'IMAPStore remote',
      'Account bench',
      '',
      'MaildirStore local',
      `Path ${maildir}/`,
      `Inbox ${maildir}/INBOX`,
      '',
      'Channel bench',
      'Far :remote:',
      'Near :local:',
      'Patterns INBOX',
      'Create Near',
      'Sync Pull',
      // State beside the mail (deleted with it): a state left in ~/.mbsync by an earlier run
      // would see this freshly seeded Inbox as a changed UIDVALIDITY and refuse.
      'SyncState *',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  const started = process.hrtime.bigint();
  const run = spawnSync(MBSYNC, ['-c', rc, '-q', 'bench'], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(maildir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`mbsync exit ${run.status}: ${run.stderr}`);
  return seconds;
}

function printTable(rows: Array<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

const best = <T>(runs: T[], key: (run: T) => number): T =>
  runs.reduce((fastest, run) => (key(run) < key(fastest) ? run : fastest));

async function main(): Promise<void> {
  const count = setting('IMAP_BENCH_MESSAGES', DEFAULT_MESSAGES);
  const rounds = setting('IMAP_BENCH_ROUNDS', DEFAULT_ROUNDS);
  const work = mkdtempSync(path.join(tmpdir(), 'estafeta-bench-imap-'));
  const servers = await startMailServers();
  try {
    await seedMailbox(servers, USER, count, { extraFolders: false, seed: SEED, reset: true });
    spawnSync('sync');
    // One untimed pass warms Dovecot's index cache, so the first timed run is not the only cold one.
    runBaseline(servers);
    const baselines: ImapBaselineFigures[] = [];
    const floors: ImapBaselineFigures[] = [];
    const ours: ImapChildFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      baselines.push(runBaseline(servers));
      floors.push(runBaseline(servers, path.join(work, `floor-${round}`)));
      const figures = runOurs(servers, work, round, count);
      if (figures.stored !== count) throw new Error(`round ${round}: stored ${figures.stored} of ${count}`);
      ours.push(figures);
    }
    const mbsyncSeconds = existsSync(MBSYNC) ? runMbsync(servers, work) : null;

    const baseHeaders = best(baselines, (run) => run.headersSeconds);
    const baseBodies = best(baselines, (run) => run.bodiesSeconds);
    const floorBodies = best(floors, (run) => run.bodiesSeconds);
    const ourHeaders = best(ours, (run) => run.headersSeconds);
    const ourBodies = best(ours, (run) => run.bodiesSeconds);
    const ourFirst = best(ours, (run) => run.first100Ms);
    const ratioHeaders = ourHeaders.headersSeconds / baseHeaders.headersSeconds;
    const ratioBodies = ourBodies.bodiesSeconds / baseBodies.bodiesSeconds;
    const ratioBodiesFloor = ourBodies.bodiesSeconds / floorBodies.bodiesSeconds;
    // The whole offline sync, start to last body stored, against the baseline's two fetches together.
    const baseTotal = best(baselines, (run) => run.headersSeconds + run.bodiesSeconds);
    const baseTotalSeconds = baseTotal.headersSeconds + baseTotal.bodiesSeconds;
    const ourTotal = best(ours, (run) => run.totalSeconds);
    const ratioTotal = ourTotal.totalSeconds / baseTotalSeconds;
    const rssMb = Math.max(...ours.map((run) => Math.max(run.rssPeakMb, run.vmHwmMb ?? 0)));
    const list = (values: number[]): string => values.map((v) => v.toFixed(2)).join(', ');
    printTable([
      [
        'Inbox',
        `${count} seeded messages, ${(baseBodies.bytes / 1024 / 1024).toFixed(1)} MiB (seed ${SEED})`,
      ],
      ['order', `warm-up baseline, then ${rounds} rounds of: baseline, storage floor, ours (fresh store)`],
      [
        'baseline: imapflow headers (1 UID FETCH)',
        `best ${baseHeaders.headersSeconds.toFixed(2)} s of ${list(baselines.map((r) => r.headersSeconds))}`,
      ],
      [
        'baseline: imapflow sources (1 UID FETCH)',
        `best ${baseBodies.bodiesSeconds.toFixed(2)} s of ${list(baselines.map((r) => r.bodiesSeconds))}`,
      ],
      [
        'storage floor: same + each source to a file',
        `best ${floorBodies.bodiesSeconds.toFixed(2)} s of ${list(floors.map((r) => r.bodiesSeconds))} ` +
          '(what keeping each body as a file costs at least)',
      ],
      ['baseline: first 100 rows', `${best(baselines, (r) => r.first100Ms).first100Ms.toFixed(0)} ms`],
      ['ours: first 100 headers stored', `${ourFirst.first100Ms.toFixed(0)} ms`],
      [
        'ours: all headers stored',
        `best ${ourHeaders.headersSeconds.toFixed(2)} s of ${list(ours.map((r) => r.headersSeconds))}`,
      ],
      [
        'ours: all bodies stored (after headers)',
        `best ${ourBodies.bodiesSeconds.toFixed(2)} s of ${list(ours.map((r) => r.bodiesSeconds))}`,
      ],
      [
        'CPU to all headers, ours / baseline (best)',
        `${Math.min(...ours.map((r) => r.headersCpuSeconds)).toFixed(2)} s / ` +
          `${Math.min(...baselines.map((r) => r.headersCpuSeconds)).toFixed(2)} s ` +
          `(ours idle waiting for the server: ${ourHeaders.headersIdleSeconds.toFixed(2)} s)`,
      ],
      [
        '  CPU user / system (best body run)',
        `${ourBodies.cpuUserSeconds.toFixed(2)} s / ${ourBodies.cpuSystemSeconds.toFixed(2)} s`,
      ],
      ['  peak RSS (samples / VmHWM, worst run)', `${rssMb.toFixed(0)} MB`],
      ['mbsync', mbsyncSeconds === null ? 'not installed' : `${mbsyncSeconds.toFixed(2)} s`],
      ['ratio headers ours / baseline', ratioHeaders.toFixed(2)],
      ['ratio bodies ours / baseline', ratioBodies.toFixed(2)],
      ['ratio bodies ours / storage floor', ratioBodiesFloor.toFixed(2)],
      [
        'ratio whole offline sync ours / baseline',
        `${ratioTotal.toFixed(2)} (${ourTotal.totalSeconds.toFixed(2)} s / ${baseTotalSeconds.toFixed(2)} s)`,
      ],
    ]);
    console.log(
      `RESULT imap-sync messages=${count} first100_ms=${ourFirst.first100Ms.toFixed(0)} ` +
        `headers_s=${ourHeaders.headersSeconds.toFixed(2)} bodies_s=${ourBodies.bodiesSeconds.toFixed(2)} ` +
        `ratio_headers=${ratioHeaders.toFixed(2)} ratio_bodies=${ratioBodies.toFixed(2)} rss_mb=${rssMb.toFixed(0)} ` +
        `bodies_floor_s=${floorBodies.bodiesSeconds.toFixed(2)} ratio_bodies_floor=${ratioBodiesFloor.toFixed(2)} ` +
        `total_s=${ourTotal.totalSeconds.toFixed(2)} baseline_total_s=${baseTotalSeconds.toFixed(2)} ` +
        `ratio_total=${ratioTotal.toFixed(2)}` +
        (mbsyncSeconds === null ? '' : ` mbsync_s=${mbsyncSeconds.toFixed(2)}`),
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
