import { isIP } from 'node:net';
import type { ConnectionSecurity } from '../domain/security';

/**
 * Server settings of a mail account: what account setup discovers, the user confirms, and the
 * protocol adapters connect with. Pure data and pure checks; no I/O.
 */

export type IncomingProtocol = 'imap' | 'pop3';
export type AuthMethod = 'password' | 'oauth2';
export type SettingsSource = 'builtin' | 'autoconfig' | 'ispdb' | 'srv' | 'guess';
export type OAuth2Provider = 'google' | 'microsoft';

export interface IncomingSettings {
  protocol: IncomingProtocol;
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  authMethod: AuthMethod;
}

export interface OutgoingSettings {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  authMethod: AuthMethod;
}

export interface DiscoveredSettings {
  /** Candidates, best first; IMAP and POP3 both appear when the provider offers both. */
  incoming: IncomingSettings[];
  /** SMTP submission candidates, best first (may be empty when only incoming servers were found). */
  outgoing: OutgoingSettings[];
  source: SettingsSource;
  providerName?: string;
  oauth2?: { provider: OAuth2Provider };
}

export type MailService = IncomingProtocol | 'smtp';

/**
 * Well-known ports. Implicit TLS (RFC 8314 §3): IMAP 993, POP3 995, submissions 465; STARTTLS:
 * RFC 3501 (143), RFC 1939/2595 (110), RFC 6409 (587). A plain ('none') connection uses the
 * STARTTLS port, which is where such servers listen.
 */
export const DEFAULT_PORTS: Readonly<Record<MailService, Readonly<Record<'tls' | 'starttls', number>>>> = {
  imap: { tls: 993, starttls: 143 },
  pop3: { tls: 995, starttls: 110 },
  smtp: { tls: 465, starttls: 587 },
};

export function defaultPort(service: MailService, security: ConnectionSecurity): number {
  return DEFAULT_PORTS[service][security === 'tls' ? 'tls' : 'starttls'];
}

export const MIN_PORT = 1;
export const MAX_PORT = 65_535;
/** RFC 1035 §2.3.4: 255 octets on the wire, i.e. 253 characters in dotted form. */
const MAX_HOSTNAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
/** Generous for long addresses used as login names, small enough to keep protocol lines sane. */
const MAX_USERNAME_LENGTH = 320;
/** RFC 1123 §2.1 letter-digit-hyphen label: no leading or trailing hyphen. */
const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/** C0 controls and DEL: a CR or LF in a username would let it inject protocol commands. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT;
}

/**
 * An ASCII host name (IDN domains must be converted to their xn-- form first) or an IP literal
 * (IPv4 dotted quad or IPv6 without brackets). A single trailing dot (absolute name) is accepted.
 */
export function isValidHostname(host: string): boolean {
  if (isIP(host) !== 0) return true;
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > MAX_HOSTNAME_LENGTH) return false;
  const labels = name.split('.');
  // A name made only of digits and dots that isIP rejected (e.g. 300.1.1.1) is not a host name.
  if (labels.every((label) => /^\d+$/.test(label))) return false;
  return labels.every((label) => label.length <= MAX_LABEL_LENGTH && LDH_LABEL.test(label));
}

export interface SettingsProblem {
  field: 'host' | 'port' | 'username' | 'security' | 'protocol' | 'authMethod';
  message: string;
}

const SECURITIES: readonly string[] = ['tls', 'starttls', 'none'];
const AUTH_METHODS: readonly string[] = ['password', 'oauth2'];

function commonProblems(settings: OutgoingSettings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  if (!isValidHostname(settings.host)) {
    problems.push({ field: 'host', message: 'Enter a server name such as mail.example.com.' });
  }
  if (!isValidPort(settings.port)) {
    problems.push({ field: 'port', message: `Enter a port number from ${MIN_PORT} to ${MAX_PORT}.` });
  }
  if (!SECURITIES.includes(settings.security)) {
    problems.push({ field: 'security', message: 'Choose TLS, STARTTLS or no encryption.' });
  }
  if (!AUTH_METHODS.includes(settings.authMethod)) {
    problems.push({ field: 'authMethod', message: 'Choose password or OAuth2 sign-in.' });
  }
  if (settings.username.trim().length === 0 || settings.username.length > MAX_USERNAME_LENGTH) {
    problems.push({ field: 'username', message: 'Enter the user name for this server.' });
  } else if (CONTROL_CHARACTER.test(settings.username)) {
    problems.push({ field: 'username', message: 'The user name contains characters that are not allowed.' });
  }
  return problems;
}

/** Every problem found, in field order; an empty list means the settings can be used. */
export function validateIncomingSettings(settings: IncomingSettings): SettingsProblem[] {
  const problems = commonProblems(settings);
  if (settings.protocol !== 'imap' && settings.protocol !== 'pop3') {
    problems.unshift({ field: 'protocol', message: 'Choose IMAP or POP3.' });
  }
  return problems;
}

export function validateOutgoingSettings(settings: OutgoingSettings): SettingsProblem[] {
  return commonProblems(settings);
}
