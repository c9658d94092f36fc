import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MailError } from '../../domain/errors';
import type { AccountId, MessageId } from '../../domain/ids';

/**
 * What an upload of local mail to an IMAP account has already done, kept on disk so that an
 * upload interrupted at any point (closed app, lost connection, crash) resumes without sending a
 * message twice. One append-only JSON-lines file per target account; each line is synced to disk
 * before the step it announces:
 *   {"m":12,"s":"appending","p":"INBOX","f":57}  written BEFORE the APPEND of message 12 to INBOX,
 *                                                  whose UIDNEXT was 57 at that moment;
 *   {"m":12,"s":"done","p":"INBOX"}               written after the server's tagged OK.
 * A message left at "appending" may or may not have reached the server (the connection can drop
 * after the server stored it but before its OK arrived): the uploader looks for it at UIDs >= f.
 * Only local message ids, folder paths and UIDs are written: never mail content or credentials.
 */

export const UPLOAD_JOURNAL_DIR = 'account-switch';
/** A journal line is tiny; a longer one is damage, not ours. */
const MAX_LINE_LENGTH = 4_096;

export type UploadState =
  { state: 'appending'; path: string; uidFloor: number } | { state: 'done'; path: string };

interface JournalLine {
  m: number;
  s: 'appending' | 'done';
  p: string;
  f?: number;
}

function isJournalLine(value: unknown): value is JournalLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(line['m']) &&
    (line['s'] === 'appending' || line['s'] === 'done') &&
    typeof line['p'] === 'string' &&
    (line['f'] === undefined || Number.isSafeInteger(line['f']))
  );
}

export function uploadJournalPath(dataDir: string, accountId: AccountId): string {
  return path.join(dataDir, UPLOAD_JOURNAL_DIR, `uploads-${accountId}.jsonl`);
}

export class UploadJournal {
  readonly #file: string;
  readonly #entries = new Map<number, UploadState>();

  private constructor(file: string) {
    this.#file = file;
  }

  /** Reads what earlier runs recorded; a line cut short by a crash (the last one) is ignored. */
  static async open(dataDir: string, accountId: AccountId): Promise<UploadJournal> {
    const journal = new UploadJournal(uploadJournalPath(dataDir, accountId));
    let text = '';
    try {
      text = await readFile(journal.#file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw journalError(error);
    }
    for (const raw of text.split('\n')) {
      if (raw.length === 0 || raw.length > MAX_LINE_LENGTH) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        continue;
      }
      if (!isJournalLine(parsed)) continue;
      journal.#entries.set(
        parsed.m,
        parsed.s === 'done'
          ? { state: 'done', path: parsed.p }
          : { state: 'appending', path: parsed.p, uidFloor: parsed.f ?? 1 },
      );
    }
    return journal;
  }

  stateOf(messageId: MessageId): UploadState | null {
    return this.#entries.get(messageId) ?? null;
  }

  get doneCount(): number {
    let count = 0;
    for (const entry of this.#entries.values()) if (entry.state === 'done') count++;
    return count;
  }

  async appending(messageId: MessageId, remotePath: string, uidFloor: number): Promise<void> {
    await this.#append({ m: messageId, s: 'appending', p: remotePath, f: uidFloor });
    this.#entries.set(messageId, { state: 'appending', path: remotePath, uidFloor });
  }

  async done(messageId: MessageId, remotePath: string): Promise<void> {
    await this.#append({ m: messageId, s: 'done', p: remotePath });
    this.#entries.set(messageId, { state: 'done', path: remotePath });
  }

  async #append(line: JournalLine): Promise<void> {
    try {
      await mkdir(path.dirname(this.#file), { recursive: true, mode: 0o700 });
      const handle = await open(this.#file, 'a', 0o600);
      try {
        await handle.write(`${JSON.stringify(line)}\n`);
        // The line must be on disk before the server step it announces (see the file comment).
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw journalError(error);
    }
  }
}

function journalError(error: unknown): MailError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC') {
    return new MailError(
      'DISK_FULL',
      'The disk is full: the upload was stopped. Free some space and retry.',
      {
        cause: error,
      },
    );
  }
  return new MailError('INTERNAL', 'The upload could not record its progress.', {
    detail: code,
    cause: error,
  });
}
