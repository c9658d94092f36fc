import { MailError } from '../../domain/errors';
import type { OAuth2ProviderConfig } from './providers';

/**
 * The token endpoint (RFC 6749 §3.2): the authorization code and PKCE verifier are exchanged for
 * tokens (§4.1.3), and a refresh token for a new access token (§6). Replies are checked before
 * use, and no token or code is ever put into an error message.
 */

export const TOKEN_REQUEST_TIMEOUT_MS = 15_000;
/** A token reply is a small JSON object; anything bigger is not one. */
const MAX_TOKEN_REPLY_BYTES = 64 * 1024;
/** Renew a little before the provider's expiry, so a token never dies in the middle of a sync. */
export const EXPIRY_MARGIN_MS = 60_000;

export interface OAuth2Tokens {
  accessToken: string;
  /** Null when the provider sent none (then the user signs in again when the access token expires). */
  refreshToken: string | null;
  /** ms since the epoch; null when the provider did not say. */
  expiresAt: number | null;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface TokenRequestOptions {
  fetch?: FetchLike;
  now?: () => number;
  timeoutMs?: number;
}

function tokenError(message: string, detail?: string): MailError {
  return new MailError('AUTH_FAILED', message, { detail, retryable: false });
}

async function readReply(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (text.length > MAX_TOKEN_REPLY_BYTES) throw tokenError('The sign-in server sent an unexpected reply.');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw tokenError('The sign-in server sent an unexpected reply.', `HTTP ${response.status}, not JSON`);
  }
  if (typeof body !== 'object' || body === null)
    throw tokenError('The sign-in server sent an unexpected reply.');
  return body as Record<string, unknown>;
}

async function requestTokens(
  provider: OAuth2ProviderConfig,
  form: Record<string, string>,
  options: TokenRequestOptions,
  previousRefreshToken: string | null,
): Promise<OAuth2Tokens> {
  const fetchImpl: FetchLike = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const body = new URLSearchParams({ ...form, client_id: provider.clientId });
  if (provider.clientSecret !== undefined) body.set('client_secret', provider.clientSecret);
  let response: Response;
  try {
    response = await fetchImpl(provider.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: body.toString(),
      signal: AbortSignal.timeout(options.timeoutMs ?? TOKEN_REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new MailError('CONNECT_FAILED', 'Could not reach the sign-in server. Check your connection.', {
      cause: error,
    });
  }
  const reply = await readReply(response);
  if (!response.ok || typeof reply['error'] === 'string') {
    // RFC 6749 §5.2: `error` is a code such as invalid_grant; `error_description` is for developers.
    const code = typeof reply['error'] === 'string' ? reply['error'] : `HTTP ${response.status}`;
    throw tokenError('The sign-in was refused. Sign in again.', code);
  }
  const accessToken = reply['access_token'];
  const tokenType = reply['token_type'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw tokenError('The sign-in server sent no access token.');
  }
  // RFC 6749 §7.1: only Bearer tokens (RFC 6750) can be used with XOAUTH2/OAUTHBEARER.
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw tokenError('The sign-in server sent a token of an unsupported type.', tokenType);
  }
  const refreshToken = typeof reply['refresh_token'] === 'string' ? reply['refresh_token'] : null;
  const expiresIn = reply['expires_in'];
  return {
    accessToken,
    // §6: the provider may keep the old refresh token valid and send none back.
    refreshToken: refreshToken ?? previousRefreshToken,
    expiresAt: typeof expiresIn === 'number' && expiresIn > 0 ? now() + expiresIn * 1000 : null,
  };
}

/** RFC 6749 §4.1.3 with RFC 7636 §4.5's code_verifier. */
export function exchangeCode(
  provider: OAuth2ProviderConfig,
  grant: { code: string; redirectUri: string; verifier: string },
  options: TokenRequestOptions = {},
): Promise<OAuth2Tokens> {
  return requestTokens(
    provider,
    {
      grant_type: 'authorization_code',
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.verifier,
    },
    options,
    null,
  );
}

/** RFC 6749 §6. */
export function refreshTokens(
  provider: OAuth2ProviderConfig,
  refreshToken: string,
  options: TokenRequestOptions = {},
): Promise<OAuth2Tokens> {
  return requestTokens(
    provider,
    { grant_type: 'refresh_token', refresh_token: refreshToken, scope: provider.scopes.join(' ') },
    options,
    refreshToken,
  );
}

/** True when the access token should be renewed before use. */
export function needsRefresh(tokens: OAuth2Tokens, now: number = Date.now()): boolean {
  return tokens.expiresAt !== null && tokens.expiresAt - EXPIRY_MARGIN_MS <= now;
}
