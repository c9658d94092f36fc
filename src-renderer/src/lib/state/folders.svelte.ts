import type { ApiClient } from '../api/client';
import type { FolderView } from '../api/contract-types';
import { withCounts } from '../folders/folder-tree';
import { errorText } from './error-text';

/** Every account's folders with their counts, and which folder is selected. */
export class FoldersState {
  readonly #api: ApiClient;
  #folders = $state.raw<readonly FolderView[]>([]);
  #selectedId = $state<number | null>(null);
  #error = $state<string | null>(null);
  #selected = $derived(this.#folders.find((folder) => folder.id === this.#selectedId) ?? null);
  readonly #loadedListeners: Array<() => void> = [];

  constructor(api: ApiClient) {
    this.#api = api;
    api.on('counts.changed', ({ folders }) => {
      this.#folders = withCounts(this.#folders, folders);
    });
    api.on('folders.changed', () => void this.load());
  }

  get folders(): readonly FolderView[] {
    return this.#folders;
  }

  get selectedId(): number | null {
    return this.#selectedId;
  }

  get selected(): FolderView | null {
    return this.#selected;
  }

  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    try {
      this.#folders = await this.#api.call('folders.list', {});
      this.#error = null;
      for (const listener of this.#loadedListeners) listener();
    } catch (error) {
      this.#error = errorText(error);
    }
  }

  /** Called after every successful load (a new account's folders appear this way). */
  onLoaded(listener: () => void): void {
    this.#loadedListeners.push(listener);
  }

  select(folderId: number | null): void {
    this.#selectedId = folderId;
  }
}
