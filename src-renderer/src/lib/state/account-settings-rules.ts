/**
 * The pure rules of the "Account settings" dialog: an account's saved setup as form text, and the
 * form back to a setup (or the fields that need attention). No runes, no API.
 */
import type { AccountSetup, SecurityView } from '../api/contract-types';
import {
  domainOf,
  identityAndServers,
  parseDays,
  parsePort,
  type IncomingProtocol,
  type OAuth2ProviderView,
} from './account-setup-rules';

export type OfflinePolicy = 'all' | 'days' | 'headers';

export interface IdentityForm {
  /** Stable key for the list (never sent). */
  key: number;
  name: string;
  email: string;
  signature: string;
}

export interface SettingsForm {
  name: string;
  email: string;
  protocol: IncomingProtocol;
  incomingHost: string;
  incomingPort: string;
  incomingSecurity: SecurityView;
  username: string;
  outgoingHost: string;
  outgoingPort: string;
  outgoingSecurity: SecurityView;
  leaveOnServer: boolean;
  deleteAfterDays: string;
  deleteWhenDeletedHere: boolean;
  checkEveryMinutes: string;
  maxMessageKb: string;
  offline: OfflinePolicy;
  offlineDays: string;
  signature: string;
  identities: IdentityForm[];
  oauth2Provider: OAuth2ProviderView | null;
}

export type SettingsField =
  | 'email'
  | 'incomingHost'
  | 'incomingPort'
  | 'username'
  | 'outgoingHost'
  | 'outgoingPort'
  | 'deleteAfterDays'
  | 'checkEveryMinutes'
  | 'maxMessageKb'
  | 'offlineDays'
  | `identity-${number}`;

/** The POP3 engine checks every 10 minutes unless told otherwise (sync/pop3-fetch). */
export const DEFAULT_CHECK_EVERY_MINUTES = 10;
const MAX_CHECK_EVERY_MINUTES = 1_440;
const MAX_MESSAGE_KB = 1024 * 1024;
/** "Last N days" starts at a month. */
export const DEFAULT_OFFLINE_DAYS = 30;

function wholeNumber(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,7}$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= min && value <= max ? value : undefined;
}

export function formFromSetup(setup: AccountSetup, nextKey: () => number): SettingsForm {
  return {
    name: setup.name,
    email: setup.email,
    protocol: setup.incoming.protocol,
    incomingHost: setup.incoming.host,
    incomingPort: String(setup.incoming.port),
    incomingSecurity: setup.incoming.security,
    username: setup.incoming.username,
    outgoingHost: setup.outgoing.host,
    outgoingPort: String(setup.outgoing.port),
    outgoingSecurity: setup.outgoing.security,
    leaveOnServer: setup.pop3.leaveOnServer,
    deleteAfterDays: setup.pop3.deleteAfterDays === null ? '' : String(setup.pop3.deleteAfterDays),
    deleteWhenDeletedHere: setup.pop3.deleteWhenDeletedHere,
    checkEveryMinutes: String(setup.pop3.checkEveryMinutes ?? DEFAULT_CHECK_EVERY_MINUTES),
    maxMessageKb:
      setup.pop3.maxMessageKb === null || setup.pop3.maxMessageKb === undefined
        ? ''
        : String(setup.pop3.maxMessageKb),
    offline: setup.imap?.offline ?? 'all',
    offlineDays: String(setup.imap?.days ?? DEFAULT_OFFLINE_DAYS),
    signature: setup.signature,
    identities: setup.identities.map((identity) => ({ key: nextKey(), ...identity })),
    oauth2Provider: setup.oauth2Provider,
  };
}

export type SettingsCheck = { setup: AccountSetup; invalid: [] } | { setup: null; invalid: SettingsField[] };

export function setupFromSettings(form: SettingsForm): SettingsCheck {
  const invalid: SettingsField[] = [];
  const incomingPort = parsePort(form.incomingPort);
  const outgoingPort = parsePort(form.outgoingPort);
  const username = form.username.trim();
  const deleteAfterDays = form.leaveOnServer ? parseDays(form.deleteAfterDays) : null;
  const checkEveryMinutes = wholeNumber(form.checkEveryMinutes, 1, MAX_CHECK_EVERY_MINUTES);
  const maxMessageKb =
    form.maxMessageKb.trim() === '' ? null : wholeNumber(form.maxMessageKb, 1, MAX_MESSAGE_KB);
  const offlineDays = form.offline === 'days' ? parseDays(form.offlineDays) : null;
  if (domainOf(form.email) === null) invalid.push('email');
  if (form.incomingHost.trim() === '') invalid.push('incomingHost');
  if (incomingPort === null) invalid.push('incomingPort');
  if (username === '') invalid.push('username');
  if (form.outgoingHost.trim() === '') invalid.push('outgoingHost');
  if (outgoingPort === null) invalid.push('outgoingPort');
  if (form.protocol === 'pop3') {
    if (deleteAfterDays === undefined) invalid.push('deleteAfterDays');
    if (checkEveryMinutes === undefined) invalid.push('checkEveryMinutes');
    if (maxMessageKb === undefined) invalid.push('maxMessageKb');
  }
  if (
    form.protocol === 'imap' &&
    (offlineDays === undefined || (form.offline === 'days' && offlineDays === null))
  ) {
    invalid.push('offlineDays');
  }
  for (const identity of form.identities) {
    if (domainOf(identity.email) === null) invalid.push(`identity-${identity.key}`);
  }
  if (invalid.length > 0 || incomingPort === null || outgoingPort === null) return { setup: null, invalid };
  const pop3Options = {
    leaveOnServer: form.leaveOnServer,
    deleteAfterDays: deleteAfterDays ?? null,
    deleteWhenDeletedHere: form.leaveOnServer && form.deleteWhenDeletedHere,
    ...(checkEveryMinutes !== undefined ? { checkEveryMinutes } : {}),
    maxMessageKb: maxMessageKb ?? null,
  };
  return {
    invalid: [],
    setup: {
      ...identityAndServers(form, incomingPort, outgoingPort),
      pop3: pop3Options,
      ...(form.protocol === 'imap' ? { imap: { offline: form.offline, days: offlineDays ?? null } } : {}),
      signature: form.signature,
      identities: form.identities.map(({ name, email, signature }) => ({
        name: name.trim(),
        email: email.trim(),
        signature,
      })),
      oauth2Provider: form.oauth2Provider,
    },
  };
}
