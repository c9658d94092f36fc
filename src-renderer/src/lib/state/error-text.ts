import { ApiError } from '../api/errors';
import { t } from '../../i18n';

/**
 * What to tell the user about a failed call: the main process's own message (already written for
 * users, see WireError), our words for a lost connection, and a generic line for anything else.
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.isLostConnection ? t('errors.connectionLost') : error.message;
  console.error(error);
  return t('errors.unexpected');
}
