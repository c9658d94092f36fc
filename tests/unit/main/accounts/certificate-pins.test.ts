import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CERTIFICATE_PINS_FILE_NAME,
  CertificatePins,
  canonicalFingerprint,
} from '../../../../src-main/accounts/certificate-pins';
import type { CertificateInfo } from '../../../../src-main/domain/certificate';

const FINGERPRINT = Array.from({ length: 32 }, (_, i) =>
  (i * 7).toString(16).padStart(2, '0').toUpperCase(),
).join(':');
const CERTIFICATE: CertificateInfo = {
  subject: 'CN=mail.example.test',
  issuer: 'CN=mail.example.test',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2036-01-01T00:00:00.000Z',
  fingerprint256: FINGERPRINT,
};

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'estafeta-pins-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('CertificatePins', () => {
  it('trusts a pinned certificate for that host and port only', async () => {
    const pins = new CertificatePins(dataDir);
    expect(await pins.trustFor('mail.example.test', 993)).toBeUndefined();
    await pins.pin('mail.example.test', 993, CERTIFICATE);
    expect(await pins.trustFor('mail.example.test', 993)).toEqual({ pinnedSha256: FINGERPRINT });
    // Host names are case-insensitive and may end in a dot; other ports and hosts are not covered.
    expect(await pins.trustFor('MAIL.Example.Test.', 993)).toEqual({ pinnedSha256: FINGERPRINT });
    expect(await pins.trustFor('mail.example.test', 465)).toBeUndefined();
    expect(await pins.trustFor('other.example.test', 993)).toBeUndefined();
  });

  it('keeps pins across restarts in a private file, and forgets them on request', async () => {
    await new CertificatePins(dataDir).pin('mail.example.test', 993, CERTIFICATE, 1_000);
    const file = join(dataDir, CERTIFICATE_PINS_FILE_NAME);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const reopened = new CertificatePins(dataDir);
    expect(await reopened.list()).toEqual([
      { host: 'mail.example.test', port: 993, certificate: CERTIFICATE, pinnedAt: 1_000 },
    ]);
    await reopened.unpin('mail.example.test', 993);
    expect(await new CertificatePins(dataDir).trustFor('mail.example.test', 993)).toBeUndefined();
  });

  it('stores fingerprints in one canonical form whatever form they came in', async () => {
    const pins = new CertificatePins(dataDir);
    await pins.pin('mail.example.test', 993, {
      ...CERTIFICATE,
      fingerprint256: FINGERPRINT.replace(/:/g, '').toLowerCase(),
    });
    expect((await pins.get('mail.example.test', 993))?.certificate.fingerprint256).toBe(FINGERPRINT);
    expect(canonicalFingerprint('ab cd')).toBe('AB:CD');
  });

  it('refuses to pin something that is not a SHA-256 fingerprint', async () => {
    const pins = new CertificatePins(dataDir);
    await expect(
      pins.pin('mail.example.test', 993, { ...CERTIFICATE, fingerprint256: 'AB:CD' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await pins.list()).toEqual([]);
  });

  it('trusts nothing from a damaged file, and the next pin replaces it', async () => {
    const file = join(dataDir, CERTIFICATE_PINS_FILE_NAME);
    await writeFile(file, '{"version":1,"pins":[{"host":"mail.example.test","port":993,"certificate":{}}');
    const pins = new CertificatePins(dataDir);
    expect(await pins.trustFor('mail.example.test', 993)).toBeUndefined();
    await pins.pin('mail.example.test', 995, CERTIFICATE);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1, pins: [{ port: 995 }] });
  });
});
