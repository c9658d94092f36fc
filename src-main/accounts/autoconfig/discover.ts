import type { DiscoveredSettings } from '../settings';
import { builtinForDomain, builtinForMx } from './builtin-lookup';
import {
  DEFAULT_ISPDB_BASE_URL,
  defaultAutoconfigUrls,
  fetchConfigFile,
  ispdbUrl,
} from './config-file-source';
import type { DiscoveryOptions, MxResolver } from './discovery-options';
import { parseEmailAddress, type EmailParts } from './email-address';
import { discoverByGuessing } from './guess-source';
import { cancelled, firstByPrecedence, settleBeforeAbort } from './precedence';
import { discoverBySrv } from './srv-source';

/** Account setup should feel instant; past this the user is better served typing settings in. */
export const DEFAULT_DISCOVERY_TIMEOUT_MS = 4_000;

async function discoverByMx(
  parts: EmailParts,
  resolver: MxResolver,
  signal: AbortSignal,
): Promise<DiscoveredSettings | null> {
  const records = await settleBeforeAbort(resolver.resolveMx(parts.domain), signal);
  return builtinForMx(parts, records);
}

/**
 * Finds server settings for an address, in Thunderbird's order of trust: (a) the built-in table,
 * by domain and then by the domain's MX host, (b) the domain's own autoconfig file, (c) the ISPDB,
 * (d) RFC 6186 SRV records, (e) guessing host names by connecting to them.
 *
 * All network lookups start together and share one deadline. The answer is that of the most
 * trusted lookup that has one: a lower lookup's answer waits only for the lookups above it, and no
 * answer waits for the ones below it. When the deadline passes, lookups still running count as
 * having no answer and the best answer so far is returned; null means nothing was found.
 *
 * Throws MailError('BAD_REQUEST') for an invalid address, and MailError('CANCELLED') when
 * `options.signal` aborts.
 */
export async function discoverSettings(
  email: string,
  options: DiscoveryOptions,
): Promise<DiscoveredSettings | null> {
  const parts = parseEmailAddress(email);
  const userSignal = options.signal;
  if (userSignal?.aborted) throw cancelled();
  const known = builtinForDomain(parts);
  if (known !== null) return known;

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS);
  const signal = userSignal === undefined ? deadline.signal : AbortSignal.any([deadline.signal, userSignal]);
  const autoconfigUrls = (options.autoconfigBaseUrls ?? defaultAutoconfigUrls)(parts.domain, parts.address);
  const ispdbUrls = [ispdbUrl(options.ispdbBaseUrl ?? DEFAULT_ISPDB_BASE_URL, parts.domain)];
  const { resolver, fetchText, probe } = options;
  try {
    const lookups: Promise<DiscoveredSettings | null>[] = [
      discoverByMx(parts, resolver, signal),
      fetchConfigFile(autoconfigUrls, parts, 'autoconfig', fetchText, signal),
      fetchConfigFile(ispdbUrls, parts, 'ispdb', fetchText, signal),
      discoverBySrv(parts, resolver, signal),
    ];
    if (probe !== undefined) lookups.push(discoverByGuessing(parts, probe, signal));
    const answer = await firstByPrecedence(lookups);
    if (userSignal?.aborted) throw cancelled();
    return answer;
  } finally {
    clearTimeout(timer);
    // Ends the lookups that lost: pending HTTP requests and probe connections are closed.
    deadline.abort();
  }
}
