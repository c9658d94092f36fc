import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { MailError } from '../../domain/errors';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, createFileAtomic, readIfExists } from './atomic-file';

/** AES-256 key length. */
export const VAULT_KEY_BYTES = 32;
/** Enough to tell data directories apart, short enough for a readable file name. */
const KEY_NAME_HEX_CHARS = 16;
const GROUP_AND_OTHER_BITS = 0o077;

/**
 * Where browser mode keeps vault keys: $XDG_STATE_HOME/estafeta/keys, or ~/.local/state/estafeta/keys
 * (XDG Base Directory spec: a relative XDG_STATE_HOME is invalid and ignored). Deliberately outside
 * the data directory, so that a copied or backed-up data directory does not carry its own key.
 */
export function defaultKeyDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const stateHome = env['XDG_STATE_HOME'];
  const base = stateHome !== undefined && isAbsolute(stateHome) ? stateHome : join(home, '.local', 'state');
  return join(base, 'estafeta', 'keys');
}

/** One key per data directory, named by a hash of its absolute path. */
export function keyFilePath(keyDir: string, dataDir: string): string {
  const digest = createHash('sha256').update(resolve(dataDir)).digest('hex');
  return join(keyDir, `${digest.slice(0, KEY_NAME_HEX_CHARS)}.key`);
}

function keyProblem(message: string, detail: string): MailError {
  return new MailError('STORE_CORRUPT', message, { detail, retryable: false });
}

/** The key, or null when there is none yet. A key file of the wrong size is an error, not absent. */
export async function loadKey(path: string): Promise<Buffer | null> {
  const key = await readIfExists(path);
  if (key === null) return null;
  if (key.length !== VAULT_KEY_BYTES) {
    throw keyProblem('The key that unlocks your saved passwords is damaged.', `${path}: ${key.length} bytes`);
  }
  // Repair permissions loosened by a copy or a backup restore: the key is as secret as the passwords.
  const { mode } = await stat(path);
  if ((mode & GROUP_AND_OTHER_BITS) !== 0) await chmod(path, PRIVATE_FILE_MODE);
  return key;
}

/** Creates the key directory (0700) and a new random key (0600), unless another process just did. */
export async function createKey(path: string, keyDir: string): Promise<Buffer> {
  await mkdir(keyDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await chmod(keyDir, PRIVATE_DIR_MODE);
  const fresh = randomBytes(VAULT_KEY_BYTES);
  if (await createFileAtomic(path, fresh, PRIVATE_FILE_MODE)) return fresh;
  const existing = await loadKey(path);
  if (existing === null) throw keyProblem('The key for your saved passwords could not be created.', path);
  return existing;
}

export function missingKeyError(path: string): MailError {
  return keyProblem(
    'The key that unlocks your saved passwords is missing, so they cannot be read. Enter your passwords ' +
      'again, or restore the key file from a backup.',
    `expected key file ${path}`,
  );
}
