/** How a client secures a connection to a mail server. */
export const CONNECTION_SECURITY = ['tls', 'starttls', 'none'] as const;
export type ConnectionSecurity = (typeof CONNECTION_SECURITY)[number];

/**
 * What a connection needs to verify the server: system CAs by default; `pinnedSha256` is set only
 * after the user explicitly trusted that exact certificate (uppercase hex, colon separated).
 */
export interface TlsTrust {
  pinnedSha256?: string;
  /** Extra CA certificates in PEM (tests use the fixture's self-signed certificate this way). */
  extraCaPem?: string;
}
