import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../src-main/domain/errors';
import { closeDatabase, migrate, openDatabase, schemaVersion } from '../../../../src-main/store/db';
import { MIGRATIONS } from '../../../../src-main/store/migrations/index';
import { makeTempDir } from '../../../support/temp-dir';
import type { TempDir } from '../../../support/temp-dir';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir('estafeta-db-');
});
afterEach(async () => {
  await dir.remove();
});

const tableNames = (db: ReturnType<typeof openDatabase>): string[] =>
  db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type IN ('table') ORDER BY name")
    .all()
    .map((row) => row.name);

describe('openDatabase', () => {
  it('applies every migration and records the version in user_version', () => {
    const db = openDatabase(path.join(dir.path, 'a.db'));
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['accounts', 'folders', 'messages', 'folder_counts', 'messages_fts']),
    );
    closeDatabase(db);
  });

  it('is idempotent: reopening runs nothing twice and keeps the data', () => {
    const file = path.join(dir.path, 'b.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO accounts (kind, display_name, created_at) VALUES ('local', 'L', 1)").run();
    closeDatabase(first);
    const second = openDatabase(file);
    expect(migrate(second)).toBe(MIGRATIONS.at(-1)!.version);
    expect(second.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 1 });
    closeDatabase(second);
  });

  it('turns on WAL, foreign keys and a busy timeout', () => {
    const db = openDatabase(path.join(dir.path, 'c.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThan(0);
    closeDatabase(db);
  });

  it('rolls a failing migration back completely, version included', () => {
    const file = path.join(dir.path, 'd.db');
    const broken = [
      ...MIGRATIONS,
      { version: 99, name: '099-broken', sql: 'CREATE TABLE half (x); SELECT * FROM nope;' },
    ];
    expect(() => openDatabase(file, broken)).toThrow(MailError);
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(tableNames(db)).not.toContain('half');
    closeDatabase(db);
  });

  it('refuses a store written by a newer version instead of damaging it', () => {
    const file = path.join(dir.path, 'e.db');
    const db = openDatabase(file);
    db.pragma('user_version = 999');
    closeDatabase(db);
    expect(() => openDatabase(file)).toThrow(/newer version/);
  });

  it('reports a file that is not a database as STORE_CORRUPT', async () => {
    const { writeFile } = await import('node:fs/promises');
    const file = path.join(dir.path, 'junk.db');
    await writeFile(file, 'this is not sqlite'.repeat(100));
    try {
      openDatabase(file);
      expect.unreachable();
    } catch (error) {
      expect((error as MailError).code).toBe('STORE_CORRUPT');
    }
  });

  it('checkpoints the WAL on close', async () => {
    const { stat } = await import('node:fs/promises');
    const file = path.join(dir.path, 'f.db');
    const db = openDatabase(file);
    db.prepare("INSERT INTO accounts (kind, display_name, created_at) VALUES ('local', 'L', 1)").run();
    closeDatabase(db);
    const wal = await stat(`${file}-wal`).catch(() => null);
    expect(wal === null || wal.size === 0).toBe(true);
  });
});
