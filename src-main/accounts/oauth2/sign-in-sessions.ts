import { randomBytes } from 'node:crypto';
import { MailError } from '../../domain/errors';
import type { OAuth2Provider } from '../settings';
import { authorizationUrl } from './authorization-flow';
import type { OAuth2Clients } from './client-config';
import { AUTHORIZATION_TIMEOUT_MS, startLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect';
import { createPkcePair, createState } from './pkce';
import { exchangeCode, type OAuth2Tokens, type TokenRequestOptions } from './token-endpoint';

/**
 * Browser sign-ins in progress, for the API: `begin` opens the loopback redirect and gives the
 * authorization URL (the desktop app opens it in the system browser; browser mode returns it for
 * the page to open in a new tab), `wait` resolves once the code came back and was exchanged, and
 * the tokens then wait here, in memory only, until account setup saves them (`take`) or they
 * expire. A sign-in is named by a random id; it never leaves the main process with its tokens.
 */

export interface SignInSessionsOptions extends TokenRequestOptions {
  clients: OAuth2Clients;
  /** Opens a URL in the system browser; null in browser mode (the page opens it). */
  openBrowser: ((url: string) => Promise<void>) | null;
  authorizationTimeoutMs?: number;
  /** Registers each token with the log redactor. */
  redact?: (secret: string) => void;
}

interface SignIn {
  provider: OAuth2Provider;
  redirect: LoopbackRedirect;
  result: Promise<OAuth2Tokens>;
  tokens: OAuth2Tokens | null;
  expiry: NodeJS.Timeout;
}

/** Signed-in tokens not saved within this time are forgotten. */
const UNCLAIMED_TOKENS_MS = 15 * 60_000;
/** A few at a time is plenty (one dialog); the bound keeps listeners from piling up. */
const MAX_SIGN_INS = 8;

export class OAuth2SignIns {
  readonly #options: SignInSessionsOptions;
  readonly #signIns = new Map<string, SignIn>();

  constructor(options: SignInSessionsOptions) {
    this.#options = options;
  }

  isConfigured(provider: OAuth2Provider): boolean {
    return this.#options.clients[provider] !== undefined;
  }

  async begin(
    provider: OAuth2Provider,
    loginHint: string,
  ): Promise<{ signInId: string; url: string; isOpened: boolean }> {
    const client = this.#options.clients[provider];
    if (client === undefined) {
      throw new MailError(
        'BAD_REQUEST',
        'Sign-in through the browser is not set up in this copy of Estafeta. Use an app password instead.',
        { retryable: false, detail: `no OAuth2 client id for ${provider}` },
      );
    }
    if (this.#signIns.size >= MAX_SIGN_INS) {
      const oldest = this.#signIns.keys().next().value;
      if (oldest !== undefined) await this.cancel(oldest);
    }
    const pkce = createPkcePair();
    const state = createState();
    const timeoutMs = this.#options.authorizationTimeoutMs ?? AUTHORIZATION_TIMEOUT_MS;
    const redirect = await startLoopbackRedirect(state, timeoutMs);
    const url = authorizationUrl(client, {
      redirectUri: redirect.redirectUri,
      state,
      challenge: pkce.challenge,
      loginHint,
    });
    const signInId = randomBytes(18).toString('base64url');
    const result = redirect
      .waitForCode()
      .then(({ code }) =>
        exchangeCode(
          client,
          { code, redirectUri: redirect.redirectUri, verifier: pkce.verifier },
          this.#options,
        ),
      );
    const signIn: SignIn = {
      provider,
      redirect,
      result,
      tokens: null,
      expiry: setTimeout(() => void this.cancel(signInId), timeoutMs + UNCLAIMED_TOKENS_MS),
    };
    this.#signIns.set(signInId, signIn);
    result.then(
      (tokens) => {
        this.#protect(tokens);
        signIn.tokens = tokens;
      },
      // The failure is reported to whoever waits; here it only ends the sign-in.
      () => this.#forget(signInId),
    );
    let isOpened = false;
    if (this.#options.openBrowser !== null) {
      try {
        await this.#options.openBrowser(url);
        isOpened = true;
      } catch {
        // The page can still open the URL itself.
      }
    }
    return { signInId, url, isOpened };
  }

  /** Resolves once the sign-in completed; rejects with CANCELLED, TIMEOUT or AUTH_FAILED. */
  async wait(signInId: string): Promise<{ provider: OAuth2Provider }> {
    const signIn = this.#require(signInId);
    await signIn.result;
    return { provider: signIn.provider };
  }

  /** The tokens of a completed sign-in, still held (for "Connect"). */
  peek(signInId: string): { provider: OAuth2Provider; tokens: OAuth2Tokens } {
    const signIn = this.#require(signInId);
    if (signIn.tokens === null) {
      throw new MailError('BAD_REQUEST', 'Finish signing in through the browser first.', {
        retryable: false,
      });
    }
    return { provider: signIn.provider, tokens: signIn.tokens };
  }

  /** The tokens of a completed sign-in, handed over once (to be saved in the vault). */
  take(signInId: string): { provider: OAuth2Provider; tokens: OAuth2Tokens } {
    const taken = this.peek(signInId);
    this.#forget(signInId);
    return taken;
  }

  async cancel(signInId: string): Promise<void> {
    const signIn = this.#signIns.get(signInId);
    if (!signIn) return;
    this.#forget(signInId);
    await signIn.redirect.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#signIns.keys()].map((id) => this.cancel(id)));
  }

  #require(signInId: string): SignIn {
    const signIn = this.#signIns.get(signInId);
    if (!signIn) {
      throw new MailError('NOT_FOUND', 'That sign-in has ended. Select "Sign in" again.', {
        retryable: false,
      });
    }
    return signIn;
  }

  #forget(signInId: string): void {
    const signIn = this.#signIns.get(signInId);
    if (!signIn) return;
    clearTimeout(signIn.expiry);
    this.#signIns.delete(signInId);
  }

  #protect(tokens: OAuth2Tokens): void {
    this.#options.redact?.(tokens.accessToken);
    if (tokens.refreshToken !== null) this.#options.redact?.(tokens.refreshToken);
  }
}
