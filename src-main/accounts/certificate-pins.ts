import { join } from 'node:path';
import { z } from 'zod';
import type { CertificateInfo } from '../domain/certificate';
import { MailError } from '../domain/errors';
import type { TlsTrust } from '../domain/security';
import { readIfExists, toWriteError, writeFileAtomic } from './vault/atomic-file';
import { SerialQueue } from './vault/serial-queue';

/**
 * Certificates the user explicitly trusted, each for one server (host and port) only, in
 * `<dataDir>/certificate-pins.json`. A pin makes that certificate acceptable there besides what a
 * CA vouches for (domain/certificate-trust.ts), so a self-signed server works after one decision,
 * a changed certificate that no CA signed is refused again, and a move to a CA-signed one works.
 * Pins are not secret, but the file is private (0600) like everything the user decided about trust.
 */

export const CERTIFICATE_PINS_FILE_NAME = 'certificate-pins.json';
const FORMAT_VERSION = 1;
const PINS_FILE_MODE = 0o600;
/** A user trusts a handful of servers; this bounds the file against a runaway caller. */
export const MAX_PINS = 500;
/** SHA-256 as uppercase hex pairs separated by colons (the TlsTrust.pinnedSha256 form). */
const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

export interface CertificatePin {
  host: string;
  port: number;
  certificate: CertificateInfo;
  /** When the user trusted it, ms since the epoch. */
  pinnedAt: number;
}

const CertificateSchema = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string().regex(FINGERPRINT),
});

const PinsFileSchema = z.object({
  version: z.literal(FORMAT_VERSION),
  pins: z.array(
    z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65_535),
      certificate: CertificateSchema,
      pinnedAt: z.number(),
    }),
  ),
});

/** "ab:cd…" or "ABCD…" -> "AB:CD:…", the one form pins are kept and compared in. */
export function canonicalFingerprint(value: string): string {
  const hex = value.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return (hex.match(/../g) ?? []).join(':');
}

/** "host:port" as pins are keyed: host names compare case-insensitively (RFC 4343), a trailing dot names the same host. */
export function serverKey(host: string, port: number): string {
  return `${host.trim().toLowerCase().replace(/\.$/, '')}:${port}`;
}

export class CertificatePins {
  readonly #path: string;
  readonly #queue = new SerialQueue();
  #pins: Map<string, CertificatePin> | null = null;

  constructor(dataDir: string) {
    this.#path = join(dataDir, CERTIFICATE_PINS_FILE_NAME);
  }

  /** The pin for host:port, if the user trusted a certificate there. */
  async get(host: string, port: number): Promise<CertificatePin | null> {
    return (await this.#load()).get(serverKey(host, port)) ?? null;
  }

  /** What a connection to host:port should trust: the pinned certificate, or just the system CAs. */
  async trustFor(host: string, port: number): Promise<TlsTrust | undefined> {
    const pin = await this.get(host, port);
    return pin === null ? undefined : { pinnedSha256: pin.certificate.fingerprint256 };
  }

  /** Trusts `certificate` for host:port only, replacing an earlier pin for that server. */
  async pin(
    host: string,
    port: number,
    certificate: CertificateInfo,
    now: number = Date.now(),
  ): Promise<void> {
    const fingerprint256 = canonicalFingerprint(certificate.fingerprint256);
    if (!FINGERPRINT.test(fingerprint256)) {
      throw new MailError('BAD_REQUEST', 'That certificate has no valid SHA-256 fingerprint.', {
        retryable: false,
      });
    }
    await this.#queue.run(async () => {
      const pins = await this.#load();
      const key = serverKey(host, port);
      if (!pins.has(key) && pins.size >= MAX_PINS) {
        throw new MailError('BAD_REQUEST', 'Too many trusted certificates are saved already.', {
          retryable: false,
        });
      }
      const next = new Map(pins);
      next.set(key, {
        host: host.trim().toLowerCase(),
        port,
        certificate: { ...certificate, fingerprint256 },
        pinnedAt: now,
      });
      await this.#save(next);
    });
  }

  /** Forgets the pin of host:port; not an error when there is none. */
  async unpin(host: string, port: number): Promise<void> {
    await this.#queue.run(async () => {
      const pins = await this.#load();
      const key = serverKey(host, port);
      if (!pins.has(key)) return;
      const next = new Map(pins);
      next.delete(key);
      await this.#save(next);
    });
  }

  async list(): Promise<CertificatePin[]> {
    return [...(await this.#load()).values()];
  }

  async #load(): Promise<Map<string, CertificatePin>> {
    if (this.#pins !== null) return this.#pins;
    const raw = await readIfExists(this.#path);
    const pins = new Map<string, CertificatePin>();
    if (raw !== null) {
      let value: unknown;
      try {
        value = JSON.parse(raw.toString('utf8'));
      } catch {
        value = null;
      }
      // A damaged file trusts nothing: every server is verified normally and the user is asked again;
      // the next pin replaces the file.
      const parsed = PinsFileSchema.safeParse(value);
      if (parsed.success) for (const pin of parsed.data.pins) pins.set(serverKey(pin.host, pin.port), pin);
    }
    this.#pins = pins;
    return pins;
  }

  async #save(pins: Map<string, CertificatePin>): Promise<void> {
    const file = { version: FORMAT_VERSION, pins: [...pins.values()] };
    try {
      await writeFileAtomic(this.#path, `${JSON.stringify(file, null, 2)}\n`, PINS_FILE_MODE);
    } catch (error) {
      throw toWriteError(error, 'the trusted certificate');
    }
    this.#pins = pins;
  }
}
