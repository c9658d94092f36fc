import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SAFE_STORAGE_FILE_NAME,
  SafeStorageVault,
  type SafeStorageLike,
} from '../../../../../src-main/accounts/vault/safe-storage-vault';
import { MailError } from '../../../../../src-main/domain/errors';
import { makeTempDir, type TempDir } from '../../../../support/temp-dir';
import { filesLeaking, filesUnder } from './vault-files';

const SECRET = 'hunter2-and-then-some ü';
const MAGIC = Buffer.from('v10');

/** A reversible stand-in for Electron's safeStorage: a marker, then the bytes XORed with a key byte. */
function fakeSafeStorage(
  state: { available: boolean; keyByte: number; backend?: 'basic_text' | 'gnome_libsecret' } = {
    available: true,
    keyByte: 0x5a,
  },
): SafeStorageLike & { state: typeof state } {
  const xor = (bytes: Buffer): Buffer => Buffer.from(bytes.map((byte) => byte ^ state.keyByte));
  const fake: SafeStorageLike & { state: typeof state } = {
    state,
    isEncryptionAvailable: () => state.available,
    encryptString: (plain) => {
      if (!state.available) throw new Error('Encryption is not available.');
      return Buffer.concat([MAGIC, xor(Buffer.from(plain, 'utf8'))]);
    },
    decryptString: (blob) => {
      const plain = xor(blob.subarray(MAGIC.length)).toString('utf8');
      if (!blob.subarray(0, MAGIC.length).equals(MAGIC) || plain.includes('\ufffd')) {
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      }
      return plain;
    },
  };
  if (state.backend !== undefined) fake.getSelectedStorageBackend = () => state.backend ?? 'unknown';
  return fake;
}

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir('estafeta-safe-');
});
afterEach(async () => {
  await dir.remove();
});

const filePath = (): string => join(dir.path, SAFE_STORAGE_FILE_NAME);

describe('SafeStorageVault (desktop)', () => {
  it('round-trips secrets through safeStorage and keeps only encrypted blobs on disk', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage(), dir.path);
    await vault.set('account:1:password', SECRET);
    expect(await vault.get('account:1:password')).toBe(SECRET);
    expect(await vault.get('account:2:password')).toBeNull();
    expect(await filesUnder(dir.path)).toEqual([filePath()]);
    expect(await filesLeaking(dir.path, SECRET)).toEqual([]);
    expect((await stat(filePath())).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(filePath(), 'utf8')) as { entries: Record<string, string> };
    expect(Buffer.from(file.entries['account:1:password'] ?? '', 'base64').subarray(0, 3)).toEqual(MAGIC);
  });

  it('refuses to store anything when encryption is unavailable, and writes no file', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage({ available: false, keyByte: 1 }), dir.path);
    const error = await vault.set('a', SECRET).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).message).toMatch(/cannot keep passwords safe.*not saved/s);
    expect((error as MailError).retryable).toBe(false);
    expect(await filesUnder(dir.path)).toEqual([]);
  });

  it("refuses Chromium's basic_text backend, which is plain text in disguise", async () => {
    const vault = new SafeStorageVault(
      fakeSafeStorage({ available: true, keyByte: 1, backend: 'basic_text' }),
      dir.path,
    );
    await expect(vault.set('a', SECRET)).rejects.toBeInstanceOf(MailError);
    expect(await filesUnder(dir.path)).toEqual([]);
    const keyring = new SafeStorageVault(
      fakeSafeStorage({ available: true, keyByte: 1, backend: 'gnome_libsecret' }),
      dir.path,
    );
    await keyring.set('a', SECRET);
    expect(await keyring.get('a')).toBe(SECRET);
  });

  it('reports a secret the OS can no longer decrypt as STORE_CORRUPT', async () => {
    const safeStorage = fakeSafeStorage();
    const vault = new SafeStorageVault(safeStorage, dir.path);
    await vault.set('a', SECRET);
    await writeFile(filePath(), JSON.stringify({ version: 1, entries: { a: 'AAAA' } }));
    await expect(vault.get('a')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await writeFile(filePath(), 'not json');
    await expect(vault.get('a')).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('reading with encryption gone is refused, not answered in the clear', async () => {
    const safeStorage = fakeSafeStorage();
    const vault = new SafeStorageVault(safeStorage, dir.path);
    await vault.set('a', SECRET);
    safeStorage.state.available = false;
    await expect(vault.get('a')).rejects.toBeInstanceOf(MailError);
  });

  it('deletes secrets and tolerates deleting what is not there', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage(), dir.path);
    await vault.set('a', SECRET);
    await vault.set('b', 'kept');
    await vault.delete('a');
    await vault.delete('missing');
    expect(await vault.get('a')).toBeNull();
    expect(await vault.get('b')).toBe('kept');
  });

  it('loses no update when several secrets are stored at once', async () => {
    const vault = new SafeStorageVault(fakeSafeStorage(), dir.path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.set(`k${i}`, `s${i}`)));
    for (let i = 0; i < 20; i++) expect(await vault.get(`k${i}`)).toBe(`s${i}`);
  });
});
