/**
 * The logging interface every layer receives; the implementation (app/logger.ts) redacts secrets
 * so call sites never have to remember to.
 */
export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}
