import { existsSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sweepOrphanEmlFiles } from '../../../../src-main/store/orphan-eml-sweep';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';
import { newMessage, openStoreFixture, type StoreFixture } from './store-fixture';

/** Files written by "an earlier run": their times are set an hour back. */
const HOUR_MS = 60 * 60_000;

async function ageFile(file: string, ageMs = HOUR_MS): Promise<void> {
  const then = new Date(Date.now() - ageMs);
  await utimes(file, then, then);
}

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

describe('sweepOrphanEmlFiles (SqliteMailStore)', () => {
  let fixture: StoreFixture;
  beforeEach(async () => {
    fixture = await openStoreFixture();
  });
  afterEach(async () => {
    await fixture.dispose();
  });

  it('removes the files a crash left between write and commit, and keeps every file a row points to', async () => {
    const { store, inbox, dir } = fixture;
    const kept = await store.emlFiles.write(Buffer.from('Subject: kept\r\n\r\nstays\r\n'));
    store.messages.insert(newMessage(inbox, 1, { emlPath: kept }));
    // Written durably, then the process died before the row was committed.
    const orphan = await store.emlFiles.write(Buffer.from('Subject: orphan\r\n\r\nnobody points here\r\n'));
    // A write that died before its rename.
    const shardDir = path.dirname(store.emlFiles.absolutePath(orphan));
    const temp = path.join(shardDir, `.${'a'.repeat(32)}.tmp`);
    await writeFile(temp, 'half a mess');
    for (const file of [store.emlFiles.absolutePath(kept), store.emlFiles.absolutePath(orphan), temp]) {
      await ageFile(file);
    }

    const result = await store.sweepOrphanEmlFiles(Date.now());

    expect(result).toEqual({ removedFiles: 1, removedTempFiles: 1, failures: 0 });
    expect(await allFiles(path.join(dir.path, 'mail'))).toEqual([kept.slice('mail/'.length)]);
    await expect(store.emlFiles.read(kept)).resolves.toEqual(Buffer.from('Subject: kept\r\n\r\nstays\r\n'));
  });

  it('never touches a file written after the cutoff (a write whose row is about to be committed)', async () => {
    const { store } = fixture;
    const cutoff = Date.now() - HOUR_MS;
    const fresh = await store.emlFiles.write(Buffer.from('Subject: in flight\r\n\r\n'));
    const result = await store.sweepOrphanEmlFiles(cutoff);
    expect(result.removedFiles).toBe(0);
    expect(existsSync(store.emlFiles.absolutePath(fresh))).toBe(true);
  });

  it('leaves alone names it did not produce, anywhere in the data directory', async () => {
    const { store, dir } = fixture;
    const stranger = path.join(dir.path, 'mail', 'ab', 'notes.txt');
    const otherDir = path.join(dir.path, 'mail', 'backup', `${'b'.repeat(32)}.eml`);
    const outside = path.join(dir.path, `${'c'.repeat(32)}.eml`);
    await mkdir(path.dirname(stranger), { recursive: true });
    await mkdir(path.dirname(otherDir), { recursive: true });
    for (const file of [stranger, otherDir, outside]) {
      await writeFile(file, 'mine');
      await ageFile(file);
    }
    const result = await store.sweepOrphanEmlFiles(Date.now());
    expect(result).toEqual({ removedFiles: 0, removedTempFiles: 0, failures: 0 });
    for (const file of [stranger, otherDir, outside]) expect(existsSync(file)).toBe(true);
  });

  it('does nothing when no mail was ever stored', async () => {
    await expect(fixture.store.sweepOrphanEmlFiles(Date.now())).resolves.toEqual({
      removedFiles: 0,
      removedTempFiles: 0,
      failures: 0,
    });
  });
});

describe('sweepOrphanEmlFiles (any table with an eml_path column)', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await makeTempDir('estafeta-sweep-');
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('counts a file as referenced from every table that has an *eml_path column (an outbox, say)', async () => {
    const db = new Database(path.join(dir.path, 'test.db'));
    try {
      db.exec(`CREATE TABLE messages (id INTEGER PRIMARY KEY, eml_path TEXT NOT NULL);
               CREATE TABLE outbox (id INTEGER PRIMARY KEY, sent_eml_path TEXT);`);
      const name = (c: string): string => `mail/0f/${c.repeat(32)}.eml`;
      db.prepare('INSERT INTO messages (eml_path) VALUES (?), (?)').run(name('1'), '');
      db.prepare('INSERT INTO outbox (sent_eml_path) VALUES (?), (NULL)').run(name('2'));
      await mkdir(path.join(dir.path, 'mail', '0f'), { recursive: true });
      for (const c of ['1', '2', '3']) {
        const file = path.join(dir.path, ...name(c).split('/'));
        await writeFile(file, c);
        await ageFile(file);
      }
      const result = await sweepOrphanEmlFiles(db, dir.path, Date.now());
      expect(result.removedFiles).toBe(1);
      expect(await allFiles(path.join(dir.path, 'mail'))).toEqual([
        `0f/${'1'.repeat(32)}.eml`,
        `0f/${'2'.repeat(32)}.eml`,
      ]);
    } finally {
      db.close();
    }
  });
});
