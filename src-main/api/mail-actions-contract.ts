/**
 * The mail-actions part of the API contract (spread into `methods` in contract.ts): what the user
 * does to messages and folders, and "Get mail". The same methods serve every account kind: Local
 * Folders and POP3 accounts change only the store; IMAP accounts change the store at once and queue
 * the change durably for the server (sync/imap-actions), so the UI never waits for the network.
 */
import { z } from 'zod';
import { ListScope } from './list-contract';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();
/** Messages one call may name (a selection); larger ones go in slices. */
export const MAX_IDS_PER_CALL = 10_000;
const MessageIds = z.array(Id).min(1).max(MAX_IDS_PER_CALL);
/** One path segment: the server's delimiter inside a name is refused by the handler. */
const FolderName = z.string().trim().min(1).max(200);

export const SyncStateView = z.object({
  accountId: Id,
  state: z.enum(['idle', 'syncing', 'offline', 'error']),
  /** In words for the user when state is offline or error. */
  message: z.string().nullable(),
  /** Actions made here and not yet on the server (IMAP). */
  pendingActions: Count,
  /** POP3: "Get mail" deferred by the server's LOGIN-DELAY until this time (ms since the epoch). */
  checkDeferredUntil: z.number().nullable().optional(),
});

export type SyncStateView = z.infer<typeof SyncStateView>;

export const mailActionMethods = {
  /** Moves messages to another folder (same account, or across accounts: copy then delete). */
  'messages.move': {
    params: z.object({ messageIds: MessageIds, folderId: Id }).strict(),
    result: z.object({ moved: Count }),
  },
  'messages.copy': {
    params: z.object({ messageIds: MessageIds, folderId: Id }).strict(),
    result: z.object({ copied: Count }),
  },
  /**
   * "Delete": to the account's Trash; messages already in Trash (or with `permanently`) are removed
   * for good (IMAP: \Deleted + UID EXPUNGE).
   */
  'messages.delete': {
    params: z.object({ messageIds: MessageIds, permanently: z.boolean().default(false) }).strict(),
    result: z.object({ deleted: Count }),
  },
  /** "Archive": to the account's Archive folder (created when the account has none). */
  'messages.archive': {
    params: z.object({ messageIds: MessageIds }).strict(),
    result: z.object({ archived: Count }),
  },
  /**
   * "Select all" then an action (issue 7): every message of a folder (or of All Inboxes) except
   * `except`, resolved here so the list never has to load 100,000 ids. `folderId` is the target
   * of "move" and "copy".
   */
  'messages.actOnAll': {
    params: z
      .object({
        scope: ListScope,
        except: z.array(Id).max(MAX_IDS_PER_CALL).default([]),
        action: z.enum(['delete', 'archive', 'move', 'copy', 'markRead', 'markUnread', 'flag', 'unflag']),
        folderId: Id.optional(),
      })
      .strict(),
    result: z.object({ count: Count }),
  },
  /** Empties a Trash (or Junk) folder for good. */
  'folders.empty': {
    params: z.object({ folderId: Id }).strict(),
    result: z.object({ deleted: Count }),
  },
  /** Creates a folder under `parentId` (null: at the top of the account). */
  'folders.create': {
    params: z.object({ accountId: Id, parentId: Id.nullable(), name: FolderName }).strict(),
    result: z.object({ folderId: Id }),
  },
  /** Renames a folder; its subfolders follow. */
  'folders.rename': {
    params: z.object({ folderId: Id, name: FolderName }).strict(),
    result: z.object({}),
  },
  /** Deletes a folder and its subfolders with their messages (special folders are refused). */
  'folders.delete': {
    params: z.object({ folderId: Id }).strict(),
    result: z.object({}),
  },
  /** "Get mail": checks one account now, or every server account. Progress comes as events. */
  'mail.check': {
    params: z.object({ accountId: Id.optional() }).strict(),
    result: z.object({}),
  },
  /** Each server account's connection state, for the status bar ("Offline", syncing, errors). */
  'sync.status': {
    params: z.object({}).strict(),
    result: z.array(SyncStateView),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
