import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PORTS,
  defaultPort,
  isValidHostname,
  isValidPort,
  validateIncomingSettings,
  validateOutgoingSettings,
  type IncomingSettings,
} from '../../../../src-main/accounts/settings';

const GOOD: IncomingSettings = {
  protocol: 'imap',
  host: 'imap.example.com',
  port: 993,
  security: 'tls',
  username: 'ana@example.com',
  authMethod: 'password',
};

describe('account settings', () => {
  it('knows the standard ports for each protocol and security', () => {
    expect(DEFAULT_PORTS).toEqual({
      imap: { tls: 993, starttls: 143 },
      pop3: { tls: 995, starttls: 110 },
      smtp: { tls: 465, starttls: 587 },
    });
    expect(defaultPort('imap', 'none')).toBe(143);
    expect(defaultPort('smtp', 'tls')).toBe(465);
  });

  it('accepts ports 1..65535 only, as integers', () => {
    for (const port of [1, 993, 65_535]) expect(isValidPort(port)).toBe(true);
    for (const port of [0, -1, 65_536, 1.5, Number.NaN]) expect(isValidPort(port)).toBe(false);
  });

  it('accepts host names and IP literals, and rejects anything that is not one', () => {
    const good = [
      'mail.example.com',
      'imap.example.com.',
      'xn--and-6ma2c.es',
      'localhost',
      '127.0.0.1',
      '::1',
    ];
    for (const host of good) expect(isValidHostname(host), host).toBe(true);
    const bad = [
      '',
      'mail..example.com',
      '-mail.example.com',
      'mail-.example.com',
      'mail_server.example.com',
      'ñandú.es',
      'imap.example.com\r\nA1 LOGIN',
      'http://imap.example.com',
      'a'.repeat(64) + '.example.com',
      `${'a.'.repeat(127)}com`,
      '300.1.1.1',
    ];
    for (const host of bad) expect(isValidHostname(host), host).toBe(false);
  });

  it('reports each problem with the field it belongs to', () => {
    expect(validateIncomingSettings(GOOD)).toEqual([]);
    const problems = validateIncomingSettings({ ...GOOD, host: 'bad host', port: 0, username: ' ' });
    expect(problems.map((problem) => problem.field)).toEqual(['host', 'port', 'username']);
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(10);
  });

  it('refuses a username that could inject protocol commands', () => {
    const problems = validateOutgoingSettings({ ...GOOD, username: 'ana\r\nA2 DELETE INBOX' });
    expect(problems).toEqual([{ field: 'username', message: expect.any(String) }]);
  });
});
