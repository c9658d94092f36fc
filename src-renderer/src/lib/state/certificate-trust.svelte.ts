/**
 * "Trust this certificate" in the account dialogs (add and edit): pins a certificate for each
 * server that presented it, and only those, and remembers which were trusted in this dialog.
 */
import type { ApiClient } from '../api/client';
import type { CertificateGroup } from './account-setup-rules';
import { errorText } from './error-text';

export class CertificateTrust {
  readonly #api: ApiClient;
  #trusted = $state.raw<readonly string[]>([]);
  #trusting = $state<string | null>(null);

  constructor(api: ApiClient) {
    this.#api = api;
  }

  isTrusted(fingerprint256: string): boolean {
    return this.#trusted.includes(fingerprint256);
  }
  /** The certificate being pinned right now, if any. */
  get trustingFingerprint(): string | null {
    return this.#trusting;
  }

  /** Resolves with the error in words, or null when it is trusted (or another one is in progress). */
  async trust(group: CertificateGroup): Promise<string | null> {
    const fingerprint256 = group.certificate.fingerprint256;
    if (this.#trusting !== null) return null;
    this.#trusting = fingerprint256;
    try {
      for (const server of group.servers) {
        await this.#api.call('accounts.trustCertificate', { ...server, fingerprint256 });
      }
      this.#trusted = [...this.#trusted, fingerprint256];
      return null;
    } catch (error) {
      return errorText(error);
    } finally {
      this.#trusting = null;
    }
  }

  forget(): void {
    this.#trusted = [];
    this.#trusting = null;
  }
}
