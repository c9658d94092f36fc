/**
 * "Search on server": for IMAP folders whose bodies are not all here, the query runs as UID SEARCH
 * on the server (one short session per account, folders one after another), and the messages it
 * finds that are stored here (as headers at least) join the local results of the same query.
 * What the server cannot say (has:attachment exactly) is approximated; in: and account: choose the
 * folders searched.
 */
import type { Account } from '../domain/account';
import { MailError } from '../domain/errors';
import type { Folder } from '../domain/folder';
import type { AccountId } from '../domain/ids';
import type { ImapSession } from '../protocols/imap';
import { searchMailbox, type ServerCriterion } from '../protocols/imap/criteria-search';
import type { SqliteMailStore } from '../store/mail-store';
import type { QueryNode } from './query-ast';
import { parseQuery } from './query-parser';
import { accountIds, folderIds, type QueryCatalog } from './query-plan';
import type { LocalSearch, SearchScope } from './search-service';

/** Folders searched per request: a server search is a deliberate, bounded action. */
export const MAX_SERVER_FOLDERS = 100;

/** Opens an authenticated session to an account's IMAP server; the caller logs out. */
export type ImapOpener = (accountId: AccountId) => Promise<ImapSession>;

export interface ServerSearchOutcome {
  found: number;
  searchedFolders: number;
  failures: string[];
}

export type ServerSearchStore = Pick<SqliteMailStore, 'folders' | 'accounts' | 'search'>;

export function toServerCriterion(node: QueryNode): ServerCriterion {
  switch (node.kind) {
    case 'text':
      switch (node.field) {
        case 'any':
          return { kind: 'text', field: 'text', value: node.text };
        case 'from':
          return { kind: 'text', field: 'from', value: node.text };
        case 'subject':
          return { kind: 'text', field: 'subject', value: node.text };
        case 'to':
          return {
            kind: 'or',
            criteria: [
              { kind: 'text', field: 'to', value: node.text },
              { kind: 'text', field: 'cc', value: node.text },
            ],
          };
      }
      break;
    case 'has-attachment':
      return { kind: 'has-attachment' };
    case 'flag':
      switch (node.flag) {
        case 'unread':
          return { kind: 'seen', value: false };
        case 'read':
          return { kind: 'seen', value: true };
        case 'flagged':
          return { kind: 'flagged', value: true };
        case 'unflagged':
          return { kind: 'flagged', value: false };
      }
      break;
    case 'date':
      return { kind: node.bound === 'before' ? 'before' : 'since', date: new Date(node.ms) };
    // Which folders are searched is decided by targetFolders.
    case 'folder':
    case 'account':
      return { kind: 'all' };
    case 'not':
      return { kind: 'not', criterion: toServerCriterion(node.node) };
    case 'and':
    case 'or':
      return { kind: node.kind, criteria: node.nodes.map(toServerCriterion) };
  }
  return { kind: 'all' };
}

/** IMAP folders in scope, narrowed by top-level in: and account: parts of the query. */
export function targetFolders(
  root: QueryNode,
  scope: SearchScope,
  folders: readonly Folder[],
  accounts: readonly Account[],
): Folder[] {
  const imapAccounts = new Set(accounts.filter((a) => a.kind === 'imap').map((a) => a.id as number));
  let targets = folders.filter((folder) => imapAccounts.has(folder.accountId));
  if (scope.kind === 'folder') targets = targets.filter((folder) => folder.id === scope.folderId);
  const catalog: QueryCatalog = { folders, accounts };
  for (const node of root.kind === 'and' ? root.nodes : [root]) {
    if (node.kind === 'folder') {
      const wanted = new Set(folderIds(catalog, node.name));
      targets = targets.filter((folder) => wanted.has(folder.id));
    } else if (node.kind === 'account') {
      const wanted = new Set(accountIds(catalog, node.name));
      targets = targets.filter((folder) => wanted.has(folder.accountId));
    }
  }
  return targets.slice(0, MAX_SERVER_FOLDERS);
}

export class ServerSearch {
  constructor(
    private readonly store: ServerSearchStore,
    private readonly local: LocalSearch,
    private readonly openImap: ImapOpener,
  ) {}

  async run(query: string, scope: SearchScope): Promise<ServerSearchOutcome> {
    const parsed = parseQuery(query);
    if (parsed.root === null) return { found: 0, searchedFolders: 0, failures: [] };
    const accounts = this.store.accounts.list();
    const folders = targetFolders(parsed.root, scope, this.store.folders.list(), accounts);
    const criterion = toServerCriterion(parsed.root);
    const byAccount = new Map<AccountId, Folder[]>();
    for (const folder of folders)
      byAccount.set(folder.accountId, [...(byAccount.get(folder.accountId) ?? []), folder]);

    const found: number[] = [];
    const failures: string[] = [];
    let searchedFolders = 0;
    for (const [accountId, accountFolders] of byAccount) {
      const name = accounts.find((account) => account.id === accountId)?.displayName ?? String(accountId);
      let session: ImapSession;
      try {
        session = await this.openImap(accountId);
      } catch (error) {
        failures.push(`${name}: ${errorText(error)}`);
        continue;
      }
      try {
        for (const folder of accountFolders) {
          const uids = await searchMailbox(session, folder.path, criterion);
          found.push(...this.store.search.idsForUids(folder.id, uids));
          searchedFolders += 1;
        }
      } catch (error) {
        failures.push(`${name}: ${errorText(error)}`);
      } finally {
        await session.logout();
      }
    }
    this.local.addServerMatches(query, scope, found);
    return { found: new Set(found).size, searchedFolders, failures };
  }
}

function errorText(error: unknown): string {
  return error instanceof MailError ? error.message : 'The server could not be searched.';
}
