import { describe, expect, it } from 'vitest';
import type { ConnectionCheckView, ServerCheckView } from '../../../../../src-main/api/contract';
import {
  certificateGroups,
  defaultPort,
  domainOf,
  guessedHost,
  parsePort,
  setupFromForm,
  type SetupForm,
} from '../../../../../src-renderer/src/lib/state/account-setup-rules';

const FORM: SetupForm = {
  name: ' Ana Torres ',
  email: ' ana@example.test ',
  password: 'pw',
  protocol: 'pop3',
  leaveOnServer: true,
  incomingHost: ' pop.example.test ',
  incomingPort: '995',
  incomingSecurity: 'tls',
  username: ' ana ',
  outgoingHost: 'smtp.example.test',
  outgoingPort: ' 587 ',
  outgoingSecurity: 'starttls',
};

describe('account setup rules', () => {
  it('knows the standard ports for each protocol and security', () => {
    expect([
      defaultPort('imap', 'tls'),
      defaultPort('imap', 'starttls'),
      defaultPort('imap', 'none'),
    ]).toEqual([993, 143, 143]);
    expect([defaultPort('pop3', 'tls'), defaultPort('pop3', 'starttls')]).toEqual([995, 110]);
    expect([defaultPort('smtp', 'tls'), defaultPort('smtp', 'starttls')]).toEqual([465, 587]);
  });

  it('guesses host names only for something that looks like an address', () => {
    expect(domainOf('Ana@Example.TEST ')).toBe('example.test');
    expect(domainOf('ana@localhost')).toBeNull();
    expect(guessedHost('pop3', 'ana@example.test')).toBe('pop.example.test');
    expect(guessedHost('smtp', 'not an address')).toBe('');
  });

  it('reads ports as whole numbers from 1 to 65535 only', () => {
    expect(['1', ' 993 ', '65535'].map(parsePort)).toEqual([1, 993, 65_535]);
    expect(['0', '65536', '99.5', '-1', '', '1e3', '0x10'].map(parsePort)).toEqual(Array(7).fill(null));
  });

  it('turns a complete form into the setup sent to Connect, trimmed', () => {
    expect(setupFromForm(FORM)).toEqual({
      invalid: [],
      setup: {
        name: 'Ana Torres',
        email: 'ana@example.test',
        incoming: { protocol: 'pop3', host: 'pop.example.test', port: 995, security: 'tls', username: 'ana' },
        outgoing: { host: 'smtp.example.test', port: 587, security: 'starttls', username: 'ana' },
        pop3: { leaveOnServer: true, deleteAfterDays: null, deleteWhenDeletedHere: false },
        signature: '',
        identities: [],
        oauth2Provider: null,
      },
    });
  });

  it('names every field still missing, in form order', () => {
    const empty = {
      ...FORM,
      email: 'ana',
      password: '',
      incomingHost: ' ',
      incomingPort: 'x',
      username: '',
      outgoingHost: '',
      outgoingPort: '0',
    };
    expect(setupFromForm(empty)).toEqual({
      setup: null,
      invalid: [
        'email',
        'password',
        'incomingHost',
        'incomingPort',
        'username',
        'outgoingHost',
        'outgoingPort',
      ],
    });
  });

  it('makes one trust decision of a certificate both servers presented', () => {
    const certificate = {
      subject: 'CN=x',
      issuer: 'CN=x',
      validFrom: '',
      validTo: '',
      fingerprint256: 'AA:BB',
    };
    const outcome = (
      role: 'incoming' | 'outgoing',
      port: number,
      cert: typeof certificate | null,
    ): ServerCheckView => ({
      role,
      protocol: role === 'incoming' ? 'imap' : 'smtp',
      host: 'mail.example.test',
      port,
      security: 'tls',
      ok: false,
      kind: cert ? 'certificate' : 'auth',
      message: null,
      serverSays: null,
      detail: null,
      certificate: cert,
    });
    const both: ConnectionCheckView = {
      ok: false,
      incoming: outcome('incoming', 993, certificate),
      outgoing: outcome('outgoing', 465, certificate),
    };
    expect(certificateGroups(both)).toEqual([
      {
        certificate,
        servers: [
          { host: 'mail.example.test', port: 993 },
          { host: 'mail.example.test', port: 465 },
        ],
      },
    ]);
    const other = { ...certificate, fingerprint256: 'CC:DD' };
    expect(certificateGroups({ ...both, outgoing: outcome('outgoing', 465, other) })).toHaveLength(2);
    expect(certificateGroups({ ...both, outgoing: outcome('outgoing', 465, null) })).toHaveLength(1);
    expect(certificateGroups(null)).toEqual([]);
  });
});
