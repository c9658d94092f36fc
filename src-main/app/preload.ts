/**
 * Sandboxed preload (CommonJS): exposes exactly `window.estafeta = { call, on }` through the context
 * bridge. The page gets no ipcRenderer, no Node, no Electron objects: only these two functions.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

// Channel names duplicated from api/ipc.ts: a sandboxed preload cannot import app modules.
const CALL_CHANNEL = 'estafeta:call';
const EVENT_CHANNEL = 'estafeta:event';

type EventListener = (event: string, payload: unknown) => void;

contextBridge.exposeInMainWorld('estafeta', {
  call: (method: string, params: unknown): Promise<unknown> =>
    ipcRenderer.invoke(CALL_CHANNEL, String(method), params),
  on: (listener: EventListener): (() => void) => {
    const wrapped = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
    };
  },
});
