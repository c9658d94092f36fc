import type { ConnectionSecurity } from '../../domain/security';
import {
  defaultPort,
  isValidHostname,
  isValidPort,
  type AuthMethod,
  type DiscoveredSettings,
  type IncomingSettings,
  type MailService,
  type OutgoingSettings,
  validateOutgoingSettings,
} from '../settings';
import { oauth2ProviderForHost } from './builtin-providers';
import { MAX_CANDIDATES, toDiscovered } from './candidates';
import { expandTemplate, type EmailParts } from './email-address';
import { childElements, childText, readXml, type XmlElement } from './xml-reader';

/**
 * Reads Mozilla's autoconfig format (config-v1.1.xml), served by domains at autoconfig.<domain>
 * and by Thunderbird's ISPDB:
 *
 *   <clientConfig version="1.1"><emailProvider id="example.com">
 *     <displayName>Example</displayName>
 *     <incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port>
 *       <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
 *       <authentication>password-cleartext</authentication></incomingServer>
 *     <outgoingServer type="smtp">...</outgoingServer>
 *   </emailProvider></clientConfig>
 */

export type MozillaConfigResult = { ok: true; settings: DiscoveredSettings } | { ok: false; reason: string };

const SOCKET_TYPES: Readonly<Record<string, ConnectionSecurity>> = {
  SSL: 'tls',
  STARTTLS: 'starttls',
  plain: 'none',
};

/** Older files say plain/secure; the current names are password-cleartext/-encrypted. */
const AUTHENTICATIONS: Readonly<Record<string, AuthMethod>> = {
  'password-cleartext': 'password',
  'password-encrypted': 'password',
  plain: 'password',
  secure: 'password',
  OAuth2: 'oauth2',
};

const MAX_PROVIDER_NAME_LENGTH = 80;
const LEFTOVER_PLACEHOLDER = /%[A-Z]+%/;
const DIGITS = /^\d{1,5}$/;

interface ServerFields {
  host: string;
  port: number;
  security: ConnectionSecurity;
  username: string;
  authMethod: AuthMethod;
}

/**
 * The first authentication the file lists that Estafeta can do (the file's order is the provider's
 * preference). OAuth2 counts only for hosts whose OAuth2 sign-in Estafeta knows; elsewhere the
 * password alternative, if listed, is used. No <authentication> element means password, as in
 * Thunderbird. Servers that accept only GSSAPI, NTLM, client certificates or no login are skipped.
 */
function authMethodOf(server: XmlElement, host: string): AuthMethod | null {
  const listed = childElements(server, 'authentication').map((element) => element.text.trim());
  if (listed.length === 0) return 'password';
  for (const name of listed) {
    const method = AUTHENTICATIONS[name];
    if (method === 'password') return method;
    if (method === 'oauth2' && oauth2ProviderForHost(host) !== undefined) return method;
  }
  return null;
}

/** One server element, or null when any field is missing, unknown or unsafe. */
function readServer(server: XmlElement, service: MailService, parts: EmailParts): ServerFields | null {
  const security = SOCKET_TYPES[childText(server, 'socketType') ?? ''];
  const hostTemplate = childText(server, 'hostname');
  if (security === undefined || hostTemplate === undefined) return null;

  const host = expandTemplate(hostTemplate, parts).toLowerCase().replace(/\.$/, '');
  if (!isValidHostname(host)) return null;
  const authMethod = authMethodOf(server, host);
  if (authMethod === null) return null;

  const portText = childText(server, 'port');
  if (portText !== undefined && !DIGITS.test(portText)) return null;
  const port = portText === undefined ? defaultPort(service, security) : Number(portText);
  if (!isValidPort(port)) return null;

  const usernameTemplate = childText(server, 'username') || '%EMAILADDRESS%';
  const username = expandTemplate(usernameTemplate, parts);
  if (LEFTOVER_PLACEHOLDER.test(username)) return null;

  const fields = { host, port, security, username, authMethod };
  // The same checks as for settings the user types, e.g. no CR/LF smuggled into the login name.
  return validateOutgoingSettings(fields).length === 0 ? fields : null;
}

function providerNameOf(provider: XmlElement): string | undefined {
  const name = (childText(provider, 'displayName') ?? childText(provider, 'displayShortName'))
    ?.replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return name ? name.slice(0, MAX_PROVIDER_NAME_LENGTH) : undefined;
}

export function parseMozillaConfig(
  xml: string,
  parts: EmailParts,
  source: 'autoconfig' | 'ispdb',
): MozillaConfigResult {
  const document = readXml(xml);
  if (!document.ok) return { ok: false, reason: `malformed XML: ${document.error}` };
  if (document.root.name !== 'clientConfig') return { ok: false, reason: 'not a clientConfig document' };
  const provider = childElements(document.root, 'emailProvider')[0];
  if (provider === undefined) return { ok: false, reason: 'no emailProvider element' };

  const incoming: IncomingSettings[] = [];
  for (const server of childElements(provider, 'incomingServer').slice(0, MAX_CANDIDATES * 2)) {
    const protocol = server.attributes['type'];
    // Exchange/EWS entries and anything else we do not speak are skipped, not an error.
    if (protocol !== 'imap' && protocol !== 'pop3') continue;
    const fields = readServer(server, protocol, parts);
    if (fields !== null) incoming.push({ protocol, ...fields });
  }
  const outgoing: OutgoingSettings[] = [];
  for (const server of childElements(provider, 'outgoingServer').slice(0, MAX_CANDIDATES * 2)) {
    if (server.attributes['type'] !== 'smtp') continue;
    const fields = readServer(server, 'smtp', parts);
    if (fields !== null) outgoing.push(fields);
  }

  const oauth2Host = [...incoming, ...outgoing].find((server) => server.authMethod === 'oauth2')?.host;
  const oauth2Provider = oauth2Host === undefined ? undefined : oauth2ProviderForHost(oauth2Host);
  const settings = toDiscovered(incoming, outgoing, source, {
    providerName: providerNameOf(provider),
    oauth2: oauth2Provider === undefined ? undefined : { provider: oauth2Provider },
  });
  if (settings === null) return { ok: false, reason: 'no usable IMAP or POP3 server' };
  return { ok: true, settings };
}
