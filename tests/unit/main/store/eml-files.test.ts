import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../src-main/domain/errors';
import { EmlFiles, nodeEmlFileSystem } from '../../../../src-main/store/eml-files';
import type { EmlFileSystem } from '../../../../src-main/store/eml-files';
import { makeTempDir } from '../../../support/temp-dir';
import type { TempDir } from '../../../support/temp-dir';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir('estafeta-eml-');
});
afterEach(async () => {
  await dir.remove();
});

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

const enospc = (): Error =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** The real file system, except that writes stop after `bytesBeforeFull` bytes with ENOSPC. */
function fillingFileSystem(bytesBeforeFull: number): EmlFileSystem & { syncedDirectories: string[] } {
  let left = bytesBeforeFull;
  const syncedDirectories: string[] = [];
  return {
    ...nodeEmlFileSystem,
    syncedDirectories,
    async syncDirectory(dirPath) {
      syncedDirectories.push(dirPath);
      await nodeEmlFileSystem.syncDirectory(dirPath);
    },
    async createExclusive(file) {
      const real = await nodeEmlFileSystem.createExclusive(file);
      return {
        async write(data) {
          const fits = Math.max(0, Math.min(left, data.length));
          if (fits > 0) await real.write(data.subarray(0, fits));
          left -= fits;
          if (fits < data.length) throw enospc();
        },
        sync: () => real.sync(),
        close: () => real.close(),
      };
    },
  };
}

describe('EmlFiles', () => {
  it('writes a message under mail/<shard>/ and reads it back byte for byte, leaving no temp file', async () => {
    const files = new EmlFiles(dir.path);
    const raw = Buffer.from('Subject: hi\r\n\r\nbody \u00e9\r\n', 'utf8');
    const relPath = await files.write(raw);
    expect(relPath).toMatch(/^mail\/[0-9a-f]{2}\/[0-9a-f]{32}\.eml$/);
    expect(await files.read(relPath)).toEqual(raw);
    const onDisk = await allFiles(path.join(dir.path, 'mail'));
    expect(onDisk).toEqual([path.join(dir.path, ...relPath.split('/'))]);
  });

  it('fsyncs the shard directory after the rename, and new parents once', async () => {
    const fileSystem = fillingFileSystem(Number.POSITIVE_INFINITY);
    const files = new EmlFiles(dir.path, fileSystem);
    const relPath = await files.write(Buffer.from('x'));
    const shardDir = path.join(dir.path, 'mail', relPath.split('/')[1]!);
    expect(fileSystem.syncedDirectories.at(-1)).toBe(shardDir);
    expect(fileSystem.syncedDirectories).toContain(path.join(dir.path, 'mail'));
    expect(fileSystem.syncedDirectories).toContain(dir.path);
  });

  it('turns ENOSPC into DISK_FULL and leaves no partial file behind', async () => {
    const files = new EmlFiles(dir.path, fillingFileSystem(10));
    const error = await files.write(Buffer.alloc(4096, 0x41)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('DISK_FULL');
    expect((error as MailError).message).toMatch(/disk is full/i);
    expect(await allFiles(path.join(dir.path, 'mail'))).toEqual([]);
  });

  it('treats EDQUOT (over the user quota) as a full disk too', async () => {
    const fileSystem: EmlFileSystem = {
      ...nodeEmlFileSystem,
      async createExclusive(file) {
        const real = await nodeEmlFileSystem.createExclusive(file);
        return {
          ...real,
          sync: () => Promise.reject(Object.assign(new Error('EDQUOT'), { code: 'EDQUOT' })),
        };
      },
    };
    const files = new EmlFiles(dir.path, fileSystem);
    await expect(files.write(Buffer.from('abc'))).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(await allFiles(path.join(dir.path, 'mail'))).toEqual([]);
  });

  it('removes the renamed file when the directory cannot be synced', async () => {
    const fileSystem: EmlFileSystem = { ...nodeEmlFileSystem, syncDirectory: () => Promise.reject(enospc()) };
    const files = new EmlFiles(dir.path, fileSystem);
    await expect(files.write(Buffer.from('abc'))).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(await allFiles(path.join(dir.path, 'mail'))).toEqual([]);
  });

  it('batches: files share one shard and its directory is synced once on flush', async () => {
    const fileSystem = fillingFileSystem(Number.POSITIVE_INFINITY);
    const files = new EmlFiles(dir.path, fileSystem);
    await files.write(Buffer.from('warm up')); // creates mail/
    const batch = files.beginBatch();
    const paths = await Promise.all([1, 2, 3].map((n) => batch.write(Buffer.from(`message ${n}`))));
    const shards = new Set(paths.map((p) => p.split('/')[1]));
    expect(shards.size).toBe(1);
    const syncsBefore = fileSystem.syncedDirectories.length;
    await batch.flush();
    expect(fileSystem.syncedDirectories.length - syncsBefore).toBe(1);
    expect((await files.read(paths[2]!)).toString()).toBe('message 3');
    await batch.discard();
    await expect(files.read(paths[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses paths that do not look like its own, so a bad row cannot reach outside mail/', async () => {
    const files = new EmlFiles(dir.path);
    for (const bad of ['../estafeta.db', 'mail/../../etc/passwd', '/etc/passwd', 'mail/ab/x.eml']) {
      await expect(files.read(bad)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    }
  });

  it('remove deletes the file and accepts one that is already gone', async () => {
    const files = new EmlFiles(dir.path);
    const relPath = await files.write(Buffer.from('bye'));
    await files.remove(relPath);
    await files.remove(relPath);
    await expect(readFile(path.join(dir.path, relPath))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('a batch made durable with one file-system flush', () => {
  /** The real file system whose `sync -f` fails as on a system without it; syncFile as given. */
  function withoutFlush(syncFile: EmlFileSystem['syncFile']): EmlFileSystem {
    const unrecognized = Object.assign(new Error("sync: unrecognized option '-f'"), { code: 1 });
    return {
      ...nodeEmlFileSystem,
      syncFileSystem: () => Promise.reject(unrecognized),
      syncFile,
    };
  }

  it('falls back to an fsync per file, then the directory, where the flush fails', async () => {
    const synced: string[] = [];
    const files = new EmlFiles(
      dir.path,
      withoutFlush(async (file) => {
        synced.push(file);
        await nodeEmlFileSystem.syncFile?.(file);
      }),
    );
    const batch = files.beginBatch({ flushFileSystem: true });
    const written = [await batch.write(Buffer.from('a\r\n')), await batch.write(Buffer.from('b\r\n'))];
    await batch.flush();
    expect(synced).toEqual(written.map((relPath) => files.absolutePath(relPath)));
    expect(await files.read(written[1] ?? '')).toEqual(Buffer.from('b\r\n'));
  });

  it('reports a full disk that the per-file fsync finds', async () => {
    const files = new EmlFiles(
      dir.path,
      withoutFlush(() => Promise.reject(enospc())),
    );
    const batch = files.beginBatch({ flushFileSystem: true });
    await batch.write(Buffer.from('a\r\n'));
    const error = await batch.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('DISK_FULL');
  });

  it('fails as a storage error when there is no way to fsync a file either', async () => {
    const files = new EmlFiles(dir.path, withoutFlush(undefined));
    const batch = files.beginBatch({ flushFileSystem: true });
    await batch.write(Buffer.from('a\r\n'));
    const error = await batch.flush().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('INTERNAL');
    expect((error as MailError).message).toBe('The message could not be saved to disk.');
  });
});
