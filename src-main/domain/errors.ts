/**
 * The one error type that crosses layers. Protocol adapters convert library and socket errors into a
 * MailError where they enter (protocols/<name>/errors.ts), so sync/, api/ and the UI only ever see a
 * code, a user-facing message, whether retrying can help, and the server's own words in `detail`.
 */
export const ERROR_CODES = [
  'AUTH_FAILED',
  'TLS_UNTRUSTED',
  'TLS_FAILED',
  'DNS_FAILED',
  'CONNECT_FAILED',
  'CONNECTION_LOST',
  'TIMEOUT',
  'SERVER_BUSY',
  'SERVER_REJECTED',
  'NOT_FOUND',
  'UIDVALIDITY_CHANGED',
  'QUOTA_EXCEEDED',
  'DISK_FULL',
  'STORE_CORRUPT',
  'MALFORMED_MESSAGE',
  'CANCELLED',
  'BAD_REQUEST',
  'UNKNOWN_METHOD',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface MailErrorOptions {
  /** Whether the same operation may succeed if tried again later (network blips, busy servers). */
  retryable?: boolean;
  /** The server's own words or other specifics worth showing; never a secret. */
  detail?: string;
  cause?: unknown;
}

/** Codes for which retrying later can help unless the caller says otherwise. */
const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CONNECT_FAILED',
  'CONNECTION_LOST',
  'TIMEOUT',
  'SERVER_BUSY',
  'DNS_FAILED',
]);

export class MailError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, options: MailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.detail = options.detail;
  }
}

export function isMailError(value: unknown): value is MailError {
  return value instanceof MailError;
}

/** Exhaustiveness check for `switch` statements over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
