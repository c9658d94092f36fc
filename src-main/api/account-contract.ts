/**
 * The accounts.* part of the API contract (spread into `methods` in contract.ts): account setup's
 * discovery and "Connect" check, and creating, reading, changing and removing server accounts.
 * A password crosses only inward (check, create, update); no result ever carries one.
 */
import { z } from 'zod';

const Id = z.number().int().positive();
const Port = z.number().int().min(1).max(65_535);
const Host = z.string().trim().min(1).max(253);
const Username = z.string().min(1).max(320);
const Email = z.string().trim().min(3).max(320);
/** Long enough for any real password or passphrase; bounded so a request cannot be huge. */
const Password = z.string().min(1).max(1024);

export const SecurityView = z.enum(['tls', 'starttls', 'none']);
export type SecurityView = z.infer<typeof SecurityView>;

export const IncomingServerView = z
  .object({
    protocol: z.enum(['imap', 'pop3']),
    host: Host,
    port: Port,
    security: SecurityView,
    username: Username,
  })
  .strict();
export type IncomingServerView = z.infer<typeof IncomingServerView>;

export const OutgoingServerView = z
  .object({ host: Host, port: Port, security: SecurityView, username: Username })
  .strict();
export type OutgoingServerView = z.infer<typeof OutgoingServerView>;

export const IdentityView = z
  .object({ name: z.string().max(200), email: Email, signature: z.string().max(10_000).default('') })
  .strict();

export const Pop3OptionsView = z
  .object({
    leaveOnServer: z.boolean().default(false),
    deleteAfterDays: z.number().int().min(1).max(3_650).nullable().default(null),
    deleteWhenDeletedHere: z.boolean().default(false),
    /** "Check for new mail every N minutes"; absent: the engine's default. */
    checkEveryMinutes: z.number().int().min(1).max(1_440).optional(),
    /** Messages above this many KB are kept as headers only until opened; null: no limit. */
    maxMessageKb: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024)
      .nullable()
      .optional(),
  })
  .strict();

export const OAuth2ProviderView = z.enum(['google', 'microsoft']);
export type OAuth2ProviderView = z.infer<typeof OAuth2ProviderView>;

/** IMAP offline policy (absent: every body is kept, 'all'); `days` for 'days' (null: 30). */
export const ImapOptionsView = z
  .object({
    offline: z.enum(['all', 'days', 'headers']).default('all'),
    days: z.number().int().min(1).max(3_650).nullable().default(null),
  })
  .strict();

/** What the user fills in (or confirms) in account setup and account settings. */
export const AccountSetup = z
  .object({
    name: z.string().trim().max(200),
    email: Email,
    incoming: IncomingServerView,
    outgoing: OutgoingServerView,
    pop3: Pop3OptionsView.default({
      leaveOnServer: false,
      deleteAfterDays: null,
      deleteWhenDeletedHere: false,
    }),
    imap: ImapOptionsView.optional(),
    signature: z.string().max(10_000).default(''),
    identities: z.array(IdentityView).max(50).default([]),
    /** Set when the account signs in with the provider's page (OAuth2) instead of a password. */
    oauth2Provider: OAuth2ProviderView.nullable().default(null),
  })
  .strict();
export type AccountSetup = z.output<typeof AccountSetup>;

export const DiscoveryView = z.object({
  found: z.boolean(),
  source: z.enum(['builtin', 'autoconfig', 'ispdb', 'srv', 'guess']).nullable(),
  providerName: z.string().nullable(),
  /** Best first; IMAP and POP3 both appear when the provider offers both. */
  incoming: z.array(IncomingServerView),
  outgoing: z.array(OutgoingServerView),
  /** Set for providers that want OAuth2 sign-in rather than a password. */
  oauth2Provider: z.enum(['google', 'microsoft']).nullable(),
  /** True when this copy of the app can sign in with that provider (a client id is configured). */
  canSignInWithBrowser: z.boolean(),
});
export type DiscoveryView = z.infer<typeof DiscoveryView>;

export const CertificateView = z.object({
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint256: z.string(),
});
export type CertificateView = z.infer<typeof CertificateView>;

export const FailureKindView = z.enum([
  'dns',
  'refused',
  'unreachable',
  'timeout',
  'tls',
  'certificate',
  'auth',
  'server',
  'lost',
  'other',
]);
export type FailureKindView = z.infer<typeof FailureKindView>;

