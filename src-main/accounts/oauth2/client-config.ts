import type { OAuth2Provider } from '../settings';
import { providerConfig, type OAuth2ProviderConfig } from './providers';

/**
 * Which OAuth2 clients this build may use. Client ids are the distributor's registrations and come
 * from configuration (environment or app config), never from the source tree:
 *   ESTAFETA_GOOGLE_CLIENT_ID, ESTAFETA_GOOGLE_CLIENT_SECRET (Google's "desktop app" clients carry a
 *   secret that is not confidential, RFC 8252 §8.5), ESTAFETA_MICROSOFT_CLIENT_ID.
 * A provider without a client id offers no browser sign-in; a password (app password) still works.
 */

export type OAuth2Clients = Partial<Record<OAuth2Provider, OAuth2ProviderConfig>>;

const ENV_NAMES: Readonly<Record<OAuth2Provider, { id: string; secret: string }>> = {
  google: { id: 'ESTAFETA_GOOGLE_CLIENT_ID', secret: 'ESTAFETA_GOOGLE_CLIENT_SECRET' },
  microsoft: { id: 'ESTAFETA_MICROSOFT_CLIENT_ID', secret: 'ESTAFETA_MICROSOFT_CLIENT_SECRET' },
};
/** Client ids are short tokens; anything else in the variable is a configuration mistake. */
const CLIENT_ID_PATTERN = /^[\w.\-:]{1,256}$/;

export function oauth2ClientsFromEnv(env: Readonly<Record<string, string | undefined>>): OAuth2Clients {
  const clients: OAuth2Clients = {};
  for (const provider of Object.keys(ENV_NAMES) as OAuth2Provider[]) {
    const clientId = env[ENV_NAMES[provider].id]?.trim();
    if (clientId === undefined || !CLIENT_ID_PATTERN.test(clientId)) continue;
    const clientSecret = env[ENV_NAMES[provider].secret]?.trim();
    clients[provider] = providerConfig(provider, {
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
    });
  }
  return clients;
}
