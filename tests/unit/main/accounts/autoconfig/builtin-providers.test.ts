import { describe, expect, it } from 'vitest';
import { builtinForDomain, builtinForMx } from '../../../../../src-main/accounts/autoconfig/builtin-lookup';
import { BUILTIN_PROVIDERS } from '../../../../../src-main/accounts/autoconfig/builtin-providers';
import { parseEmailAddress } from '../../../../../src-main/accounts/autoconfig/email-address';
import {
  validateIncomingSettings,
  validateOutgoingSettings,
  type DiscoveredSettings,
} from '../../../../../src-main/accounts/settings';

function builtin(email: string): DiscoveredSettings {
  const settings = builtinForDomain(parseEmailAddress(email));
  if (settings === null) throw new Error(`no built-in settings for ${email}`);
  return settings;
}

type Server = { protocol?: string; host: string; port: number; security: string; username: string };
const brief = (server: Server): string =>
  `${server.protocol ?? 'smtp'} ${server.host}:${server.port} ${server.security} ${server.username}`;

/** What each provider documents for its mail clients. */
const EXPECTED: Record<string, { incoming: string[]; outgoing: string[]; oauth2?: string }> = {
  'ana@gmail.com': {
    incoming: ['imap imap.gmail.com:993 tls ana@gmail.com', 'pop3 pop.gmail.com:995 tls ana@gmail.com'],
    outgoing: ['smtp smtp.gmail.com:465 tls ana@gmail.com', 'smtp smtp.gmail.com:587 starttls ana@gmail.com'],
    oauth2: 'google',
  },
  'ana@googlemail.com': {
    incoming: [
      'imap imap.gmail.com:993 tls ana@googlemail.com',
      'pop3 pop.gmail.com:995 tls ana@googlemail.com',
    ],
    outgoing: [
      'smtp smtp.gmail.com:465 tls ana@googlemail.com',
      'smtp smtp.gmail.com:587 starttls ana@googlemail.com',
    ],
    oauth2: 'google',
  },
  'ana@hotmail.com': {
    incoming: [
      'imap outlook.office365.com:993 tls ana@hotmail.com',
      'pop3 outlook.office365.com:995 tls ana@hotmail.com',
    ],
    outgoing: ['smtp smtp-mail.outlook.com:587 starttls ana@hotmail.com'],
    oauth2: 'microsoft',
  },
  'ana@yahoo.com': {
    incoming: [
      'imap imap.mail.yahoo.com:993 tls ana@yahoo.com',
      'pop3 pop.mail.yahoo.com:995 tls ana@yahoo.com',
    ],
    outgoing: [
      'smtp smtp.mail.yahoo.com:465 tls ana@yahoo.com',
      'smtp smtp.mail.yahoo.com:587 starttls ana@yahoo.com',
    ],
  },
  'ana@icloud.com': {
    incoming: ['imap imap.mail.me.com:993 tls ana'],
    outgoing: ['smtp smtp.mail.me.com:587 starttls ana@icloud.com'],
  },
  'ana@me.com': {
    incoming: ['imap imap.mail.me.com:993 tls ana'],
    outgoing: ['smtp smtp.mail.me.com:587 starttls ana@me.com'],
  },
  'ana@fastmail.com': {
    incoming: [
      'imap imap.fastmail.com:993 tls ana@fastmail.com',
      'pop3 pop.fastmail.com:995 tls ana@fastmail.com',
    ],
    outgoing: [
      'smtp smtp.fastmail.com:465 tls ana@fastmail.com',
      'smtp smtp.fastmail.com:587 starttls ana@fastmail.com',
    ],
  },
  'ana@gmx.de': {
    incoming: ['imap imap.gmx.net:993 tls ana@gmx.de', 'pop3 pop.gmx.net:995 tls ana@gmx.de'],
    outgoing: ['smtp mail.gmx.net:465 tls ana@gmx.de', 'smtp mail.gmx.net:587 starttls ana@gmx.de'],
  },
  'ana@gmx.com': {
    incoming: ['imap imap.gmx.com:993 tls ana@gmx.com', 'pop3 pop.gmx.com:995 tls ana@gmx.com'],
    outgoing: ['smtp mail.gmx.com:465 tls ana@gmx.com', 'smtp mail.gmx.com:587 starttls ana@gmx.com'],
  },
  'ana@web.de': {
    incoming: ['imap imap.web.de:993 tls ana@web.de', 'pop3 pop3.web.de:995 tls ana@web.de'],
    outgoing: ['smtp smtp.web.de:587 starttls ana@web.de'],
  },
  'ana@zoho.com': {
    incoming: ['imap imap.zoho.com:993 tls ana@zoho.com', 'pop3 pop.zoho.com:995 tls ana@zoho.com'],
    outgoing: ['smtp smtp.zoho.com:465 tls ana@zoho.com', 'smtp smtp.zoho.com:587 starttls ana@zoho.com'],
  },
  'ana@proton.me': {
    incoming: ['imap 127.0.0.1:1143 starttls ana@proton.me'],
    outgoing: ['smtp 127.0.0.1:1025 starttls ana@proton.me'],
  },
  'ana@aol.com': {
    incoming: ['imap imap.aol.com:993 tls ana@aol.com', 'pop3 pop.aol.com:995 tls ana@aol.com'],
    outgoing: ['smtp smtp.aol.com:465 tls ana@aol.com', 'smtp smtp.aol.com:587 starttls ana@aol.com'],
  },
  'ana@yandex.ru': {
    incoming: ['imap imap.yandex.com:993 tls ana@yandex.ru', 'pop3 pop.yandex.com:995 tls ana@yandex.ru'],
    outgoing: [
      'smtp smtp.yandex.com:465 tls ana@yandex.ru',
      'smtp smtp.yandex.com:587 starttls ana@yandex.ru',
    ],
  },
  'ana@mailbox.org': {
    incoming: [
      'imap imap.mailbox.org:993 tls ana@mailbox.org',
      'pop3 pop3.mailbox.org:995 tls ana@mailbox.org',
    ],
    outgoing: [
      'smtp smtp.mailbox.org:465 tls ana@mailbox.org',
      'smtp smtp.mailbox.org:587 starttls ana@mailbox.org',
    ],
  },
  'ana@posteo.de': {
    incoming: [
      'imap posteo.de:993 tls ana@posteo.de',
      'imap posteo.de:143 starttls ana@posteo.de',
      'pop3 posteo.de:995 tls ana@posteo.de',
    ],
    outgoing: ['smtp posteo.de:465 tls ana@posteo.de', 'smtp posteo.de:587 starttls ana@posteo.de'],
  },
};

