/**
 * Browser mode's transport: one WebSocket to the server that served the page. Frames are JSON:
 * `{ id, method, params }` out, `{ id, reply }` and `{ event, payload }` in (src-main/api/ws.ts).
 * The token travels as a subprotocol entry, since a browser WebSocket cannot set headers.
 *
 * When the socket drops, calls already sent get a CONNECTION_LOST reply (they may or may not have
 * run, so they are not resent), calls made meanwhile wait for the reconnection for a bounded time,
 * and reconnecting backs off up to a cap so a stopped server is not hammered.
 */
import type { WireReply } from './contract-types';
import { connectionLostError } from './errors';
import type { ConnectionState, ConnectionStatusSource, Transport, TransportListener } from './transport';

export const API_PATH = '/api';
export const PROTOCOL = 'estafeta.v1';
const TOKEN_PROTOCOL_PREFIX = 'token.';

export const RECONNECT_BASE_DELAY_MS = 250;
export const RECONNECT_MAX_DELAY_MS = 8_000;
/** How long a call made while disconnected waits for the connection to come back. */
export const QUEUED_CALL_TIMEOUT_MS = 20_000;

/** What the transport needs from a socket; `browserSocket` adapts the DOM WebSocket. */
export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  onClose(): void;
}
export interface SocketHandle {
  send(text: string): void;
  close(): void;
}
export type SocketFactory = (url: string, protocols: string[], handlers: SocketHandlers) => SocketHandle;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WebSocketTransportOptions {
  /** e.g. `ws://127.0.0.1:4123/api` */
  url: string;
  token: string;
  createSocket?: SocketFactory;
  timers?: Timers;
}

interface PendingCall {
  frame: string;
  resolve(reply: WireReply): void;
  isSent: boolean;
  queueTimer: unknown;
}

export function apiUrl(host: string): string {
  return `ws://${host}${API_PATH}`;
}

/** The exponential backoff before reconnect attempt `attempt` (0-based), capped. */
export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_BASE_DELAY_MS * 2 ** Math.min(attempt, 16));
}

export const browserSocket: SocketFactory = (url, protocols, handlers) => {
  const socket = new WebSocket(url, protocols);
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') handlers.onMessage(event.data);
  };
  socket.onclose = () => handlers.onClose();
  return {
    send: (text) => socket.send(text),
    close: () => socket.close(),
  };
};

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export class WebSocketTransport implements Transport, ConnectionStatusSource {
  readonly #url: string;
  readonly #protocols: string[];
  readonly #createSocket: SocketFactory;
  readonly #timers: Timers;
  readonly #pending = new Map<number, PendingCall>();
  readonly #eventListeners = new Set<TransportListener>();
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();
  #socket: SocketHandle | null = null;
  #isOpen = false;
  #state: ConnectionState = 'connecting';
  #nextId = 1;
  #failedAttempts = 0;
  #reconnectTimer: unknown = null;
  #isClosed = false;

  constructor(options: WebSocketTransportOptions) {
    this.#url = options.url;
    this.#protocols = [PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${options.token}`];
    this.#createSocket = options.createSocket ?? browserSocket;
    this.#timers = options.timers ?? defaultTimers;
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  connect(): void {
    if (this.#isClosed || this.#socket !== null) return;
    // Each socket gets its own handlers so late callbacks from a replaced socket are ignored.
    const socket: SocketHandle = this.#createSocket(this.#url, this.#protocols, {
      onOpen: () => {
        if (this.#socket === socket) this.#opened();
      },
      onMessage: (text) => {
        if (this.#socket === socket) this.#received(text);
      },
      onClose: () => {
        if (this.#socket === socket) this.#closed();
      },
    });
    this.#socket = socket;
  }

  call(method: string, params: unknown): Promise<WireReply> {
    if (this.#isClosed) return Promise.resolve({ ok: false, error: connectionLostError() });
    const id = this.#nextId++;
    return new Promise<WireReply>((resolve) => {
      const call: PendingCall = {
        frame: JSON.stringify({ id, method, params }),
        resolve,
        isSent: false,
        queueTimer: null,
      };
      this.#pending.set(id, call);
      if (this.#isOpen) {
        this.#send(call);
      } else {
        call.queueTimer = this.#timers.setTimeout(
          () => this.#settle(id, lostReply()),
          QUEUED_CALL_TIMEOUT_MS,
        );
      }
    });
  }

  on(listener: TransportListener): () => void {
    this.#eventListeners.add(listener);
    return () => {
      this.#eventListeners.delete(listener);
    };
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => {
      this.#stateListeners.delete(listener);
    };
  }

  /** Stops for good: no reconnection, every waiting call gets CONNECTION_LOST. */
  close(): void {
    this.#isClosed = true;
    if (this.#reconnectTimer !== null) this.#timers.clearTimeout(this.#reconnectTimer);
    const socket = this.#socket;
    this.#socket = null;
    this.#isOpen = false;
    socket?.close();
    for (const id of [...this.#pending.keys()]) this.#settle(id, lostReply());
  }

  #opened(): void {
    this.#isOpen = true;
    this.#failedAttempts = 0;
    this.#setState('connected');
    for (const call of this.#pending.values()) {
      if (!call.isSent) this.#send(call);
    }
  }

  #received(text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // Not ours to interpret; the server only sends JSON.
    }
    if (typeof frame !== 'object' || frame === null) return;
    const fields = frame as Record<string, unknown>;
    if (typeof fields.id === 'number' && isWireReply(fields.reply)) {
      this.#settle(fields.id, fields.reply);
    } else if (typeof fields.event === 'string') {
      for (const listener of [...this.#eventListeners]) listener(fields.event, fields.payload);
    }
  }

  #closed(): void {
    const wasOpen = this.#isOpen;
    this.#socket = null;
    this.#isOpen = false;
    // Sent calls may or may not have run: answer them now rather than resend a non-idempotent call.
    for (const [id, call] of [...this.#pending]) {
      if (call.isSent) this.#settle(id, lostReply());
      else if (call.queueTimer === null) {
        call.queueTimer = this.#timers.setTimeout(
          () => this.#settle(id, lostReply()),
          QUEUED_CALL_TIMEOUT_MS,
        );
      }
    }
    if (this.#isClosed) return;
    if (!wasOpen) this.#failedAttempts += 1;
    this.#setState('reconnecting');
    const delay = reconnectDelay(wasOpen ? 0 : this.#failedAttempts - 1);
    this.#reconnectTimer = this.#timers.setTimeout(() => {
      this.#reconnectTimer = null;
      this.connect();
    }, delay);
  }

  #send(call: PendingCall): void {
    if (call.queueTimer !== null) {
      this.#timers.clearTimeout(call.queueTimer);
      call.queueTimer = null;
    }
    call.isSent = true;
    this.#socket?.send(call.frame);
  }

  #settle(id: number, reply: WireReply): void {
    const call = this.#pending.get(id);
    if (!call) return;
    this.#pending.delete(id);
    if (call.queueTimer !== null) this.#timers.clearTimeout(call.queueTimer);
    call.resolve(reply);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of [...this.#stateListeners]) listener(state);
  }
}

function lostReply(): WireReply {
  return { ok: false, error: connectionLostError() };
}

function isWireReply(value: unknown): value is WireReply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as Record<string, unknown>;
  if (reply.ok === true) return 'result' in reply;
  if (reply.ok !== false || typeof reply.error !== 'object' || reply.error === null) return false;
  const error = reply.error as Record<string, unknown>;
  return typeof error.code === 'string' && typeof error.message === 'string';
}
