import { afterEach, describe, expect, it } from 'vitest';
import { createDnsResolver } from '../../../../../src-main/accounts/autoconfig/dns-resolver';
import { parseEmailAddress } from '../../../../../src-main/accounts/autoconfig/email-address';
import { discoverBySrv } from '../../../../../src-main/accounts/autoconfig/srv-source';
import { MailError } from '../../../../../src-main/domain/errors';
import {
  createFakeResolver,
  startDnsStandIn,
  type DnsStandIn,
  type DnsZone,
} from '../../../../support/dns-stand-in';

const parts = parseEmailAddress('ana@example.org');
const never = new AbortController().signal;
const srv = (name: string, port: number, priority = 0, weight = 0) => [{ name, port, priority, weight }];

/** The zone of a domain that follows RFC 6186 and RFC 8314 and has given up on POP3. */
const ZONE: DnsZone = {
  srv: {
    '_imaps._tcp.example.org': srv('imap.example.org', 993),
    '_imap._tcp.example.org': srv('imap.example.org', 143),
    '_pop3s._tcp.example.org': srv('.', 0),
    '_pop3._tcp.example.org': srv('.', 0),
    '_submissions._tcp.example.org': srv('smtp.example.org', 465),
    '_submission._tcp.example.org': srv('smtp.example.org', 587),
  },
};

describe('RFC 6186 SRV discovery', () => {
  it('offers IMAP and submission, implicit TLS first, and treats a "." target as "not offered"', async () => {
    const settings = await discoverBySrv(parts, createFakeResolver(ZONE), never);
    expect(settings?.source).toBe('srv');
    expect(settings?.incoming.map((s) => `${s.protocol} ${s.host}:${s.port} ${s.security}`)).toEqual([
      'imap imap.example.org:993 tls',
      'imap imap.example.org:143 starttls',
    ]);
    expect(settings?.outgoing.map((s) => `${s.host}:${s.port} ${s.security}`)).toEqual([
      'smtp.example.org:465 tls',
      'smtp.example.org:587 starttls',
    ]);
    expect(settings?.incoming[0]?.username).toBe('ana@example.org');
  });

  it("follows the domain's priorities across IMAP and POP3, then weights", async () => {
    const resolver = createFakeResolver({
      srv: {
        '_imaps._tcp.example.org': [
          { name: 'imap-b.example.org.', port: 993, priority: 20, weight: 10 },
          { name: 'imap-a.example.org.', port: 993, priority: 20, weight: 90 },
        ],
        '_pop3s._tcp.example.org': srv('pop.example.org.', 995, 10),
      },
    });
    const settings = await discoverBySrv(parts, resolver, never);
    expect(settings?.incoming.map((s) => s.host)).toEqual([
      'pop.example.org',
      'imap-a.example.org',
      'imap-b.example.org',
    ]);
    expect(settings?.outgoing).toEqual([]);
  });

  it('answers nothing when no incoming service is offered, and ignores broken records', async () => {
    const resolver = createFakeResolver(
      {
        srv: {
          '_imaps._tcp.example.org': [{ name: 'bad host!', port: 993, priority: 0, weight: 0 }],
          '_imap._tcp.example.org': [{ name: 'imap.example.org', port: 0, priority: 0, weight: 0 }],
          '_submissions._tcp.example.org': srv('smtp.example.org', 465),
        },
      },
      { failures: { '_pop3s._tcp.example.org': 'ESERVFAIL' } },
    );
    expect(await discoverBySrv(parts, resolver, never)).toBeNull();
  });

  it('gives up on lookups that never answer once the deadline passes', async () => {
    const resolver = createFakeResolver(ZONE, { delays: { '_imap._tcp.example.org': 'never' } });
    const deadline = new AbortController();
    const pending = discoverBySrv(parts, resolver, deadline.signal);
    setTimeout(() => deadline.abort(), 50);
    const settings = await pending;
    expect(settings?.incoming.map((s) => s.port)).toEqual([993]);
  });

  describe('through the real node:dns resolver and a UDP DNS stand-in on 127.0.0.1', () => {
    let dns: DnsStandIn | undefined;
    afterEach(async () => {
      await dns?.close();
      dns = undefined;
    });

    it('reads SRV records, including "." targets, off the wire', async () => {
      dns = await startDnsStandIn(ZONE);
      const resolver = createDnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
      const settings = await discoverBySrv(parts, resolver, never);
      expect(settings?.incoming.map((s) => s.port)).toEqual([993, 143]);
      expect(settings?.outgoing.map((s) => s.port)).toEqual([465, 587]);
      expect(dns.queries).toContain('SRV _pop3s._tcp.example.org');
    });

    it('answers [] for missing names and MX records as published', async () => {
      dns = await startDnsStandIn({
        mx: { 'example.org': [{ exchange: 'aspmx.l.google.com', priority: 1 }] },
      });
      const resolver = createDnsResolver({ servers: [dns.server], timeoutMs: 500, tries: 1 });
      expect(await resolver.resolveSrv('_imaps._tcp.nowhere.example')).toEqual([]);
      expect(await resolver.resolveSrv('example.org')).toEqual([]);
      expect(await resolver.resolveMx('example.org')).toEqual([
        { exchange: 'aspmx.l.google.com', priority: 1 },
      ]);
    });

    it('reports a DNS server that does not answer as DNS_FAILED', async () => {
      dns = await startDnsStandIn({}, { silentNames: ['silent.example'] });
      const resolver = createDnsResolver({ servers: [dns.server], timeoutMs: 200, tries: 1 });
      const error = await resolver.resolveMx('silent.example').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailError);
      expect((error as MailError).code).toBe('DNS_FAILED');
      expect((error as MailError).detail).toMatch(/ETIMEOUT/);
    });
  });
});
