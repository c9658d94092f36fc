import type { ApiClient } from '../api/client';
import { errorText } from './error-text';

/**
 * The senders whose mail loads remote content without asking ("Always for this sender"), as
 * Settings lists them, and their removal. Loaded when Settings opens, since the reader's bar is
 * where senders are added.
 */
export class AllowedSendersState {
  readonly #api: ApiClient;
  readonly #onremoved: (address: string) => void;
  #addresses = $state.raw<readonly string[]>([]);
  #isLoaded = $state(false);
  #removing = $state<string | null>(null);
  #error = $state<string | null>(null);
  /** Bumped per load: a slow list reply never overwrites a newer one. */
  #ticket = 0;

  /** `onremoved` lets the reader show an open message of that sender blocked again. */
  constructor(api: ApiClient, onremoved: (address: string) => void) {
    this.#api = api;
    this.#onremoved = onremoved;
  }

  /** Lower-cased addresses, sorted. */
  get addresses(): readonly string[] {
    return this.#addresses;
  }

  get isLoaded(): boolean {
    return this.#isLoaded;
  }

  /** The address being removed, to disable its button meanwhile. */
  get removing(): string | null {
    return this.#removing;
  }

  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    const ticket = ++this.#ticket;
    this.#error = null;
    try {
      const senders = await this.#api.call('remoteContent.listSenders', {});
      if (ticket !== this.#ticket) return;
      this.#addresses = senders.map((sender) => sender.address);
      this.#isLoaded = true;
    } catch (error) {
      if (ticket === this.#ticket) this.#error = errorText(error);
    }
  }

  /** Resolves to true when the sender is off the list (also when someone else removed it first). */
  async remove(address: string): Promise<boolean> {
    if (this.#removing !== null) return false;
    this.#removing = address;
    this.#error = null;
    try {
      await this.#api.call('remoteContent.revokeSender', { address });
      this.#ticket += 1;
      this.#addresses = this.#addresses.filter((entry) => entry !== address);
      this.#onremoved(address);
      return true;
    } catch (error) {
      this.#error = errorText(error);
      return false;
    } finally {
      this.#removing = null;
    }
  }
}
