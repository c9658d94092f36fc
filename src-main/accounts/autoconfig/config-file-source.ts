import type { DiscoveredSettings } from '../settings';
import type { FetchText } from './discovery-options';
import type { EmailParts } from './email-address';
import { parseMozillaConfig } from './mozilla-config';
import { firstByPrecedence, settleBeforeAbort } from './precedence';

export const DEFAULT_ISPDB_BASE_URL = 'https://autoconfig.thunderbird.net/v1.1/';
const HTTP_OK = 200;

/**
 * Where a domain publishes its own config file, in Thunderbird's order. The plain-HTTP URL is
 * tried last, as Thunderbird does, because many small hosters only serve that one; what it
 * returns is shown to the user for confirmation like every discovered setting.
 */
export function defaultAutoconfigUrls(domain: string, email: string): string[] {
  const address = encodeURIComponent(email);
  return [
    `https://autoconfig.${domain}/mail/config-v1.1.xml?emailaddress=${address}`,
    `https://${domain}/.well-known/autoconfig/mail/config-v1.1.xml`,
    `http://autoconfig.${domain}/mail/config-v1.1.xml`,
  ];
}

export function ispdbUrl(baseUrl: string, domain: string): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}${encodeURIComponent(domain)}`;
}

async function fetchOne(
  url: string,
  parts: EmailParts,
  source: 'autoconfig' | 'ispdb',
  fetchText: FetchText,
  signal: AbortSignal,
): Promise<DiscoveredSettings | null> {
  try {
    const response = await settleBeforeAbort(fetchText(url, signal), signal);
    if (response.status !== HTTP_OK) return null;
    const parsed = parseMozillaConfig(response.body, parts, source);
    return parsed.ok ? parsed.settings : null;
  } catch {
    // Unreachable host, TLS failure, timeout: this URL simply has no answer.
    return null;
  }
}

/**
 * Fetches every URL at once and answers with the first one, in list order, that holds a usable
 * config file. The remaining requests are aborted once an answer is chosen.
 */
export async function fetchConfigFile(
  urls: readonly string[],
  parts: EmailParts,
  source: 'autoconfig' | 'ispdb',
  fetchText: FetchText,
  signal: AbortSignal,
): Promise<DiscoveredSettings | null> {
  const local = new AbortController();
  const combined = AbortSignal.any([signal, local.signal]);
  try {
    return await firstByPrecedence(urls.map((url) => fetchOne(url, parts, source, fetchText, combined)));
  } finally {
    local.abort();
  }
}
