/**
 * A local stand-in for Google's or Microsoft's authorization server: /authorize "approves" at once
 * (or denies) by redirecting to the redirect_uri, and /token checks the code, the redirect_uri and
 * the PKCE verifier against the challenge exactly as RFC 7636 §4.6 asks, then issues tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OAuth2ProviderConfig } from '../../../../../src-main/accounts/oauth2';

interface IssuedCode {
  challenge: string;
  redirectUri: string;
  clientId: string;
}

export interface AuthorizationServerStandIn {
  provider: OAuth2ProviderConfig;
  /** Query parameters of every /authorize request. */
  authorizeRequests: URLSearchParams[];
  /** Form fields of every /token request. */
  tokenRequests: URLSearchParams[];
  /** 'approve' redirects with a code, 'deny' with error=access_denied. */
  decision: 'approve' | 'deny';
  /** Overrides the token reply (for malformed-reply tests). */
  tokenReply: { status: number; body: string } | null;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startAuthorizationServer(): Promise<AuthorizationServerStandIn> {
  const codes = new Map<string, IssuedCode>();
  const standIn: AuthorizationServerStandIn = {
    provider: {
      authorizationUrl: '',
      tokenUrl: '',
      scopes: ['https://mail.example.test/'],
      clientId: 'estafeta-test-client',
    },
    authorizeRequests: [],
    tokenRequests: [],
    decision: 'approve',
    tokenReply: null,
    close: async () => undefined,
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/authorize') {
      const query = url.searchParams;
      standIn.authorizeRequests.push(query);
      const target = new URL(query.get('redirect_uri') ?? '');
      target.searchParams.set('state', query.get('state') ?? '');
      if (standIn.decision === 'deny') {
        target.searchParams.set('error', 'access_denied');
      } else {
        const code = randomBytes(16).toString('hex');
        codes.set(code, {
          challenge: query.get('code_challenge') ?? '',
          redirectUri: query.get('redirect_uri') ?? '',
          clientId: query.get('client_id') ?? '',
        });
        target.searchParams.set('code', code);
      }
      response.writeHead(302, { Location: target.href });
      response.end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      void bodyOf(request).then((text) => {
        const form = new URLSearchParams(text);
        standIn.tokenRequests.push(form);
        const reply = (status: number, body: object | string): void => {
          response.writeHead(status, { 'Content-Type': 'application/json' });
          response.end(typeof body === 'string' ? body : JSON.stringify(body));
        };
        if (standIn.tokenReply) return reply(standIn.tokenReply.status, standIn.tokenReply.body);
        if (form.get('grant_type') === 'refresh_token') {
          return form.get('refresh_token') === 'refresh-1'
            ? reply(200, { access_token: 'access-2', token_type: 'Bearer', expires_in: 3600 })
            : reply(400, { error: 'invalid_grant' });
        }
        const issued = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (
          !issued ||
          issued.challenge !== challenge ||
          issued.redirectUri !== form.get('redirect_uri') ||
          issued.clientId !== form.get('client_id')
        ) {
          return reply(400, {
            error: 'invalid_grant',
            error_description: 'code, redirect_uri or verifier wrong',
          });
        }
        codes.delete(form.get('code') ?? '');
        return reply(200, {
          access_token: 'access-1',
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: 'refresh-1',
        });
      });
      return;
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.provider.authorizationUrl = `${origin}/authorize`;
  standIn.provider.tokenUrl = `${origin}/token`;
  standIn.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return standIn;
}

/** The system browser, played by fetch: follows the provider's redirect to the loopback. */
export async function browserThatFollows(url: string): Promise<void> {
  void fetch(url, { redirect: 'follow' }).then(
    (response) => response.arrayBuffer(),
    () => undefined,
  );
}
