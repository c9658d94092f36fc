import { Resolver } from 'node:dns/promises';
import { MailError } from '../../domain/errors';
import type { MxRecord, MxResolver, SrvRecord, SrvResolver } from './discovery-options';

/** Per query attempt; discovery's overall deadline bounds the total anyway. */
export const DNS_QUERY_TIMEOUT_MS = 1_500;
export const DNS_QUERY_TRIES = 2;

/** Answers that mean "there is no such record", not "DNS is broken". */
const NO_RECORD_CODES: ReadonlySet<string> = new Set(['ENODATA', 'ENOTFOUND']);

export interface DnsResolverOptions {
  /** "ip" or "ip:port" entries, as for Resolver#setServers; the system's servers by default. */
  servers?: string[];
  timeoutMs?: number;
  tries?: number;
}

export interface DnsResolver extends SrvResolver, MxResolver {
  /** Cancels queries still outstanding; they reject with ECANCELLED. */
  cancel(): void;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

async function query<T>(name: string, run: () => Promise<T[]>): Promise<T[]> {
  try {
    return await run();
  } catch (error) {
    const code = errorCode(error);
    if (code !== undefined && NO_RECORD_CODES.has(code)) return [];
    throw new MailError('DNS_FAILED', 'The DNS lookup for the mail server failed.', {
      detail: `${name}: ${code ?? 'unknown error'}`,
      cause: error,
    });
  }
}

/** The resolver discovery uses in the app: node:dns (c-ares), with short timeouts. */
export function createDnsResolver(options: DnsResolverOptions = {}): DnsResolver {
  const resolver = new Resolver({
    timeout: options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS,
    tries: options.tries ?? DNS_QUERY_TRIES,
  });
  if (options.servers !== undefined) resolver.setServers(options.servers);
  return {
    resolveSrv: (name: string): Promise<SrvRecord[]> => query(name, () => resolver.resolveSrv(name)),
    resolveMx: (name: string): Promise<MxRecord[]> => query(name, () => resolver.resolveMx(name)),
    cancel: () => resolver.cancel(),
  };
}
