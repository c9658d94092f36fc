import { MailError } from '../../domain/errors';

/**
 * Where account passwords and OAuth2 tokens live. Implementations never write a secret in plain
 * text and never fall back to doing so: when they cannot protect a secret, they refuse with a
 * MailError that tells the user why.
 */
export interface SecretVault {
  set(key: string, secret: string): Promise<void>;
  /** null when nothing is stored under `key`. */
  get(key: string): Promise<string | null>;
  /** Removing a key that is not there is not an error. */
  delete(key: string): Promise<void>;
}

/** Keys are names chosen by the app ("account:<id>:password"), never user text; keep them tame. */
const MAX_KEY_LENGTH = 200;
const KEY_PATTERN = /^[\w.:@-]+$/;
/** OAuth2 refresh tokens are a few KiB at most; this bounds the vault file. */
export const MAX_SECRET_LENGTH = 16 * 1024;

export function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) {
    throw new MailError('BAD_REQUEST', 'That credential name is not valid.', { detail: 'bad vault key' });
  }
}

export function checkSecret(secret: string): void {
  if (secret.length > MAX_SECRET_LENGTH) {
    throw new MailError('BAD_REQUEST', 'That password is too long to store.', { retryable: false });
  }
}
