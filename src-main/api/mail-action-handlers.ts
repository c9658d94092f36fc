/**
 * Handlers for mail-actions-contract.ts and flags.set: what the user does to messages and folders.
 * The work is in sync/mail-actions (the store, for every account kind) and sync/imap-actions (the
 * durable queue for the IMAP server); here ids are checked and the UI is told what changed.
 */
import { MailError } from '../domain/errors';
import { asAccountId, asFolderId, asMessageId } from '../domain/ids';
import type { FolderId, MessageId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import {
  FolderActions,
  MessageActions,
  type ActionOutcome,
  type ServerActionQueue,
} from '../sync/mail-actions';
import type { ApiHandlers } from './contract';
import type { EventBus } from './events';
import { MAX_IDS_PER_CALL, type mailActionMethods } from './mail-actions-contract';
import { messagesInScope } from './list-handlers';

/** mail.check and sync.status are the sync engines' (sync-handlers.ts). */
type MailActionHandlers = Pick<
  ApiHandlers,
  Exclude<keyof typeof mailActionMethods, 'mail.check' | 'sync.status'> | 'flags.set'
>;

export interface MailActionHandlerDeps {
  store: SqliteMailStore;
  events: EventBus;
  /** The IMAP action queue (sync/imap-actions ImapActionQueue). */
  queue: ServerActionQueue;
  /** Emits counts.changed and messages.changed for these folders (service.ts). */
  announceFolders: (folderIds: readonly FolderId[]) => void;
}

export function createMailActionHandlers(deps: MailActionHandlerDeps): MailActionHandlers {
  const actionDeps = { store: deps.store, queue: deps.queue };
  const messages = new MessageActions(actionDeps);
  const folders = new FolderActions(actionDeps);

  const tell = (outcome: ActionOutcome): void => {
    for (const accountId of new Set(outcome.treeChanged)) deps.events.emit('folders.changed', { accountId });
    deps.announceFolders(outcome.folderIds);
  };

  const folderExists = (id: number): FolderId => {
    const folderId = asFolderId(id);
    if (!deps.store.folders.get(folderId)) {
      throw new MailError('NOT_FOUND', 'That folder no longer exists.', { retryable: false });
    }
    return folderId;
  };

  return {
    'flags.set': async ({ messageIds, flag, value }) => {
      const outcome = messages.setFlags(messageIds.map(asMessageId), flag, value);
      tell(outcome);
      return { changed: outcome.count };
    },

    'messages.move': async ({ messageIds, folderId }) => {
      const outcome = await messages.move(messageIds.map(asMessageId), folderExists(folderId));
      tell(outcome);
      return { moved: outcome.count };
    },

    'messages.copy': async ({ messageIds, folderId }) => {
      const outcome = await messages.copy(messageIds.map(asMessageId), folderExists(folderId));
      tell(outcome);
      return { copied: outcome.count };
    },

    'messages.delete': async ({ messageIds, permanently }) => {
      const outcome = await messages.delete(messageIds.map(asMessageId), permanently);
      tell(outcome);
      return { deleted: outcome.count };
    },

    'messages.archive': async ({ messageIds }) => {
      const outcome = await messages.archive(messageIds.map(asMessageId));
      tell(outcome);
      return { archived: outcome.count };
    },

    'messages.actOnAll': async ({ scope, except, action, folderId }) => {
      const needsTarget = action === 'move' || action === 'copy';
      if (needsTarget && folderId === undefined) {
        const verb = action === 'move' ? 'move' : 'copy';
        throw new MailError('BAD_REQUEST', `Choose a folder to ${verb} the messages to.`, {
          retryable: false,
        });
      }
      const target = needsTarget && folderId !== undefined ? folderExists(folderId) : null;
      const ids = messagesInScope(deps.store, scope, except);
      const apply = async (slice: MessageId[]) => {
        switch (action) {
          case 'delete':
            return messages.delete(slice, false);
          case 'archive':
            return messages.archive(slice);
          case 'move':
          case 'copy':
            if (target === null) throw new Error('unreachable: checked above');
            return action === 'move' ? messages.move(slice, target) : messages.copy(slice, target);
          case 'markRead':
          case 'markUnread':
            return messages.setFlags(slice, 'seen', action === 'markRead');
          case 'flag':
          case 'unflag':
            return messages.setFlags(slice, 'flagged', action === 'flag');
        }
      };
      let count = 0;
      // In slices of the per-call limit: each is one transaction, as if the list had sent them.
      for (let at = 0; at < ids.length; at += MAX_IDS_PER_CALL) {
        const outcome = await apply(ids.slice(at, at + MAX_IDS_PER_CALL));
        tell(outcome);
        count += outcome.count;
      }
      return { count };
    },

    'folders.empty': async ({ folderId }) => {
      const outcome = await messages.empty(folderExists(folderId));
      tell(outcome);
      return { deleted: outcome.count };
    },

    'folders.create': async ({ accountId, parentId, name }) => {
      const { folder, outcome } = folders.create(
        asAccountId(accountId),
        parentId === null ? null : asFolderId(parentId),
        name,
      );
      tell(outcome);
      return { folderId: folder.id };
    },

    'folders.rename': async ({ folderId, name }) => {
      tell(folders.rename(folderExists(folderId), name));
      return {};
    },

    'folders.delete': async ({ folderId }) => {
      tell(await folders.delete(folderExists(folderId)));
      return {};
    },
  };
}
