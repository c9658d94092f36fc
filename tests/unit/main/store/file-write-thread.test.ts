// The worker thread that creates cache files (IMAP bodies) off the event loop: every byte lands,
// only the view's bytes, a file is never overwritten, failures keep their system code, and a
// closed or lost worker fails its writes and is replaced on the next one.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toStorageError } from '../../../../src-main/store/eml-files';
import { FileWriteError, FileWriteThread } from '../../../../src-main/store/file-write-thread';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

let dir: TempDir;
let thread: FileWriteThread;

beforeEach(async () => {
  dir = await makeTempDir('estafeta-write-thread-');
  thread = new FileWriteThread();
});

afterEach(async () => {
  await thread.close();
  await dir.remove();
});

/** Deterministic content of `size` bytes, different per index. */
function content(index: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (index * 31 + i * 7) & 0xff;
  return bytes;
}

describe('FileWriteThread', () => {
  it('writes many files at once, each byte for byte, readable by the owner only', async () => {
    const sizes = Array.from({ length: 300 }, (_, i) => (i * 977) % 70_000);
    const files = sizes.map((size, i) => ({ file: path.join(dir.path, `${i}.eml`), data: content(i, size) }));
    // Handed over: what the caller passed may be moved to the worker, so compare with copies.
    const expected = files.map(({ data }) => Buffer.from(data));
    await Promise.all(files.map(({ file, data }) => thread.write(file, data)));
    for (const [index, { file }] of files.entries()) {
      expect((await readFile(file)).equals(expected[index]!)).toBe(true);
      if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    }
  });

  it("writes only a view's bytes, and the caller may reuse its buffer once write() returned", async () => {
    const backing = content(1, 10_000);
    const view = backing.subarray(2_000, 2_500);
    const expected = Buffer.from(view);
    const file = path.join(dir.path, 'view.eml');
    const written = thread.write(file, view);
    backing.fill(0);
    await written;
    expect((await readFile(file)).equals(expected)).toBe(true);
  });

  it('moves a buffer that is all its own instead of copying it', async () => {
    const owned = Buffer.from(new Uint8Array(64 * 1024).fill(7).buffer);
    const file = path.join(dir.path, 'moved.eml');
    const written = thread.write(file, owned);
    await written;
    expect(owned.byteLength).toBe(0); // detached: its memory went to the worker
    expect((await readFile(file)).equals(Buffer.alloc(64 * 1024, 7))).toBe(true);
  });

  it('never overwrites an existing file and reports EEXIST', async () => {
    const file = path.join(dir.path, 'taken.eml');
    await writeFile(file, 'first');
    const error = await thread.write(file, Buffer.from('second')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).code).toBe('EEXIST');
    expect(await readFile(file, 'utf8')).toBe('first');
  });

  it('fails a write into a missing folder with its code, and the others of the batch still land', async () => {
    const good = path.join(dir.path, 'good.eml');
    const bad = path.join(dir.path, 'missing', 'bad.eml');
    const [badResult, goodResult] = await Promise.allSettled([
      thread.write(bad, Buffer.from('x')),
      thread.write(good, Buffer.from('y')),
    ]);
    expect(badResult.status).toBe('rejected');
    expect(((badResult as PromiseRejectedResult).reason as FileWriteError).code).toBe('ENOENT');
    expect(goodResult.status).toBe('fulfilled');
    expect(await readFile(good, 'utf8')).toBe('y');
  });

  it("keeps the system code so a full disk becomes the store's DISK_FULL error", () => {
    const error = toStorageError(new FileWriteError('ENOSPC: no space left on device, write', 'ENOSPC'));
    expect(error.code).toBe('DISK_FULL');
  });

  it('fails writes still waiting when closed, then starts a new worker for the next write', async () => {
    const pending = Array.from({ length: 20 }, (_, i) =>
      thread.write(path.join(dir.path, `p${i}.eml`), content(i, 50_000)),
    );
    await thread.close();
    const outcomes = await Promise.allSettled(pending);
    // Some may have been written before the close; none is left hanging.
    expect(outcomes).toHaveLength(20);
    const file = path.join(dir.path, 'after.eml');
    await thread.write(file, Buffer.from('after close'));
    expect(await readFile(file, 'utf8')).toBe('after close');
  });
});
