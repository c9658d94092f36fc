/**
 * Search benchmark: a store of 100,000 generated messages (support/search-corpus.ts); the time to
 * build the full-text index the way the app does it in the background; then 20 fixed queries
 * (support/search-queries.ts) timed from the API handler call (`search.run`, the same function
 * dispatch calls) to its first page of 100 rows with the total. Each round runs all 20 queries in
 * turn, more than the 8 results LocalSearch keeps, so every timed call computes its result anew.
 * When `notmuch` is installed, the same .eml files are indexed by `notmuch new` and the same
 * queries run as `notmuch search` (the time includes starting the notmuch process).
 *
 * The generated store (before indexing) is cached by size, seed and schema version in the temp
 * directory (support/search-corpus-cache.ts), so a second run skips generating it but indexes it all
 * the same; `--no-cache` generates it afresh.
 *
 *   npx tsx bench/search.bench.ts [--messages N] [--rounds N] [--no-notmuch] [--no-cache] [--keep]
 */
import './support/raw-sql-loader';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSearchHandlers } from '../src-main/api/search-handlers';
import { SearchSystem } from '../src-main/search/search-system';
import { SqliteMailStore } from '../src-main/store/mail-store';
import { searchCorpusFor } from './support/search-corpus-cache';
import { benchQueries, type BenchQuery } from './support/search-queries';

const DEFAULT_MESSAGES = 100_000;
const DEFAULT_ROUNDS = 5;
const PAGE = 100;
const TARGET_P95_MS = 30;

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const fixed = (value: number, digits = 2): string => value.toFixed(digits);

interface Timings {
  perQuery: Map<string, number[]>;
  all: number[];
  totals: Map<string, string>;
}

async function timeOurs(dataDir: string, queries: readonly BenchQuery[], rounds: number) {
  const store = SqliteMailStore.open(dataDir);
  const search = new SearchSystem({ store, onProgress: () => undefined, openImap: null });
  try {
    const pending = store.search.pendingCount();
    const indexStart = performance.now();
    await search.indexer.schedule();
    const indexSeconds = (performance.now() - indexStart) / 1000;
    const left = store.search.pendingCount();
    if (left !== 0) throw new Error(`${left} messages were left unindexed`);

    const handlers = createSearchHandlers({ store, search });
    const run = (query: string) =>
      handlers['search.run']({ query, scope: { kind: 'all' }, order: 'date', offset: 0, limit: PAGE });
    const timings: Timings = { perQuery: new Map(), all: [], totals: new Map() };
    for (const q of queries) {
      const warm = await run(q.query);
      timings.totals.set(q.label, `${warm.total}${warm.hasMore ? '+' : ''}`);
    }
    for (let round = 0; round < rounds; round++) {
      for (const q of queries) {
        const start = performance.now();
        const result = await run(q.query);
        const ms = performance.now() - start;
        if (result.rows.length !== Math.min(PAGE, result.total)) throw new Error(`short page for ${q.label}`);
        timings.all.push(ms);
        timings.perQuery.set(q.label, [...(timings.perQuery.get(q.label) ?? []), ms]);
      }
    }
    return { pending, indexSeconds, timings };
  } finally {
    await search.stop();
    store.close();
  }
}

function hasNotmuch(): boolean {
  return spawnSync('notmuch', ['--version'], { encoding: 'utf8' }).status === 0;
}

function timeNotmuch(work: string, mailDir: string, queries: readonly BenchQuery[], rounds: number) {
  const config = path.join(work, 'notmuch-config');
  mkdirSync(path.join(work, 'notmuch-db'), { recursive: true });
  writeFileSync(
    config,
    `[database]\npath=${path.join(work, 'notmuch-db')}\nmail_root=${mailDir}\n[new]\ntags=unread;inbox;\nignore=\n[search]\nexclude_tags=\n[maildir]\nsynchronize_flags=false\n`,
  );
  const env = { ...process.env, NOTMUCH_CONFIG: config };
  const notmuch = (args: string[]) => {
    const child = spawnSync('notmuch', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`notmuch ${args.join(' ')} failed: ${child.stderr}`);
    return child.stdout;
  };
  const indexStart = performance.now();
  notmuch(['new', '--quiet']);
  const indexSeconds = (performance.now() - indexStart) / 1000;
  const search = (query: string) =>
    notmuch(['search', '--output=messages', '--sort=newest-first', `--limit=${PAGE}`, query]);
  const timings: Timings = { perQuery: new Map(), all: [], totals: new Map() };
  for (const q of queries) timings.totals.set(q.label, notmuch(['count', q.notmuch]).trim());
  for (const q of queries) search(q.notmuch); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const q of queries) {
      const start = performance.now();
      search(q.notmuch);
      const ms = performance.now() - start;
      timings.all.push(ms);
      timings.perQuery.set(q.label, [...(timings.perQuery.get(q.label) ?? []), ms]);
    }
  }
  // What starting the notmuch process costs alone, for reading its figures.
  const spawn: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    notmuch(['count', 'id:no-such-message@bench']);
    spawn.push(performance.now() - start);
  }
  return { indexSeconds, timings, spawnMs: percentile(spawn, 50) };
}

