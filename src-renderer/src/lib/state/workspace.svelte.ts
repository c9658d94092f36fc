/**
 * The UI's state graph, built once in main.ts: one rune class per concern, joined here where one
 * user action touches several (choosing a folder resets the list and closes the reader; deleting
 * moves the selection on). The components get this object and call its methods; none of them
 * calls the API.
 */
import type { ApiClient } from '../api/client';
import type { ListRow, SortSpec } from '../api/contract-types';
import type { ConnectionStatusSource } from '../api/transport';
import { defaultFolderId, importTargetFolderId } from '../folders/folder-tree';
import type { ImportSource } from '../import/chunked-import';
import { idSet, uniqueIds } from '../list/id-collections';
import { folderSource } from '../list/list-source';
import type { SelectMode } from '../list/selection';
import { AccountSettingsState } from './account-settings.svelte';
import { AccountSetupState } from './account-setup.svelte';
import { AccountsState } from './accounts.svelte';
import { AppState } from './app.svelte';
import { openComposer } from './composer.svelte';
import { browserNotificationHost, DesktopNotifier, type NotificationHost } from './desktop-notifier';
import { errorText } from './error-text';
import { FolderActionsState } from './folder-actions.svelte';
import { FoldersState } from './folders.svelte';
import { ImportState } from './import.svelte';
import { MessageListState } from './message-list.svelte';
import { PreferencesState, type PreferenceStorage } from './preferences.svelte';
import { ReaderState } from './reader.svelte';
import { SearchState } from './search.svelte';
import { SyncStatusState } from './sync-status.svelte';

/** What the workspace takes from the browser; tests and the bench pass their own. */
export interface WorkspaceEnvironment {
  storage: PreferenceStorage | null;
  systemLanguage: string | undefined;
  notifications: NotificationHost;
}

export type MessageAction =
  'delete' | 'archive' | 'move' | 'copy' | 'markUnread' | 'markRead' | 'flag' | 'unflag';

function browserEnvironment(): WorkspaceEnvironment {
  let storage: PreferenceStorage | null = null;
  try {
    storage = typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Storage disabled: preferences last for this window only.
  }
  return {
    storage,
    systemLanguage: typeof navigator === 'undefined' ? undefined : navigator.language,
    notifications: browserNotificationHost(),
  };
}

export class Workspace {
  readonly app: AppState;
  readonly accounts: AccountsState;
  readonly folders: FoldersState;
  readonly messages: MessageListState;
  readonly reader: ReaderState;
  /** The search box and its results (issue 8). */
  readonly search: SearchState;
  /** New/rename/delete folder, Empty Trash, messages dropped on a folder (folder-actions.svelte.ts). */
  readonly folderActions: FolderActionsState;
  readonly imports: ImportState;
  readonly accountSetup: AccountSetupState;
  readonly accountSettings: AccountSettingsState;
  readonly preferences: PreferencesState;
  readonly sync: SyncStatusState;
  readonly notifier: DesktopNotifier;
  readonly #api: ApiClient;
  #startError = $state<string | null>(null);
  #isStarted = $state(false);
  #actionError = $state<string | null>(null);
  #inboxIds = $derived(idSet(this.#inboxes().map((folder) => folder.id)));
  #inboxUnread = $derived(this.#inboxes().reduce((sum, folder) => sum + folder.unread, 0));
  /** An account just added whose Inbox is to be shown once its first folder sync lists it. */
  #inboxToShowOf: number | null = null;

