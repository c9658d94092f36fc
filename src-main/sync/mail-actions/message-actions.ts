/**
 * What the user does to messages, for every kind of account: flag, move, copy, delete, archive,
 * empty Trash. Each applies to the store at once, in one transaction; for IMAP accounts the same
 * transaction queues the change for the server (sync/imap-actions), so the UI never waits for the
 * network and a crash never leaves the store and the queue disagreeing.
 *
 * - move: the row changes folder, its .eml stays where it is; across accounts: copy, then delete
 *   the original for good.
 * - delete: to the account's Trash (created when missing); from Trash, or `permanently`, for good.
 *   For a POP3 account with "Leave messages on server", "deleted here" (pop3_uidls) is recorded
 *   when the message goes to Trash; deleting the row for good is recorded by the 002 trigger.
 * - archive: to the account's Archive folder (created when missing).
 */
import { MailError } from '../../domain/errors';
import type { SettableFlag } from '../../domain/flags';
import type { Folder } from '../../domain/folder';
import type { AccountId, FolderId, MessageId } from '../../domain/ids';
import type { StoredMessage } from '../../store/message-rows';
import type { PendingMessage } from '../../store/pending-actions-repo';
import {
  ensureRoleFolder,
  folderLookup,
  isImap,
  requireFolder,
  sortedIds,
  type ActionOutcome,
  type MailActionDeps,
} from './action-context';
import { copyMessages } from './message-copies';

/** Roles whose folders "Empty" applies to: what is there was already thrown away. */
const EMPTIABLE_ROLES = new Set(['trash', 'junk']);

const NOTHING: ActionOutcome = { count: 0, folderIds: [], treeChanged: [] };

function groupByAccount(messages: readonly StoredMessage[]): Map<AccountId, StoredMessage[]> {
  const groups = new Map<AccountId, StoredMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.accountId) ?? [];
    group.push(message);
    groups.set(message.accountId, group);
  }
  return groups;
}

export class MessageActions {
  readonly #deps: MailActionDeps;
  /** Files of deleted rows are removed after the commit; failures there leave only orphans. */
  readonly #removeFiles: (paths: readonly string[]) => Promise<void>;

