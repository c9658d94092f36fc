/**
 * Pushed events (sync progress, counts, new mail): engines emit, transports forward to every
 * connected UI. Payloads are typed by the contract.
 */
import type { EventName, EventPayload } from './contract';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, payload);
      } catch {
        // One broken transport must not stop events reaching the others.
      }
    }
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
