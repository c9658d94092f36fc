// OAuth 2.0 sign-in for mail (RFC 6749, RFC 7636 PKCE, RFC 8252 native apps), and the SASL strings.
export { createPkcePair, challengeOf, createState, type PkcePair } from './pkce';
export {
  startLoopbackRedirect,
  REDIRECT_PATH,
  AUTHORIZATION_TIMEOUT_MS,
  type LoopbackRedirect,
  type AuthorizationCode,
} from './loopback-redirect';
export {
  PROVIDER_ENDPOINTS,
  providerConfig,
  type OAuth2Client,
  type OAuth2Endpoints,
  type OAuth2ProviderConfig,
} from './providers';
export {
  exchangeCode,
  refreshTokens,
  needsRefresh,
  EXPIRY_MARGIN_MS,
  TOKEN_REQUEST_TIMEOUT_MS,
  type FetchLike,
  type OAuth2Tokens,
  type TokenRequestOptions,
} from './token-endpoint';
export { signInWithBrowser, authorizationUrl, type BrowserSignInOptions } from './authorization-flow';
export { xoauth2InitialResponse, oauthBearerInitialResponse } from './sasl';
export { oauth2ClientsFromEnv, type OAuth2Clients } from './client-config';
export { OAuth2SignIns, type SignInSessionsOptions } from './sign-in-sessions';
export { OAuth2TokenSource, type TokenSourceOptions } from './token-source';
export { oauth2Key, readTokens, writeTokens } from './token-vault';
