/**
 * Raw messages as .eml files under <dataDir>/mail/, written so that a crash or a full disk never
 * leaves a half-written message behind a row: write a temp file in the target directory, fsync
 * it, rename it into place (atomic within a directory on POSIX and NTFS), then fsync the directory
 * so the rename itself survives a power cut. Only then may the caller commit the row that points
 * at the file. The one exception is asked for by name: a cache batch (beginBatch cacheOnly) for
 * copies whose original lives on a server, which its caller checks on open and fetches again.
 * The file system is injectable so tests can make the disk fill up on demand.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { MailError } from '../domain/errors';
import { fileWriteThread } from './file-write-thread';

export interface WritableFile {
  write(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The few file operations the store needs; nodeEmlFileSystem is the real one. */
export interface EmlFileSystem {
  /** Creates the directory and missing parents; returns the first directory created, if any. */
  mkdirs(dir: string): Promise<string | undefined>;
  /** Opens a new file for writing; fails if it exists (O_CREAT | O_EXCL). */
  createExclusive(file: string): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  syncDirectory(dir: string): Promise<void>;
  readFile(file: string): Promise<Buffer>;
  /**
   * Creates a new file (O_CREAT | O_EXCL) holding `data`, without fsync, in as few steps as the
   * platform allows: the cache path (beginBatch cacheOnly) writes thousands of these per sync, and
   * a batch made durable by a file-system flush (beginBatch flushFileSystem, POP3) as many.
   * `data` is handed over (the real one moves it to a writer thread): not used after the call.
   * Absent in test doubles, where createExclusive is used instead.
   */
  writeNewFile?(file: string, data: Uint8Array): Promise<void>;
  /** The file's length in bytes (stat); absent in test doubles, where the file is read instead. */
  fileSize?(file: string): Promise<number>;
  /**
   * Flushes everything written to the file system that holds `dir` (Linux syncfs(2)): one flush
   * for a whole batch of files instead of one fsync each. Absent where there is no such call.
   */
  syncFileSystem?(dir: string): Promise<void>;
  /** Fsyncs one existing file: what a batch falls back to where syncFileSystem fails. */
  syncFile?(file: string): Promise<void>;
}

export const MAIL_DIR = 'mail';
/**
 * The eml_path of a message whose body is still on the server (an IMAP message synced as headers
 * only, 003-imap-sync.sql): there is no file; the IMAP engine's ensureBody downloads it.
 */
export const HEADERS_ONLY_EML_PATH = '';
/** 256 shard directories: a million messages are ~4,000 files per directory, fine on every file system. */
const SHARD_BYTES = 1;
const NAME_BYTES = 16;
const EML_PATH = /^mail\/[0-9a-f]{2}\/[0-9a-f]{32}\.eml$/;
/** A file-system flush that takes longer than this is treated as failed. */
const SYNC_FS_TIMEOUT_MS = 120_000;
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);
/** Errors meaning "this file system cannot fsync a directory", not "the data is at risk". */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EBADF']);

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * The real file system. The short calls (open, write, rename, unlink, stat, and reads and writes
 * of one message) are synchronous on purpose: each asynchronous fs call is a round trip through
 * libuv's thread pool, and on virtual machines waking a pool thread costs more than the call
 * itself (measured on a 2-core VM: 1.17 ms per small file written with awaited fs.writeFile, 0.055
 * ms with writeFileSync). A sync takes tens of microseconds for a message in the page cache and
 * thousands of them run per sync, so blocking that briefly beats waiting for the pool. Only the
 * calls that wait for the disk itself (fsync, syncfs) go through the pool, where they belong, and
 * files created in bulk without fsync (writeNewFile) go to a writer thread of their own
 * (file-write-thread.ts), which takes many per round trip.
 */
