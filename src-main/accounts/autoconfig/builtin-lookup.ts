import type { DiscoveredSettings, IncomingSettings, OutgoingSettings } from '../settings';
import { BUILTIN_PROVIDERS, hasDomainSuffix, type BuiltinProvider } from './builtin-providers';
import type { MxRecord } from './discovery-options';
import { expandTemplate, type EmailParts } from './email-address';

function settingsFor(provider: BuiltinProvider, parts: EmailParts): DiscoveredSettings {
  const { authMethod } = provider;
  const incoming: IncomingSettings[] = provider.incoming.map((server) => ({
    protocol: server.protocol,
    host: server.host,
    port: server.port,
    security: server.security,
    username: expandTemplate(server.username, parts),
    authMethod,
  }));
  const outgoing: OutgoingSettings[] = provider.outgoing.map((server) => ({
    host: server.host,
    port: server.port,
    security: server.security,
    username: expandTemplate(server.username, parts),
    authMethod,
  }));
  const result: DiscoveredSettings = { incoming, outgoing, source: 'builtin', providerName: provider.name };
  if (provider.oauth2 !== undefined) result.oauth2 = { provider: provider.oauth2 };
  return result;
}

/** The provider that owns the address's domain itself (gmail.com, web.de ...). */
export function builtinForDomain(parts: EmailParts): DiscoveredSettings | null {
  const provider = BUILTIN_PROVIDERS.find((candidate) => candidate.domains.includes(parts.domain));
  return provider === undefined ? null : settingsFor(provider, parts);
}

/**
 * The provider hosting a custom domain, judged by its most preferred MX host (RFC 5321 §5.1: the
 * lowest preference value). Only providers whose login is the address itself are listed with MX
 * suffixes, so the mapping cannot invent a wrong username.
 */
export function builtinForMx(parts: EmailParts, records: readonly MxRecord[]): DiscoveredSettings | null {
  const best = [...records].sort((a, b) => a.priority - b.priority)[0];
  if (best === undefined) return null;
  const provider = BUILTIN_PROVIDERS.find((candidate) =>
    candidate.mxSuffixes.some((suffix) => hasDomainSuffix(best.exchange, suffix)),
  );
  return provider === undefined ? null : settingsFor(provider, parts);
}
