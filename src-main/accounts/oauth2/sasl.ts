/**
 * The SASL initial responses that carry an OAuth 2.0 bearer token to a mail server: Google's and
 * Microsoft's XOAUTH2, and the standard OAUTHBEARER (RFC 7628 §3.1). Both are base64 of a few
 * fields separated by ^A (0x01). The result holds the token: it is sent, never logged.
 */

const SOH = '\u0001';

/** XOAUTH2: "user=" user ^A "auth=Bearer " token ^A ^A (developers.google.com/gmail/imap/xoauth2-protocol). */
export function xoauth2InitialResponse(username: string, accessToken: string): string {
  return Buffer.from(`user=${username}${SOH}auth=Bearer ${accessToken}${SOH}${SOH}`, 'utf8').toString(
    'base64',
  );
}

/** RFC 5801 §4 gs2 header: "," and "=" in the authorization identity are escaped as =2C and =3D. */
function saslName(value: string): string {
  return value.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

/** OAUTHBEARER (RFC 7628 §3.1): gs2 header "n,a=user," then key=value pairs, each ending in ^A. */
export function oauthBearerInitialResponse(
  username: string,
  accessToken: string,
  server?: { host: string; port: number },
): string {
  const fields = [
    ...(server ? [`host=${server.host}`, `port=${server.port}`] : []),
    `auth=Bearer ${accessToken}`,
  ];
  const message = `n,a=${saslName(username)},${SOH}${fields.join(SOH)}${SOH}${SOH}`;
  return Buffer.from(message, 'utf8').toString('base64');
}
