import type { ApiClient } from '../api/client';
import type { AccountView } from '../api/contract-types';

/** The accounts, in the main process's order; "Local Folders" is always there. */
export class AccountsState {
  readonly #api: ApiClient;
  #accounts = $state.raw<readonly AccountView[]>([]);

  constructor(api: ApiClient) {
    this.#api = api;
    // A folders.changed for an account we do not know means a new account.
    api.on('folders.changed', ({ accountId }) => {
      if (!this.#accounts.some((account) => account.id === accountId)) void this.load();
    });
    api.on('accounts.changed', () => void this.load());
  }

  get accounts(): readonly AccountView[] {
    return this.#accounts;
  }

  async load(): Promise<void> {
    this.#accounts = await this.#api.call('accounts.list', {});
  }
}
