import type { ConnectionSecurity, TlsTrust } from '../../domain/security';
import { ImapSession } from '../../protocols/imap';
import { Pop3Client } from '../../protocols/pop3';
import { SmtpSubmitter } from '../../protocols/smtp';

/**
 * One login per protocol, as "Connect" needs it: connect, secure, authenticate, then leave
 * politely. Each resolves when the server accepted the credentials and rejects with the adapter's
 * MailError otherwise. A login that outlives the check's deadline is closed as soon as it returns.
 */

export interface LoginTarget {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  /** The password, or an OAuth2 access token (XOAUTH2/OAUTHBEARER) when `accessToken` is set. */
  password: string;
  /** Set for accounts that sign in with OAuth2; `password` is then the same token. */
  accessToken?: string;
  trust: TlsTrust | undefined;
  /** Aborted when the check gave up waiting; a session that still opens is closed at once. */
  signal: AbortSignal;
}

export interface ServerLogins {
  imap(target: LoginTarget): Promise<void>;
  pop3(target: LoginTarget): Promise<void>;
  smtp(target: LoginTarget): Promise<void>;
}

/** POP3's own step timeouts, shortened to fit inside the check's deadline. */
const POP3_STEP_TIMEOUT_MS = 10_000;
/** SMTP's own step timeouts, likewise (nodemailer's connect timeout also bounds DNS). */
const SMTP_STEP_TIMEOUT_MS = 10_000;

export const realServerLogins: ServerLogins = {
  async imap(target) {
    const session = await ImapSession.connect({
      host: target.host,
      port: target.port,
      security: target.security,
      username: target.username,
      auth:
        target.accessToken !== undefined
          ? { accessToken: target.accessToken }
          : { password: target.password },
      trust: target.trust,
    });
    // RFC 3501 §6.1.3 LOGOUT; nobody waits for it once the check is over.
    if (target.signal.aborted) session.close();
    else await session.logout();
  },

  async pop3(target) {
    const client = await Pop3Client.connect({
      host: target.host,
      port: target.port,
      security: target.security,
      username: target.username,
      // An OAuth2 token goes out with SASL XOAUTH2/OAUTHBEARER (RFC 5034, RFC 7628).
      ...(target.accessToken !== undefined
        ? { accessToken: target.accessToken }
        : { password: target.password }),
      trust: target.trust,
      timeouts: {
        connectMs: POP3_STEP_TIMEOUT_MS,
        greetingMs: POP3_STEP_TIMEOUT_MS,
        tlsHandshakeMs: POP3_STEP_TIMEOUT_MS,
        commandMs: POP3_STEP_TIMEOUT_MS,
      },
    });
    // RFC 1939 §6: QUIT ends the session; nothing was marked for deletion, so nothing is removed.
    if (target.signal.aborted) client.close();
    else await client.quit().catch(() => client.close());
  },

  async smtp(target) {
    await new SmtpSubmitter({
      host: target.host,
      port: target.port,
      security: target.security,
      username: target.username,
      auth:
        target.accessToken !== undefined
          ? { accessToken: target.accessToken }
          : { password: target.password },
      trust: target.trust,
      timeouts: {
        connectMs: SMTP_STEP_TIMEOUT_MS,
        greetingMs: SMTP_STEP_TIMEOUT_MS,
        replyMs: SMTP_STEP_TIMEOUT_MS,
      },
    }).verify();
  },
};
