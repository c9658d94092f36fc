import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '../../../../fixtures/autoconfig');

/** A file from tests/fixtures/autoconfig, as text. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** A minimal valid config-v1.1 file with one IMAP and one SMTP server for `host`. */
export function configFor(host: string, displayName = host): string {
  return `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="${host}"><displayName>${displayName}</displayName>
<incomingServer type="imap"><hostname>imap.${host}</hostname><port>993</port><socketType>SSL</socketType>
<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.${host}</hostname><port>465</port><socketType>SSL</socketType>
<username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`;
}
