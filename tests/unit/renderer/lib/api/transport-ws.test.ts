import { describe, expect, it } from 'vitest';
import {
  PROTOCOL,
  QUEUED_CALL_TIMEOUT_MS,
  RECONNECT_MAX_DELAY_MS,
  reconnectDelay,
  WebSocketTransport,
  type SocketFactory,
  type SocketHandlers,
  type Timers,
} from '../../../../../src-renderer/src/lib/api/transport-ws';
import type { ConnectionState } from '../../../../../src-renderer/src/lib/api/transport';

/** A socket the test drives by hand: it records what the transport sends. */
class FakeSocket {
  readonly sent: unknown[] = [];
  isClosedByClient = false;
  constructor(
    readonly url: string,
    readonly protocols: string[],
    readonly handlers: SocketHandlers,
  ) {}
  open(): void {
    this.handlers.onOpen();
  }
  receive(frame: unknown): void {
    this.handlers.onMessage(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }
  drop(): void {
    this.handlers.onClose();
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  close(): void {
    this.isClosedByClient = true;
  }
}

/** Timers that run only when the test advances the clock. */
class ManualClock implements Timers {
  now = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.#timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = until;
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const createSocket: SocketFactory = (url, protocols, handlers) => {
    const socket = new FakeSocket(url, protocols, handlers);
    sockets.push(socket);
    return socket;
  };
  const clock = new ManualClock();
  const transport = new WebSocketTransport({
    url: 'ws://127.0.0.1:4000/api',
    token: 'secret',
    createSocket,
    timers: clock,
  });
  const states: ConnectionState[] = [];
  transport.onConnectionChange((state) => states.push(state));
  transport.connect();
  const socket = (): FakeSocket => {
    const last = sockets.at(-1);
    if (!last) throw new Error('no socket yet');
    return last;
  };
  return { transport, sockets, socket, clock, states };
}

describe('WebSocketTransport', () => {
  it('offers the API subprotocol and carries the token as a second entry, never in the URL', () => {
    const { socket } = setup();
    expect(socket().url).toBe('ws://127.0.0.1:4000/api');
    expect(socket().protocols).toEqual([PROTOCOL, 'token.secret']);
  });

  it('sends calls as {id, method, params} frames and resolves each with the reply of its own id', async () => {
    const { transport, socket } = setup();
    socket().open();
    const first = transport.call('folders.list', {});
    const second = transport.call('app.info', {});
    expect(socket().sent).toEqual([
      { id: 1, method: 'folders.list', params: {} },
      { id: 2, method: 'app.info', params: {} },
    ]);
    socket().receive({ id: 2, reply: { ok: true, result: { version: '1', mode: 'browser' } } });
    socket().receive({
      id: 1,
      reply: { ok: false, error: { code: 'INTERNAL', message: 'no', retryable: false } },
    });
    await expect(second).resolves.toEqual({ ok: true, result: { version: '1', mode: 'browser' } });
    await expect(first).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('delivers {event, payload} frames to every listener until it unsubscribes', () => {
    const { transport, socket } = setup();
    socket().open();
    const seen: [string, unknown][] = [];
    const off = transport.on((event, payload) => seen.push([event, payload]));
    socket().receive({ event: 'messages.changed', payload: { folderIds: [3] } });
    off();
    socket().receive({ event: 'messages.changed', payload: { folderIds: [4] } });
    expect(seen).toEqual([['messages.changed', { folderIds: [3] }]]);
  });

  it('ignores frames that are not JSON or not ours', () => {
    const { transport, socket } = setup();
    socket().open();
    const seen: string[] = [];
    transport.on((event) => seen.push(event));
    socket().receive('not json');
    socket().receive({ id: 99, reply: { ok: true, result: 1 } });
    socket().receive({ id: 1, reply: { nonsense: true } });
    socket().receive([1, 2]);
    expect(seen).toEqual([]);
  });

  it('queues calls made before the socket opens and sends them on open', async () => {
    const { transport, socket } = setup();
    const reply = transport.call('accounts.list', {});
    expect(socket().sent).toEqual([]);
    socket().open();
    expect(socket().sent).toEqual([{ id: 1, method: 'accounts.list', params: {} }]);
    socket().receive({ id: 1, reply: { ok: true, result: [] } });
    await expect(reply).resolves.toEqual({ ok: true, result: [] });
  });

  it('answers calls in flight with CONNECTION_LOST when the socket drops, instead of resending them', async () => {
    const { transport, socket, sockets, clock } = setup();
    socket().open();
    const reply = transport.call('import.chunk', { importId: 'a', data: '' });
    socket().drop();
    await expect(reply).resolves.toMatchObject({
      ok: false,
      error: { code: 'CONNECTION_LOST', retryable: true },
    });
    clock.advance(reconnectDelay(0));
    socket().open();
    expect(sockets).toHaveLength(2);
    expect(sockets[1]?.sent).toEqual([]);
  });

  it('reconnects with a backoff that doubles and stays under its cap, and reports the state', () => {
    const { socket, sockets, clock, states } = setup();
    socket().open();
    socket().drop();
    expect(states).toEqual(['connected', 'reconnecting']);
    clock.advance(reconnectDelay(0) - 1);
    expect(sockets).toHaveLength(1);
    clock.advance(1);
    expect(sockets).toHaveLength(2);
    for (let attempt = 0; attempt < 12; attempt++) {
      socket().drop(); // refused: never opened
      const delay = reconnectDelay(attempt);
      expect(delay).toBeLessThanOrEqual(RECONNECT_MAX_DELAY_MS);
      clock.advance(delay);
    }
    expect(sockets).toHaveLength(14);
    expect(reconnectDelay(1)).toBe(reconnectDelay(0) * 2);
    socket().open();
    expect(states.at(-1)).toBe('connected');
  });

  it('lets a call made while disconnected wait for the reconnection, for a bounded time', async () => {
    const { transport, socket, clock } = setup();
    socket().open();
    socket().drop();
    const waiting = transport.call('folders.list', {});
    clock.advance(reconnectDelay(0));
    socket().open();
    expect(socket().sent).toEqual([{ id: 1, method: 'folders.list', params: {} }]);
    socket().receive({ id: 1, reply: { ok: true, result: [] } });
    await expect(waiting).resolves.toEqual({ ok: true, result: [] });

    socket().drop();
    const abandoned = transport.call('folders.list', {});
    // The server stays away: every reconnection attempt is refused.
    for (let elapsed = 0; elapsed <= QUEUED_CALL_TIMEOUT_MS; elapsed += 1000) {
      clock.advance(1000);
      socket().drop();
    }
    await expect(abandoned).resolves.toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
  });

  it('stops for good on close(): no reconnection and waiting calls are answered', async () => {
    const { transport, socket, sockets, clock } = setup();
    const waiting = transport.call('app.info', {});
    transport.close();
    expect(socket().isClosedByClient).toBe(true);
    await expect(waiting).resolves.toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
    clock.advance(RECONNECT_MAX_DELAY_MS * 2);
    expect(sockets).toHaveLength(1);
  });
});
