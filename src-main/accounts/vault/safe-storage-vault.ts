import type { SafeStorage } from 'electron';
import { join } from 'node:path';
import { MailError } from '../../domain/errors';
import { PRIVATE_FILE_MODE, readIfExists, toWriteError, writeFileAtomic } from './atomic-file';
import { checkKey, checkSecret, type SecretVault } from './secret-vault';
import { SerialQueue } from './serial-queue';

export const SAFE_STORAGE_FILE_NAME = 'secrets.json';
const FORMAT_VERSION = 1;

/**
 * The parts of Electron's safeStorage the vault uses. getSelectedStorageBackend exists on Linux
 * only; when present it lets the vault refuse Chromium's "basic_text" backend, which encrypts with
 * a hard-coded password and so is plain text in disguise.
 */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

interface SafeStorageFile {
  version: typeof FORMAT_VERSION;
  /** key -> base64 of the blob safeStorage produced. */
  entries: Record<string, string>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function corrupt(detail: string, cause?: unknown): MailError {
  return new MailError(
    'STORE_CORRUPT',
    'Your saved passwords could not be read. Enter the password again to save it anew.',
    { detail, cause, retryable: false },
  );
}

function parseFile(raw: Buffer): SafeStorageFile {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw corrupt(`${SAFE_STORAGE_FILE_NAME} is not JSON`, error);
  }
  if (typeof value !== 'object' || value === null || !('version' in value) || !('entries' in value)) {
    throw corrupt(`${SAFE_STORAGE_FILE_NAME} has the wrong shape`);
  }
  const { version, entries } = value;
  if (version !== FORMAT_VERSION || typeof entries !== 'object' || entries === null) {
    throw corrupt(`${SAFE_STORAGE_FILE_NAME} has an unknown version`);
  }
  const checked: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, blob] of Object.entries(entries)) {
    if (typeof blob !== 'string' || !BASE64.test(blob)) throw corrupt(`entry ${key} is not base64`);
    checked[key] = blob;
  }
  return { version: FORMAT_VERSION, entries: checked };
}

/**
 * The desktop app's vault: each secret is encrypted by the operating system's keystore through
 * Electron's safeStorage (Keychain, DPAPI, libsecret/KWallet) and only the encrypted blob, base64,
 * is kept in `<dataDir>/secrets.json` (mode 0600, replaced atomically).
 */
export class SafeStorageVault implements SecretVault {
  readonly #safeStorage: SafeStorageLike;
  readonly #path: string;
  readonly #queue = new SerialQueue();

  constructor(safeStorage: SafeStorageLike, dataDir: string) {
    this.#safeStorage = safeStorage;
    this.#path = join(dataDir, SAFE_STORAGE_FILE_NAME);
  }

  /** Refuses, rather than ever writing a secret the OS keystore does not protect. */
  #requireEncryption(): void {
    let backend: string | undefined;
    try {
      backend = this.#safeStorage.getSelectedStorageBackend?.();
    } catch {
      backend = undefined;
    }
    if (!this.#safeStorage.isEncryptionAvailable() || backend === 'basic_text') {
      throw new MailError(
        'INTERNAL',
        'Estafeta cannot keep passwords safe on this system because no keyring (such as GNOME Keyring or ' +
          'KWallet) is available. Set one up and try again; the password was not saved.',
        { retryable: false, detail: backend === 'basic_text' ? 'safeStorage backend basic_text' : undefined },
      );
    }
  }

  async #read(): Promise<SafeStorageFile> {
    const raw = await readIfExists(this.#path);
    return raw === null
      ? { version: FORMAT_VERSION, entries: Object.create(null) as Record<string, string> }
      : parseFile(raw);
  }

  async #write(file: SafeStorageFile): Promise<void> {
    try {
      await writeFileAtomic(this.#path, `${JSON.stringify(file)}\n`, PRIVATE_FILE_MODE);
    } catch (error) {
      throw toWriteError(error, 'the password');
    }
  }

  async set(key: string, secret: string): Promise<void> {
    checkKey(key);
    checkSecret(secret);
    return this.#queue.run(async () => {
      this.#requireEncryption();
      const blob = this.#safeStorage.encryptString(secret).toString('base64');
      const file = await this.#read();
      file.entries[key] = blob;
      await this.#write(file);
    });
  }

  async get(key: string): Promise<string | null> {
    checkKey(key);
    return this.#queue.run(async () => {
      const blob = (await this.#read()).entries[key];
      if (blob === undefined) return null;
      this.#requireEncryption();
      try {
        return this.#safeStorage.decryptString(Buffer.from(blob, 'base64'));
      } catch (error) {
        // The OS key changed (new keyring, another user) or the blob was altered.
        throw corrupt(`safeStorage could not decrypt entry ${key}`, error);
      }
    });
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    return this.#queue.run(async () => {
      const file = await this.#read();
      if (!Object.hasOwn(file.entries, key)) return;
      delete file.entries[key];
      await this.#write(file);
    });
  }
}
