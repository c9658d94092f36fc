/** SQLite failures -> MailError, where they leave the store. */
import { MailError } from '../domain/errors';

function sqliteCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

export function toStoreError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const code = sqliteCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  // Extended result codes keep the primary code as prefix (SQLITE_IOERR_WRITE ...).
  if (code.startsWith('SQLITE_FULL')) {
    return new MailError(
      'DISK_FULL',
      'The disk is full, so the mail store cannot save changes. Free some space and try again.',
      {
        detail,
        cause: error,
      },
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new MailError('STORE_CORRUPT', 'The mail store is damaged.', { detail, cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new MailError('INTERNAL', 'The mail store is busy. Try again in a moment.', {
      detail,
      cause: error,
      retryable: true,
    });
  }
  return new MailError('INTERNAL', 'The mail store could not complete the change.', { detail, cause: error });
}
