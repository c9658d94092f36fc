/**
 * Electron's transport: the two functions the sandboxed preload exposes as `window.estafeta`
 * (src-main/app/preload.ts). The main process answers every call with a WireReply; a rejected
 * invoke (the main process gone) becomes a CONNECTION_LOST reply like on the WebSocket.
 */
import type { WireReply } from './contract-types';
import { connectionLostError } from './errors';
import type { Transport, TransportListener } from './transport';

export interface EstafetaBridge {
  call(method: string, params: unknown): Promise<WireReply>;
  on(listener: TransportListener): () => void;
}

declare global {
  interface Window {
    /** Present only inside the Electron app; browser mode talks over a WebSocket instead. */
    estafeta?: EstafetaBridge;
  }
}

export class IpcTransport implements Transport {
  readonly #bridge: EstafetaBridge;

  constructor(bridge: EstafetaBridge) {
    this.#bridge = bridge;
  }

  async call(method: string, params: unknown): Promise<WireReply> {
    try {
      return await this.#bridge.call(method, params);
    } catch {
      return { ok: false, error: connectionLostError() };
    }
  }

  on(listener: TransportListener): () => void {
    return this.#bridge.on(listener);
  }
}