  constructor(
    api: ApiClient,
    connection: ConnectionStatusSource | null,
    environment: WorkspaceEnvironment = browserEnvironment(),
  ) {
    this.#api = api;
    this.app = new AppState(api, connection);
    this.accounts = new AccountsState(api);
    this.folders = new FoldersState(api);
    this.messages = new MessageListState(api);
    this.reader = new ReaderState(api);
    this.search = new SearchState(api, this.reader);
    this.folderActions = new FolderActionsState(api);
    this.imports = new ImportState(api);
    this.accountSetup = new AccountSetupState(api);
    this.accountSettings = new AccountSettingsState(api);
    this.preferences = new PreferencesState(environment.storage, environment.systemLanguage);
    this.notifier = new DesktopNotifier(
      environment.notifications,
      (folderId) => this.folders.folders.find((folder) => folder.id === folderId)?.name ?? null,
    );
    this.sync = new SyncStatusState(api, this.notifier);
    this.messages.setThreaded(this.preferences.isThreaded);
    // A deleted or moved message hands the reader to the one that took its place.
    this.messages.onFocusedChange((messageId) => {
      if (messageId === null) this.reader.close();
      else if (this.messages.selectedCount === 1) void this.#openInReader(messageId);
    });
    this.folders.onLoaded(() => this.#showPendingInbox());
    // Events sent while the socket was down are lost, so fetch again after a reconnection; a start
    // that failed while offline gets another go.
    let hasBeenConnected = connection?.connectionState === 'connected';
    connection?.onConnectionChange((state) => {
      if (state !== 'connected') return;
      if (hasBeenConnected || this.#startError !== null) void this.refresh();
      hasBeenConnected = true;
    });
  }

  get isStarted(): boolean {
    return this.#isStarted;
  }

  get startError(): string | null {
    return this.#startError;
  }

  /** The last toolbar action that failed, in words; cleared by the next action or dismissal. */
  get actionError(): string | null {
    return this.#actionError;
  }

  /** Unread messages over every account's Inbox (the "All Inboxes" badge). */
  get inboxUnread(): number {
    return this.#inboxUnread;
  }

  get hasInboxes(): boolean {
    return this.#inboxIds.size > 0;
  }

  /** Where "Import messages" puts the files: see importTargetFolderId. */
  get importFolderId(): number | null {
    return importTargetFolderId(this.accounts.accounts, this.folders.folders, this.folders.selectedId);
  }

  async start(): Promise<void> {
    try {
      await Promise.all([this.app.load(), this.accounts.load(), this.folders.load(), this.#loadSyncStatus()]);
      this.messages.setInboxIds(this.#inboxIds);
      this.#showFirstFolder();
      this.#isStarted = true;
      this.#startError = null;
    } catch (error) {
      this.#startError = errorText(error);
    }
  }

  async refresh(): Promise<void> {
    if (!this.#isStarted) return this.start();
    await Promise.all([
      this.accounts.load(),
      this.folders.load(),
      this.messages.reload(),
      this.#loadSyncStatus(),
    ]);
    this.messages.setInboxIds(this.#inboxIds);
  }

  /** The folder shown last in this window if it still exists, else the default (folder-tree.ts). */
  #showFirstFolder(): void {
    const last = this.preferences.lastShownFolder;
    if (last === 'all-inboxes' && this.hasInboxes) this.selectAllInboxes();
    else if (typeof last === 'number' && this.folders.folders.some((folder) => folder.id === last)) {
      this.selectFolder(last);
    } else this.selectFolder(defaultFolderId(this.accounts.accounts, this.folders.folders));
  }

  /**
   * After "Add account": the new account's Inbox is what the user wants to see, at once for POP3
   * (its folders are local) or when the first IMAP folder sync lists it. A folder the user picks
   * meanwhile wins.
   */
  showInboxOf(accountId: number): void {
    this.#inboxToShowOf = accountId;
    this.#showPendingInbox();
  }

  #showPendingInbox(): void {
    const accountId = this.#inboxToShowOf;
    if (accountId === null) return;
    const inbox = this.folders.folders.find((f) => f.accountId === accountId && f.role === 'inbox');
    if (inbox === undefined) return;
    this.selectFolder(inbox.id);
  }

  selectFolder(folderId: number | null): void {
    this.#inboxToShowOf = null;
    this.#endSearchAcrossAllMail();
    if (folderId !== null) this.preferences.rememberShownFolder(folderId);
    this.messages.setInboxIds(this.#inboxIds);
    if (folderId === this.folders.selectedId && !this.messages.isAllInboxes) return;
    this.folders.select(folderId);
    this.messages.show(folderId === null ? null : folderSource(folderId));
    this.reader.close();
  }

  selectAllInboxes(): void {
    this.#inboxToShowOf = null;
    this.#endSearchAcrossAllMail();
    this.preferences.rememberShownFolder('all-inboxes');
    this.messages.setInboxIds(this.#inboxIds);
    if (this.messages.isAllInboxes) return;
    this.folders.select(null);
    this.messages.showAllInboxes();
    this.reader.close();
  }

  /**
   * Picking a folder is asking to see it: an "All mail" search would otherwise stay on screen with
   * only the sidebar's highlight moved. A "This folder" search follows the folder instead
   * (SearchState.setFolder), the way a filter does.
   */
  #endSearchAcrossAllMail(): void {
    if (this.search.isActive && this.search.scopeKind === 'all') this.search.clear();
  }

  /** Selects a row as a click with these modifiers would; a single selection opens in the reader. */
  async selectMessage(index: number, mode: SelectMode = 'single'): Promise<void> {
    await this.messages.select(index, mode);
    const messageId = this.messages.selectedId;
    if (mode === 'single' && messageId !== null) await this.#openInReader(messageId);
  }

  async openMessage(index: number): Promise<void> {
    await this.selectMessage(index, 'single');
    // A draft opens where it is edited: the composer (issue 6).
    const messageId = this.messages.selectedId;
    if (this.folders.selected?.role === 'drafts' && messageId !== null)
      openComposer({ kind: 'draft', messageId });
  }

  setSort(sort: SortSpec): void {
    this.messages.setSort(sort);
  }

  setThreaded(isThreaded: boolean): void {
    this.preferences.setThreaded(isThreaded);
    this.messages.setThreaded(isThreaded);
    this.reader.close();
  }

  importFiles(files: readonly ImportSource[]): void {
    const folderId = this.importFolderId;
    if (folderId !== null) void this.imports.importFiles(folderId, files);
  }

  chooseAndImport(): void {
    const folderId = this.importFolderId;
    if (folderId !== null) void this.imports.chooseAndImport(folderId);
  }

  /** "Get mail". The first one also asks, once, whether new mail may show a desktop notification. */
  async getMail(): Promise<void> {
    this.#actionError = null;
    void this.notifier.askPermission();
    await this.sync.checkAll();
  }

  compose(): void {
    openComposer({ kind: 'new' });
  }

  respond(kind: 'reply' | 'replyAll' | 'forward'): void {
    const messageId = this.messages.selectedId;
    if (messageId !== null) openComposer({ kind, messageId });
  }

  /** Whether every selected (loaded) message is unread: then "u" marks them read instead. */
  get isSelectionUnread(): boolean {
    return this.#isEverySelected((row) => !row.isSeen);
  }

  /** Whether every selected (loaded) message is flagged: then "Flag" (s) unflags them instead. */
  get isSelectionFlagged(): boolean {
    return this.#isEverySelected((row) => row.isFlagged);
  }

  #isEverySelected(test: (row: ListRow) => boolean): boolean {
    if (this.messages.isAllSelected) return this.messages.isLoadedSelectionAll(test);
    const ids = this.messages.selectedIds;
    return (
      ids.length > 0 &&
      ids.every((id) => {
        const row = this.messages.loadedRow(id);
        return row !== undefined && test(row);
      })
    );
  }

  async toggleUnread(): Promise<void> {
    await this.act(this.isSelectionUnread ? 'markRead' : 'markUnread');
  }

  async toggleFlag(): Promise<void> {
    await this.act(this.isSelectionFlagged ? 'unflag' : 'flag');
  }

  /** Runs a toolbar action on the selected messages (whole threads in the conversation view). */
  async act(action: MessageAction, targetFolderId?: number): Promise<void> {
    this.#actionError = null;
    try {
      if (this.messages.isAllSelected) {
        await this.#actOnAll(action, targetFolderId);
        return;
      }
      const messageIds = await this.#selectedMessageIds();
      if (messageIds.length === 0) return;
      switch (action) {
        case 'delete':
          await this.#api.call('messages.delete', { messageIds });
          break;
        case 'archive':
          await this.#api.call('messages.archive', { messageIds });
          break;
        case 'move':
          if (targetFolderId === undefined) return;
          await this.#api.call('messages.move', { messageIds, folderId: targetFolderId });
          break;
        case 'copy':
          if (targetFolderId === undefined) return;
          await this.#api.call('messages.copy', { messageIds, folderId: targetFolderId });
          break;
        case 'markUnread':
        case 'markRead': {
          const isSeen = action === 'markRead';
          for (const id of messageIds) this.messages.patchRow(id, { isSeen });
          await this.#api.call('flags.set', { messageIds, flag: 'seen', value: isSeen });
          break;
        }
        case 'flag':
        case 'unflag': {
          const isFlagged = action === 'flag';
          for (const id of messageIds) this.messages.patchRow(id, { isFlagged });
          await this.#api.call('flags.set', { messageIds, flag: 'flagged', value: isFlagged });
          break;
        }
      }
    } catch (error) {
      this.#actionError = errorText(error);
    }
  }

  dismissActionError(): void {
    this.#actionError = null;
  }

  /** "Select all" (Ctrl+A): main applies the action to the source's messages but the exceptions. */
  async #actOnAll(action: MessageAction, targetFolderId?: number): Promise<void> {
    const source = this.messages.source;
    const needsTarget = action === 'move' || action === 'copy';
    if (source === null || (needsTarget && targetFolderId === undefined)) return;
    const except = await this.#selectedMessageIds(this.messages.excludedIds);
    const scope = source.kind === 'folder' ? { folderId: source.folderId } : { allInboxes: true as const };
    // Patched before the call, as for a plain selection: a quick second "u" must see the new state.
    if (action === 'markRead' || action === 'markUnread') {
      this.messages.patchSelectedRows({ isSeen: action === 'markRead' });
    }
    if (action === 'flag' || action === 'unflag')
      this.messages.patchSelectedRows({ isFlagged: action === 'flag' });
    await this.#api.call('messages.actOnAll', { scope, except, action, folderId: targetFolderId });
  }

  async #selectedMessageIds(ids = this.messages.selectedIds): Promise<number[]> {
    const source = this.messages.source;
    if (ids.length === 0 || source === null || !this.messages.isThreaded) return ids;
    // A message shown inside an open thread is acted on alone; a thread's row stands for the thread.
    const alone = ids.filter((id) => this.messages.isThreadMemberId(id));
    ids = ids.filter((id) => !this.messages.isThreadMemberId(id));
    if (ids.length === 0) return alone;
    const scope = source.kind === 'folder' ? { folderId: source.folderId } : { allInboxes: true as const };
    const members: number[] = [];
    for (let at = 0; at < ids.length; at += 500) {
      const { rows } = await this.#api.call('messages.threadMembers', {
        messageIds: ids.slice(at, at + 500),
        scope,
      });
      for (const row of rows) members.push(row.id);
    }
    return uniqueIds([...members, ...alone]);
  }

  async #openInReader(messageId: number): Promise<void> {
    const message = await this.reader.open(messageId);
    if (message && !message.isSeen) this.messages.patchRow(message.id, { isSeen: true });
  }

  async #loadSyncStatus(): Promise<void> {
    try {
      await this.sync.load();
    } catch {
      // The status bar can do without it; sync.state events fill it in.
    }
  }

  #inboxes() {
    return this.folders.folders.filter((folder) => folder.role === 'inbox');
  }
}
