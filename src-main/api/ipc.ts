/**
 * Electron transport: one invoke channel for calls and one channel for pushed events. ipcMain and
 * the window are passed in (only app/ imports electron values), so this file is testable in Node.
 * Every call is checked to come from the app's own top frame: a subframe (there should be none
 * but mail iframes) or another page can never reach the API.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Dispatch } from './dispatch';
import type { EventBus } from './events';
import type { WireReply } from './contract';

export const CALL_CHANNEL = 'estafeta:call';
export const EVENT_CHANNEL = 'estafeta:event';

export interface IpcServeOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  dispatch: Dispatch;
  events: EventBus;
  /** The app window's WebContents, or null before it exists / after it closed. */
  appContents: () => Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'mainFrame'> | null;
  /** True for the URL of the app's own page (file:// of out/renderer or the dev server). */
  isAppUrl: (url: string) => boolean;
}

const FORBIDDEN: WireReply = {
  ok: false,
  error: {
    code: 'BAD_REQUEST',
    message: 'This request did not come from the Estafeta window.',
    retryable: false,
  },
};

export function isTrustedSender(event: IpcMainInvokeEvent, options: IpcServeOptions): boolean {
  const contents = options.appContents();
  if (!contents || contents.isDestroyed() || event.sender.id !== contents.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== contents.mainFrame) return false;
  return options.isAppUrl(frame.url);
}

export function serveIpc(options: IpcServeOptions): () => void {
  options.ipcMain.handle(
    CALL_CHANNEL,
    async (event, method: unknown, params: unknown): Promise<WireReply> => {
      if (!isTrustedSender(event, options)) return FORBIDDEN;
      return options.dispatch(typeof method === 'string' ? method : '', params);
    },
  );
  const unsubscribe = options.events.subscribe((event, payload) => {
    const contents = options.appContents();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, event, payload);
  });
  return () => {
    options.ipcMain.removeHandler(CALL_CHANNEL);
    unsubscribe();
  };
}
