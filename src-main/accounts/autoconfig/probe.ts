import { isIP, connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ConnectionSecurity } from '../../domain/security';
import type { Probe, ProbeResult } from './discovery-options';

/** Guessing must stay well inside discovery's overall deadline. */
export const PROBE_TIMEOUT_MS = 3_000;
/** A greeting line is short (RFC 5321 §4.5.3.1.5: 512 octets for SMTP replies); stop reading after this. */
export const MAX_GREETING_BYTES = 1_024;

export interface ProbeOptions {
  timeoutMs?: number;
  /** Extra trusted CA certificates in PEM (tests use a self-signed one). */
  extraCaPem?: string;
}

/**
 * Opens a connection the way the protocol adapters will (TLS from the first byte for 'tls', plain
 * TCP for 'starttls' and 'none'), reads the server's first line and hangs up. Nothing is sent, so
 * no credential can leak to a guessed host. A certificate that does not verify counts as failure:
 * the account could not use that server without the user pinning it.
 */
export function createProbe(options: ProbeOptions = {}): Probe {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  return (host: string, port: number, security: ConnectionSecurity, signal?: AbortSignal) =>
    new Promise<ProbeResult>((resolve) => {
      let settled = false;
      let received = Buffer.alloc(0);
      const socket: Socket =
        security === 'tls'
          ? connectTls({
              host,
              port,
              // SNI must be a host name, never an IP literal (RFC 6066 §3).
              ...(isIP(host) === 0 ? { servername: host } : {}),
              ...(options.extraCaPem === undefined ? {} : { ca: options.extraCaPem }),
            })
          : connectTcp({ host, port });

      const finish = (result: ProbeResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(result);
      };
      const onAbort = (): void => finish({ ok: false, reason: 'cancelled' });
      const timer = setTimeout(() => finish({ ok: false, reason: 'timed out' }), timeoutMs);
      if (signal?.aborted) onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });

      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const newline = received.indexOf(0x0a);
        if (newline === -1 && received.length < MAX_GREETING_BYTES) return;
        const end = newline === -1 ? MAX_GREETING_BYTES : newline;
        const greeting = received.subarray(0, end).toString('latin1').replace(/\r$/, '');
        finish({ ok: true, greeting });
      });
      socket.on('error', (error: Error) => finish({ ok: false, reason: error.message }));
      socket.on('end', () => finish({ ok: false, reason: 'closed before greeting' }));
      socket.on('close', () => finish({ ok: false, reason: 'closed before greeting' }));
    });
}

/** The probe the app uses, with the default timeout and the system's trusted CAs. */
export const probeServer: Probe = createProbe();
