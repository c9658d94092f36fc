import { describe, expect, it } from 'vitest';
import { createDispatch } from '../../../../src-main/api/dispatch';
import type { ApiHandlers } from '../../../../src-main/api/contract';
import { MailError } from '../../../../src-main/domain/errors';
import type { Logger } from '../../../../src-main/domain/logger';

function recordingLogger(): Logger & { errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { errors, info: () => {}, warn: () => {}, error: (...args: unknown[]) => errors.push(args) };
}

function handlersWith(overrides: Partial<ApiHandlers>): ApiHandlers {
  const notUsed = async (): Promise<never> => {
    throw new Error('not used in this test');
  };
  return new Proxy(overrides, {
    get: (target, key: string) => (target as Record<string, unknown>)[key] ?? notUsed,
  }) as ApiHandlers;
}

describe('dispatch', () => {
  it('answers an unknown method with UNKNOWN_METHOD instead of crashing', async () => {
    const dispatch = createDispatch(handlersWith({}), recordingLogger());
    const reply = await dispatch('nope.nothing', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', retryable: false } });
  });

  it('does not treat Object.prototype names as methods', async () => {
    const dispatch = createDispatch(handlersWith({}), recordingLogger());
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(await dispatch(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('rejects params that fail the schema with BAD_REQUEST naming the failing path', async () => {
    const dispatch = createDispatch(
      handlersWith({ 'messages.page': async () => ({ total: 0, rows: [] }) }),
      recordingLogger(),
    );
    const reply = await dispatch('messages.page', { folderId: 'one', offset: -1, limit: 10_000 });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('BAD_REQUEST');
    expect(reply.error.detail).toContain('folderId');
    expect(reply.error.detail).toContain('offset');
    expect(reply.error.detail).toContain('limit');
  });

  it('rejects unexpected extra params (strict schemas)', async () => {
    const dispatch = createDispatch(handlersWith({ 'accounts.list': async () => [] }), recordingLogger());
    const reply = await dispatch('accounts.list', { sneaky: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('passes validated params to the handler and wraps its result', async () => {
    let seen: unknown = null;
    const dispatch = createDispatch(
      handlersWith({
        'message.open': async (params) => {
          seen = params;
          throw new MailError('NOT_FOUND', 'That message is no longer here.');
        },
        'app.info': async () => ({ version: '1.2.3', mode: 'browser' }),
      }),
      recordingLogger(),
    );
    expect(await dispatch('app.info', undefined)).toEqual({
      ok: true,
      result: { version: '1.2.3', mode: 'browser' },
    });
    const reply = await dispatch('message.open', { messageId: 7 });
    expect(seen).toEqual({ messageId: 7 });
    expect(reply).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'That message is no longer here.', retryable: false },
    });
  });

  it('turns an unexpected exception into INTERNAL with a generic message, logging the real one', async () => {
    const logger = recordingLogger();
    const dispatch = createDispatch(
      handlersWith({
        'accounts.list': async () => {
          throw new TypeError('secret internals at /home/user/path');
        },
      }),
      logger,
    );
    const reply = await dispatch('accounts.list', {});
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('INTERNAL');
    expect(reply.error.message).not.toContain('/home/user');
    expect(logger.errors).toHaveLength(1);
  });

  it('keeps the server words of a MailError in detail and its retryable flag', async () => {
    const dispatch = createDispatch(
      handlersWith({
        'folders.list': async () => {
          throw new MailError('CONNECTION_LOST', 'The connection to the server was lost.', {
            detail: 'BYE shutting down',
          });
        },
      }),
      recordingLogger(),
    );
    expect(await dispatch('folders.list', {})).toEqual({
      ok: false,
      error: {
        code: 'CONNECTION_LOST',
        message: 'The connection to the server was lost.',
        retryable: true,
        detail: 'BYE shutting down',
      },
    });
  });
});
