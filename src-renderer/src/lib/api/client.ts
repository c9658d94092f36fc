import type { EventName, EventPayload, MethodName, ParamsOf, ResultOf } from './contract-types';
import { ApiError } from './errors';
import type { Transport } from './transport';

type PayloadListener = (payload: unknown) => void;

/**
 * The typed face of the API: `call` resolves to the method's result or throws an ApiError with the
 * main process's WireError; `on` delivers one event's payloads. One transport subscription feeds
 * every listener, so adding a listener costs nothing on the wire.
 */
export class ApiClient {
  readonly #transport: Transport;
  readonly #listeners = new Map<string, Set<PayloadListener>>();

  constructor(transport: Transport) {
    this.#transport = transport;
    transport.on((event, payload) => {
      const listeners = this.#listeners.get(event);
      if (!listeners) return;
      for (const listener of [...listeners]) {
        try {
          listener(payload);
        } catch (error) {
          // One broken listener must not keep the event from the others.
          reportListenerFailure(event, error);
        }
      }
    });
  }

  async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    const reply = await this.#transport.call(method, params);
    if (!reply.ok) throw new ApiError(reply.error);
    // The main process validated the params and built the result from the same contract.
    return reply.result as ResultOf<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let listeners = this.#listeners.get(event);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(event, listeners);
    }
    // Payloads are emitted by the main process through the contract's typed EventBus.
    const untyped = listener as PayloadListener;
    listeners.add(untyped);
    return () => {
      listeners.delete(untyped);
    };
  }
}

function reportListenerFailure(event: string, error: unknown): void {
  queueMicrotask(() => {
    throw new Error(`A listener for "${event}" failed`, { cause: error });
  });
}
