import { describe, expect, it } from 'vitest';
import { oauthBearerInitialResponse, xoauth2InitialResponse } from '../../../../../src-main/accounts/oauth2';

describe('SASL initial responses for OAuth 2.0 tokens', () => {
  it('builds XOAUTH2 as in Google’s protocol description', () => {
    expect(
      xoauth2InitialResponse('someuser@example.com', 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg'),
    ).toBe(
      'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==',
    );
  });

  it('builds OAUTHBEARER as in RFC 7628 §4.1', () => {
    const response = oauthBearerInitialResponse(
      'user@example.com',
      'vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==',
      {
        host: 'server.example.com',
        port: 143,
      },
    );
    expect(Buffer.from(response, 'base64').toString('utf8')).toBe(
      'n,a=user@example.com,\u0001host=server.example.com\u0001port=143\u0001auth=Bearer vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg==\u0001\u0001',
    );
    // RFC 5801 §4: "," and "=" in the identity are escaped.
    expect(Buffer.from(oauthBearerInitialResponse('a,b=c', 't'), 'base64').toString()).toMatch(
      /^n,a=a=2Cb=3Dc,/,
    );
  });
});
