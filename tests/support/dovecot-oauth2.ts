/**
 * Real Dovecot and Postfix that accept OAuth2 bearer tokens: Dovecot's passdb oauth2 asks a local
 * RFC 7662 introspection stand-in whether each token is active and whose it is, and Postfix
 * submission asks Dovecot. Shared by the IMAP/SMTP and the POP3 OAuth2 integration tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccountConfig } from '../../src-main/accounts/account-config';
import type { TlsTrust } from '../../src-main/domain/security';
import { startMailServers, type MailServers } from './mail-servers';

export interface OAuth2MailServers {
  servers: MailServers;
  /** Every token Dovecot asked about, in order. */
  readonly introspected: readonly string[];
  /** Trust for the servers' test CA. */
  trust(): TlsTrust;
  /**
   * "Connect" settings for `user` signing in with OAuth2 to the incoming server (IMAPS or POP3S)
   * and to SMTP submission over TLS.
   */
  connectConfig(protocol: 'imap' | 'pop3', user: string): Pick<AccountConfig, 'incoming' | 'outgoing'>;
  stop(): Promise<void>;
}

/**
 * `activeTokens` (token -> user name) is read on every introspection, so a test can expire a
 * token (delete it) or bring it back while the servers run.
 */
export async function startOAuth2MailServers(
  activeTokens: ReadonlyMap<string, string>,
): Promise<OAuth2MailServers> {
  const introspected: string[] = [];
  // RFC 7662 §2: POST token=...; the answer says whether it is active and whose it is.
  const introspection = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token') ?? '';
      introspected.push(token);
      const user = activeTokens.get(token);
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(user === undefined ? { active: false } : { active: true, username: user }));
    });
  });
  await new Promise<void>((resolve) => introspection.listen(0, '127.0.0.1', resolve));
  const closeIntrospection = () => new Promise<void>((resolve) => introspection.close(() => resolve()));
  const { port } = introspection.address() as AddressInfo;
  let servers: MailServers;
  try {
    servers = await startMailServers({ oauth2IntrospectionUrl: `http://127.0.0.1:${port}/introspect` });
  } catch (error) {
    await closeIntrospection();
    throw error;
  }
  const trust = (): TlsTrust => ({ extraCaPem: servers.caPem });
  return {
    servers,
    introspected,
    trust,
    connectConfig: (protocol, user) => {
      const email = servers.address(user);
      return {
        incoming: {
          protocol,
          host: servers.host,
          port: protocol === 'imap' ? servers.ports.imaps : servers.ports.pop3s,
          security: 'tls',
          username: email,
          authMethod: 'oauth2',
        },
        outgoing: {
          host: servers.host,
          port: servers.ports.submissions,
          security: 'tls',
          username: email,
          authMethod: 'oauth2',
        },
      };
    },
    stop: async () => {
      await servers.stop();
      await closeIntrospection();
    },
  };
}