describe('built-in provider table', () => {
  for (const [email, expected] of Object.entries(EXPECTED)) {
    it(`gives ${email.split('@')[1]} its documented servers without any lookup`, () => {
      const settings = builtin(email);
      expect(settings.source).toBe('builtin');
      expect(settings.incoming.map(brief)).toEqual(expected.incoming);
      expect(settings.outgoing.map(brief)).toEqual(expected.outgoing);
      expect(settings.oauth2?.provider).toBe(expected.oauth2);
    });
  }

  it('asks for OAuth2 sign-in exactly where the provider has OAuth2', () => {
    expect(builtin('ana@gmail.com').incoming.every((server) => server.authMethod === 'oauth2')).toBe(true);
    expect(builtin('ana@outlook.com').outgoing.every((server) => server.authMethod === 'oauth2')).toBe(true);
    expect(builtin('ana@yahoo.com').incoming.every((server) => server.authMethod === 'password')).toBe(true);
  });

  it('holds only valid, encrypted settings, and every domain belongs to one provider', () => {
    const seen = new Set<string>();
    for (const provider of BUILTIN_PROVIDERS) {
      for (const domain of provider.domains) {
        expect(seen.has(domain), domain).toBe(false);
        seen.add(domain);
        const settings = builtin(`someone@${domain}`);
        for (const server of settings.incoming) {
          expect(validateIncomingSettings(server), `${domain} ${server.host}`).toEqual([]);
          expect(server.security).not.toBe('none');
        }
        for (const server of settings.outgoing) {
          expect(validateOutgoingSettings(server), `${domain} ${server.host}`).toEqual([]);
          expect(server.security).not.toBe('none');
        }
      }
    }
  });

  it('maps custom domains hosted by Google or Microsoft by their preferred MX host', () => {
    const parts = parseEmailAddress('ana@company.example');
    const google = builtinForMx(parts, [
      { exchange: 'alt1.aspmx.l.google.com', priority: 5 },
      { exchange: 'aspmx.l.google.com', priority: 1 },
    ]);
    expect(google?.providerName).toBe('Google Workspace');
    expect(google?.incoming[0]?.host).toBe('imap.gmail.com');
    expect(google?.oauth2).toEqual({ provider: 'google' });

    const microsoft = builtinForMx(parts, [
      { exchange: 'company-example.mail.protection.outlook.com.', priority: 0 },
    ]);
    expect(microsoft?.providerName).toBe('Microsoft 365');
    expect(microsoft?.incoming[0]?.host).toBe('outlook.office365.com');
    expect(microsoft?.outgoing[0]).toMatchObject({
      host: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
    });
    expect(microsoft?.incoming[0]?.username).toBe('ana@company.example');

    // Only the most preferred MX counts, and look-alike names do not match.
    expect(
      builtinForMx(parts, [
        { exchange: 'mx.company.example', priority: 1 },
        { exchange: 'aspmx.l.google.com', priority: 10 },
      ]),
    ).toBeNull();
    expect(builtinForMx(parts, [{ exchange: 'google.com.evil.example', priority: 1 }])).toBeNull();
    expect(builtinForMx(parts, [{ exchange: 'notgoogle.com', priority: 1 }])).toBeNull();
    expect(builtinForMx(parts, [])).toBeNull();
  });
});
