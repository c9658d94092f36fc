/**
 * The pure rules of account setup, apart from its state: default ports, guessed host names, which
 * fields a form still needs, and grouping refused certificates. No runes, no API: unit-tested.
 */
import type { AccountSetup, CertificateView, ConnectionCheckView, SecurityView } from '../api/contract-types';

/** "Sign in with Google/Microsoft". */
export type OAuth2ProviderView = NonNullable<AccountSetup['oauth2Provider']>;

export type IncomingProtocol = 'imap' | 'pop3';
export type MailService = IncomingProtocol | 'smtp';
export type FormField =
  | 'name'
  | 'email'
  | 'password'
  | 'incomingHost'
  | 'incomingPort'
  | 'incomingSecurity'
  | 'username'
  | 'outgoingHost'
  | 'outgoingPort'
  | 'outgoingSecurity'
  | 'deleteAfterDays';

/** RFC 8314 implicit TLS ports, and the STARTTLS/plain ports (RFC 3501, 1939, 6409). */
const PORTS: Readonly<Record<MailService, Readonly<Record<SecurityView, number>>>> = {
  imap: { tls: 993, starttls: 143, none: 143 },
  pop3: { tls: 995, starttls: 110, none: 110 },
  smtp: { tls: 465, starttls: 587, none: 587 },
};
/** The host names most providers use, for when nothing was found (Thunderbird guesses the same). */
const GUESSED_HOST_PREFIX: Readonly<Record<MailService, string>> = {
  imap: 'imap',
  pop3: 'pop',
  smtp: 'smtp',
};
export const DEFAULT_INCOMING_SECURITY: SecurityView = 'tls';
export const DEFAULT_OUTGOING_SECURITY: SecurityView = 'starttls';
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PORT = 1;
const MAX_PORT = 65_535;

export function defaultPort(service: MailService, security: SecurityView): number {
  return PORTS[service][security];
}

/** The lowercase domain of something that looks like an address, else null. */
export function domainOf(email: string): string | null {
  const trimmed = email.trim();
  return ADDRESS.test(trimmed) ? trimmed.slice(trimmed.lastIndexOf('@') + 1).toLowerCase() : null;
}

export function guessedHost(service: MailService, email: string): string {
  const domain = domainOf(email);
  return domain === null ? '' : `${GUESSED_HOST_PREFIX[service]}.${domain}`;
}

/** A port typed by the user, or null when it is not a whole number from 1 to 65535. */
export function parsePort(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,5}$/.test(trimmed)) return null;
  const port = Number(trimmed);
  return port >= MIN_PORT && port <= MAX_PORT ? port : null;
}

/** What the server fields hold, as typed. */
export interface ServerValues {
  incomingHost: string;
  incomingPort: string;
  incomingSecurity: SecurityView;
  username: string;
  outgoingHost: string;
  outgoingPort: string;
  outgoingSecurity: SecurityView;
}

/** The server fields both "Add account" and "Account settings" show (ServerSettings.svelte). */
export interface ServerFieldsModel extends ServerValues {
  readonly isBusy: boolean;
  readonly invalidFields: readonly string[];
  /** The user entered / left a server field (Add account keeps late lookups out of it). */
  focusField?(field: ServerFieldName): void;
  blurField?(field: ServerFieldName): void;
}

export type ServerFieldName = keyof ServerValues;

/** What the form holds, as typed. */
export interface SetupForm extends ServerValues {
  name: string;
  email: string;
  password: string;
  protocol: IncomingProtocol;
  leaveOnServer: boolean;
  /** POP3 with leaveOnServer: "Delete from server after N days"; '' never. */
  deleteAfterDays?: string;
  /** POP3 with leaveOnServer: "Delete from server when I delete it here". */
  deleteWhenDeletedHere?: boolean;
  /** Set when the user signs in through the browser: no password then. */
  oauth2Provider?: OAuth2ProviderView | null;
}

