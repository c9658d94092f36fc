import { describe, expect, it } from 'vitest';
import { parseEmailAddress } from '../../../../../src-main/accounts/autoconfig/email-address';
import { parseMozillaConfig } from '../../../../../src-main/accounts/autoconfig/mozilla-config';
import type { DiscoveredSettings } from '../../../../../src-main/accounts/settings';
import { fixture } from './fixtures';

function settingsOf(
  xml: string,
  email: string,
  source: 'autoconfig' | 'ispdb' = 'autoconfig',
): DiscoveredSettings {
  const result = parseMozillaConfig(xml, parseEmailAddress(email), source);
  if (!result.ok) throw new Error(`unexpected failure: ${result.reason}`);
  return result.settings;
}

function reasonOf(xml: string): string {
  const result = parseMozillaConfig(xml, parseEmailAddress('ana@example.com'), 'autoconfig');
  if (result.ok) throw new Error('expected the file to be refused');
  return result.reason;
}

describe('Mozilla config-v1.1 files', () => {
  it('reads GMX: every server, in the file order, despite its miscased entity', () => {
    const settings = settingsOf(fixture('gmx.net.xml'), 'Ana.Perez@gmx.de', 'ispdb');
    expect(settings.source).toBe('ispdb');
    expect(settings.providerName).toBe('GMX Freemail');
    const user = 'Ana.Perez@gmx.de';
    expect(settings.incoming).toEqual([
      {
        protocol: 'imap',
        host: 'imap.gmx.net',
        port: 993,
        security: 'tls',
        username: user,
        authMethod: 'password',
      },
      {
        protocol: 'imap',
        host: 'imap.gmx.net',
        port: 143,
        security: 'starttls',
        username: user,
        authMethod: 'password',
      },
      {
        protocol: 'pop3',
        host: 'pop.gmx.net',
        port: 995,
        security: 'tls',
        username: user,
        authMethod: 'password',
      },
      {
        protocol: 'pop3',
        host: 'pop.gmx.net',
        port: 110,
        security: 'starttls',
        username: user,
        authMethod: 'password',
      },
    ]);
    expect(settings.outgoing).toEqual([
      { host: 'mail.gmx.net', port: 465, security: 'tls', username: user, authMethod: 'password' },
      { host: 'mail.gmx.net', port: 587, security: 'starttls', username: user, authMethod: 'password' },
    ]);
  });

  it('reads Fastmail: OAuth2 of an unknown provider falls back to the listed password', () => {
    const settings = settingsOf(fixture('fastmail.xml'), 'ana@fastmail.com');
    expect(settings.incoming.map((server) => [server.protocol, server.host, server.authMethod])).toEqual([
      ['imap', 'imap.fastmail.com', 'password'],
      ['pop3', 'pop.fastmail.com', 'password'],
    ]);
    expect(settings.outgoing).toHaveLength(1);
    expect(settings.oauth2).toBeUndefined();
  });

  it('reads a university file: local-part logins, templates in host names, unusable servers skipped', () => {
    const settings = settingsOf(fixture('university.xml'), 'jgarcia@uni-example.edu');
    expect(settings.providerName).toBe('Universidad de Ejemplo — Correo');
    expect(settings.incoming).toEqual([
      // Secure servers first; the plain-text one stays, last (RFC 8314 §4.1).
      {
        protocol: 'imap',
        host: 'imap.uni-example.edu',
        port: 993,
        security: 'tls',
        username: 'jgarcia',
        authMethod: 'password',
      },
      {
        protocol: 'pop3',
        host: 'pop3.uni-example.edu',
        port: 995,
        security: 'tls',
        username: 'jgarcia',
        authMethod: 'password',
      },
      {
        protocol: 'imap',
        host: 'mail.uni-example.edu',
        port: 143,
        security: 'none',
        username: 'jgarcia',
        authMethod: 'password',
      },
    ]);
    // The Exchange entry, the GSSAPI-only server and the IP-authenticated relay are not usable.
    expect(settings.outgoing).toEqual([
      {
        host: 'smtp.uni-example.edu',
        port: 587,
        security: 'starttls',
        username: 'jgarcia',
        authMethod: 'password',
      },
    ]);
  });

  it('labels OAuth2 for Google and Microsoft hosts with the provider', () => {
    const xml = `<clientConfig version="1.1"><emailProvider id="googlemail.com">
      <incomingServer type="imap"><hostname>imap.gmail.com</hostname><port>993</port>
      <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
      <authentication>OAuth2</authentication><authentication>password-cleartext</authentication></incomingServer>
      </emailProvider></clientConfig>`;
    const settings = settingsOf(xml, 'ana@corp.example');
    expect(settings.incoming[0]?.authMethod).toBe('oauth2');
    expect(settings.oauth2).toEqual({ provider: 'google' });
  });

  it('fills a missing port from the socket type and a missing username with the address', () => {
    const xml = `<clientConfig><emailProvider id="x"><incomingServer type="pop3"><hostname>pop.example.com</hostname>
      <socketType>STARTTLS</socketType></incomingServer></emailProvider></clientConfig>`;
    expect(settingsOf(xml, 'ana@example.com').incoming).toEqual([
      {
        protocol: 'pop3',
        host: 'pop.example.com',
        port: 110,
        security: 'starttls',
        username: 'ana@example.com',
        authMethod: 'password',
      },
    ]);
  });

  it('refuses hostile values: injected lines, bad ports, unknown socket types and placeholders, URLs', () => {
    const hostile = fixture('hostile-values.xml');
    expect(reasonOf(hostile)).toMatch(/no usable/);
    // With one sound server added, exactly that one survives.
    const sound = `<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port>
      <socketType>SSL</socketType></incomingServer></emailProvider>`;
    const settings = settingsOf(hostile.replace('</emailProvider>', sound), 'ana@example.com');
    expect(settings.incoming.map((server) => server.host)).toEqual(['imap.example.com']);
  });

  it('refuses malformed and non-config documents with a reason', () => {
    expect(reasonOf(fixture('malformed-truncated.xml'))).toMatch(/malformed XML/);
    expect(reasonOf(fixture('malformed-mismatched.xml'))).toMatch(/malformed XML/);
    expect(reasonOf(fixture('hostile-external-entity.xml'))).toMatch(/DOCTYPE/);
    expect(reasonOf(fixture('not-config-html.xml'))).toMatch(/malformed XML/);
    expect(reasonOf('<html><body>It works</body></html>')).toMatch(/not a clientConfig/);
    expect(reasonOf('<clientConfig version="1.1"/>')).toMatch(/no emailProvider/);
  });
});
