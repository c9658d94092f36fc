import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileKeyVault, FILE_VAULT_FILE_NAME } from '../../../../../src-main/accounts/vault/file-key-vault';
import { defaultKeyDir, keyFilePath } from '../../../../../src-main/accounts/vault/vault-key';
import { MailError } from '../../../../../src-main/domain/errors';
import { makeTempDir, type TempDir } from '../../../../support/temp-dir';
import { filesLeaking, filesUnder } from './vault-files';

const SECRET = 'correct horse battery staple ñ';
let root: TempDir;
let dataDir: string;
let keyDir: string;

beforeEach(async () => {
  root = await makeTempDir('estafeta-vault-');
  dataDir = join(root.path, 'data');
  keyDir = join(root.path, 'state', 'estafeta', 'keys');
});
afterEach(async () => {
  await root.remove();
});

const vault = (): FileKeyVault => new FileKeyVault({ dataDir, keyDir });
const vaultPath = (): string => join(dataDir, FILE_VAULT_FILE_NAME);
const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

async function storeCorrupt(promise: Promise<unknown>): Promise<MailError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MailError);
  expect((error as MailError).code).toBe('STORE_CORRUPT');
  expect(JSON.stringify(error)).not.toContain(SECRET);
  expect((error as MailError).message).not.toContain(SECRET);
  return error as MailError;
}

async function sealed(): Promise<{ entries: Record<string, { iv: string; tag: string; data: string }> }> {
  return JSON.parse(await readFile(vaultPath(), 'utf8')) as {
    entries: Record<string, { iv: string; tag: string; data: string }>;
  };
}

