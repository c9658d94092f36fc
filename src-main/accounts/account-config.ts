import { z } from 'zod';
import { CONNECTION_SECURITY } from '../domain/security';
import {
  MAX_PORT,
  MIN_PORT,
  type IncomingSettings,
  type OAuth2Provider,
  type OutgoingSettings,
} from './settings';

/**
 * Everything the user sets for a server account except the password: who they are, where the
 * servers are, and the POP3 and identity options. This is what settings_json holds (the password
 * lives in the SecretVault, never here), and what the sync engines read to connect.
 */

export interface Pop3Options {
  /** Off by default: classic POP3 downloads and then deletes (RFC 1939 §6 DELE, applied by QUIT). */
  leaveOnServer: boolean;
  /** With leaveOnServer: delete from the server once a message is this many days old; null never. */
  deleteAfterDays: number | null;
  /** With leaveOnServer: deleting a message here deletes it from the server too. */
  deleteWhenDeletedHere: boolean;
  /** "Check for new mail every N minutes" (sync/pop3-fetch); absent in older settings: the default. */
  checkEveryMinutes?: number;
  /** Messages above this many KB are downloaded as headers only until opened; null: no limit. */
  maxMessageKb?: number | null;
}

/** An extra From address the user may send as, with its own signature. */
export interface Identity {
  name: string;
  email: string;
  signature: string;
}

export interface AccountConfig {
  /** "Your name": the display name in From. */
  name: string;
  email: string;
  incoming: IncomingSettings;
  outgoing: OutgoingSettings;
  pop3: Pop3Options;
  signature: string;
  identities: Identity[];
  /** Set when the account signs in through the provider's browser page (OAuth2), not a password. */
  oauth2Provider?: OAuth2Provider | null;
  /** IMAP only; absent means keep everything. */
  imap?: ImapOptions;
}

export const DEFAULT_POP3_OPTIONS: Readonly<Pop3Options> = {
  leaveOnServer: false,
  deleteAfterDays: null,
  deleteWhenDeletedHere: false,
};

/** Bounds that keep a damaged or hostile settings row from turning into huge strings in the UI. */
export const MAX_NAME_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 320;
export const MAX_HOST_LENGTH = 253;
export const MAX_USERNAME_LENGTH = 320;
export const MAX_SIGNATURE_LENGTH = 10_000;
export const MAX_IDENTITIES = 50;
/** Ten years: a longer "delete after" is the same as never. */
export const MAX_DELETE_AFTER_DAYS = 3_650;
/** A day: checking less often than that is not checking. */
export const MAX_CHECK_EVERY_MINUTES = 1_440;
/** 1 GiB in KB. */
export const MAX_MESSAGE_KB = 1024 * 1024;

const Security = z.enum(CONNECTION_SECURITY);
const AuthMethod = z.enum(['password', 'oauth2']);
const Port = z.number().int().min(MIN_PORT).max(MAX_PORT);
const Host = z.string().trim().min(1).max(MAX_HOST_LENGTH);
const Username = z.string().min(1).max(MAX_USERNAME_LENGTH);

export const IncomingSchema = z.object({
  protocol: z.enum(['imap', 'pop3']),
  host: Host,
  port: Port,
  security: Security,
  username: Username,
  authMethod: AuthMethod.default('password'),
});

export const OutgoingSchema = z.object({
  host: Host,
  port: Port,
  security: Security,
  username: Username,
  authMethod: AuthMethod.default('password'),
});

export const Pop3OptionsSchema = z.object({
  leaveOnServer: z.boolean().default(DEFAULT_POP3_OPTIONS.leaveOnServer),
  deleteAfterDays: z.number().int().min(1).max(MAX_DELETE_AFTER_DAYS).nullable().default(null),
  deleteWhenDeletedHere: z.boolean().default(DEFAULT_POP3_OPTIONS.deleteWhenDeletedHere),
  checkEveryMinutes: z.number().int().min(1).max(MAX_CHECK_EVERY_MINUTES).optional(),
  maxMessageKb: z.number().int().min(1).max(MAX_MESSAGE_KB).nullable().optional(),
});

/** How much of an IMAP account's mail is kept here for reading offline (sync/imap-sync). */
export const ImapOptionsSchema = z.object({
  offline: z.enum(['all', 'days', 'headers']),
  days: z.number().int().min(1).max(MAX_DELETE_AFTER_DAYS).nullable().default(null),
});
export type ImapOptions = z.output<typeof ImapOptionsSchema>;

export const IdentitySchema = z.object({
  name: z.string().max(MAX_NAME_LENGTH),
  email: z.string().trim().min(3).max(MAX_EMAIL_LENGTH),
  signature: z.string().max(MAX_SIGNATURE_LENGTH).default(''),
});

export const AccountConfigSchema = z.object({
  name: z.string().trim().max(MAX_NAME_LENGTH),
  email: z.string().trim().min(3).max(MAX_EMAIL_LENGTH),
  incoming: IncomingSchema,
  outgoing: OutgoingSchema,
  pop3: Pop3OptionsSchema.default({ ...DEFAULT_POP3_OPTIONS }),
  signature: z.string().max(MAX_SIGNATURE_LENGTH).default(''),
  identities: z.array(IdentitySchema).max(MAX_IDENTITIES).default([]),
  oauth2Provider: z.enum(['google', 'microsoft']).nullable().default(null),
  imap: ImapOptionsSchema.optional(),
});

/** The settings_json format; `version` lets a later release migrate it. */
export const STORED_CONFIG_VERSION = 1;
const StoredConfigSchema = AccountConfigSchema.extend({ version: z.literal(STORED_CONFIG_VERSION) });

export function toStoredConfig(config: AccountConfig): Record<string, unknown> {
  return { version: STORED_CONFIG_VERSION, ...config };
}

/** Parses a settings_json value; null when it is not a server account's configuration. */
export function parseStoredConfig(value: unknown): AccountConfig | null {
  const parsed = StoredConfigSchema.safeParse(value);
  if (!parsed.success) return null;
  const { version: _version, ...config } = parsed.data;
  return config;
}