/** One server's part of "Connect": ok, or exactly what failed. */
export const ServerCheckView = z.object({
  role: z.enum(['incoming', 'outgoing']),
  protocol: z.enum(['imap', 'pop3', 'smtp']),
  host: z.string(),
  port: Port,
  security: SecurityView,
  ok: z.boolean(),
  kind: FailureKindView.nullable(),
  /** The main process's English sentence; the UI words `kind` in the user's language. */
  message: z.string().nullable(),
  /** The server's own words (a NO, -ERR or 5xx reply), when it said something. */
  serverSays: z.string().nullable(),
  /** A technical hint (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT …). */
  detail: z.string().nullable(),
  /** The certificate that was not trusted, for "Trust this certificate". */
  certificate: CertificateView.nullable(),
});
export type ServerCheckView = z.infer<typeof ServerCheckView>;

export const ConnectionCheckView = z.object({
  ok: z.boolean(),
  incoming: ServerCheckView,
  outgoing: ServerCheckView,
});
export type ConnectionCheckView = z.infer<typeof ConnectionCheckView>;

/** A browser sign-in in progress (accounts.oauth2Begin); its tokens stay in the main process. */
const SignInId = z.string().min(1).max(64);

const AccountViewShape = z.object({
  id: Id,
  kind: z.enum(['local', 'imap', 'pop3']),
  displayName: z.string(),
  email: z.string().nullable(),
});

export const accountMethods = {
  /** Server settings for an address: built-in table, autoconfig, ISPDB, SRV, probing (a few seconds at most). */
  'accounts.discover': { params: z.object({ email: Email }).strict(), result: DiscoveryView },
  /**
   * "Connect": logs in to both servers with these settings and reports each outcome. Without a
   * password, the saved one of `accountId` is used (checking an existing account's new settings).
   */
  'accounts.check': {
    params: z
      .object({
        setup: AccountSetup,
        password: Password.optional(),
        signInId: SignInId.optional(),
        accountId: Id.optional(),
      })
      .strict(),
    result: ConnectionCheckView,
  },
  /**
   * Saves a new account (the UI calls it after a successful check) and its password, or the
   * tokens of a completed browser sign-in (signInId), in the vault.
   */
  'accounts.create': {
    params: z
      .object({ setup: AccountSetup, password: Password.optional(), signInId: SignInId.optional() })
      .strict(),
    result: AccountViewShape,
  },
  /** An account's settings for editing; never its password. */
  'accounts.get': {
    params: z.object({ accountId: Id }).strict(),
    result: z.object({ account: AccountViewShape, setup: AccountSetup }),
  },
  /** Saves changed settings; switching POP3 <-> IMAP keeps the mail already here (in Local Folders). */
  'accounts.update': {
    params: z
      .object({
        accountId: Id,
        setup: AccountSetup,
        password: Password.optional(),
        signInId: SignInId.optional(),
      })
      .strict(),
    /** keptFolderId: the Local Folders folder now holding the mail of before a protocol switch. */
    result: AccountViewShape.extend({ keptFolderId: Id.nullable() }),
  },
  /** Removes an account; with keepLocalMail its folders and messages move to Local Folders. */
  'accounts.remove': {
    params: z.object({ accountId: Id, keepLocalMail: z.boolean() }).strict(),
    result: z.object({}),
  },
  /**
   * "Trust this certificate": pins the certificate host:port presented in the last check, for that
   * server only. Refused for a certificate that server did not present.
   */
  'accounts.trustCertificate': {
    params: z.object({ host: Host, port: Port, fingerprint256: z.string().min(64).max(128) }).strict(),
    result: z.object({}),
  },
  /**
   * "Sign in with Google/Microsoft": starts a browser sign-in (PKCE, loopback redirect). In the
   * desktop app main opens the system browser (isOpened); in browser mode the page opens `url`.
   */
  'accounts.oauth2Begin': {
    params: z.object({ provider: OAuth2ProviderView, email: Email }).strict(),
    result: z.object({ signInId: SignInId, url: z.string(), isOpened: z.boolean() }),
  },
  /** Resolves once the browser came back and the tokens were received; fails if denied or too late. */
  'accounts.oauth2Wait': {
    params: z.object({ signInId: SignInId }).strict(),
    result: z.object({}),
  },
  'accounts.oauth2Cancel': {
    params: z.object({ signInId: SignInId }).strict(),
    result: z.object({}),
  },
  /**
   * After switching to IMAP: uploads the kept local mail (folderId, from accounts.update's
   * keptFolderId) to the account's server with APPEND; progress as sync.progress (phase "upload").
   * Safe to call again after an interruption: nothing already uploaded is sent twice.
   */
  'accounts.uploadLocalMail': {
    params: z.object({ accountId: Id, folderId: Id }).strict(),
    result: z.object({
      total: z.number().int().nonnegative(),
      uploaded: z.number().int().nonnegative(),
      alreadyThere: z.number().int().nonnegative(),
    }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
