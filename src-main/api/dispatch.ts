/**
 * The only way into the service: validates the method name and its params against the contract,
 * runs the handler, and turns every outcome into a WireReply. Nothing throws past this point, so a
 * transport only moves replies and a bad request can never crash the main process.
 */
import { methods, type ApiHandlers, type MethodName, type WireError, type WireReply } from './contract';
import { isMailError } from '../domain/errors';
import type { Logger } from '../domain/logger';

const MAX_REPORTED_ISSUES = 10;

export type Dispatch = (method: string, params: unknown) => Promise<WireReply>;

function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

function fail(code: WireError['code'], message: string, detail?: string): WireReply {
  const error: WireError = { code, message, retryable: false };
  if (detail !== undefined) error.detail = detail;
  return { ok: false, error };
}

export function createDispatch(handlers: ApiHandlers, logger: Logger): Dispatch {
  return async (method, params) => {
    if (!isMethodName(method)) {
      return fail(
        'UNKNOWN_METHOD',
        'This request is not part of the Estafeta API.',
        String(method).slice(0, 100),
      );
    }
    const parsed = methods[method].params.safeParse(params ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, MAX_REPORTED_ISSUES)
        .map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`)
        .join('; ');
      return fail('BAD_REQUEST', 'The request was not valid.', detail);
    }
    try {
      // The cast is sound: `method` selects both the schema that produced parsed.data and the handler.
      const handler = handlers[method] as (p: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (error) {
      if (isMailError(error)) {
        const wire: WireError = { code: error.code, message: error.message, retryable: error.retryable };
        if (error.detail !== undefined) wire.detail = error.detail;
        return { ok: false, error: wire };
      }
      logger.error(`api: ${method} failed`, error);
      return fail('INTERNAL', 'Something went wrong inside Estafeta. Nothing was lost; please try again.');
    }
  };
}
