import type { ConnectionSecurity } from '../../domain/security';
import type { AuthMethod, IncomingProtocol, OAuth2Provider } from '../settings';

/**
 * Settings of the big providers, as each documents them, so that the most common addresses need
 * no network lookup at all. Usernames use the Mozilla template placeholders. `mxSuffixes` catch
 * custom domains hosted by the provider (a company domain whose MX is Google's or Microsoft's).
 */

export type UsernameTemplate = '%EMAILADDRESS%' | '%EMAILLOCALPART%';

export interface ServerTemplate {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: UsernameTemplate;
}

export interface IncomingTemplate extends ServerTemplate {
  protocol: IncomingProtocol;
}

export interface BuiltinProvider {
  id: string;
  name: string;
  domains: readonly string[];
  mxSuffixes: readonly string[];
  incoming: readonly IncomingTemplate[];
  outgoing: readonly ServerTemplate[];
  authMethod: AuthMethod;
  oauth2?: OAuth2Provider;
}

const EMAIL = '%EMAILADDRESS%';

function imap(host: string, port = 993, security: ConnectionSecurity = 'tls'): IncomingTemplate {
  return { protocol: 'imap', host, port, security, username: EMAIL };
}
function pop3(host: string, port = 995, security: ConnectionSecurity = 'tls'): IncomingTemplate {
  return { protocol: 'pop3', host, port, security, username: EMAIL };
}
/** Implicit TLS on 465 first (RFC 8314 §3.3 prefers it), then STARTTLS on 587. */
function smtpBoth(host: string): ServerTemplate[] {
  return [smtp(host, 465, 'tls'), smtp(host, 587, 'starttls')];
}
function smtp(host: string, port: number, security: ConnectionSecurity): ServerTemplate {
  return { host, port, security, username: EMAIL };
}

const GMAIL_SERVERS = {
  incoming: [imap('imap.gmail.com'), pop3('pop.gmail.com')],
  outgoing: smtpBoth('smtp.gmail.com'),
};

/** Microsoft's IMAP/POP endpoint serves both Outlook.com and Microsoft 365 mailboxes. */
const MICROSOFT_INCOMING = [imap('outlook.office365.com'), pop3('outlook.office365.com')];

