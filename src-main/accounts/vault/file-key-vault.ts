import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join, relative, isAbsolute, resolve } from 'node:path';
import { MailError } from '../../domain/errors';
import { PRIVATE_FILE_MODE, readIfExists, toWriteError, writeFileAtomic } from './atomic-file';
import { checkKey, checkSecret, type SecretVault } from './secret-vault';
import { SerialQueue } from './serial-queue';
import { createKey, defaultKeyDir, keyFilePath, loadKey, missingKeyError } from './vault-key';

export const FILE_VAULT_FILE_NAME = 'secrets.vault';
const FORMAT_VERSION = 1;
const CIPHER = 'aes-256-gcm';
/** NIST SP 800-38D §8.2: a random 96-bit IV per encryption. */
const IV_BYTES = 12;
const AUTH_TAG_BYTES = 16;

interface SealedEntry {
  iv: string;
  tag: string;
  data: string;
}

interface VaultFile {
  version: typeof FORMAT_VERSION;
  entries: Record<string, SealedEntry>;
}

export interface FileKeyVaultOptions {
  dataDir: string;
  /** Where the key file lives; defaultKeyDir() when omitted. Must not be inside dataDir. */
  keyDir?: string;
}

function corrupt(detail: string): MailError {
  return new MailError(
    'STORE_CORRUPT',
    'Your saved passwords could not be unlocked: the vault file was damaged or its key was replaced. ' +
      'Enter the password again to save it anew.',
    { detail, retryable: false },
  );
}

/** Binds each ciphertext to its entry name, so entries cannot be swapped between keys unnoticed. */
function associatedData(key: string): Buffer {
  return Buffer.from(`estafeta-vault-v${FORMAT_VERSION}\u0000${key}`, 'utf8');
}

function emptyVault(): VaultFile {
  return { version: FORMAT_VERSION, entries: Object.create(null) as Record<string, SealedEntry> };
}

function isSealedEntry(value: unknown): value is SealedEntry {
  if (typeof value !== 'object' || value === null) return false;
  const fields = value as Record<string, unknown>;
  return ['iv', 'tag', 'data'].every((name) => typeof fields[name] === 'string');
}

function parseVault(raw: Buffer): VaultFile {
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw corrupt(`${FILE_VAULT_FILE_NAME} is not JSON`);
  }
  if (typeof value !== 'object' || value === null)
    throw corrupt(`${FILE_VAULT_FILE_NAME} has the wrong shape`);
  const { version, entries } = value as Record<string, unknown>;
  if (version !== FORMAT_VERSION || typeof entries !== 'object' || entries === null) {
    throw corrupt(`${FILE_VAULT_FILE_NAME} has an unknown version`);
  }
  const vault = emptyVault();
  for (const [key, entry] of Object.entries(entries)) {
    if (!isSealedEntry(entry)) throw corrupt(`entry ${key} has the wrong shape`);
    vault.entries[key] = { iv: entry.iv, tag: entry.tag, data: entry.data };
  }
  return vault;
}

function seal(key: Buffer, name: string, secret: string): SealedEntry {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: AUTH_TAG_BYTES });
  cipher.setAAD(associatedData(name));
  const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function open(key: Buffer, name: string, entry: SealedEntry): string {
  const iv = Buffer.from(entry.iv, 'base64');
  const tag = Buffer.from(entry.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== AUTH_TAG_BYTES)
    throw corrupt(`entry ${name} has a bad IV or tag`);
  try {
    const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: AUTH_TAG_BYTES });
    decipher.setAAD(associatedData(name));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    // GCM authentication failed: tampered data or the wrong key. Nothing decrypted is returned.
    throw corrupt(`entry ${name} failed authentication`);
  }
}

/**
 * Browser mode's vault, for when there is no Electron safeStorage: AES-256-GCM with a random key
 * kept in a key file outside the data directory (see defaultKeyDir), and the sealed entries in
 * `<dataDir>/secrets.vault`. Both files are mode 0600 and replaced atomically. This protects the
 * secrets in copies and backups of the data directory; like any key file, it does not protect them
 * from other programs running as the same user.
 */
export class FileKeyVault implements SecretVault {
  readonly #vaultPath: string;
  readonly #keyDir: string;
  readonly #keyPath: string;
  readonly #queue = new SerialQueue();

  constructor(options: FileKeyVaultOptions) {
    const keyDir = resolve(options.keyDir ?? defaultKeyDir());
    const fromData = relative(resolve(options.dataDir), keyDir);
    if (fromData === '' || (!fromData.startsWith('..') && !isAbsolute(fromData))) {
      throw new MailError('INTERNAL', 'The password key must not be kept inside the data folder.', {
        detail: keyDir,
        retryable: false,
      });
    }
    this.#keyDir = keyDir;
    this.#keyPath = keyFilePath(keyDir, options.dataDir);
    this.#vaultPath = join(options.dataDir, FILE_VAULT_FILE_NAME);
  }

  async #readVault(): Promise<VaultFile | null> {
    const raw = await readIfExists(this.#vaultPath);
    return raw === null ? null : parseVault(raw);
  }

  async #write(vault: VaultFile): Promise<void> {
    try {
      await writeFileAtomic(this.#vaultPath, `${JSON.stringify(vault)}\n`, PRIVATE_FILE_MODE);
    } catch (error) {
      throw toWriteError(error, 'the password');
    }
  }

  async set(name: string, secret: string): Promise<void> {
    checkKey(name);
    checkSecret(secret);
    return this.#queue.run(async () => {
      const vault = (await this.#readVault()) ?? emptyVault();
      let key = await loadKey(this.#keyPath);
      if (key === null) {
        // A new key for existing entries would orphan them silently; only a vault with nothing
        // sealed in it may get a fresh key.
        if (Object.keys(vault.entries).length > 0) throw missingKeyError(this.#keyPath);
        key = await createKey(this.#keyPath, this.#keyDir).catch((error: unknown) => {
          throw toWriteError(error, 'the password key');
        });
      }
      vault.entries[name] = seal(key, name, secret);
      await this.#write(vault);
    });
  }

  async get(name: string): Promise<string | null> {
    checkKey(name);
    return this.#queue.run(async () => {
      const entry = (await this.#readVault())?.entries[name];
      if (entry === undefined) return null;
      const key = await loadKey(this.#keyPath);
      if (key === null) throw missingKeyError(this.#keyPath);
      return open(key, name, entry);
    });
  }

  /** Needs no key: forgetting a secret must work even when it can no longer be read. */
  async delete(name: string): Promise<void> {
    checkKey(name);
    return this.#queue.run(async () => {
      const vault = await this.#readVault();
      if (vault === null || !Object.hasOwn(vault.entries, name)) return;
      delete vault.entries[name];
      await this.#write(vault);
    });
  }
}