/** "Delete from server after N days": ten years at most (the main process's bound). */
export const MAX_DELETE_AFTER_DAYS = 3_650;

/** A whole number of days from 1 to MAX_DELETE_AFTER_DAYS; '' is "never" (null); else undefined. */
export function parseDays(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (!/^\d{1,4}$/.test(trimmed)) return undefined;
  const days = Number(trimmed);
  return days >= 1 && days <= MAX_DELETE_AFTER_DAYS ? days : undefined;
}

/** The fields both account dialogs send the same way: who, and which two servers. */
type IdentityAndServers = Pick<AccountSetup, 'name' | 'email' | 'incoming' | 'outgoing'>;

/** Name, address and both servers from a form whose ports are already checked. */
export function identityAndServers(
  form: ServerValues & { name: string; email: string; protocol: IncomingProtocol },
  incomingPort: number,
  outgoingPort: number,
): IdentityAndServers {
  const username = form.username.trim();
  return {
    name: form.name.trim(),
    email: form.email.trim(),
    incoming: {
      protocol: form.protocol,
      host: form.incomingHost.trim(),
      port: incomingPort,
      security: form.incomingSecurity,
      username,
    },
    outgoing: {
      host: form.outgoingHost.trim(),
      port: outgoingPort,
      security: form.outgoingSecurity,
      username,
    },
  };
}

export type SetupCheck = { setup: AccountSetup; invalid: [] } | { setup: null; invalid: FormField[] };

/** The setup to send, or every field (in form order) that needs the user's attention first. */
export function setupFromForm(form: SetupForm): SetupCheck {
  const incomingPort = parsePort(form.incomingPort);
  const outgoingPort = parsePort(form.outgoingPort);
  const username = form.username.trim();
  const oauth2Provider = form.oauth2Provider ?? null;
  const deleteAfterDays = form.leaveOnServer ? parseDays(form.deleteAfterDays ?? '') : null;
  const invalid: FormField[] = [];
  if (domainOf(form.email) === null) invalid.push('email');
  if (form.password === '' && oauth2Provider === null) invalid.push('password');
  if (form.incomingHost.trim() === '') invalid.push('incomingHost');
  if (incomingPort === null) invalid.push('incomingPort');
  if (username === '') invalid.push('username');
  if (form.outgoingHost.trim() === '') invalid.push('outgoingHost');
  if (outgoingPort === null) invalid.push('outgoingPort');
  if (deleteAfterDays === undefined) invalid.push('deleteAfterDays');
  if (invalid.length > 0 || incomingPort === null || outgoingPort === null || deleteAfterDays === undefined) {
    return { setup: null, invalid };
  }
  return {
    invalid: [],
    setup: {
      ...identityAndServers(form, incomingPort, outgoingPort),
      pop3: {
        leaveOnServer: form.leaveOnServer,
        deleteAfterDays,
        deleteWhenDeletedHere: form.leaveOnServer && (form.deleteWhenDeletedHere ?? false),
      },
      signature: '',
      identities: [],
      oauth2Provider,
    },
  };
}

/** One refused certificate and every server (host:port) that presented it. */
export interface CertificateGroup {
  certificate: CertificateView;
  servers: ReadonlyArray<{ host: string; port: number }>;
}

/** The same certificate on the IMAP and SMTP server is one decision for the user, not two. */
export function certificateGroups(check: ConnectionCheckView | null): CertificateGroup[] {
  if (check === null) return [];
  const groups: Array<{ certificate: CertificateView; servers: Array<{ host: string; port: number }> }> = [];
  for (const outcome of [check.incoming, check.outgoing]) {
    if (outcome.ok || outcome.certificate === null) continue;
    const fingerprint = outcome.certificate.fingerprint256;
    let group = groups.find((candidate) => candidate.certificate.fingerprint256 === fingerprint);
    if (group === undefined) {
      group = { certificate: outcome.certificate, servers: [] };
      groups.push(group);
    }
    group.servers.push({ host: outcome.host, port: outcome.port });
  }
  return groups;
}
