/**
 * Attachments onto the disk (Electron's Save, Save all and Open). Names arrive here already
 * sanitised (mime/filename.ts); this file adds the second layer: the final path must sit directly
 * in the chosen folder, files are created exclusively (an existing file is never overwritten, the
 * name gets " (2)" instead), and file types that run code are not opened with the system.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MailError } from '../domain/errors';

/** " (2)" ... " (MAX_NAME_ATTEMPTS)": past that the folder is full of this name; give up. */
const MAX_NAME_ATTEMPTS = 100;
const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Types that run programs or scripts when "opened": Open refuses them (Save still works, so the
 * user can decide with their own tools). Lower-case, with the dot.
 */
// prettier-ignore
const EXECUTABLE_EXTENSIONS: ReadonlySet<string> = new Set([
  '.exe', '.com', '.bat', '.cmd', '.scr', '.pif', '.msi', '.msp', '.msc', '.cpl', '.dll', '.sys', '.lnk',
  '.url', '.reg', '.inf', '.hta', '.js', '.jse', '.vbs', '.vbe', '.wsf', '.wsh', '.ps1', '.psm1', '.jar',
  '.app', '.command', '.sh', '.bash', '.zsh', '.csh', '.ksh', '.run', '.bin', '.deb', '.rpm', '.appimage',
  '.desktop', '.py', '.pl', '.rb', '.php', '.applescript', '.scpt', '.workflow', '.pkg', '.dmg', '.iso',
  '.img', '.vhd', '.vhdx', '.html', '.htm', '.xhtml', '.svg', '.mht', '.mhtml', '.xml', '.chm', '.docm',
  '.xlsm', '.pptm', '.dotm', '.xlam', '.ppam',
]);

export function isExecutableName(fileName: string): boolean {
  return EXECUTABLE_EXTENSIONS.has(path.extname(fileName).toLowerCase());
}

function errnoCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

function writeError(error: unknown): MailError {
  const detail = error instanceof Error ? error.message : String(error);
  if (DISK_FULL_CODES.has(errnoCode(error))) {
    return new MailError('DISK_FULL', 'The disk is full, so the attachment could not be saved.', {
      detail,
      cause: error,
    });
  }
  return new MailError('INTERNAL', 'The attachment could not be saved there.', { detail, cause: error });
}

/** "report.pdf" -> "report (2).pdf"; "README" -> "README (2)". */
export function numberedName(fileName: string, attempt: number): string {
  if (attempt <= 1) return fileName;
  const extension = path.extname(fileName);
  const stem = extension === '' ? fileName : fileName.slice(0, -extension.length);
  return `${stem} (${attempt})${extension}`;
}

/** Refuses a name that would leave `dir` (defence in depth: names are sanitised before this). */
function pathInside(dir: string, fileName: string): string {
  const target = path.resolve(dir, fileName);
  if (path.dirname(target) !== path.resolve(dir) || fileName === '' || fileName !== path.basename(fileName)) {
    throw new MailError('BAD_REQUEST', 'That attachment name cannot be used for a file.', {
      detail: fileName,
    });
  }
  return target;
}

async function writeExclusive(file: string, bytes: Buffer): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true });
    throw writeError(error);
  }
  await handle.close();
}

/**
 * Writes `bytes` as a new file in `dir` named `fileName`, or "name (2).ext" and so on when that
 * exists. Returns the name used.
 */
export async function writeNewFile(dir: string, fileName: string, bytes: Buffer): Promise<string> {
  for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
    const name = numberedName(fileName, attempt);
    try {
      await writeExclusive(pathInside(dir, name), bytes);
      return name;
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') continue;
      throw error instanceof MailError ? error : writeError(error);
    }
  }
  throw new MailError('INTERNAL', 'The folder already has too many files with this name.', {
    detail: fileName,
  });
}

/**
 * Writes `bytes` to exactly `file`, a path the user chose in the save dialog (which already asked
 * about replacing an existing file). Only the file name part is checked here.
 */
export async function writeChosenFile(file: string, bytes: Buffer): Promise<void> {
  const handle = await open(file, 'w', 0o600).catch((error: unknown) => {
    throw writeError(error);
  });
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    throw writeError(error);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** A private folder (mode 0700) for files handed to the system's viewer. */
export async function makeOpenFolder(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'estafeta-open-'));
}