async function main(): Promise<void> {
  const count = argument('messages', DEFAULT_MESSAGES);
  const rounds = argument('rounds', DEFAULT_ROUNDS);
  const work = mkdtempSync(path.join(tmpdir(), 'estafeta-bench-search-'));
  const dataDir = path.join(work, 'data');
  try {
    const corpusStart = performance.now();
    const corpus = await searchCorpusFor(dataDir, count, { useCache: !process.argv.includes('--no-cache') });
    const corpusSeconds = (performance.now() - corpusStart) / 1000;
    const queries = benchQueries(corpus.rareInvoiceNumber);
    const ours = await timeOurs(dataDir, queries, rounds);
    // Ours first, as soon as known: notmuch's index build can take many minutes.
    console.log(
      `  estafeta: index ${fixed(ours.indexSeconds, 1)} s, p50 ${fixed(percentile(ours.timings.all, 50))} ms, p95 ${fixed(percentile(ours.timings.all, 95))} ms`,
    );
    const baseline =
      hasNotmuch() && !process.argv.includes('--no-notmuch')
        ? timeNotmuch(work, corpus.mailDir, queries, rounds)
        : null;

    const p50 = percentile(ours.timings.all, 50);
    const p95 = percentile(ours.timings.all, 95);
    console.log('\nsearch benchmark');
    console.log(
      `  corpus            ${corpus.messages} messages, ${fixed(corpus.bytes / 1048576, 0)} MB (${corpus.fromCache ? 'copied from the cache' : 'built'} in ${fixed(corpusSeconds, 1)} s)`,
    );
    console.log(
      `  index build       ${fixed(ours.indexSeconds, 1)} s for ${ours.pending} messages (${fixed(ours.pending / ours.indexSeconds, 0)}/s)`,
    );
    if (baseline) console.log(`  notmuch new       ${fixed(baseline.indexSeconds, 1)} s`);
    console.log(`  queries           ${queries.length} x ${rounds} rounds, first page of ${PAGE} + total`);
    console.log(
      `\n  ${'query'.padEnd(18)} ${'hits'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}${baseline ? `  ${'notmuch hits'.padStart(12)} ${'p50 ms'.padStart(8)}` : ''}`,
    );
    for (const q of queries) {
      const samples = ours.timings.perQuery.get(q.label) ?? [];
      const theirs = baseline?.timings.perQuery.get(q.label) ?? [];
      console.log(
        `  ${q.label.padEnd(18)} ${String(ours.timings.totals.get(q.label)).padStart(7)} ${fixed(percentile(samples, 50)).padStart(8)} ${fixed(percentile(samples, 95)).padStart(8)}` +
          (baseline
            ? `  ${String(baseline.timings.totals.get(q.label)).padStart(12)} ${fixed(percentile(theirs, 50)).padStart(8)}`
            : ''),
      );
    }
    console.log(
      `\n  ours      p50 ${fixed(p50)} ms  p95 ${fixed(p95)} ms  (target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? 'met' : 'NOT met'})`,
    );
    const fields = [`index_s=${fixed(ours.indexSeconds, 1)}`, `p50_ms=${fixed(p50)}`, `p95_ms=${fixed(p95)}`];
    if (baseline) {
      const np50 = percentile(baseline.timings.all, 50);
      const np95 = percentile(baseline.timings.all, 95);
      console.log(
        `  notmuch   p50 ${fixed(np50)} ms  p95 ${fixed(np95)} ms  (process start alone ~${fixed(baseline.spawnMs)} ms)`,
      );
      console.log(
        `  ratio     p95 ours/notmuch ${fixed(p95 / np95)}, index ours/notmuch ${fixed(ours.indexSeconds / baseline.indexSeconds)}`,
      );
      fields.push(
        `notmuch_index_s=${fixed(baseline.indexSeconds, 1)}`,
        `notmuch_p50_ms=${fixed(np50)}`,
        `notmuch_p95_ms=${fixed(np95)}`,
      );
    } else {
      const why = hasNotmuch() ? 'skipped (--no-notmuch)' : 'not installed';
      console.log(`  notmuch   ${why}: no baseline this run`);
    }
    console.log(`RESULT search ${fields.join(' ')}`);
  } finally {
    if (!process.argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
    else console.log(`kept ${work}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
