import type { OAuth2Provider } from '../settings';

/**
 * Where each provider's authorization server is, and which scopes give IMAP, POP3 and SMTP access.
 * The client id (and, for Google's "desktop app" clients, the non-confidential client secret,
 * RFC 8252 §8.5) is the distributor's registration and is passed in, never hard-coded here.
 */

export interface OAuth2Endpoints {
  authorizationUrl: string;
  tokenUrl: string;
  scopes: readonly string[];
}

export interface OAuth2Client {
  clientId: string;
  /** Installed-app clients are public (RFC 6749 §2.1); some providers still issue one. */
  clientSecret?: string;
}

export interface OAuth2ProviderConfig extends OAuth2Endpoints, OAuth2Client {}

export const PROVIDER_ENDPOINTS: Readonly<Record<OAuth2Provider, OAuth2Endpoints>> = {
  google: {
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    // Gmail's IMAP/POP/SMTP scope (https://developers.google.com/gmail/imap/xoauth2-protocol).
    scopes: ['https://mail.google.com/'],
  },
  microsoft: {
    authorizationUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    // offline_access for a refresh token; one scope per protocol (Exchange Online OAuth for IMAP/POP/SMTP).
    scopes: [
      'offline_access',
      'https://outlook.office.com/IMAP.AccessAsUser.All',
      'https://outlook.office.com/POP.AccessAsUser.All',
      'https://outlook.office.com/SMTP.Send',
    ],
  },
};

export function providerConfig(provider: OAuth2Provider, client: OAuth2Client): OAuth2ProviderConfig {
  return { ...PROVIDER_ENDPOINTS[provider], ...client };
}