describe('FileKeyVault (browser mode)', () => {
  it('gives back what was stored, per key, and null for unknown keys', async () => {
    await vault().set('account:1:password', SECRET);
    await vault().set('account:2:password', 'other');
    await vault().set('account:2:password', 'replaced');
    const fresh = vault();
    expect(await fresh.get('account:1:password')).toBe(SECRET);
    expect(await fresh.get('account:2:password')).toBe('replaced');
    expect(await fresh.get('account:3:password')).toBeNull();
  });

  it('never writes the secret, in any encoding, to any file under the data directory', async () => {
    await vault().set('account:1:password', SECRET);
    expect(await filesUnder(dataDir)).toEqual([vaultPath()]);
    expect(await filesLeaking(dataDir, SECRET)).toEqual([]);
    expect(await filesLeaking(keyDir, SECRET)).toEqual([]);
  });

  it('keeps the key outside the data directory, private, in a private directory', async () => {
    await vault().set('k', SECRET);
    const keyPath = keyFilePath(keyDir, dataDir);
    expect(keyPath.startsWith(keyDir)).toBe(true);
    expect(keyPath).toMatch(/[0-9a-f]{16}\.key$/);
    expect((await readFile(keyPath)).length).toBe(32);
    expect(await mode(keyPath)).toBe(0o600);
    expect(await mode(keyDir)).toBe(0o700);
    expect(await mode(vaultPath())).toBe(0o600);
    // No temp files are left behind by the atomic writes.
    expect((await filesUnder(root.path)).filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a key directory inside the data directory', () => {
    expect(() => new FileKeyVault({ dataDir, keyDir: join(dataDir, 'keys') })).toThrow(MailError);
    expect(() => new FileKeyVault({ dataDir, keyDir: dataDir })).toThrow(MailError);
  });

  it('uses a fresh random IV for every entry', async () => {
    await vault().set('a', SECRET);
    await vault().set('b', SECRET);
    const { entries } = await sealed();
    expect(entries['a']?.iv).not.toBe(entries['b']?.iv);
    expect(entries['a']?.data).not.toBe(entries['b']?.data);
    expect(Buffer.from(entries['a']?.iv ?? '', 'base64')).toHaveLength(12);
  });

  it('forgets a secret on delete, even when the key is gone', async () => {
    await vault().set('a', SECRET);
    await vault().set('b', 'kept');
    await vault().delete('a');
    await vault().delete('never-stored');
    expect(await vault().get('a')).toBeNull();
    expect(await vault().get('b')).toBe('kept');
    await rm(keyFilePath(keyDir, dataDir));
    await vault().delete('b');
    expect((await sealed()).entries).toEqual({});
  });

  it('detects a tampered ciphertext, tag or IV, without returning anything decrypted', async () => {
    await vault().set('a', SECRET);
    const original = await readFile(vaultPath(), 'utf8');
    for (const field of ['data', 'tag', 'iv'] as const) {
      const file = JSON.parse(original) as Awaited<ReturnType<typeof sealed>>;
      const entry = file.entries['a'];
      if (entry === undefined) throw new Error('entry missing');
      const bytes = Buffer.from(entry[field], 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      entry[field] = bytes.toString('base64');
      await writeFile(vaultPath(), JSON.stringify(file));
      await storeCorrupt(vault().get('a'));
    }
  });

  it('detects entries swapped between keys', async () => {
    await vault().set('a', SECRET);
    await vault().set('b', 'other');
    const file = await sealed();
    [file.entries['a'], file.entries['b']] = [file.entries['b']!, file.entries['a']!];
    await writeFile(vaultPath(), JSON.stringify(file));
    await storeCorrupt(vault().get('a'));
  });

  it('reports a damaged vault file as STORE_CORRUPT', async () => {
    await vault().set('a', SECRET);
    await writeFile(vaultPath(), '{"version":1,"entries":');
    await storeCorrupt(vault().get('a'));
    await writeFile(vaultPath(), '{"version":99,"entries":{}}');
    await storeCorrupt(vault().get('a'));
    await writeFile(vaultPath(), '{"version":1,"entries":{"a":{"iv":1}}}');
    await storeCorrupt(vault().get('a'));
  });

  it('reports a wrong key as STORE_CORRUPT', async () => {
    await vault().set('a', SECRET);
    await writeFile(keyFilePath(keyDir, dataDir), randomBytes(32));
    await storeCorrupt(vault().get('a'));
    await writeFile(keyFilePath(keyDir, dataDir), randomBytes(16));
    expect((await storeCorrupt(vault().get('a'))).message).toMatch(/damaged/);
  });

  it('says clearly that the key is missing, and does not replace it behind the user\u2019s back', async () => {
    await vault().set('a', SECRET);
    const keyPath = keyFilePath(keyDir, dataDir);
    await rm(keyPath);
    expect((await storeCorrupt(vault().get('a'))).message).toMatch(/key .* is missing/);
    await storeCorrupt(vault().set('b', 'new'));
    await expect(stat(keyPath)).rejects.toThrow();
  });

  it('loses no update when several secrets are stored at once', async () => {
    const v = vault();
    await Promise.all(Array.from({ length: 20 }, (_, i) => v.set(`account:${i}:password`, `secret-${i}`)));
    const fresh = vault();
    for (let i = 0; i < 20; i++) expect(await fresh.get(`account:${i}:password`)).toBe(`secret-${i}`);
  });

  it('refuses bad key names and oversized secrets', async () => {
    await expect(vault().set('', SECRET)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(vault().get('../etc/passwd')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(vault().set('a', 'x'.repeat(20_000))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('places keys under $XDG_STATE_HOME, or ~/.local/state when it is unset or relative', () => {
    expect(defaultKeyDir({ XDG_STATE_HOME: '/var/state' }, '/home/ana')).toBe('/var/state/estafeta/keys');
    expect(defaultKeyDir({}, '/home/ana')).toBe('/home/ana/.local/state/estafeta/keys');
    expect(defaultKeyDir({ XDG_STATE_HOME: 'relative' }, '/home/ana')).toBe(
      '/home/ana/.local/state/estafeta/keys',
    );
  });
});
