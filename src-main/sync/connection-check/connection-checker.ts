import type { CertificateInfo } from '../../domain/certificate';
import { MailError } from '../../domain/errors';
import type { TlsTrust } from '../../domain/security';
import type { AccountConfig } from '../../accounts/account-config';
import { canonicalFingerprint, serverKey } from '../../accounts/certificate-pins';
import {
  failureOutcome,
  type CheckedServer,
  type ConnectionCheckResult,
  type ServerCheckOutcome,
} from './outcome';
import { realServerLogins, type LoginTarget, type ServerLogins } from './server-logins';

/**
 * "Connect": logs in to the incoming server (IMAP or POP3) and the outgoing server (SMTP) at the
 * same time, each under its own deadline, and says for each exactly what happened. Certificates
 * that were refused are remembered (briefly, in memory) so that "Trust this certificate" can pin
 * only a certificate this server really presented, never one the UI made up.
 */

/** Per server, from the first DNS query to the end of AUTH; a user is waiting on the dialog. */
export const CHECK_DEADLINE_MS = 20_000;
/** Refused certificates remembered for "Trust this certificate"; oldest forgotten first. */
const MAX_REMEMBERED_CERTIFICATES = 32;

export interface ConnectionCheckerOptions {
  /** The pinned certificate of host:port, if any (CertificatePins.trustFor). */
  trustFor: (host: string, port: number) => Promise<TlsTrust | undefined>;
  logins?: ServerLogins;
  deadlineMs?: number;
}

export class ConnectionChecker {
  readonly #trustFor: ConnectionCheckerOptions['trustFor'];
  readonly #logins: ServerLogins;
  readonly #deadlineMs: number;
  /** host:port -> the certificate it presented and we refused. */
  readonly #refused = new Map<string, CertificateInfo>();

  constructor(options: ConnectionCheckerOptions) {
    this.#trustFor = options.trustFor;
    this.#logins = options.logins ?? realServerLogins;
    this.#deadlineMs = options.deadlineMs ?? CHECK_DEADLINE_MS;
  }

  /** Never throws for a server problem: each one is an outcome. */
  async check(
    config: Pick<AccountConfig, 'incoming' | 'outgoing'>,
    secret: string | { password: string } | { accessToken: string },
  ): Promise<ConnectionCheckResult> {
    const auth = typeof secret === 'string' ? { password: secret } : secret;
    const incoming: CheckedServer = {
      role: 'incoming',
      protocol: config.incoming.protocol,
      host: config.incoming.host.trim(),
      port: config.incoming.port,
      security: config.incoming.security,
    };
    const outgoing: CheckedServer = {
      role: 'outgoing',
      protocol: 'smtp',
      host: config.outgoing.host.trim(),
      port: config.outgoing.port,
      security: config.outgoing.security,
    };
    const [incomingOutcome, outgoingOutcome] = await Promise.all([
      this.#checkOne(incoming, config.incoming.username, auth),
      this.#checkOne(outgoing, config.outgoing.username, auth),
    ]);
    return {
      ok: incomingOutcome.ok && outgoingOutcome.ok,
      incoming: incomingOutcome,
      outgoing: outgoingOutcome,
    };
  }

  /**
   * The certificate host:port presented in a recent check, if its fingerprint is `fingerprint256`.
   * Null when this server presented no such certificate (or it was forgotten): connect again.
   */
  refusedCertificate(host: string, port: number, fingerprint256: string): CertificateInfo | null {
    const seen = this.#refused.get(serverKey(host, port));
    if (!seen) return null;
    return canonicalFingerprint(seen.fingerprint256) === canonicalFingerprint(fingerprint256) ? seen : null;
  }

  async #checkOne(
    server: CheckedServer,
    username: string,
    auth: { password: string } | { accessToken: string },
  ): Promise<ServerCheckOutcome> {
    const password = 'password' in auth ? auth.password : auth.accessToken;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(
          new MailError('TIMEOUT', 'The server did not answer in time.', {
            detail: `no answer within ${this.#deadlineMs / 1000} s`,
          }),
        );
      }, this.#deadlineMs);
    });
    try {
      const target: LoginTarget = {
        host: server.host,
        port: server.port,
        security: server.security,
        username,
        password,
        ...('accessToken' in auth ? { accessToken: auth.accessToken } : {}),
        trust: await this.#trustFor(server.host, server.port),
        signal: abort.signal,
      };
      const login = this.#logins[server.protocol](target);
      // A login that loses the race still settles later; its rejection must not go unhandled.
      login.catch(() => undefined);
      await Promise.race([login, deadline]);
      return { server, ok: true };
    } catch (error) {
      const outcome = failureOutcome(server, error, password);
      if (!outcome.ok && outcome.certificate) this.#remember(server, outcome.certificate);
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }

  #remember(server: CheckedServer, certificate: CertificateInfo): void {
    const key = serverKey(server.host, server.port);
    this.#refused.delete(key);
    this.#refused.set(key, certificate);
    while (this.#refused.size > MAX_REMEMBERED_CERTIFICATES) {
      const oldest = this.#refused.keys().next().value;
      if (oldest === undefined) break;
      this.#refused.delete(oldest);
    }
  }
}
