import { createPkcePair, createState } from './pkce';
import { AUTHORIZATION_TIMEOUT_MS, startLoopbackRedirect } from './loopback-redirect';
import type { OAuth2ProviderConfig } from './providers';
import { exchangeCode, type OAuth2Tokens, type TokenRequestOptions } from './token-endpoint';

/**
 * The whole sign-in of a native app (RFC 8252): a loopback redirect is opened, the system browser
 * is sent to the provider's authorization endpoint with PKCE (RFC 7636) and a fresh `state`, the
 * code comes back to the loopback, and is exchanged for tokens. The app never sees the user's
 * provider password. How the browser is opened is the caller's (Electron's shell.openExternal).
 */

export interface BrowserSignInOptions extends TokenRequestOptions {
  provider: OAuth2ProviderConfig;
  /** Opens the URL in the user's browser; it must not be an embedded web view (RFC 8252 §8.12). */
  openBrowser: (url: string) => Promise<void>;
  /** The address being set up, so the provider preselects that account. */
  loginHint?: string;
  authorizationTimeoutMs?: number;
}

export function authorizationUrl(
  provider: OAuth2ProviderConfig,
  request: { redirectUri: string; state: string; challenge: string; loginHint?: string },
): string {
  const url = new URL(provider.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', provider.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', provider.scopes.join(' '));
  url.searchParams.set('state', request.state);
  url.searchParams.set('code_challenge', request.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  // Google hands out a refresh token only with offline access (Microsoft uses the offline_access scope).
  url.searchParams.set('access_type', 'offline');
  if (request.loginHint !== undefined) url.searchParams.set('login_hint', request.loginHint);
  return url.href;
}

export async function signInWithBrowser(options: BrowserSignInOptions): Promise<OAuth2Tokens> {
  const pkce = createPkcePair();
  const state = createState();
  const redirect = await startLoopbackRedirect(
    state,
    options.authorizationTimeoutMs ?? AUTHORIZATION_TIMEOUT_MS,
  );
  try {
    await options.openBrowser(
      authorizationUrl(options.provider, {
        redirectUri: redirect.redirectUri,
        state,
        challenge: pkce.challenge,
        loginHint: options.loginHint,
      }),
    );
    const { code } = await redirect.waitForCode();
    return await exchangeCode(
      options.provider,
      { code, redirectUri: redirect.redirectUri, verifier: pkce.verifier },
      options,
    );
  } finally {
    await redirect.close();
  }
}
