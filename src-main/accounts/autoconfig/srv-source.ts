import type { ConnectionSecurity } from '../../domain/security';
import {
  isValidHostname,
  isValidPort,
  type DiscoveredSettings,
  type IncomingSettings,
  type MailService,
  type OutgoingSettings,
} from '../settings';
import { toDiscovered } from './candidates';
import type { SrvRecord, SrvResolver } from './discovery-options';
import type { EmailParts } from './email-address';
import { settleBeforeAbort } from './precedence';

interface SrvService {
  label: string;
  service: MailService;
  security: ConnectionSecurity;
}

/**
 * RFC 6186 §3.1-3.3 (imap, imaps, pop3, pop3s, submission) and RFC 8314 §5.1 (submissions, i.e.
 * implicit TLS on 465). The non-"s" services are used with STARTTLS only: RFC 8314 §4.1 asks clients
 * not to fall back to cleartext.
 */
export const SRV_SERVICES: readonly SrvService[] = [
  { label: '_imaps._tcp', service: 'imap', security: 'tls' },
  { label: '_imap._tcp', service: 'imap', security: 'starttls' },
  { label: '_pop3s._tcp', service: 'pop3', security: 'tls' },
  { label: '_pop3._tcp', service: 'pop3', security: 'starttls' },
  { label: '_submissions._tcp', service: 'smtp', security: 'tls' },
  { label: '_submission._tcp', service: 'smtp', security: 'starttls' },
];

/** Bound on records used per service: DNS answers are untrusted input. */
const MAX_RECORDS_PER_SERVICE = 4;

interface Offer {
  service: MailService;
  security: ConnectionSecurity;
  host: string;
  port: number;
  priority: number;
  weight: number;
}

/** RFC 2782: a target of "." means the service is decidedly not available at this domain. */
function isNotOffered(record: SrvRecord): boolean {
  return record.name === '' || record.name === '.';
}

function offersOf(entry: SrvService, records: readonly SrvRecord[]): Offer[] {
  if (records.some(isNotOffered)) return [];
  const offers: Offer[] = [];
  for (const record of records.slice(0, MAX_RECORDS_PER_SERVICE)) {
    const host = record.name.toLowerCase().replace(/\.$/, '');
    if (!isValidHostname(host) || !isValidPort(record.port)) continue;
    offers.push({ ...entry, host, port: record.port, priority: record.priority, weight: record.weight });
  }
  return offers;
}

/**
 * Lower priority first across IMAP and POP3 alike (RFC 6186 §3.4: the priority field states the
 * domain's preference between the protocols), then implicit TLS before STARTTLS at equal priority
 * (RFC 8314 §5.1), then heavier weight first: a deterministic reading of RFC 2782's weighted choice.
 */
function byPreference(a: Offer, b: Offer): number {
  const tlsFirst = (offer: Offer): number => (offer.security === 'tls' ? 0 : 1);
  return a.priority - b.priority || tlsFirst(a) - tlsFirst(b) || b.weight - a.weight;
}

async function lookup(resolver: SrvResolver, name: string, signal: AbortSignal): Promise<SrvRecord[]> {
  try {
    return await settleBeforeAbort(resolver.resolveSrv(name), signal);
  } catch {
    return [];
  }
}

/**
 * RFC 6186 service discovery. The username is the whole address (RFC 6186 §4 suggests trying it
 * first). SRV answers are unauthenticated DNS, so they rank below config files and the user confirms
 * the servers before any password is sent (RFC 6186 §6).
 */
export async function discoverBySrv(
  parts: EmailParts,
  resolver: SrvResolver,
  signal: AbortSignal,
): Promise<DiscoveredSettings | null> {
  const answers = await Promise.all(
    SRV_SERVICES.map((entry) => lookup(resolver, `${entry.label}.${parts.domain}`, signal)),
  );
  const offers = SRV_SERVICES.flatMap((entry, index) => offersOf(entry, answers[index] ?? []));
  const base = { username: parts.address, authMethod: 'password' as const };
  const incoming: IncomingSettings[] = [];
  const outgoing: OutgoingSettings[] = [];
  for (const offer of offers.sort(byPreference)) {
    const server = { host: offer.host, port: offer.port, security: offer.security, ...base };
    if (offer.service === 'smtp') outgoing.push(server);
    else incoming.push({ protocol: offer.service, ...server });
  }
  return toDiscovered(incoming, outgoing, 'srv');
}
