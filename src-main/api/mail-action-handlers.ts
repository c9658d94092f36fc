/**
 * Handlers for mail-actions-contract.ts. Being built in this session by the mail-actions work
 * (sync/mail-actions, sync/imap-actions); until then every method refuses clearly.
 */
import { MailError } from '../domain/errors';
import type { ApiHandlers } from './contract';
import type { mailActionMethods } from './mail-actions-contract';

type MailActionHandlers = Pick<ApiHandlers, keyof typeof mailActionMethods>;

const notYet = async (): Promise<never> => {
  throw new MailError('BAD_REQUEST', 'This action is not available yet.');
};

export function createMailActionHandlers(): MailActionHandlers {
  return {
    'messages.move': notYet,
    'messages.copy': notYet,
    'messages.delete': notYet,
    'messages.archive': notYet,
    'folders.empty': notYet,
    'folders.create': notYet,
    'folders.rename': notYet,
    'folders.delete': notYet,
    'mail.check': notYet,
    'sync.status': async () => [],
  };
}