export const nodeEmlFileSystem: EmlFileSystem = {
  mkdirs: (dir) => mkdir(dir, { recursive: true }),
  async createExclusive(file) {
    const fd = fs.openSync(file, 'wx', 0o600);
    return {
      async write(data) {
        let offset = 0;
        while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
      },
      sync: () => fsync(fd),
      close: async () => fs.closeSync(fd),
    };
  },
  rename: async (from, to) => fs.renameSync(from, to),
  unlink: async (file) => fs.unlinkSync(file),
  async syncDirectory(dir) {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if (process.platform === 'win32') return;
    let handle;
    try {
      handle = await open(dir, 'r');
      await handle.sync();
    } catch (error) {
      if (!DIRECTORY_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
    } finally {
      await handle?.close();
    }
  },
  readFile: async (file) => fs.readFileSync(file),
  fileSize: async (file) => fs.statSync(file).size,
  // Cache files by the thousand (IMAP bodies): created on a worker thread, see file-write-thread.ts.
  writeNewFile: (file, data) => fileWriteThread.write(file, data),
  async syncFile(file) {
    const handle = await open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  // coreutils `sync -f` is syncfs(2), which Node does not expose.
  syncFileSystem:
    process.platform === 'linux'
      ? (dir) =>
          new Promise<void>((resolve, reject) => {
            execFile('sync', ['-f', dir], { timeout: SYNC_FS_TIMEOUT_MS }, (error) =>
              error ? reject(error) : resolve(),
            );
          })
      : undefined,
};

function fsync(fd: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    fs.fsync(fd, (error) => (error ? reject(error) : resolve()));
  });
}

/** ENOSPC/EDQUOT -> DISK_FULL; anything else -> INTERNAL with the system's words in detail. */
export function toStorageError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code !== undefined && DISK_FULL_CODES.has(code)) {
    return new MailError(
      'DISK_FULL',
      'The disk is full, so the message could not be saved. Free some space and try again.',
      {
        detail,
        cause: error,
      },
    );
  }
  return new MailError('INTERNAL', 'The message could not be saved to disk.', { detail, cause: error });
}

async function ignoreFailure(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch {
    // Cleanup after a failure: the original error is the one worth reporting.
  }
}

export class EmlFiles {
  private readonly mailDir: string;
  /** Directories made durable in this process; concurrent writers share one creation. */
  private readonly durableDirectories = new Map<string, Promise<void>>();

  constructor(
    readonly dataDir: string,
    private readonly fs: EmlFileSystem = nodeEmlFileSystem,
  ) {
    this.mailDir = path.join(dataDir, MAIL_DIR);
  }

  /** Writes one message durably (file and directory entry) and returns its relative path. */
  async write(raw: Uint8Array): Promise<string> {
    const shard = randomShard();
    const relPath = await this.writeInShard(shard, raw);
    try {
      await this.fs.syncDirectory(this.shardDir(shard));
    } catch (error) {
      await ignoreFailure(this.fs.unlink(this.absolutePath(relPath)));
      throw toStorageError(error);
    }
    return relPath;
  }

  /**
   * For imports: files of one batch share a shard directory, so the directory is fsynced once per
   * batch (in flush) instead of once per message. Commit rows only after flush() resolved.
   */
  beginBatch(options: { flushFileSystem?: boolean; cacheOnly?: boolean } = {}): EmlWriteBatch {
    // cacheOnly: a copy whose original stays elsewhere (an IMAP body: the server keeps it). Nothing
    // is fsynced; after a power cut such a file may be short or missing, so its reader must check
    // it (EmlFiles.size against the length it recorded) and fetch it again. Never for mail that
    // exists only here (POP3 after DELE, imports, drafts): those keep the default.
    if (options.cacheOnly === true) return new EmlWriteBatch(this, randomShard(), 'none');
    // flushFileSystem: files are not fsynced one by one; flush() syncs the whole file system once
    // (where it can), which is several times faster for many small files on most disks.
    const deferred = options.flushFileSystem === true && this.fs.syncFileSystem !== undefined;
    return new EmlWriteBatch(this, randomShard(), deferred ? 'file-system' : 'each-file');
  }

