/**
 * Import benchmark: a deterministic 10,000-message mbox (mixed sizes, multipart, attachments,
 * RFC 2047 headers, threads) imported with LocalImporter.importFile into a fresh store, against the
 * I/O floor measured in the same run (support/baseline-split-write.mjs: split at From_ lines, one
 * fsynced file per message, nothing else). Baseline and import alternate for a few rounds and the
 * best time of each is compared: fsync timings on shared disks vary a lot from minute to minute.
 *
 *   npx tsx bench/import.bench.ts [--messages N] [--rounds N] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMbox } from './support/generate-mbox';

const DEFAULT_MESSAGES = 10_000;
const DEFAULT_ROUNDS = 2;
const SUPPORT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support');
const TSX = path.join(SUPPORT, '..', '..', 'node_modules', '.bin', 'tsx');

interface BaselineFigures {
  messages: number;
  seconds: number;
}

interface ImportFigures {
  imported: number;
  damaged: number;
  failed: number;
  errors: string[];
  stored: number;
  seconds: number;
  cpuUserSeconds: number;
  cpuSystemSeconds: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssByQuarterMb: number[];
  vmHwmMb: number | null;
  progressEvents: number;
  messageIds: string[];
}

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Writes back every dirty page, so one phase does not pay for the previous phase's writes. */
function flushFileSystems(): void {
  spawnSync('sync');
}

function runJson<T>(command: string, args: string[]): T {
  flushFileSystems();
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0)
    throw new Error(`${path.basename(args[0] ?? command)} failed (${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as T;
}

function printTable(rows: ReadonlyArray<[string, string]>): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log('\nimport benchmark');
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}

async function main(): Promise<void> {
  const count = argument('messages', DEFAULT_MESSAGES);
  const rounds = argument('rounds', DEFAULT_ROUNDS);
  const work = mkdtempSync(path.join(tmpdir(), 'estafeta-bench-import-'));
  try {
    const mbox = path.join(work, 'bench.mbox');
    const generatedAt = performance.now();
    const generated = await generateMbox(mbox, count);
    const generateSeconds = (performance.now() - generatedAt) / 1000;

    const baselines: BaselineFigures[] = [];
    const imports: ImportFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      const baselineDir = path.join(work, `baseline-${round}`);
      baselines.push(
        runJson(process.execPath, [path.join(SUPPORT, 'baseline-split-write.mjs'), mbox, baselineDir]),
      );
      rmSync(baselineDir, { recursive: true, force: true });
      const storeDir = path.join(work, `store-${round}`);
      imports.push(runJson(TSX, [path.join(SUPPORT, 'import-child.ts'), mbox, storeDir]));
      rmSync(storeDir, { recursive: true, force: true });
    }
    const baseline = baselines.reduce((best, run) => (run.seconds < best.seconds ? run : best));
    const ours = imports.reduce((best, run) => (run.seconds < best.seconds ? run : best));

    const allIdsMatch = imports.every(
      (run) =>
        run.messageIds.length === generated.messageIds.length &&
        run.messageIds.every((id, i) => id === generated.messageIds[i]),
    );
    const msgsPerSecond = ours.imported / ours.seconds;
    const peakMb = Math.max(...imports.map((run) => Math.max(run.rssPeakMb, run.vmHwmMb ?? 0)));
    const ratio = ours.seconds / baseline.seconds;
    const seconds = (runs: ReadonlyArray<{ seconds: number }>): string =>
      runs.map((run) => run.seconds.toFixed(2)).join(', ');
    printTable([
      [
        'mbox',
        `${generated.messages} messages, ${(generated.bytes / 1024 / 1024).toFixed(1)} MiB (generated in ${generateSeconds.toFixed(1)} s)`,
      ],
      [
        'baseline: split + fsync per file',
        `best ${baseline.seconds.toFixed(2)} s of ${seconds(baselines)}; ${baseline.messages} files`,
      ],
      [
        'LocalImporter.importFile',
        `best ${ours.seconds.toFixed(2)} s of ${seconds(imports)}; ${msgsPerSecond.toFixed(0)} msgs/s`,
      ],
      [
        '  CPU user / system (best run)',
        `${ours.cpuUserSeconds.toFixed(2)} s / ${ours.cpuSystemSeconds.toFixed(2)} s`,
      ],
      [
        'imported / damaged / failed',
        `${ours.imported} / ${ours.damaged} / ${ours.failed}${ours.errors.length ? ` (${ours.errors.join('; ')})` : ''}`,
      ],
      ['stored rows, Message-IDs match', `${ours.stored}, ${allIdsMatch ? 'yes' : 'NO'}`],
      [
        'RSS before / peak (50 ms samples)',
        `${ours.rssBeforeMb.toFixed(0)} MB / ${ours.rssPeakMb.toFixed(0)} MB`,
      ],
      [
        'RSS at 25/50/75/100% of the file',
        ours.rssByQuarterMb.map((mb) => `${mb.toFixed(0)} MB`).join(' / '),
      ],
      [
        'VmHWM (import process, worst run)',
        `${Math.max(...imports.map((run) => run.vmHwmMb ?? 0)).toFixed(0)} MB`,
      ],
      ['progress events', String(ours.progressEvents)],
      ['ratio ours / baseline (best / best)', ratio.toFixed(2)],
    ]);
    console.log(
      `RESULT import messages=${ours.imported} seconds=${ours.seconds.toFixed(2)} msgs_per_s=${msgsPerSecond.toFixed(0)} ` +
        `rss_mb=${peakMb.toFixed(0)} baseline_s=${baseline.seconds.toFixed(2)} ratio=${ratio.toFixed(2)}`,
    );
    if (!allIdsMatch || imports.some((run) => run.imported !== count)) process.exitCode = 1;
  } finally {
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
