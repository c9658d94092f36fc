/**
 * The app's logger: one line per entry to stderr and to <dataDir>/logs/estafeta.log. Secrets are
 * removed here, not at call sites: every secret the app handles is registered with `redact()`
 * before use, and anything that looks like a credential assignment is masked as well.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { Logger } from '../domain/logger';

const REDACTED = '[redacted]';
const CREDENTIAL_PATTERN =
  /\b(pass(?:word)?|pwd|secret|token|authorization|auth)(["']?\s*[:=]\s*["']?)([^\s"',}]+)/gi;
/** Shorter secrets would redact ordinary words; real passwords and tokens are longer. */
const MIN_SECRET_LENGTH = 4;

export class RedactingLogger implements Logger {
  readonly #secrets = new Set<string>();
  readonly #file: string | null;

  constructor(options: { logDir: string | null; echo?: boolean }) {
    this.#file = options.logDir ? path.join(options.logDir, 'estafeta.log') : null;
    if (options.logDir) mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    this.#echo = options.echo ?? true;
  }

  readonly #echo: boolean;

  /** Registers a secret that must never appear in a log line. */
  redact(secret: string): void {
    if (secret.length >= MIN_SECRET_LENGTH) this.#secrets.add(secret);
  }

  clean(text: string): string {
    let out = text.replace(CREDENTIAL_PATTERN, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`);
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return out;
  }

  info(message: string, ...details: unknown[]): void {
    this.#write('info', message, details);
  }
  warn(message: string, ...details: unknown[]): void {
    this.#write('warn', message, details);
  }
  error(message: string, ...details: unknown[]): void {
    this.#write('error', message, details);
  }

  #write(level: string, message: string, details: unknown[]): void {
    const rendered = details.map((d) =>
      typeof d === 'string' ? d : inspect(d, { depth: 4, breakLength: Infinity }),
    );
    const line = this.clean(`${new Date().toISOString()} ${level} ${[message, ...rendered].join(' ')}`);
    if (this.#echo) process.stderr.write(`${line}\n`);
    if (this.#file) {
      try {
        appendFileSync(this.#file, `${line}\n`, { mode: 0o600 });
      } catch {
        // A full disk must not turn logging into a crash; stderr still has the line.
      }
    }
  }
}
