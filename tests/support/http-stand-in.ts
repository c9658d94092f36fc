/**
 * A tiny HTTP server on 127.0.0.1 standing in for autoconfig hosts and the ISPDB: it serves a map
 * of path -> { status, body, delayMs, headers } and records, in order, when each request arrived,
 * was answered, or was abandoned by the client. Tests assert on that order (which lookup finished
 * first) instead of on wall-clock times.
 */
import { createServer, type ServerResponse } from 'node:http';

export interface StandInRoute {
  status: number;
  body?: string;
  /** Wait this long before answering; the wait ends early if the client goes away. */
  delayMs?: number;
  /** Answer only when the test calls release(path): a lookup kept in flight as long as needed. */
  isHeld?: boolean;
  headers?: Record<string, string>;
}

export type StandInEventKind = 'received' | 'answered' | 'abandoned';

export interface StandInEvent {
  kind: StandInEventKind;
  /** Path and query as requested. */
  path: string;
}

export interface HttpStandIn {
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  url(path: string): string;
  /** Everything that happened, in order. */
  readonly events: readonly StandInEvent[];
  /** Paths requested so far, in order. */
  requested(): string[];
  setRoute(path: string, route: StandInRoute): void;
  /** Answers the requests held for this path (routes with isHeld); later ones are answered at once. */
  release(path: string): void;
  close(): Promise<void>;
}

const NOT_FOUND: StandInRoute = { status: 404, body: 'not found' };

/** Routes are looked up by exact path-with-query first, then by path alone. */
export async function startHttpStandIn(routes: Record<string, StandInRoute> = {}): Promise<HttpStandIn> {
  const table = new Map(Object.entries(routes));
  const events: StandInEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  /** Requests waiting for release(), by path without query. */
  const held = new Map<string, Array<() => void>>();
  const released = new Set<string>();

  const answer = (res: ServerResponse, path: string, route: StandInRoute): void => {
    res.writeHead(route.status, { 'content-type': 'application/xml; charset=utf-8', ...route.headers });
    res.end(route.body ?? '');
    events.push({ kind: 'answered', path });
  };

  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const route = table.get(path) ?? table.get(path.split('?')[0] ?? path) ?? NOT_FOUND;
    events.push({ kind: 'received', path });
    const bare = path.split('?')[0] ?? path;
    if (route.isHeld === true && !released.has(bare)) {
      const waiting = held.get(bare) ?? [];
      waiting.push(() => {
        if (!res.writableEnded && !res.destroyed) answer(res, path, route);
      });
      held.set(bare, waiting);
      res.on('close', () => {
        if (!res.writableFinished) events.push({ kind: 'abandoned', path });
      });
      return;
    }
    if (!route.delayMs) {
      answer(res, path, route);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      answer(res, path, route);
    }, route.delayMs);
    timers.add(timer);
    res.on('close', () => {
      if (res.writableFinished || !timers.has(timer)) return;
      clearTimeout(timer);
      timers.delete(timer);
      events.push({ kind: 'abandoned', path });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('http stand-in: no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;

  return {
    port: address.port,
    origin,
    url: (path) => `${origin}${path}`,
    events,
    requested: () => events.filter((event) => event.kind === 'received').map((event) => event.path),
    setRoute: (path, route) => table.set(path, route),
    release: (path) => {
      released.add(path);
      for (const answerHeld of held.get(path) ?? []) answerHeld();
      held.delete(path);
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
