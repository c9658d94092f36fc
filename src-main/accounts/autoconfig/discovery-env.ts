/**
 * Where account discovery looks, when the environment says so: `ESTAFETA_ISPDB_URL` replaces the
 * ISP database's base URL (as Thunderbird's `mailnews.auto_config_url` does: an organisation's own
 * mirror, or a local stand-in in the e2e tests), and `ESTAFETA_DISCOVERY_TIMEOUT_MS` the overall
 * deadline. Values that cannot be right are ignored, like the OAuth2 client ids: the defaults stay.
 */
import type { DiscoveryOptions } from './discovery-options';

export const ISPDB_URL_ENV = 'ESTAFETA_ISPDB_URL';
export const DISCOVERY_TIMEOUT_ENV = 'ESTAFETA_DISCOVERY_TIMEOUT_MS';
/** A deadline below this finds nothing; above the upper bound the dialog seems stuck. */
const MIN_TIMEOUT_MS = 500;
const MAX_TIMEOUT_MS = 120_000;

export function discoveryOptionsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Pick<DiscoveryOptions, 'ispdbBaseUrl' | 'timeoutMs'> {
  const options: Pick<DiscoveryOptions, 'ispdbBaseUrl' | 'timeoutMs'> = {};
  const ispdb = env[ISPDB_URL_ENV]?.trim();
  if (ispdb !== undefined && URL.canParse(ispdb) && /^https?:$/.test(new URL(ispdb).protocol)) {
    options.ispdbBaseUrl = ispdb;
  }
  const timeout = env[DISCOVERY_TIMEOUT_ENV]?.trim();
  if (timeout !== undefined && /^\d{1,6}$/.test(timeout)) {
    const ms = Number(timeout);
    if (ms >= MIN_TIMEOUT_MS && ms <= MAX_TIMEOUT_MS) options.timeoutMs = ms;
  }
  return options;
}
