/** Handlers for search-contract.ts: local search, server search, index rebuild and status. */
import { MailError } from '../domain/errors';
import { asFolderId } from '../domain/ids';
import type { SearchSystem } from '../search/search-system';
import type { SqliteMailStore } from '../store/mail-store';
import type { ApiHandlers, ListRow } from './contract';
import type { searchMethods } from './search-contract';
import { messageRow } from './views';

type SearchHandlers = Pick<ApiHandlers, keyof typeof searchMethods>;

export interface SearchHandlerDeps {
  store: Pick<SqliteMailStore, 'folders' | 'search'>;
  search: SearchSystem;
}

export function createSearchHandlers({ store, search }: SearchHandlerDeps): SearchHandlers {
  const requireScope = (scope: { kind: 'all' } | { kind: 'folder'; folderId: number }): void => {
    if (scope.kind === 'folder' && !store.folders.get(asFolderId(scope.folderId))) {
      throw new MailError('NOT_FOUND', 'That folder no longer exists.');
    }
  };

  return {
    'search.run': async ({ query, scope, order, offset, limit }) => {
      requireScope(scope);
      const outcome = search.local.run({ query, scope, order, offset, limit });
      return {
        ...outcome,
        // One message per row: the conversation view's thread fields are those of a lone message.
        rows: outcome.rows.map((message): ListRow => ({
          ...messageRow(message),
          threadSize: 1,
          threadUnread: message.flags.seen ? 0 : 1,
        })),
      };
    },

    'search.server': async ({ query, scope }) => {
      requireScope(scope);
      if (!search.server) {
        throw new MailError('BAD_REQUEST', 'Searching on the server is not available here.', {
          retryable: false,
        });
      }
      return search.server.run(query, scope);
    },

    'search.rebuild': async () => {
      const done = search.indexer.rebuild();
      done.catch(() => undefined); // failures arrive as a 'failed' search.progress event
      return { queued: store.search.pendingCount() };
    },

    'search.status': async () => ({ pending: store.search.pendingCount() }),
  };
}