  constructor(deps: MailActionDeps) {
    this.#deps = deps;
    this.#removeFiles = async (paths) => {
      for (const path of paths) {
        try {
          await deps.store.emlFiles.remove(path);
        } catch {
          // The row is gone; a file left behind is swept as an orphan at the next start.
        }
      }
    };
  }

  /** Sets or clears one flag; IMAP accounts queue a UID STORE for the messages that changed. */
  setFlags(ids: readonly MessageId[], flag: SettableFlag, value: boolean): ActionOutcome {
    const { store, queue } = this.#deps;
    const messages = store.mailActions.messages(ids);
    const folderOf = folderLookup(this.#deps);
    const imapAccounts: AccountId[] = [];
    const change = store.transaction(() => {
      const result = store.messages.setFlags(
        messages.map((m) => m.id),
        flag,
        value,
      );
      for (const [accountId, group] of groupByAccount(messages)) {
        if (!isImap(this.#deps, accountId)) continue;
        const changed = group.filter((m) => m.flags[flag] !== value);
        if (changed.length === 0) continue;
        queue.enqueue({
          accountId,
          kind: 'flags',
          params: { flag, value },
          messages: changed.map((m) => this.#onServer(m, folderOf(m.folderId))),
        });
        imapAccounts.push(accountId);
      }
      return result;
    });
    queue.announce(imapAccounts);
    return { count: change.changed, folderIds: change.folderIds, treeChanged: [] };
  }

  async move(ids: readonly MessageId[], folderId: FolderId): Promise<ActionOutcome> {
    const target = requireFolder(this.#deps, folderId);
    const messages = this.#deps.store.mailActions.messages(ids).filter((m) => m.folderId !== target.id);
    if (messages.length === 0) return NOTHING;
    const here = messages.filter((m) => m.accountId === target.accountId);
    const across = messages.filter((m) => m.accountId !== target.accountId);
    const folderIds = new Set<FolderId>([target.id, ...messages.map((m) => m.folderId)]);
    let count = 0;
    if (here.length > 0) {
      count += this.#deps.store.transaction(() => this.#moveWithinAccount(here, target));
      this.#deps.queue.announce(isImap(this.#deps, target.accountId) ? [target.accountId] : []);
    }
    if (across.length > 0) {
      // Copy first, then remove: if anything fails in between, the message exists twice, never zero times.
      await copyMessages(this.#deps, across, target);
      await this.#removeForGood(across);
      count += across.length;
    }
    return { count, folderIds: sortedIds(folderIds), treeChanged: [] };
  }

  async copy(ids: readonly MessageId[], folderId: FolderId): Promise<ActionOutcome> {
    const target = requireFolder(this.#deps, folderId);
    const messages = this.#deps.store.mailActions.messages(ids);
    if (messages.length === 0) return NOTHING;
    const copies = await copyMessages(this.#deps, messages, target);
    return { count: copies.size, folderIds: [target.id], treeChanged: [] };
  }

  /** To Trash, or for good when already in Trash or asked `permanently`. */
  async delete(ids: readonly MessageId[], permanently: boolean): Promise<ActionOutcome> {
    const messages = this.#deps.store.mailActions.messages(ids);
    if (messages.length === 0) return NOTHING;
    const forGood: StoredMessage[] = [];
    const toTrash = new Map<AccountId, StoredMessage[]>();
    for (const [accountId, group] of groupByAccount(messages)) {
      const trash = this.#deps.store.folders.findByRole(accountId, 'trash');
      for (const message of group) {
        if (permanently || message.folderId === trash?.id) forGood.push(message);
        else toTrash.set(accountId, [...(toTrash.get(accountId) ?? []), message]);
      }
    }
    const folderIds = new Set<FolderId>(messages.map((m) => m.folderId));
    const treeChanged: AccountId[] = [];
    if (toTrash.size > 0) {
      this.#deps.store.transaction(() => {
        for (const [accountId, group] of toTrash) {
          const { folder: trash, created } = ensureRoleFolder(this.#deps, accountId, 'trash');
          if (created) treeChanged.push(accountId);
          folderIds.add(trash.id);
          this.#moveWithinAccount(group, trash);
          // Deleting is "deleted here" for POP3's leave-on-server option, even while in Trash.
          this.#deps.store.pop3Uidls.markDeletedHere(group.map((m) => m.id));
        }
      });
      this.#deps.queue.announce([...toTrash.keys()].filter((id) => isImap(this.#deps, id)));
    }
    await this.#removeForGood(forGood);
    return { count: messages.length, folderIds: sortedIds(folderIds), treeChanged };
  }

  async archive(ids: readonly MessageId[]): Promise<ActionOutcome> {
    const messages = this.#deps.store.mailActions.messages(ids);
    if (messages.length === 0) return NOTHING;
    const folderIds = new Set<FolderId>(messages.map((m) => m.folderId));
    const treeChanged: AccountId[] = [];
    let count = 0;
    this.#deps.store.transaction(() => {
      for (const [accountId, group] of groupByAccount(messages)) {
        const { folder: archive, created } = ensureRoleFolder(this.#deps, accountId, 'archive');
        if (created) treeChanged.push(accountId);
        folderIds.add(archive.id);
        count += this.#moveWithinAccount(
          group.filter((m) => m.folderId !== archive.id),
          archive,
        );
      }
    });
    this.#deps.queue.announce([...groupByAccount(messages).keys()].filter((id) => isImap(this.#deps, id)));
    return { count, folderIds: sortedIds(folderIds), treeChanged };
  }

  /** Deletes everything in a Trash or Junk folder for good. */
  async empty(folderId: FolderId): Promise<ActionOutcome> {
    const folder = requireFolder(this.#deps, folderId);
    if (folder.role === null || !EMPTIABLE_ROLES.has(folder.role)) {
      throw new MailError('BAD_REQUEST', 'Only Trash and Junk folders can be emptied.', {
        detail: folder.path,
        retryable: false,
      });
    }
    const ids = this.#deps.store.mailActions.folderMessages(folder.id).map((m) => m.id);
    const messages = this.#deps.store.mailActions.messages(ids);
    await this.#removeForGood(messages);
    return { count: messages.length, folderIds: [folder.id], treeChanged: [] };
  }

  /** Moves rows within their account and queues the MOVE for IMAP; inside a transaction. */
  #moveWithinAccount(messages: readonly StoredMessage[], target: Folder): number {
    if (messages.length === 0) return 0;
    const folderOf = folderLookup(this.#deps);
    if (isImap(this.#deps, target.accountId)) {
      this.#deps.queue.enqueue({
        accountId: target.accountId,
        kind: 'move',
        params: { destination: target.path },
        messages: messages.map((m) => ({
          ...this.#onServer(m, folderOf(m.folderId)),
          targetMessageId: m.id,
        })),
      });
    }
    return this.#deps.store.mailActions.move(
      messages.map((m) => m.id),
      target.id,
    );
  }

  /** Deletes rows (and their files after the commit); IMAP queues \Deleted + UID EXPUNGE. */
  async #removeForGood(messages: readonly StoredMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const folderOf = folderLookup(this.#deps);
    const imapAccounts: AccountId[] = [];
    const removed = this.#deps.store.transaction(() => {
      for (const [accountId, group] of groupByAccount(messages)) {
        if (!isImap(this.#deps, accountId)) continue;
        this.#deps.queue.enqueue({
          accountId,
          kind: 'expunge',
          params: {},
          messages: group.map((m) => this.#onServer(m, folderOf(m.folderId))),
        });
        imapAccounts.push(accountId);
      }
      return this.#deps.store.mailActions.remove(messages.map((m) => m.id));
    });
    this.#deps.queue.announce(imapAccounts);
    await this.#removeFiles(removed.emlPaths);
  }

  /** Where a message is on the server now: its folder's path and its UID there (if known). */
  #onServer(message: StoredMessage, folder: Folder): PendingMessage {
    return { messageId: message.id, folderPath: folder.path, uid: message.imapUid, targetMessageId: null };
  }
}
