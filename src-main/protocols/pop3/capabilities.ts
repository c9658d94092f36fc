/**
 * The server's capabilities from CAPA (RFC 2449 §5): one capability per line, a name and optional
 * arguments. A server without CAPA (it answers -ERR) advertises nothing; RFC 1939 commands are
 * still tried, and optional ones (UIDL, TOP) simply fail.
 */

export interface Pop3Capabilities {
  /** Whether the server answered CAPA at all. */
  readonly isAdvertised: boolean;
  /** Every capability line as sent, e.g. "SASL PLAIN LOGIN". */
  readonly lines: readonly string[];
  /** Capability names, upper case. */
  readonly names: ReadonlySet<string>;
  /** RFC 2449 §6.3 / RFC 5034 §6: SASL mechanisms offered, upper case. */
  readonly saslMechanisms: readonly string[];
  readonly hasTop: boolean;
  readonly hasUser: boolean;
  readonly hasUidl: boolean;
  /** RFC 2449 §6.6: replies to pipelined commands come back in order. */
  readonly hasPipelining: boolean;
  /** RFC 2595 §4. */
  readonly hasStls: boolean;
  /** RFC 2449 §6.4: -ERR replies may carry [RESPONSE-CODES]. */
  readonly hasRespCodes: boolean;
  /** RFC 2449 §6.5: minimum seconds between logins, if stated. */
  readonly loginDelaySeconds: number | null;
  /** RFC 2449 §6.9: the server software, for diagnostics. */
  readonly implementation: string | null;
}

/** The most lines a CAPA reply is read for; real servers send about a dozen. */
const MAX_CAPABILITY_LINES = 200;

export const NO_CAPABILITIES: Pop3Capabilities = parseCapabilities(null);

/** Parses a CAPA multi-line body, or `null` for a server that answered -ERR. */
export function parseCapabilities(body: Buffer | null): Pop3Capabilities {
  const lines =
    body === null
      ? []
      : body
          .toString('utf8')
          .split('\n')
          .map((line) => line.replace(/\r$/, '').trim())
          .filter((line) => line.length > 0)
          .slice(0, MAX_CAPABILITY_LINES);
  const names = new Set<string>();
  const argumentsByName = new Map<string, string[]>();
  for (const line of lines) {
    const [name = '', ...rest] = line.split(/\s+/);
    const upper = name.toUpperCase();
    names.add(upper);
    argumentsByName.set(upper, rest);
  }
  const loginDelay = Number.parseInt(argumentsByName.get('LOGIN-DELAY')?.[0] ?? '', 10);
  const implementation = argumentsByName.get('IMPLEMENTATION');
  return {
    isAdvertised: body !== null,
    lines,
    names,
    saslMechanisms: (argumentsByName.get('SASL') ?? []).map((mechanism) => mechanism.toUpperCase()),
    hasTop: names.has('TOP'),
    hasUser: names.has('USER'),
    hasUidl: names.has('UIDL'),
    hasPipelining: names.has('PIPELINING'),
    hasStls: names.has('STLS'),
    hasRespCodes: names.has('RESP-CODES'),
    loginDelaySeconds: Number.isNaN(loginDelay) ? null : loginDelay,
    implementation: implementation === undefined ? null : implementation.join(' '),
  };
}