  /** The stored file's length in bytes; null when it is missing (or only headers are here). */
  async size(relPath: string): Promise<number | null> {
    if (relPath === HEADERS_ONLY_EML_PATH) return null;
    const file = this.absolutePath(relPath);
    try {
      return this.fs.fileSize ? await this.fs.fileSize(file) : (await this.fs.readFile(file)).length;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw new MailError('INTERNAL', 'The stored copy of this message could not be read.', {
        detail: error instanceof Error ? error.message : String(error),
        cause: error,
      });
    }
  }

  async read(relPath: string): Promise<Buffer> {
    if (relPath === HEADERS_ONLY_EML_PATH) {
      throw new MailError('NOT_FOUND', 'Only the headers of this message have been downloaded so far.', {
        detail: 'headers only',
      });
    }
    try {
      return await this.fs.readFile(this.absolutePath(relPath));
    } catch (error) {
      if (error instanceof MailError) throw error;
      if (errorCode(error) === 'ENOENT') {
        throw new MailError('NOT_FOUND', 'The stored copy of this message is missing.', { detail: relPath });
      }
      throw new MailError('INTERNAL', 'The stored copy of this message could not be read.', {
        detail: error instanceof Error ? error.message : String(error),
        cause: error,
      });
    }
  }

  /** Deletes a stored message file; a file that is already gone is not an error. */
  async remove(relPath: string): Promise<void> {
    if (relPath === HEADERS_ONLY_EML_PATH) return; // headers only: there was never a file
    try {
      await this.fs.unlink(this.absolutePath(relPath));
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw toStorageError(error);
    }
  }

  /** Only paths this class produced are accepted: a damaged row cannot point outside mail/. */
  absolutePath(relPath: string): string {
    if (!EML_PATH.test(relPath)) {
      throw new MailError('STORE_CORRUPT', 'The mail store points at a file outside its mail folder.', {
        detail: relPath,
      });
    }
    return path.join(this.dataDir, ...relPath.split('/'));
  }

  /**
   * @internal temp file, fsync, rename; the caller syncs the directory. Without syncFile (a cache
   * file, or a batch the file system is flushed for) it is written in place in one step, nothing synced.
   */
  async writeInShard(shard: string, raw: Uint8Array, syncFile = true): Promise<string> {
    const dir = this.shardDir(shard);
    await this.ensureDirectory(dir);
    // randomUUID draws from a pooled entropy cache (122 random bits, 32 hex digits without its
    // dashes); randomBytes asks the system for every name, which shows across a sync's thousands.
    const name = syncFile ? randomBytes(NAME_BYTES).toString('hex') : randomUUID().replaceAll('-', '');
    const relPath = `${MAIL_DIR}/${shard}/${name}.eml`;
    const finalPath = path.join(dir, `${name}.eml`);
    // Without its own fsync the file is only made durable by the batch's flush, and no row points
    // at it before that; a crash in between leaves an unreferenced file (the orphan sweep's job),
    // so the temp name and rename would buy nothing.
    const tempPath = syncFile ? path.join(dir, `.${name}.tmp`) : finalPath;
    let file: WritableFile | undefined;
    try {
      // A file not fsynced here (a cache file, or one the batch's file-system flush makes durable)
      // is created in one step on the file writer's thread, not on this one (file-write-thread.ts).
      if (!syncFile && this.fs.writeNewFile) {
        await this.fs.writeNewFile(finalPath, raw);
        return relPath;
      }
      file = await this.fs.createExclusive(tempPath);
      await file.write(raw);
      if (syncFile) await file.sync();
      await file.close();
      file = undefined;
      if (tempPath !== finalPath) await this.fs.rename(tempPath, finalPath);
      return relPath;
    } catch (error) {
      if (file) await ignoreFailure(file.close());
      await ignoreFailure(this.fs.unlink(tempPath));
      throw toStorageError(error);
    }
  }

