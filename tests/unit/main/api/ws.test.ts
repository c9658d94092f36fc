import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer, MAX_FRAME_BYTES } from '../../../../src-main/api/ws';
import { EventBus } from '../../../../src-main/api/events';
import type { Dispatch } from '../../../../src-main/api/dispatch';

const TOKEN = 'a'.repeat(43);
const SILENT = { info: () => {}, warn: () => {}, error: () => {} };
const CONNECT_TIMEOUT_MS = 5_000;

let server: BrowserServer;
let rendererDir: string;
const events = new EventBus();
const dispatch: Dispatch = async (method, params) =>
  method === 'echo.test'
    ? { ok: true, result: params }
    : { ok: false, error: { code: 'UNKNOWN_METHOD', message: 'x', retryable: false } };

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'estafeta-ws-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Estafeta</title>');
  server = await startBrowserServer({
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    rendererDir,
    dispatch,
    events,
    logger: SILENT,
  });
});
afterAll(async () => {
  await server.close();
  await rm(rendererDir, { recursive: true, force: true });
});

/** Resolves with the HTTP status of a refused upgrade, or 101 when the socket opened. */
function tryConnect(options: {
  origin?: string;
  protocols?: string[];
  host?: string;
}): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.host) headers.Host = options.host;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, options.protocols ?? [], {
      ...(options.origin === undefined ? {} : { origin: options.origin }),
      headers,
      handshakeTimeout: CONNECT_TIMEOUT_MS,
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', (error) => reject(error));
  });
}

const ownOrigin = (): string => `http://127.0.0.1:${server.port}`;

describe('browser mode WebSocket', () => {
  it('prints a URL whose fragment carries the token, never the query', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${TOKEN}`);
  });

  it('refuses a connection without a token (401)', async () => {
    expect((await tryConnect({ origin: ownOrigin(), protocols: ['estafeta.v1'] })).status).toBe(401);
  });

  it('refuses a connection with a wrong token (401)', async () => {
    const result = await tryConnect({
      origin: ownOrigin(),
      protocols: ['estafeta.v1', `token.${'b'.repeat(43)}`],
    });
    expect(result.status).toBe(401);
  });

  it('refuses a connection from another origin even with the right token (403)', async () => {
    const result = await tryConnect({
      origin: 'http://evil.example',
      protocols: ['estafeta.v1', `token.${TOKEN}`],
    });
    expect(result.status).toBe(403);
  });

  it('refuses a connection with no Origin header (403)', async () => {
    expect((await tryConnect({ protocols: ['estafeta.v1', `token.${TOKEN}`] })).status).toBe(403);
  });

  it('refuses a rebinding attempt: right origin but a foreign Host header (403)', async () => {
    const result = await tryConnect({
      origin: ownOrigin(),
      host: `evil.example:${server.port}`,
      protocols: ['estafeta.v1', `token.${TOKEN}`],
    });
    expect(result.status).toBe(403);
  });

  it('accepts its own page with the token, selects estafeta.v1 (never echoes the token), answers calls and pushes events', async () => {
    const { status, ws } = await tryConnect({
      origin: ownOrigin(),
      protocols: ['estafeta.v1', `token.${TOKEN}`],
    });
    expect(status).toBe(101);
    if (!ws) throw new Error('no socket');
    expect(ws.protocol).toBe('estafeta.v1');
    const frames: unknown[] = [];
    const twoFrames = new Promise<void>((resolve) => {
      ws.on('message', (data) => {
        frames.push(JSON.parse(String(data)));
        if (frames.length === 2) resolve();
      });
    });
    ws.send(JSON.stringify({ id: 1, method: 'echo.test', params: { hello: 'world' } }));
    events.emit('folders.changed', { accountId: 3 });
    await twoFrames;
    expect(frames).toContainEqual({ id: 1, reply: { ok: true, result: { hello: 'world' } } });
    expect(frames).toContainEqual({ event: 'folders.changed', payload: { accountId: 3 } });
    ws.close();
  });

  it('closes the socket on a frame that is not a JSON call, without affecting the server', async () => {
    const { ws } = await tryConnect({ origin: ownOrigin(), protocols: ['estafeta.v1', `token.${TOKEN}`] });
    if (!ws) throw new Error('no socket');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1003);
    const again = await tryConnect({ origin: ownOrigin(), protocols: ['estafeta.v1', `token.${TOKEN}`] });
    expect(again.status).toBe(101);
    again.ws?.close();
  });

  it('closes the socket on a frame over the size limit', async () => {
    const { ws } = await tryConnect({ origin: ownOrigin(), protocols: ['estafeta.v1', `token.${TOKEN}`] });
    if (!ws) throw new Error('no socket');
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.on('error', () => {});
    ws.send(
      JSON.stringify({ id: 1, method: 'echo.test', params: { big: 'x'.repeat(MAX_FRAME_BYTES + 10) } }),
    );
    expect(await closed).toBe(1009);
  });

  it('serves the UI with the CSP header and refuses paths outside the renderer directory', async () => {
    const get = (
      urlPath: string,
      host = `127.0.0.1:${server.port}`,
    ): Promise<{ status: number; csp: string | undefined; body: string }> =>
      new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port: server.port, path: urlPath, headers: { Host: host } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                csp: res.headers['content-security-policy'] as string | undefined,
                body,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('Estafeta');
    expect(index.csp).toContain("script-src 'self'");
    expect(index.csp).toContain(`ws://127.0.0.1:${server.port}`);
    expect((await get('/../../../etc/passwd')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await get('/', 'evil.example')).status).toBe(403);
  });
});
