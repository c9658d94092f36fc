import type { ConnectionSecurity } from '../../domain/security';

/** The shape node:dns returns for SRV; `name` is the target host ('' or '.' means "not offered"). */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** Resolvers return [] for "no such name / no such record" and reject only for real failures. */
export interface SrvResolver {
  resolveSrv(name: string): Promise<SrvRecord[]>;
}

export interface MxResolver {
  resolveMx(name: string): Promise<MxRecord[]>;
}

export interface FetchTextResult {
  status: number;
  body: string;
}

/** Fetches a small text document; must settle (resolve or reject) soon after `signal` aborts. */
export type FetchText = (url: string, signal: AbortSignal) => Promise<FetchTextResult>;

/** What a connection attempt learnt: the server's first line, or why there was none. */
export type ProbeResult = { ok: true; greeting: string } | { ok: false; reason: string };

/**
 * Connects to host:port (TLS from the first byte for 'tls', plain TCP otherwise) and reads the
 * greeting. It must never send credentials.
 */
export type Probe = (
  host: string,
  port: number,
  security: ConnectionSecurity,
  signal?: AbortSignal,
) => Promise<ProbeResult>;

export interface DiscoveryOptions {
  resolver: SrvResolver & MxResolver;
  fetchText: FetchText;
  /** URLs of the domain's own Mozilla autoconfig file, most trusted first. */
  autoconfigBaseUrls?: (domain: string, email: string) => string[];
  /** Base URL of the Thunderbird ISP database; the ASCII domain is appended. */
  ispdbBaseUrl?: string;
  /** Without a probe, guessing host names is skipped. */
  probe?: Probe;
  /** Overall deadline for the whole discovery. */
  timeoutMs?: number;
  /** Aborting it cancels discovery: the promise rejects with MailError('CANCELLED'). */
  signal?: AbortSignal;
}
