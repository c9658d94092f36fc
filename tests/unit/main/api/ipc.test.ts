import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL, serveIpc, type IpcServeOptions } from '../../../../src-main/api/ipc';
import { EventBus } from '../../../../src-main/api/events';
import type { WireReply } from '../../../../src-main/api/contract';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<WireReply>;

function setup() {
  const handlers = new Map<string, Handler>();
  const sent: unknown[][] = [];
  const mainFrame = { url: 'file:///app/out/renderer/index.html' };
  const contents = {
    id: 1,
    mainFrame,
    isDestroyed: () => false,
    send: (...args: unknown[]) => sent.push(args),
  };
  const events = new EventBus();
  const calls: string[] = [];
  const options = {
    ipcMain: {
      handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
      removeHandler: (channel: string) => handlers.delete(channel),
    },
    dispatch: async (method: string) => {
      calls.push(method);
      return { ok: true, result: method } as WireReply;
    },
    events,
    appContents: () => contents,
    isAppUrl: (url: string) => url === 'file:///app/out/renderer/index.html',
  } as unknown as IpcServeOptions;
  const stop = serveIpc(options);
  const invoke = (event: Partial<IpcMainInvokeEvent>, ...args: unknown[]) => {
    const handler = handlers.get(CALL_CHANNEL);
    if (!handler) throw new Error('no handler');
    return handler(event as IpcMainInvokeEvent, ...args);
  };
  return { handlers, sent, contents, mainFrame, events, calls, stop, invoke };
}

describe('IPC transport', () => {
  it('dispatches calls from the app top frame', async () => {
    const t = setup();
    const reply = await t.invoke(
      { sender: t.contents, senderFrame: t.mainFrame } as never,
      'accounts.list',
      {},
    );
    expect(reply).toEqual({ ok: true, result: 'accounts.list' });
  });

  it('refuses calls from a subframe, another WebContents, or a foreign page', async () => {
    const t = setup();
    const subframe = { url: 'about:srcdoc' };
    for (const event of [
      { sender: t.contents, senderFrame: subframe },
      { sender: { ...t.contents, id: 2 }, senderFrame: t.mainFrame },
      { sender: t.contents, senderFrame: null },
    ]) {
      const reply = await t.invoke(event as never, 'accounts.list', {});
      expect(reply.ok).toBe(false);
    }
    t.mainFrame.url = 'https://evil.example/';
    expect(
      (await t.invoke({ sender: t.contents, senderFrame: t.mainFrame } as never, 'accounts.list', {})).ok,
    ).toBe(false);
    expect(t.calls).toEqual([]);
  });

  it('forwards events to the window and stops after unsubscribing', () => {
    const t = setup();
    t.events.emit('folders.changed', { accountId: 1 });
    expect(t.sent).toEqual([[EVENT_CHANNEL, 'folders.changed', { accountId: 1 }]]);
    t.stop();
    t.events.emit('folders.changed', { accountId: 2 });
    expect(t.sent).toHaveLength(1);
    expect(t.handlers.has(CALL_CHANNEL)).toBe(false);
  });
});
