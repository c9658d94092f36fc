import type { DiscoveredSettings, IncomingSettings, OutgoingSettings } from '../settings';

/** Bound on candidates per direction: a hostile config file must not produce thousands. */
export const MAX_CANDIDATES = 8;

function key(settings: OutgoingSettings | IncomingSettings): string {
  const protocol = 'protocol' in settings ? settings.protocol : 'smtp';
  return [protocol, settings.host, settings.port, settings.security, settings.username, settings.authMethod]
    .join('\u0000')
    .toLowerCase();
}

/**
 * Keeps the source's own order (its statement of preference) but moves unencrypted servers last:
 * RFC 8314 §4.1 says clients should not use cleartext when an encrypted choice exists. Drops
 * duplicates and caps the list.
 */
export function rankCandidates<T extends IncomingSettings | OutgoingSettings>(candidates: readonly T[]): T[] {
  const seen = new Set<string>();
  const unique = candidates.filter((candidate) => {
    const k = key(candidate);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const secure = unique.filter((candidate) => candidate.security !== 'none');
  const plain = unique.filter((candidate) => candidate.security === 'none');
  return [...secure, ...plain].slice(0, MAX_CANDIDATES);
}

/** A source answers only when it found at least one incoming server. */
export function toDiscovered(
  incoming: readonly IncomingSettings[],
  outgoing: readonly OutgoingSettings[],
  source: DiscoveredSettings['source'],
  extra: Pick<DiscoveredSettings, 'providerName' | 'oauth2'> = {},
): DiscoveredSettings | null {
  const rankedIncoming = rankCandidates(incoming);
  if (rankedIncoming.length === 0) return null;
  const result: DiscoveredSettings = { incoming: rankedIncoming, outgoing: rankCandidates(outgoing), source };
  if (extra.providerName !== undefined) result.providerName = extra.providerName;
  if (extra.oauth2 !== undefined) result.oauth2 = extra.oauth2;
  return result;
}
