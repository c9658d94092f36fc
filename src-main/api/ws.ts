/**
 * Browser mode: one HTTP server on 127.0.0.1 serves the built UI and the API over a WebSocket.
 *
 * Who may connect: the page's token (32 random bytes, new each run) reaches the browser only in the
 * URL fragment, which is never sent over HTTP; the page sends it back as a WebSocket subprotocol
 * entry `token.<token>`. A missing or wrong token gets 401, an Origin or Host other than this
 * server's own gets 403 (that also defeats DNS rebinding, where a hostile name resolves to
 * 127.0.0.1 but the Host header still carries the hostile name).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { createHash, timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { Dispatch } from './dispatch';
import type { EventBus } from './events';
import type { CallFrame, EventFrame, ReplyFrame } from './contract';
import { serveStatic } from './static-files';
import { contentSecurityPolicy } from './content-policy';
import type { Logger } from '../domain/logger';

export const API_PATH = '/api';
export const PROTOCOL = 'estafeta.v1';
const TOKEN_PROTOCOL_PREFIX = 'token.';
/** A 1 MiB import chunk is ~1.4 MB of base64 in JSON; nothing else comes close. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** Requests one connection may have running at once; reading pauses beyond that. */
export const MAX_IN_FLIGHT = 32;
const CLOSE_TIMEOUT_MS = 3_000;

export interface BrowserServerOptions {
  host: '127.0.0.1';
  port: number;
  token: string;
  rendererDir: string;
  dispatch: Dispatch;
  events: EventBus;
  logger: Logger;
}

export interface BrowserServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison is constant-time whatever the given length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function tokenFromProtocols(header: string | undefined): string | null {
  if (!header) return null;
  for (const entry of header.split(',')) {
    const value = entry.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) return value.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function isCallFrame(value: unknown): value is CallFrame {
  if (typeof value !== 'object' || value === null) return false;
  const frame = value as Record<string, unknown>;
  return typeof frame.id === 'number' && Number.isSafeInteger(frame.id) && typeof frame.method === 'string';
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const { host, token, dispatch, events, logger } = options;
  let ownOrigins: Set<string> = new Set();
  let ownHosts: Set<string> = new Set();
  let csp = contentSecurityPolicy();

  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!ownHosts.has(req.headers.host ?? '')) {
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Forbidden');
      return;
    }
    serveStatic(options.rendererDir, req, res, csp).catch((error: unknown) => {
      logger.error('browser mode: serving a file failed', error);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    // Select our protocol; never echo the token entry back.
    handleProtocols: (protocols) => (protocols.has(PROTOCOL) ? PROTOCOL : false),
  });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '';
    if (url !== API_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    const origin = req.headers.origin ?? '';
    if (!ownHosts.has(req.headers.host ?? '') || !ownOrigins.has(origin)) {
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    const given = tokenFromProtocols(req.headers['sec-websocket-protocol']);
    if (given === null || !sameSecret(given, token)) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws));
  });

  function serveConnection(ws: WebSocket): void {
    let inFlight = 0;
    let paused = false;
    const send = (frame: ReplyFrame | EventFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const unsubscribe = events.subscribe((event, payload) => send({ event, payload }));
    ws.on('close', unsubscribe);
    ws.on('error', (error) => logger.warn('browser mode: WebSocket error', error.message));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      let frame: unknown;
      try {
        frame = isBinary ? undefined : JSON.parse(rawToString(data));
      } catch {
        frame = undefined;
      }
      if (!isCallFrame(frame)) {
        ws.close(1003, 'Frames must be JSON calls');
        return;
      }
      const { id } = frame;
      inFlight += 1;
      if (inFlight >= MAX_IN_FLIGHT && !paused) {
        paused = true;
        ws.pause();
      }
      void dispatch(frame.method, frame.params).then((reply) => {
        inFlight -= 1;
        if (paused && inFlight < MAX_IN_FLIGHT / 2) {
          paused = false;
          ws.resume();
        }
        send({ id, reply });
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('browser mode: no TCP address');
  const port = address.port;
  ownHosts = new Set([`${host}:${port}`, `localhost:${port}`]);
  ownOrigins = new Set([`http://${host}:${port}`, `http://localhost:${port}`]);
  csp = contentSecurityPolicy({ webSocketOrigin: `ws://${host}:${port} ws://localhost:${port}` });

  return {
    port,
    url: `http://${host}:${port}/#token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.close(1001, 'Estafeta is shutting down');
      wss.close();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          http.closeAllConnections();
          resolve();
        }, CLOSE_TIMEOUT_MS);
        http.close(() => {
          clearTimeout(timer);
          resolve();
        });
        http.closeIdleConnections();
      });
    },
  };
}
