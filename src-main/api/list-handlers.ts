/** Handlers for list-contract.ts: the unified Inbox and the conversation view, over MessageQueries. */
import { MailError } from '../domain/errors';
import { asFolderId, asMessageId, type FolderId, type MessageId } from '../domain/ids';
import type { MessageSummary } from '../domain/message';
import type { SqliteMailStore } from '../store/mail-store';
import type { ApiHandlers } from './contract';
import type { ListRow, ListScope, listMethods } from './list-contract';
import { messageRow } from './views';

type ListHandlers = Pick<ApiHandlers, keyof typeof listMethods>;

function listRow(
  message: MessageSummary,
  threadSize = 1,
  threadUnread = message.flags.seen ? 0 : 1,
): ListRow {
  return { ...messageRow(message), threadSize, threadUnread };
}

/** The folders a scope covers; a folder that is gone is NOT_FOUND, as in messages.page. */
function foldersOfScope(store: SqliteMailStore, scope: ListScope): FolderId[] {
  if ('folderId' in scope) {
    const folder = store.folders.get(asFolderId(scope.folderId));
    if (!folder) throw new MailError('NOT_FOUND', 'That folder no longer exists.');
    return [folder.id];
  }
  return store.folders
    .list()
    .filter((folder) => folder.role === 'inbox')
    .map((folder) => folder.id);
}

/** Every message of a scope but `except` ("select all" in the list, then an action). */
export function messagesInScope(
  store: SqliteMailStore,
  scope: ListScope,
  except: readonly number[],
): MessageId[] {
  const left = new Set(except);
  const ids: MessageId[] = [];
  for (const folderId of foldersOfScope(store, scope)) {
    for (const { id } of store.mailActions.folderMessages(folderId)) if (!left.has(id)) ids.push(id);
  }
  return ids;
}

export function createListHandlers(store: SqliteMailStore): ListHandlers {
  const { queries } = store;
  const foldersOf = (scope: ListScope): FolderId[] => foldersOfScope(store, scope);

  return {
    'messages.listPage': async ({ scope, threaded, offset, limit, sort }) => {
      const folderIds = foldersOf(scope);
      if (threaded) {
        const page = queries.threadPage(folderIds, offset, limit, sort);
        return { total: page.total, rows: page.rows.map((t) => listRow(t.latest, t.size, t.unread)) };
      }
      let total = 0;
      for (const counts of store.messages.countsFor(folderIds).values()) total += counts.total;
      const page = queries.pageAcross(folderIds, total, offset, limit, sort);
      return { total: page.total, rows: page.rows.map((message) => listRow(message)) };
    },

    'messages.threadMembers': async ({ messageIds, scope }) => ({
      rows: queries.threadMembersOf(messageIds.map(asMessageId), foldersOf(scope)).map((m) => listRow(m)),
    }),
  };
}
