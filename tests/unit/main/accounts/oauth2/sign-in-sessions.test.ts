// Browser sign-ins as the API runs them (begin, wait, take): the loopback redirect's state check,
// the timeout, cancelling, and tokens handed over once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OAuth2SignIns, oauth2ClientsFromEnv } from '../../../../../src-main/accounts/oauth2';
import {
  browserThatFollows,
  startAuthorizationServer,
  type AuthorizationServerStandIn,
} from './authorization-server-stand-in';

let server: AuthorizationServerStandIn;
let signIns: OAuth2SignIns;

beforeEach(async () => {
  server = await startAuthorizationServer();
});

afterEach(async () => {
  await signIns?.closeAll();
  await server.close();
});

describe('OAuth2SignIns', () => {
  it('waits through a redirect with the wrong state and completes with ours', async () => {
    const redacted: string[] = [];
    signIns = new OAuth2SignIns({
      clients: { google: server.provider },
      openBrowser: null,
      redact: (secret) => redacted.push(secret),
    });
    const { signInId, url } = await signIns.begin('google', 'ana@example.test');
    const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
    // A forged redirect (another state) is refused and does not end the sign-in.
    const forged = await fetch(`${redirectUri}?code=evil&state=forged`);
    expect(forged.status).toBe(400);
    await browserThatFollows(url);
    await expect(signIns.wait(signInId)).resolves.toEqual({ provider: 'google' });
    expect(server.tokenRequests).toHaveLength(1);
    expect(server.tokenRequests[0]?.get('code')).not.toBe('evil');
    expect(redacted).toEqual(expect.arrayContaining(['access-1', 'refresh-1']));
    expect(signIns.take(signInId).tokens).toMatchObject({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
    });
    expect(() => signIns.take(signInId)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('times out when the browser never comes back, and the loopback listener is gone', async () => {
    signIns = new OAuth2SignIns({
      clients: { google: server.provider },
      openBrowser: null,
      authorizationTimeoutMs: 100,
    });
    const { signInId, url } = await signIns.begin('google', 'ana@example.test');
    await expect(signIns.wait(signInId)).rejects.toMatchObject({ code: 'TIMEOUT' });
    const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
    await expect(fetch(redirectUri)).rejects.toThrow();
  });

  it('cancels a sign-in the user gave up on', async () => {
    signIns = new OAuth2SignIns({ clients: { google: server.provider }, openBrowser: null });
    const { signInId } = await signIns.begin('google', 'ana@example.test');
    const waiting = signIns.wait(signInId);
    await signIns.cancel(signInId);
    await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
  });

  it('still returns the URL when the system browser could not be opened', async () => {
    signIns = new OAuth2SignIns({
      clients: { google: server.provider },
      openBrowser: async () => {
        throw new Error('no browser');
      },
    });
    const begun = await signIns.begin('google', 'ana@example.test');
    expect(begun.isOpened).toBe(false);
    expect(begun.url).toContain(server.provider.authorizationUrl);
  });
});

describe('oauth2ClientsFromEnv', () => {
  it('takes client ids from the environment and offers nothing without one', () => {
    const clients = oauth2ClientsFromEnv({
      ESTAFETA_GOOGLE_CLIENT_ID: 'abc.apps.googleusercontent.com',
      ESTAFETA_GOOGLE_CLIENT_SECRET: 'not-secret',
      ESTAFETA_MICROSOFT_CLIENT_ID: 'bad value with spaces',
    });
    expect(clients.google).toMatchObject({
      clientId: 'abc.apps.googleusercontent.com',
      clientSecret: 'not-secret',
      tokenUrl: 'https://oauth2.googleapis.com/token',
    });
    expect(clients.microsoft).toBeUndefined();
    expect(oauth2ClientsFromEnv({})).toEqual({});
  });
});
