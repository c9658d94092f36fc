import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MailError } from '../../domain/errors';

/** Owner read/write only: credentials files. */
export const PRIVATE_FILE_MODE = 0o600;
/** Owner only: directories holding keys. */
export const PRIVATE_DIR_MODE = 0o700;

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

export function isMissingFile(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/** Converts a failed write into the error the user sees. */
export function toWriteError(error: unknown, what: string): MailError {
  if (error instanceof MailError) return error;
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new MailError('DISK_FULL', `The disk is full, so ${what} could not be saved.`, { cause: error });
  }
  return new MailError('INTERNAL', `Estafeta could not save ${what}.`, { detail: code, cause: error });
}

/** The file's contents, or null when it does not exist. */
export async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissingFile(error)) return null;
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A private, flushed temp file beside `path` holding `data`; the caller moves it into place. */
async function writeTempBeside(path: string, data: string | Uint8Array, mode: number): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    // open()'s mode is filtered by the umask; set it exactly.
    await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  return temp;
}

/**
 * Writes a new private temp file beside `path`, flushes it, then renames it over `path` and
 * flushes the directory: after a crash the file holds either the old or the new contents, never
 * a mix, and it is never readable by other users, not even for a moment.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  const temp = await writeTempBeside(path, data, mode);
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(path));
}

/**
 * Like writeFileAtomic, but never replaces an existing file: resolves false when `path` already
 * exists (another process won the race to create it). link(2) fails on an existing target, where
 * rename(2) would silently replace it.
 */
export async function createFileAtomic(path: string, data: Uint8Array, mode: number): Promise<boolean> {
  const temp = await writeTempBeside(path, data, mode);
  try {
    await link(temp, path);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
  await syncDirectory(dirname(path));
  return true;
}
