import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../../../../src-renderer/src/lib/api/client';
import { ApiError } from '../../../../../src-renderer/src/lib/api/errors';
import type { Transport, TransportListener } from '../../../../../src-renderer/src/lib/api/transport';
import type { WireReply } from '../../../../../src-main/api/contract';

class ScriptedTransport implements Transport {
  readonly calls: { method: string; params: unknown }[] = [];
  #listener: TransportListener | null = null;
  constructor(private readonly reply: WireReply) {}
  async call(method: string, params: unknown): Promise<WireReply> {
    this.calls.push({ method, params });
    return this.reply;
  }
  on(listener: TransportListener): () => void {
    this.#listener = listener;
    return () => (this.#listener = null);
  }
  emit(event: string, payload: unknown): void {
    this.#listener?.(event, payload);
  }
}

describe('ApiClient', () => {
  it('returns the result of a successful call', async () => {
    const transport = new ScriptedTransport({ ok: true, result: { version: '0.1.0', mode: 'browser' } });
    const api = new ApiClient(transport);
    await expect(api.call('app.info', {})).resolves.toEqual({ version: '0.1.0', mode: 'browser' });
    expect(transport.calls).toEqual([{ method: 'app.info', params: {} }]);
  });

  it('throws an ApiError carrying the WireError of a failed call', async () => {
    const error = {
      code: 'NOT_FOUND',
      message: 'That message is no longer here.',
      retryable: false,
    } as const;
    const api = new ApiClient(new ScriptedTransport({ ok: false, error }));
    const failure = await api.call('message.open', { messageId: 7 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({
      code: 'NOT_FOUND',
      message: 'That message is no longer here.',
      wire: error,
    });
  });

  it('delivers each event only to the listeners of that event', () => {
    const transport = new ScriptedTransport({ ok: true, result: null });
    const api = new ApiClient(transport);
    const changed: number[][] = [];
    const off = api.on('messages.changed', ({ folderIds }) => changed.push(folderIds));
    transport.emit('counts.changed', { folders: [] });
    transport.emit('messages.changed', { folderIds: [1] });
    off();
    transport.emit('messages.changed', { folderIds: [2] });
    expect(changed).toEqual([[1]]);
  });
});
