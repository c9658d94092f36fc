/**
 * "Sign in with Google/Microsoft": asks main to start a browser sign-in (PKCE, loopback redirect),
 * opens the provider's page in a new tab when main could not open the system browser (browser
 * mode), and waits for it to complete. The tokens stay in the main process; only the sign-in's id
 * is kept here, to be passed to Connect/Save.
 */
import type { ApiClient } from '../api/client';
import type { OAuth2ProviderView } from './account-setup-rules';
import { errorText } from './error-text';

export type SignInPhase = 'idle' | 'waiting' | 'signedIn';

export class BrowserSignIn {
  readonly #api: ApiClient;
  readonly #open: (url: string) => void;
  #phase = $state<SignInPhase>('idle');
  #provider = $state<OAuth2ProviderView | null>(null);
  #signInId = $state<string | null>(null);
  #error = $state<string | null>(null);
  #attempt = 0;

  /** `open` opens the provider's page in a new tab (browser mode). */
  constructor(
    api: ApiClient,
    open: (url: string) => void = (url) => void window.open(url, '_blank', 'noopener'),
  ) {
    this.#api = api;
    this.#open = open;
  }

  get phase(): SignInPhase {
    return this.#phase;
  }
  get isWaiting(): boolean {
    return this.#phase === 'waiting';
  }
  get provider(): OAuth2ProviderView | null {
    return this.#provider;
  }
  /** Set once signed in, until used or forgotten. */
  get signInId(): string | null {
    return this.#phase === 'signedIn' ? this.#signInId : null;
  }
  get error(): string | null {
    return this.#error;
  }

  async start(provider: OAuth2ProviderView, email: string): Promise<boolean> {
    await this.cancel();
    const attempt = ++this.#attempt;
    this.#phase = 'waiting';
    this.#provider = provider;
    this.#error = null;
    try {
      const begun = await this.#api.call('accounts.oauth2Begin', { provider, email: email.trim() });
      if (attempt !== this.#attempt) return false;
      this.#signInId = begun.signInId;
      if (!begun.isOpened) this.#open(begun.url);
      await this.#api.call('accounts.oauth2Wait', { signInId: begun.signInId });
      if (attempt !== this.#attempt) return false;
      this.#phase = 'signedIn';
      return true;
    } catch (error) {
      if (attempt === this.#attempt) {
        this.#error = errorText(error);
        this.#phase = 'idle';
        this.#signInId = null;
      }
      return false;
    }
  }

  /** Stops waiting (the dialog closed, or the user chose a password instead). */
  async cancel(): Promise<void> {
    const signInId = this.#phase === 'waiting' ? this.#signInId : null;
    this.forget();
    if (signInId !== null) {
      await this.#api.call('accounts.oauth2Cancel', { signInId }).catch(() => undefined);
    }
  }

  /** Back to idle without telling main (the sign-in was used, or the form was reset). */
  forget(): void {
    this.#attempt++;
    this.#phase = 'idle';
    this.#signInId = null;
    this.#error = null;
  }
}
