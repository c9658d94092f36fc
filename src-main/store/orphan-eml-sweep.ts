/**
 * Startup sweep of orphaned mail files. Every writer makes its .eml durable before the row that
 * points at it is committed (eml-files.ts), so a crash between the two leaves a file no row points
 * to: harmless, but it takes space for ever. A crash in the middle of a write leaves a hidden temp
 * file (`.<name>.tmp`) as well. This removes both, and nothing else:
 *   - only names EmlFiles itself produces, in its shard directories under <dataDir>/mail/;
 *   - only files last modified before `cutoffMs` (the app's start), so a file being written by
 *     this run, whose row is not committed yet, is never touched;
 *   - a file is "referenced" when any column named *eml_path of any table holds its path (the
 *     messages table and others, such as the outbox), read from the schema rather than listed
 *     here, so a table added later is covered without a change here.
 * Removing an orphan needs no directory fsync: if the removal is lost in a power cut, the file
 * is an orphan again and the next start removes it.
 */
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SqliteDatabase } from './db';
import { MAIL_DIR } from './eml-files';

const SHARD_NAME = /^[0-9a-f]{2}$/;
const EML_NAME = /^[0-9a-f]{32}\.eml$/;
const TEMP_NAME = /^\.[0-9a-f]{32}\.tmp$/;
/** SQL identifiers taken from the schema are used only when they look like plain names. */
const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface OrphanSweepResult {
  /** .eml files no row pointed to, removed. */
  removedFiles: number;
  /** Temp files of interrupted writes, removed. */
  removedTempFiles: number;
  /** Files that could not be examined or removed (left for the next start). */
  failures: number;
}

interface PathColumn {
  table: string;
  column: string;
}

/** Every (table, column) whose column name ends in eml_path. */
export function emlPathColumns(db: SqliteDatabase): PathColumn[] {
  const rows = db
    .prepare(
      `SELECT m.name AS "table", p.name AS "column"
         FROM sqlite_master AS m, pragma_table_info(m.name) AS p
        WHERE m.type = 'table' AND p.name LIKE '%eml_path'`,
    )
    .all() as PathColumn[];
  return rows.filter((row) => PLAIN_IDENTIFIER.test(row.table) && PLAIN_IDENTIFIER.test(row.column));
}

/** The relative paths (mail/ab/<name>.eml) some row points to. */
export function referencedEmlPaths(db: SqliteDatabase): Set<string> {
  const referenced = new Set<string>();
  for (const { table, column } of emlPathColumns(db)) {
    const statement = db.prepare(`SELECT "${column}" AS p FROM "${table}" WHERE "${column}" LIKE 'mail/%'`);
    for (const row of statement.iterate() as Iterable<{ p: unknown }>) {
      if (typeof row.p === 'string') referenced.add(row.p);
    }
  }
  return referenced;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return []; // no mail folder yet, or it went away: nothing to sweep
  }
}

/** Removes the file when it is older than the cutoff; true if it was removed. */
async function removeIfOlder(file: string, cutoffMs: number): Promise<boolean> {
  const info = await stat(file);
  if (!info.isFile() || info.mtimeMs >= cutoffMs) return false;
  await unlink(file);
  return true;
}

export async function sweepOrphanEmlFiles(
  db: SqliteDatabase,
  dataDir: string,
  cutoffMs: number,
): Promise<OrphanSweepResult> {
  const result: OrphanSweepResult = { removedFiles: 0, removedTempFiles: 0, failures: 0 };
  const referenced = referencedEmlPaths(db);
  const mailDir = path.join(dataDir, MAIL_DIR);
  for (const shard of await namesIn(mailDir)) {
    if (!SHARD_NAME.test(shard)) continue;
    for (const name of await namesIn(path.join(mailDir, shard))) {
      const isEml = EML_NAME.test(name);
      if (!isEml && !TEMP_NAME.test(name)) continue;
      if (isEml && referenced.has(`${MAIL_DIR}/${shard}/${name}`)) continue;
      try {
        if (!(await removeIfOlder(path.join(mailDir, shard, name), cutoffMs))) continue;
        if (isEml) result.removedFiles += 1;
        else result.removedTempFiles += 1;
      } catch {
        result.failures += 1;
      }
    }
  }
  return result;
}
