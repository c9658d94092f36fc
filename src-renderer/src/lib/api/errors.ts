import type { WireError } from './contract-types';

/** A failed API call: the main process's WireError, carried as a thrown value on the renderer side. */
export class ApiError extends Error {
  readonly wire: WireError;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = 'ApiError';
    this.wire = wire;
  }

  get code(): WireError['code'] {
    return this.wire.code;
  }

  get isRetryable(): boolean {
    return this.wire.retryable;
  }

  /** True when the renderer's own transport lost the connection (not an error the main process sent). */
  get isLostConnection(): boolean {
    return this.wire.code === 'CONNECTION_LOST' && this.wire.message === LOST_CONNECTION_MESSAGE;
  }
}

const LOST_CONNECTION_MESSAGE = 'The connection to Estafeta was lost.';

/**
 * The reply a transport gives when the connection to the main process went away before an answer
 * came. The call may or may not have run; the UI shows its own words for it.
 */
export function connectionLostError(): WireError {
  return { code: 'CONNECTION_LOST', message: LOST_CONNECTION_MESSAGE, retryable: true };
}
