/**
 * Generating the search benchmark's 100,000 messages takes minutes; the store they make, before
 * anything is indexed, depends only on (size, seed, schema version) and the code that generates and
 * stores them (hashed into the key, so an edit there builds afresh). So a built corpus is kept in
 * the temp directory under that key, and a later run copies its database (closed, so one file) and
 * links its read-only mail folder: the timed index build then starts from exactly the state a fresh
 * build leaves (every message in search_pending) and does exactly the same work.
 * `--no-cache` builds afresh and leaves the cache alone.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_FILE } from '../../src-main/store/mail-store';
import { MIGRATIONS } from '../../src-main/store/migrations/index';
import { buildSearchCorpus, type SearchCorpus } from './search-corpus';

const SEED = 7;
const CACHE_ROOT = path.join(tmpdir(), 'estafeta-bench-search-cache');
const META_FILE = 'corpus.json';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The code a cached corpus was made by: the generator, the corpus builder, ingest and MIME parsing. */
const CORPUS_SOURCES = [
  'bench/support/search-corpus.ts',
  'src-main/sync/message-ingest.ts',
  'src-main/store/messages-repo.ts',
  ...filesIn('bench/support/mail-generator'),
  ...filesIn('src-main/mime'),
];

function filesIn(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => `${dir}/${file}`);
}

function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const file of CORPUS_SOURCES) hash.update(file).update(readFileSync(path.join(ROOT, file)));
  return hash.digest('hex').slice(0, 12);
}

type CorpusMeta = Omit<SearchCorpus, 'mailDir'>;

export interface CorpusOptions {
  useCache: boolean;
}

/** The corpus in `dataDir` (created here), built or copied from the cache; and whether it was cached. */
export async function searchCorpusFor(
  dataDir: string,
  count: number,
  options: CorpusOptions,
): Promise<SearchCorpus & { fromCache: boolean }> {
  if (!options.useCache) return { ...(await buildSearchCorpus(dataDir, count, SEED)), fromCache: false };
  const schema = MIGRATIONS.at(-1)?.version ?? 0;
  const cacheDir = path.join(CACHE_ROOT, `${count}-seed${SEED}-schema${schema}-${sourcesHash()}`);
  const metaFile = path.join(cacheDir, META_FILE);
  let fromCache = true;
  if (!existsSync(metaFile)) {
    fromCache = false;
    // Built under a temporary name and renamed when complete: an interrupted build is never used.
    const building = `${cacheDir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const corpus = await buildSearchCorpus(building, count, SEED);
    const meta: CorpusMeta = {
      messages: corpus.messages,
      bytes: corpus.bytes,
      rareInvoiceNumber: corpus.rareInvoiceNumber,
    };
    writeFileSync(path.join(building, META_FILE), JSON.stringify(meta));
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(CACHE_ROOT, { recursive: true });
    renameSync(building, cacheDir);
  }
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CorpusMeta;
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(path.join(cacheDir, DATABASE_FILE), path.join(dataDir, DATABASE_FILE));
  const mailDir = path.join(cacheDir, 'mail');
  symlinkSync(mailDir, path.join(dataDir, 'mail'), 'dir');
  return { ...meta, mailDir, fromCache };
}
