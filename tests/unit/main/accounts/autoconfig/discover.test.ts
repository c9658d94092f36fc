import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discoverSettings } from '../../../../../src-main/accounts/autoconfig/discover';
import type {
  DiscoveryOptions,
  Probe,
  ProbeResult,
} from '../../../../../src-main/accounts/autoconfig/discovery-options';
import { createFetchText } from '../../../../../src-main/accounts/autoconfig/http-fetch';
import { MailError } from '../../../../../src-main/domain/errors';
import {
  createFakeResolver,
  type DnsZone,
  type FakeResolver,
  type FakeResolverOptions,
} from '../../../../support/dns-stand-in';
import { startHttpStandIn, type HttpStandIn } from '../../../../support/http-stand-in';
import { configFor, fixture } from './fixtures';

/** Longer than any test may run: a lookup with this delay only ends by being abandoned. */
const NEVER_MS = 60_000;
/** Discovery deadline for tests that do not test the deadline: never reached. */
const GENEROUS_TIMEOUT_MS = 30_000;

let http: HttpStandIn;
let resolver: FakeResolver;

beforeEach(async () => {
  http = await startHttpStandIn();
  resolver = createFakeResolver({});
});
afterEach(async () => {
  await http.close();
});

function useDns(zone: DnsZone, options?: FakeResolverOptions): void {
  resolver = createFakeResolver(zone, options);
}

/** A probe answering from a table of "host:port" -> greeting; others are refused. */
function fakeProbe(greetings: Record<string, string | 'never'>, log: string[] = []): Probe {
  return (host, port, _security, signal) => {
    const greeting = greetings[`${host}:${port}`];
    log.push(`${host}:${port}`);
    if (greeting === 'never') {
      return new Promise<ProbeResult>((resolve) =>
        signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'cancelled' })),
      );
    }
    return Promise.resolve(
      greeting === undefined ? { ok: false, reason: 'refused' } : { ok: true, greeting },
    );
  };
}

function options(extra: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
  return {
    resolver,
    fetchText: createFetchText(),
    autoconfigBaseUrls: (domain) => [http.url(`/autoconfig/${domain}`), http.url(`/well-known/${domain}`)],
    ispdbBaseUrl: http.url('/ispdb/'),
    timeoutMs: GENEROUS_TIMEOUT_MS,
    ...extra,
  };
}

const IMAPS_SRV: DnsZone = {
  srv: { '_imaps._tcp.example.org': [{ name: 'srv-imap.example.org', port: 993, priority: 0, weight: 0 }] },
};