  /** @internal */
  shardDir(shard: string): string {
    return path.join(this.mailDir, shard);
  }

  /**
   * @internal Where the file-system flush fails (`sync` missing or too old, a sandbox refusing it),
   * the batch's files are fsynced one by one and then their directory: slower, never less safe. A
   * real write-back error (EIO, ENOSPC) fails the per-file fsync too and is reported as such.
   */
  async syncFilesOf(shard: string, relPaths: readonly string[], flushError: unknown): Promise<void> {
    const syncFile = this.fs.syncFile;
    if (!syncFile) throw toStorageError(flushError);
    try {
      for (const relPath of relPaths) await syncFile(this.absolutePath(relPath));
      await this.fs.syncDirectory(this.shardDir(shard));
    } catch (error) {
      throw toStorageError(error);
    }
  }

  /** @internal */
  async syncShard(shard: string, wholeFileSystem = false): Promise<void> {
    try {
      const dir = this.shardDir(shard);
      if (wholeFileSystem && this.fs.syncFileSystem) await this.fs.syncFileSystem(dir);
      else await this.fs.syncDirectory(dir);
    } catch (error) {
      throw toStorageError(error);
    }
  }

  private ensureDirectory(dir: string): Promise<void> {
    let ready = this.durableDirectories.get(dir);
    if (!ready) {
      ready = this.createDurably(dir);
      this.durableDirectories.set(dir, ready);
      ready.catch(() => this.durableDirectories.delete(dir));
    }
    return ready;
  }

  private async createDurably(dir: string): Promise<void> {
    try {
      const created = await this.fs.mkdirs(dir);
      // A new directory's own entry must be durable too: sync each parent that gained one.
      if (created !== undefined) {
        const topmostParent = path.dirname(created);
        for (let parent = path.dirname(dir); ; parent = path.dirname(parent)) {
          await this.fs.syncDirectory(parent);
          if (parent === topmostParent || parent === path.dirname(parent)) break;
        }
      }
    } catch (error) {
      throw toStorageError(error);
    }
  }
}

/**
 * How a batch makes its files durable: an fsync per file and one directory fsync (the default),
 * one file-system flush for the whole batch, or not at all (a cache, see beginBatch).
 */
export type EmlDurability = 'each-file' | 'file-system' | 'none';

export class EmlWriteBatch {
  private readonly written: string[] = [];

  constructor(
    private readonly files: EmlFiles,
    private readonly shard: string,
    private readonly durability: EmlDurability = 'each-file',
  ) {}

  /**
   * Writes (and fsyncs) the file; durable as a directory entry only after flush(). A cache batch
   * and a file-system-flush batch hand `raw` over to the file system (writeNewFile): the caller
   * must not use it afterwards.
   */
  async write(raw: Uint8Array): Promise<string> {
    const relPath = await this.files.writeInShard(this.shard, raw, this.durability === 'each-file');
    this.written.push(relPath);
    return relPath;
  }

  get size(): number {
    return this.written.length;
  }

  /** Makes every rename of the batch durable with one directory fsync (or one file-system flush). */
  async flush(): Promise<void> {
    if (this.written.length === 0 || this.durability === 'none') return;
    if (this.durability === 'each-file') {
      await this.files.syncShard(this.shard);
      return;
    }
    try {
      await this.files.syncShard(this.shard, true);
    } catch (error) {
      await this.files.syncFilesOf(this.shard, this.written, error);
    }
  }

  /** Removes the batch's files (when their rows will not be committed). */
  async discard(): Promise<void> {
    for (const relPath of this.written.splice(0)) await ignoreFailure(this.files.remove(relPath));
  }
}

function randomShard(): string {
  return randomBytes(SHARD_BYTES).toString('hex');
}
