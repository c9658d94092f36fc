/**
 * Runs the composed app (real store in a temp dir) behind each transport, so one contract suite can
 * exercise every API method over Electron IPC and over the browser-mode WebSocket alike.
 */
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { IpcMainInvokeEvent } from 'electron';
import { composeApp, type ComposedApp } from '../../src-main/app/compose';
import { FileKeyVault } from '../../src-main/accounts/vault';
import { startBrowserServer, type BrowserServer } from '../../src-main/api/ws';
import { CALL_CHANNEL, serveIpc } from '../../src-main/api/ipc';
import type { ImportFilePicker } from '../../src-main/api/service';
import type { EventName, MethodName, ParamsOf, ResultOf, WireReply } from '../../src-main/api/contract';

const SILENT = { info: () => {}, warn: () => {}, error: () => {} };
const CALL_TIMEOUT_MS = 30_000;

export interface TransportClient {
  readonly name: 'ipc' | 'websocket';
  raw(method: string, params: unknown): Promise<WireReply>;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  events: Array<{ event: EventName; payload: unknown }>;
  app: ComposedApp;
  close(): Promise<void>;
}

async function unwrap<M extends MethodName>(reply: Promise<WireReply>, method: M): Promise<ResultOf<M>> {
  const result = await reply;
  if (!result.ok)
    throw new Error(
      `${method} failed: ${result.error.code} ${result.error.message} ${result.error.detail ?? ''}`,
    );
  return result.result as ResultOf<M>;
}

async function freshApp(filePicker: ImportFilePicker | null, mode: 'electron' | 'browser') {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'estafeta-api-'));
  // The vault key lives outside the data directory, as in browser mode: a subfolder would be refused.
  const keyDir = `${dataDir}-keys`;
  const vault = new FileKeyVault({ dataDir, keyDir });
  const app = await composeApp({ dataDir, mode, logger: SILENT, filePicker, vault });
  const close = app.close;
  app.close = async () => {
    await close();
    await rm(keyDir, { recursive: true, force: true });
  };
  return { dataDir, app };
}

export async function ipcClient(filePicker: ImportFilePicker | null = null): Promise<TransportClient> {
  const { dataDir, app } = await freshApp(filePicker, 'electron');
  const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<WireReply>>();
  const mainFrame = { url: 'file:///app/out/renderer/index.html' };
  const events: TransportClient['events'] = [];
  const contents = {
    id: 1,
    mainFrame,
    isDestroyed: () => false,
    send: (_channel: string, event: EventName, payload: unknown) => events.push({ event, payload }),
  };
  const stop = serveIpc({
    ipcMain: {
      handle: (
        channel: string,
        handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<WireReply>,
      ) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    } as never,
    dispatch: app.dispatch,
    events: app.events,
    appContents: () => contents as never,
    isAppUrl: (url) => url === mainFrame.url,
  });
  const raw = (method: string, params: unknown): Promise<WireReply> => {
    const handler = handlers.get(CALL_CHANNEL);
    if (!handler) throw new Error('IPC handler missing');
    // Structured clone, as Electron IPC does: nothing but plain data crosses.
    return handler(
      { sender: contents, senderFrame: mainFrame } as never,
      method,
      structuredClone(params),
    ).then((reply) => structuredClone(reply));
  };
  return {
    name: 'ipc',
    raw,
    call: (method, params) => unwrap(raw(method, params), method),
    events,
    app,
    close: async () => {
      stop();
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function webSocketClient(): Promise<TransportClient> {
  const { dataDir, app } = await freshApp(null, 'browser');
  const rendererDir = path.join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Estafeta</title>');
  const token = 'contract-suite-token-0123456789abcdefghijkl';
  const server: BrowserServer = await startBrowserServer({
    host: '127.0.0.1',
    port: 0,
    token,
    rendererDir,
    dispatch: app.dispatch,
    events: app.events,
    logger: SILENT,
  });
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, ['estafeta.v1', `token.${token}`], {
    origin: `http://127.0.0.1:${server.port}`,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const pending = new Map<number, (reply: WireReply) => void>();
  const events: TransportClient['events'] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as {
      id?: number;
      reply?: WireReply;
      event?: EventName;
      payload?: unknown;
    };
    if (frame.id !== undefined && frame.reply) pending.get(frame.id)?.(frame.reply);
    else if (frame.event) events.push({ event: frame.event, payload: frame.payload });
  });
  let nextId = 1;
  const raw = (method: string, params: unknown): Promise<WireReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(
        () => reject(new Error(`${method}: no reply in ${CALL_TIMEOUT_MS} ms`)),
        CALL_TIMEOUT_MS,
      );
      pending.set(id, (reply) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(reply);
      });
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    name: 'websocket',
    raw,
    call: (method, params) => unwrap(raw(method, params), method),
    events,
    app,
    close: async () => {
      ws.close();
      await server.close();
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
