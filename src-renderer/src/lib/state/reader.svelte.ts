import type { ApiClient } from '../api/client';
import type { MessageView } from '../api/contract-types';
import { errorText } from './error-text';

/** The open message. Opening it marks it read, as every mail client does. */
export class ReaderState {
  readonly #api: ApiClient;
  #message = $state.raw<MessageView | null>(null);
  #openingId = $state<number | null>(null);
  #error = $state<string | null>(null);
  /** Bumped per open/close: a slow reply for a message the user already left is dropped. */
  #ticket = 0;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  get message(): MessageView | null {
    return this.#message;
  }

  get isLoading(): boolean {
    return this.#openingId !== null;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Resolves to the opened message, or null if it failed or another open superseded it. */
  async open(messageId: number): Promise<MessageView | null> {
    const ticket = ++this.#ticket;
    this.#openingId = messageId;
    this.#error = null;
    try {
      const message = await this.#api.call('message.open', { messageId });
      if (ticket !== this.#ticket) return null;
      this.#message = message;
      this.#openingId = null;
      if (!message.isSeen) void this.#markSeen(message);
      return message;
    } catch (error) {
      if (ticket !== this.#ticket) return null;
      this.#message = null;
      this.#openingId = null;
      this.#error = errorText(error);
      return null;
    }
  }

  close(): void {
    this.#ticket += 1;
    this.#message = null;
    this.#openingId = null;
    this.#error = null;
  }

  async #markSeen(message: MessageView): Promise<void> {
    try {
      await this.#api.call('flags.set', { messageIds: [message.id], flag: 'seen', value: true });
      if (this.#message?.id === message.id) this.#message = { ...this.#message, isSeen: true };
    } catch (error) {
      // Reading still works; the message simply stays unread. Say so where the message is shown.
      if (this.#message?.id === message.id) this.#error = errorText(error);
    }
  }
}