describe('discoverSettings: each source', () => {
  it('answers big providers from the built-in table without touching the network', async () => {
    const settings = await discoverSettings('ana@gmail.com', options());
    expect(settings?.source).toBe('builtin');
    expect(http.requested()).toEqual([]);
    expect(resolver.queries).toEqual([]);
  });

  it("maps a custom domain whose MX is Google's or Microsoft's to that provider", async () => {
    useDns({
      mx: { 'company.example': [{ exchange: 'company-example.mail.protection.outlook.com', priority: 0 }] },
    });
    const settings = await discoverSettings('ana@company.example', options());
    expect(settings).toMatchObject({
      source: 'builtin',
      providerName: 'Microsoft 365',
      oauth2: { provider: 'microsoft' },
    });
  });

  it("reads the domain's own autoconfig file", async () => {
    http.setRoute('/autoconfig/example.org', { status: 200, body: configFor('example.org', 'Example Org') });
    const settings = await discoverSettings('ana@example.org', options());
    expect(settings).toMatchObject({ source: 'autoconfig', providerName: 'Example Org' });
    expect(settings?.incoming[0]).toMatchObject({ host: 'imap.example.org', username: 'ana@example.org' });
  });

  it('tries the next autoconfig URL when the first has no file', async () => {
    http.setRoute('/autoconfig/example.org', { status: 404 });
    http.setRoute('/well-known/example.org', { status: 200, body: configFor('example.org') });
    expect((await discoverSettings('ana@example.org', options()))?.source).toBe('autoconfig');
  });

  it('asks the ISPDB', async () => {
    http.setRoute('/ispdb/gmx.example', { status: 200, body: fixture('gmx.net.xml') });
    const settings = await discoverSettings('ana@gmx.example', options());
    expect(settings?.source).toBe('ispdb');
    expect(settings?.incoming[0]?.host).toBe('imap.gmx.net');
  });

  it('reads RFC 6186 SRV records', async () => {
    useDns(IMAPS_SRV);
    expect(await discoverSettings('ana@example.org', options())).toMatchObject({
      source: 'srv',
      incoming: [{ host: 'srv-imap.example.org', port: 993, security: 'tls' }],
    });
  });

  it('guesses host names, keeping only servers whose greeting fits the protocol', async () => {
    const probe = fakeProbe({
      'mail.example.org:993': '* OK [CAPABILITY IMAP4rev1] Dovecot ready.',
      'imap.example.org:143': '220 smtp.example.org ESMTP', // an SMTP banner on an IMAP guess
      'pop.example.org:995': '+OK POP3 ready',
      'smtp.example.org:587': '220-smtp.example.org ESMTP Postfix',
      'mail.example.org:465': '220 mail.example.org ESMTP',
    });
    const settings = await discoverSettings('ana@example.org', options({ probe }));
    expect(settings?.source).toBe('guess');
    expect(settings?.incoming.map((s) => `${s.protocol} ${s.host}:${s.port} ${s.security}`)).toEqual([
      'imap mail.example.org:993 tls',
      'pop3 pop.example.org:995 tls',
    ]);
    expect(settings?.outgoing.map((s) => `${s.host}:${s.port} ${s.security}`)).toEqual([
      'mail.example.org:465 tls',
      'smtp.example.org:587 starttls',
    ]);
  });

  it('returns null when no source knows the domain', async () => {
    expect(await discoverSettings('ana@example.org', options({ probe: fakeProbe({}) }))).toBeNull();
  });
});

describe('discoverSettings: precedence and parallelism', () => {
  it('prefers the autoconfig file over the ISPDB, SRV and guessing when all answer', async () => {
    http.setRoute('/autoconfig/example.org', { status: 200, body: configFor('example.org') });
    http.setRoute('/ispdb/example.org', { status: 200, body: fixture('gmx.net.xml') });
    useDns(IMAPS_SRV);
    const probe = fakeProbe({ 'imap.example.org:993': '* OK ready' });
    expect((await discoverSettings('ana@example.org', options({ probe })))?.source).toBe('autoconfig');
  });

  it('prefers an MX-mapped provider over a config file', async () => {
    useDns({ mx: { 'example.org': [{ exchange: 'aspmx.l.google.com', priority: 1 }] } });
    http.setRoute('/autoconfig/example.org', { status: 200, body: configFor('example.org') });
    expect((await discoverSettings('ana@example.org', options()))?.providerName).toBe('Google Workspace');
  });

  it('waits for a slower, more trusted source rather than taking the first answer', async () => {
    http.setRoute('/autoconfig/example.org', { status: 200, body: configFor('example.org'), delayMs: 300 });
    http.setRoute('/ispdb/example.org', { status: 200, body: fixture('gmx.net.xml') });
    const settings = await discoverSettings('ana@example.org', options());
    expect(settings?.source).toBe('autoconfig');
    const answered = http.events.filter((event) => event.kind === 'answered').map((event) => event.path);
    expect(answered.indexOf('/ispdb/example.org')).toBeLessThan(answered.indexOf('/autoconfig/example.org'));
  });

  it('starts every lookup at once and does not wait for slow, less trusted ones', async () => {
    // The short delay lets the ISPDB request reach the stand-in before the answer ends it.
    http.setRoute('/autoconfig/example.org', { status: 200, body: configFor('example.org'), delayMs: 100 });
    http.setRoute('/ispdb/example.org', { status: 200, body: fixture('gmx.net.xml'), delayMs: NEVER_MS });
    useDns(IMAPS_SRV, { delays: { '_imaps._tcp.example.org': 'never' } });
    const probeLog: string[] = [];
    const probe = fakeProbe({ 'imap.example.org:993': 'never' }, probeLog);
    const fetched: string[] = [];
    const realFetch = createFetchText();
    const fetchText: DiscoveryOptions['fetchText'] = (url, signal) => {
      fetched.push(new URL(url).pathname);
      return realFetch(url, signal);
    };

    const settings = await discoverSettings('ana@example.org', options({ probe, fetchText }));

    expect(settings?.source).toBe('autoconfig');
    // Every source had been asked by the time the answer came...
    expect(fetched).toContain('/ispdb/example.org');
    expect(resolver.queries).toContain('SRV _imaps._tcp.example.org');
    expect(probeLog).toContain('imap.example.org:993');
    // ...and the slow ones had not answered: the result did not wait for them.
    expect(http.events).not.toContainEqual({ kind: 'answered', path: '/ispdb/example.org' });
    expect(resolver.answered).not.toContain('SRV _imaps._tcp.example.org');
    // The losing request is then dropped rather than left running.
    await expect.poll(() => http.events).toContainEqual({ kind: 'abandoned', path: '/ispdb/example.org' });
  });
});

