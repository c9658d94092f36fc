import type { ConnectionSecurity } from '../../domain/security';
import {
  defaultPort,
  type DiscoveredSettings,
  type IncomingSettings,
  type MailService,
  type OutgoingSettings,
} from '../settings';
import { toDiscovered } from './candidates';
import type { Probe, ProbeResult } from './discovery-options';
import type { EmailParts } from './email-address';
import { settleBeforeAbort } from './precedence';

/** Host name prefixes tried for each service, most common first (as Thunderbird guesses them). */
export const GUESSED_HOST_PREFIXES: Readonly<Record<MailService, readonly string[]>> = {
  imap: ['imap', 'mail'],
  pop3: ['pop', 'pop3', 'mail'],
  smtp: ['smtp', 'mail'],
};

/** Implicit TLS before STARTTLS (RFC 8314 §3); cleartext is never guessed. */
const GUESSED_SECURITY: readonly ConnectionSecurity[] = ['tls', 'starttls'];

/**
 * What each protocol's server says first: RFC 3501 §7.1 (IMAP "* OK" or "* PREAUTH"), RFC 1939 §4
 * (POP3 "+OK"), RFC 5321 §4.2 (SMTP "220", possibly "220-" on a multi-line greeting).
 */
const GREETINGS: Readonly<Record<MailService, RegExp>> = {
  imap: /^\* (OK|PREAUTH)\b/i,
  pop3: /^\+OK\b/i,
  smtp: /^220[ -]/,
};

interface Attempt {
  service: MailService;
  host: string;
  port: number;
  security: ConnectionSecurity;
}

function plannedAttempts(domain: string): Attempt[] {
  const attempts: Attempt[] = [];
  for (const service of ['imap', 'pop3', 'smtp'] as const) {
    for (const security of GUESSED_SECURITY) {
      for (const prefix of GUESSED_HOST_PREFIXES[service]) {
        attempts.push({
          service,
          host: `${prefix}.${domain}`,
          port: defaultPort(service, security),
          security,
        });
      }
    }
  }
  return attempts;
}

async function tryAttempt(attempt: Attempt, probe: Probe, signal: AbortSignal): Promise<boolean> {
  let result: ProbeResult;
  try {
    result = await settleBeforeAbort(probe(attempt.host, attempt.port, attempt.security, signal), signal);
  } catch {
    return false;
  }
  // A greeting of another protocol (an SMTP banner on an IMAP guess) does not count.
  return result.ok && GREETINGS[attempt.service].test(result.greeting);
}

/**
 * Connects to the usual host names and ports, all at once, and keeps those whose greeting matches
 * the protocol. Probes still running when `signal` aborts count as failed, so the deadline yields
 * whatever answered in time. The username guess is the whole address, the most common login.
 */
export async function discoverByGuessing(
  parts: EmailParts,
  probe: Probe,
  signal: AbortSignal,
): Promise<DiscoveredSettings | null> {
  const attempts = plannedAttempts(parts.domain);
  const answered = await Promise.all(attempts.map((attempt) => tryAttempt(attempt, probe, signal)));
  const base = { username: parts.address, authMethod: 'password' as const };
  const incoming: IncomingSettings[] = [];
  const outgoing: OutgoingSettings[] = [];
  attempts.forEach((attempt, index) => {
    if (answered[index] !== true) return;
    const server = { host: attempt.host, port: attempt.port, security: attempt.security, ...base };
    if (attempt.service === 'smtp') outgoing.push(server);
    else incoming.push({ protocol: attempt.service, ...server });
  });
  return toDiscovered(incoming, outgoing, 'guess');
}