export const BUILTIN_PROVIDERS: readonly BuiltinProvider[] = [
  {
    id: 'gmail',
    name: 'Gmail',
    domains: ['gmail.com', 'googlemail.com'],
    mxSuffixes: [],
    ...GMAIL_SERVERS,
    // Google accepts only OAuth2 or app passwords; OAuth2 is the default sign-in.
    authMethod: 'oauth2',
    oauth2: 'google',
  },
  {
    id: 'google-workspace',
    name: 'Google Workspace',
    domains: [],
    // aspmx.l.google.com, alt1.aspmx.l.google.com, smtp.google.com, aspmx2.googlemail.com ...
    mxSuffixes: ['google.com', 'googlemail.com'],
    ...GMAIL_SERVERS,
    authMethod: 'oauth2',
    oauth2: 'google',
  },
  {
    id: 'outlook',
    name: 'Outlook.com',
    domains: [
      'outlook.com',
      'outlook.de',
      'outlook.fr',
      'outlook.es',
      'outlook.it',
      'hotmail.com',
      'hotmail.co.uk',
      'hotmail.de',
      'hotmail.fr',
      'hotmail.es',
      'hotmail.it',
      'live.com',
      'live.co.uk',
      'live.de',
      'live.fr',
      'live.nl',
      'msn.com',
    ],
    mxSuffixes: ['olc.protection.outlook.com'],
    incoming: MICROSOFT_INCOMING,
    outgoing: [smtp('smtp-mail.outlook.com', 587, 'starttls')],
    // Microsoft turned off password sign-in for Outlook.com IMAP/POP/SMTP in 2024.
    authMethod: 'oauth2',
    oauth2: 'microsoft',
  },
  {
    id: 'microsoft365',
    name: 'Microsoft 365',
    domains: [],
    // <tenant>.mail.protection.outlook.com
    mxSuffixes: ['mail.protection.outlook.com'],
    incoming: MICROSOFT_INCOMING,
    outgoing: [smtp('smtp.office365.com', 587, 'starttls')],
    authMethod: 'oauth2',
    oauth2: 'microsoft',
  },
  {
    id: 'yahoo',
    name: 'Yahoo Mail',
    domains: [
      'yahoo.com',
      'ymail.com',
      'rocketmail.com',
      'yahoo.co.uk',
      'yahoo.de',
      'yahoo.fr',
      'yahoo.es',
      'yahoo.it',
      'yahoo.ca',
      'yahoo.com.au',
      'yahoo.co.in',
    ],
    mxSuffixes: [],
    incoming: [imap('imap.mail.yahoo.com'), pop3('pop.mail.yahoo.com')],
    outgoing: smtpBoth('smtp.mail.yahoo.com'),
    authMethod: 'password',
  },
  {
    id: 'aol',
    name: 'AOL Mail',
    domains: ['aol.com', 'aim.com', 'aol.co.uk', 'aol.de', 'aol.fr'],
    mxSuffixes: [],
    incoming: [imap('imap.aol.com'), pop3('pop.aol.com')],
    outgoing: smtpBoth('smtp.aol.com'),
    authMethod: 'password',
  },
  {
    id: 'icloud',
    name: 'iCloud Mail',
    domains: ['icloud.com', 'me.com', 'mac.com'],
    mxSuffixes: [],
    // Apple: the IMAP user name is the name part of the address; SMTP wants the whole address.
    // iCloud offers no POP3.
    incoming: [{ ...imap('imap.mail.me.com'), username: '%EMAILLOCALPART%' }],
    outgoing: [smtp('smtp.mail.me.com', 587, 'starttls')],
    authMethod: 'password',
  },
  {
    id: 'fastmail',
    name: 'Fastmail',
    domains: [
      'fastmail.com',
      'fastmail.fm',
      'fastmail.net',
      'fastmail.org',
      'fastmail.to',
      'fastmail.us',
      'messagingengine.com',
    ],
    mxSuffixes: [],
    incoming: [imap('imap.fastmail.com'), pop3('pop.fastmail.com')],
    outgoing: smtpBoth('smtp.fastmail.com'),
    authMethod: 'password',
  },
  {
    id: 'gmx-de',
    name: 'GMX',
    domains: ['gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch'],
    mxSuffixes: [],
    incoming: [imap('imap.gmx.net'), pop3('pop.gmx.net')],
    outgoing: smtpBoth('mail.gmx.net'),
    authMethod: 'password',
  },
  {
    id: 'gmx-com',
    name: 'GMX',
    domains: ['gmx.com', 'gmx.us', 'gmx.co.uk', 'gmx.fr', 'gmx.es'],
    mxSuffixes: [],
    incoming: [imap('imap.gmx.com'), pop3('pop.gmx.com')],
    outgoing: smtpBoth('mail.gmx.com'),
    authMethod: 'password',
  },
  {
    id: 'web.de',
    name: 'WEB.DE',
    domains: ['web.de'],
    mxSuffixes: [],
    incoming: [imap('imap.web.de'), pop3('pop3.web.de')],
    outgoing: [smtp('smtp.web.de', 587, 'starttls')],
    authMethod: 'password',
  },
  {
    id: 'zoho',
    name: 'Zoho Mail',
    domains: ['zoho.com', 'zohomail.com'],
    mxSuffixes: [],
    incoming: [imap('imap.zoho.com'), pop3('pop.zoho.com')],
    outgoing: smtpBoth('smtp.zoho.com'),
    authMethod: 'password',
  },
  {
    id: 'zoho-eu',
    name: 'Zoho Mail',
    domains: ['zoho.eu', 'zohomail.eu'],
    mxSuffixes: [],
    incoming: [imap('imap.zoho.eu'), pop3('pop.zoho.eu')],
    outgoing: smtpBoth('smtp.zoho.eu'),
    authMethod: 'password',
  },
  {
    id: 'proton-bridge',
    name: 'Proton Mail Bridge',
    domains: ['proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me'],
    mxSuffixes: [],
    // Proton Mail is reached only through the Bridge app on this computer, which listens on
    // loopback with STARTTLS and a self-signed certificate (the user pins it) and gives its own password.
    incoming: [imap('127.0.0.1', 1143, 'starttls')],
    outgoing: [smtp('127.0.0.1', 1025, 'starttls')],
    authMethod: 'password',
  },
  {
    id: 'yandex',
    name: 'Yandex Mail',
    domains: ['yandex.com', 'yandex.ru', 'ya.ru', 'yandex.by', 'yandex.kz', 'yandex.ua', 'narod.ru'],
    mxSuffixes: [],
    incoming: [imap('imap.yandex.com'), pop3('pop.yandex.com')],
    outgoing: smtpBoth('smtp.yandex.com'),
    authMethod: 'password',
  },
  {
    id: 'mailbox.org',
    name: 'mailbox.org',
    domains: ['mailbox.org'],
    mxSuffixes: [],
    incoming: [imap('imap.mailbox.org'), pop3('pop3.mailbox.org')],
    outgoing: smtpBoth('smtp.mailbox.org'),
    authMethod: 'password',
  },
  {
    id: 'posteo',
    name: 'Posteo',
    domains: ['posteo.de', 'posteo.net', 'posteo.org', 'posteo.eu', 'posteo.at', 'posteo.ch', 'posteo.be'],
    mxSuffixes: [],
    incoming: [imap('posteo.de'), imap('posteo.de', 143, 'starttls'), pop3('posteo.de')],
    outgoing: smtpBoth('posteo.de'),
    authMethod: 'password',
  },
];

/** Host names whose OAuth2 sign-in Estafeta knows: used to label config files that ask for OAuth2. */
const OAUTH2_HOST_SUFFIXES: readonly (readonly [string, OAuth2Provider])[] = [
  ['gmail.com', 'google'],
  ['googlemail.com', 'google'],
  ['google.com', 'google'],
  ['office365.com', 'microsoft'],
  ['outlook.com', 'microsoft'],
];

export function hasDomainSuffix(host: string, suffix: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === suffix || name.endsWith(`.${suffix}`);
}

export function oauth2ProviderForHost(host: string): OAuth2Provider | undefined {
  return OAUTH2_HOST_SUFFIXES.find(([suffix]) => hasDomainSuffix(host, suffix))?.[1];
}