describe('discoverSettings: deadlines, bad input and cancellation', () => {
  it('returns the best answer in hand when more trusted sources never answer', async () => {
    useDns({ ...IMAPS_SRV }, { delays: { 'example.org': 'never' } });
    http.setRoute('/autoconfig/example.org', {
      status: 200,
      body: configFor('example.org'),
      delayMs: NEVER_MS,
    });
    http.setRoute('/ispdb/example.org', { status: 200, body: fixture('gmx.net.xml') });
    const settings = await discoverSettings('ana@example.org', options({ timeoutMs: 300 }));
    expect(settings?.source).toBe('ispdb');
    await expect
      .poll(() => http.events)
      .toContainEqual({ kind: 'abandoned', path: '/autoconfig/example.org' });
  });

  it('returns null at the deadline when nothing answered', async () => {
    useDns({}, { delays: { 'example.org': 'never', '_imaps._tcp.example.org': 'never' } });
    http.setRoute('/autoconfig/example.org', {
      status: 200,
      body: configFor('example.org'),
      delayMs: NEVER_MS,
    });
    const probe = fakeProbe({ 'imap.example.org:993': 'never' });
    expect(await discoverSettings('ana@example.org', options({ timeoutMs: 200, probe }))).toBeNull();
  });

  it('skips malformed and hostile config files and uses the next source', async () => {
    http.setRoute('/autoconfig/example.org', { status: 200, body: fixture('malformed-truncated.xml') });
    http.setRoute('/well-known/example.org', { status: 200, body: fixture('hostile-external-entity.xml') });
    http.setRoute('/ispdb/example.org', { status: 200, body: fixture('hostile-billion-laughs.xml') });
    useDns(IMAPS_SRV);
    expect((await discoverSettings('ana@example.org', options()))?.source).toBe('srv');
  });

  it('looks international domains up by their ASCII form', async () => {
    useDns({
      srv: {
        '_imaps._tcp.xn--and-6ma2c.es': [
          { name: 'imap.xn--and-6ma2c.es', port: 993, priority: 0, weight: 0 },
        ],
      },
    });
    const settings = await discoverSettings('josé@ñandú.es', options());
    expect(http.requested()).toEqual(
      expect.arrayContaining(['/autoconfig/xn--and-6ma2c.es', '/ispdb/xn--and-6ma2c.es']),
    );
    expect(resolver.queries).toContain('MX xn--and-6ma2c.es');
    expect(settings?.incoming[0]).toMatchObject({
      host: 'imap.xn--and-6ma2c.es',
      username: 'josé@xn--and-6ma2c.es',
    });
  });

  it('refuses an invalid address before any lookup', async () => {
    await expect(discoverSettings('not an address', options())).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(http.requested()).toEqual([]);
  });

  it('rejects with CANCELLED when the caller aborts', async () => {
    http.setRoute('/autoconfig/example.org', {
      status: 200,
      body: configFor('example.org'),
      delayMs: NEVER_MS,
    });
    const controller = new AbortController();
    const pending = discoverSettings('ana@example.org', options({ signal: controller.signal }));
    await expect.poll(() => http.requested()).toContain('/autoconfig/example.org');
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('CANCELLED');
  });
});
