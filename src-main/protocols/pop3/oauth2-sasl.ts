/**
 * The SASL initial responses that carry an OAuth 2.0 bearer token to a POP3 server: XOAUTH2
 * (Google, Microsoft) and OAUTHBEARER (RFC 7628 §3.1). The same strings as
 * accounts/oauth2/sasl.ts, which this layer may not import (docs/ARCHITECTURE.md). The result
 * holds the token: it is sent, never logged.
 */

const SOH = '\u0001';

/** XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A (developers.google.com/gmail/imap/xoauth2-protocol). */
export function xoauth2Response(username: string, accessToken: string): string {
  return Buffer.from(`user=${username}${SOH}auth=Bearer ${accessToken}${SOH}${SOH}`, 'utf8').toString(
    'base64',
  );
}

/** OAUTHBEARER (RFC 7628 §3.1): gs2 header "n,a=user," (RFC 5801 §4 escapes), then auth=Bearer. */
export function oauthBearerResponse(username: string, accessToken: string): string {
  const authzid = username.replace(/=/g, '=3D').replace(/,/g, '=2C');
  return Buffer.from(`n,a=${authzid},${SOH}auth=Bearer ${accessToken}${SOH}${SOH}`, 'utf8').toString(
    'base64',
  );
}

/** RFC 7628 §3.2.3: the client's answer to an OAUTHBEARER error challenge is a lone ^A. */
export const OAUTHBEARER_ERROR_ACK = Buffer.from(SOH, 'utf8').toString('base64');
