/**
 * The UI's state graph, built once in main.ts: one rune class per concern, joined here where one
 * user action touches several (choosing a folder resets the list and closes the reader). The
 * components get this object and call its methods; none of them calls the API.
 */
import type { ApiClient } from '../api/client';
import type { SortSpec } from '../api/contract-types';
import type { ConnectionStatusSource } from '../api/transport';
import { defaultFolderId, importTargetFolderId } from '../folders/folder-tree';
import type { ImportSource } from '../import/chunked-import';
import { AccountSetupState } from './account-setup.svelte';
import { AccountsState } from './accounts.svelte';
import { AppState } from './app.svelte';
import { errorText } from './error-text';
import { FoldersState } from './folders.svelte';
import { ImportState } from './import.svelte';
import { MessageListState } from './message-list.svelte';
import { ReaderState } from './reader.svelte';

export class Workspace {
  readonly app: AppState;
  readonly accounts: AccountsState;
  readonly folders: FoldersState;
  readonly messages: MessageListState;
  readonly reader: ReaderState;
  readonly imports: ImportState;
  readonly accountSetup: AccountSetupState;
  #startError = $state<string | null>(null);
  #isStarted = $state(false);

  constructor(api: ApiClient, connection: ConnectionStatusSource | null) {
    this.app = new AppState(api, connection);
    this.accounts = new AccountsState(api);
    this.folders = new FoldersState(api);
    this.messages = new MessageListState(api);
    this.reader = new ReaderState(api);
    this.imports = new ImportState(api);
    this.accountSetup = new AccountSetupState(api);
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

  /** Where "Import messages" puts the files: see importTargetFolderId. */
  get importFolderId(): number | null {
    return importTargetFolderId(this.accounts.accounts, this.folders.folders, this.folders.selectedId);
  }

  async start(): Promise<void> {
    try {
      await Promise.all([this.app.load(), this.accounts.load(), this.folders.load()]);
      this.selectFolder(defaultFolderId(this.accounts.accounts, this.folders.folders));
      this.#isStarted = true;
      this.#startError = null;
    } catch (error) {
      this.#startError = errorText(error);
    }
  }

  async refresh(): Promise<void> {
    if (!this.#isStarted) return this.start();
    await Promise.all([this.accounts.load(), this.folders.load(), this.messages.reload()]);
  }

  selectFolder(folderId: number | null): void {
    if (folderId === this.folders.selectedId) return;
    this.folders.select(folderId);
    this.messages.show(folderId);
    this.reader.close();
  }

  selectMessage(index: number): void {
    this.messages.select(index);
  }

  async openMessage(index: number): Promise<void> {
    this.messages.select(index);
    const messageId = this.messages.selectedId;
    if (messageId === null) return;
    const message = await this.reader.open(messageId);
    if (message && !message.isSeen) this.messages.patchRow(message.id, { isSeen: true });
  }

  setSort(sort: SortSpec): void {
    this.messages.setSort(sort);
  }

  importFiles(files: readonly ImportSource[]): void {
    const folderId = this.importFolderId;
    if (folderId !== null) void this.imports.importFiles(folderId, files);
  }

  chooseAndImport(): void {
    const folderId = this.importFolderId;
    if (folderId !== null) void this.imports.chooseAndImport(folderId);
  }
}
