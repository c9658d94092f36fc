import type { WireReply } from './contract-types';

/** Receives every event the main process pushes, untyped; ApiClient adds the types. */
export type TransportListener = (event: string, payload: unknown) => void;

/**
 * What moves API calls and events between the renderer and the main process. Both transports
 * (Electron IPC and browser mode's WebSocket) carry the same `{ ok, result | error }` replies and
 * never reject: a lost connection is a reply with code CONNECTION_LOST.
 */
export interface Transport {
  call(method: string, params: unknown): Promise<WireReply>;
  /** Returns the function that unsubscribes. */
  on(listener: TransportListener): () => void;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** A transport whose connection can drop (browser mode); IPC is always connected. */
export interface ConnectionStatusSource {
  readonly connectionState: ConnectionState;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
}
