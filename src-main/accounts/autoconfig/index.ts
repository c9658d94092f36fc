// Public surface of account-settings discovery; the other files are its parts.
export { discoverSettings, DEFAULT_DISCOVERY_TIMEOUT_MS } from './discover';
export type {
  DiscoveryOptions,
  FetchText,
  FetchTextResult,
  MxRecord,
  MxResolver,
  Probe,
  ProbeResult,
  SrvRecord,
  SrvResolver,
} from './discovery-options';
export { createDnsResolver, type DnsResolver, type DnsResolverOptions } from './dns-resolver';
export { createFetchText, type FetchTextOptions } from './http-fetch';
export { createProbe, probeServer, type ProbeOptions } from './probe';
export { DEFAULT_ISPDB_BASE_URL, defaultAutoconfigUrls } from './config-file-source';
export { parseEmailAddress, type EmailParts } from './email-address';
