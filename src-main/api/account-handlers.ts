/**
 * The accounts.* handlers (spread into the service in service.ts): discovery, the "Connect" check,
 * and saving, reading, changing and removing server accounts. Every password that arrives is
 * registered with the log redactor before anything else happens to it.
 */
import type { AccountConfig } from '../accounts/account-config';
import type { AccountCredentials, ServerAuth } from '../accounts/account-credentials';
import type { AccountSettingsStore } from '../accounts/account-settings-store';
import {
  assertUsableConfig,
  passwordNeededError,
  signInAgainError,
  type NewAccountCredential,
  secretForms,
  sendsPasswordElsewhere,
} from '../accounts/account-settings-store';
import { serverKey, type CertificatePins } from '../accounts/certificate-pins';
import type { OAuth2SignIns } from '../accounts/oauth2/sign-in-sessions';
import type { DiscoveredSettings } from '../accounts/settings';
import { MailError } from '../domain/errors';
import { asAccountId, asFolderId, type AccountId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import type { AccountUploads } from '../sync/account-switch';
import type { ConnectionChecker, ServerCheckOutcome } from '../sync/connection-check';
import type { AccountSetup, DiscoveryView, ServerCheckView } from './account-contract';
import type { accountMethods } from './account-contract';
import type { ApiHandlers } from './contract';
import type { EventBus } from './events';
import { accountView } from './views';

export interface AccountServiceDeps {
  store: SqliteMailStore;
  settings: AccountSettingsStore;
  pins: CertificatePins;
  checker: ConnectionChecker;
  /** discoverSettings with the app's resolver, fetch and probe bound in. */
  discover: (email: string) => Promise<DiscoveredSettings | null>;
  events: EventBus;
  /** Registers a secret with the logger's redactor (RedactingLogger.redact). */
  redactSecret: (secret: string) => void;
  /** A saved account's password or live OAuth2 access token. */
  credentials: AccountCredentials;
  /** Browser sign-ins (OAuth2) in progress. */
  signIns: OAuth2SignIns;
  /** "Upload the mail already here" after a switch to IMAP. */
  uploads: AccountUploads;
}

type AccountHandlers = Pick<ApiHandlers, keyof typeof accountMethods>;

function toConfig(setup: AccountSetup): AccountConfig {
  const authMethod = setup.oauth2Provider === null ? 'password' : 'oauth2';
  return {
    ...setup,
    incoming: { ...setup.incoming, authMethod },
    outgoing: { ...setup.outgoing, authMethod },
  };
}

function toSetup(config: AccountConfig): AccountSetup {
  const { authMethod: _in, ...incoming } = config.incoming;
  const { authMethod: _out, ...outgoing } = config.outgoing;
  return { ...config, incoming, outgoing, oauth2Provider: config.oauth2Provider ?? null };
}

function enterPasswordError(): MailError {
  return new MailError('BAD_REQUEST', 'Enter the password to connect.', { retryable: false });
}

export function discoveryView(
  found: DiscoveredSettings | null,
  canSignIn: (provider: 'google' | 'microsoft') => boolean = () => false,
): DiscoveryView {
  if (found === null) {
    return {
      found: false,
      source: null,
      providerName: null,
      incoming: [],
      outgoing: [],
      oauth2Provider: null,
      canSignInWithBrowser: false,
    };
  }
  return {
    found: true,
    source: found.source,
    providerName: found.providerName ?? null,
    incoming: found.incoming.map(({ authMethod: _auth, ...server }) => server),
    outgoing: found.outgoing.map(({ authMethod: _auth, ...server }) => server),
    oauth2Provider: found.oauth2?.provider ?? null,
    canSignInWithBrowser: found.oauth2 !== undefined && canSignIn(found.oauth2.provider),
  };
}

export function serverCheckView(outcome: ServerCheckOutcome): ServerCheckView {
  const base = { ...outcome.server };
  if (outcome.ok) {
    return {
      ...base,
      ok: true,
      kind: null,
      message: null,
      serverSays: null,
      detail: null,
      certificate: null,
    };
  }
  return {
    ...base,
    ok: false,
    kind: outcome.kind,
    message: outcome.message,
    serverSays: outcome.serverSays ?? null,
    detail: outcome.detail ?? null,
    certificate: outcome.certificate ?? null,
  };
}

/** host:port of every server an account uses, keyed as pins are. */
function serversOf(config: AccountConfig): string[] {
  return [config.incoming, config.outgoing].map((server) => serverKey(server.host, server.port));
}

export function createAccountHandlers(deps: AccountServiceDeps): AccountHandlers {
  const { settings, events } = deps;

  /** Before anything else happens to a password, the log redactor learns it (and its base64 forms). */
  const protect = (secret: string): void => {
    for (const form of secretForms(secret)) deps.redactSecret(form);
  };

  /** accounts.changed also restarts the account's engine with what is now saved (app/compose.ts). */
  const announce = (accountId: AccountId, alsoFolders: ReadonlyArray<AccountId | null> = []): void => {
    events.emit('accounts.changed', { accountId });
    for (const id of new Set([accountId, ...alsoFolders])) {
      if (id !== null) events.emit('folders.changed', { accountId: id });
    }
  };

  /** Pins of servers no remaining account uses are forgotten with the account. */
  const forgetUnusedPins = async (removed: AccountConfig): Promise<void> => {
    const stillUsed = new Set(settings.list().flatMap(({ config }) => (config ? serversOf(config) : [])));
    for (const server of [removed.incoming, removed.outgoing]) {
      if (!stillUsed.has(serverKey(server.host, server.port))) {
        await deps.pins.unpin(server.host, server.port);
      }
    }
  };

  return {
    'accounts.discover': async ({ email }) =>
      discoveryView(await deps.discover(email), (provider) => deps.signIns.isConfigured(provider)),

    'accounts.check': async ({ setup, password, signInId, accountId }) => {
      if (password !== undefined) protect(password);
      const config = toConfig(setup);
      assertUsableConfig(config);
      let secret: ServerAuth | null = null;
      if (password !== undefined) secret = { password };
      else if (signInId !== undefined)
        secret = { accessToken: deps.signIns.peek(signInId).tokens.accessToken };
      else if (accountId !== undefined) {
        const id = asAccountId(accountId);
        const saved = settings.config(id);
        const usesOAuth2 = (config.oauth2Provider ?? null) !== null;
        if (sendsPasswordElsewhere(saved, config)) {
          throw usesOAuth2 ? signInAgainError() : passwordNeededError();
        }
        if ((config.oauth2Provider ?? null) !== (saved.oauth2Provider ?? null)) {
          throw usesOAuth2 ? signInAgainError() : enterPasswordError();
        }
        secret = await deps.credentials.authFor(id);
      }
      if (secret === null) throw enterPasswordError();
      if ('password' in secret) protect(secret.password);
      const result = await deps.checker.check(config, secret);
      return {
        ok: result.ok,
        incoming: serverCheckView(result.incoming),
        outgoing: serverCheckView(result.outgoing),
      };
    },

    'accounts.create': async ({ setup, password, signInId }) => {
      const config = toConfig(setup);
      let account;
      if (password !== undefined && (config.oauth2Provider ?? null) === null) {
        protect(password);
        account = await settings.create(config, password);
      } else if (signInId !== undefined && (config.oauth2Provider ?? null) !== null) {
        assertUsableConfig(config);
        const { provider, tokens } = deps.signIns.peek(signInId);
        if (provider !== config.oauth2Provider) throw signInMismatch();
        account = await settings.create(config, { oauth2: tokens });
        deps.signIns.take(signInId);
      } else {
        throw enterPasswordError();
      }
      announce(account.id);
      return accountView(account);
    },

    'accounts.get': async ({ accountId }) => {
      const id = asAccountId(accountId);
      const config = settings.config(id);
      const account = deps.store.accounts.get(id);
      if (!account) throw new MailError('NOT_FOUND', 'That account no longer exists.', { retryable: false });
      return { account: accountView(account), setup: toSetup(config) };
    },

    'accounts.update': async ({ accountId, setup, password, signInId }) => {
      if (password !== undefined) protect(password);
      const config = toConfig(setup);
      let credential: NewAccountCredential | undefined;
      if (signInId !== undefined) {
        const { provider, tokens } = deps.signIns.peek(signInId);
        if (provider !== config.oauth2Provider) throw signInMismatch();
        credential = { oauth2: tokens };
      } else if (password !== undefined && (config.oauth2Provider ?? null) === null) {
        credential = { password };
      }
      const { account, mailKeptIn, keptFolderId } = await settings.update(
        asAccountId(accountId),
        config,
        credential,
      );
      if (signInId !== undefined) deps.signIns.take(signInId);
      announce(account.id, [mailKeptIn]);
      return { ...accountView(account), keptFolderId };
    },

    'accounts.remove': async ({ accountId, keepLocalMail }) => {
      const id = asAccountId(accountId);
      // A damaged settings row must not keep the user from removing the account.
      const config = (() => {
        try {
          return settings.config(id);
        } catch {
          return null;
        }
      })();
      const { keptIn } = await settings.remove(id, keepLocalMail);
      if (config !== null) await forgetUnusedPins(config);
      await deps.uploads.forget(id);
      announce(id, [keptIn]);
      return {};
    },

    'accounts.trustCertificate': async ({ host, port, fingerprint256 }) => {
      const certificate = deps.checker.refusedCertificate(host, port, fingerprint256);
      if (certificate === null) {
        throw new MailError(
          'BAD_REQUEST',
          'That certificate was not presented by this server in the last check. Select Connect again.',
          { retryable: false },
        );
      }
      await deps.pins.pin(host, port, certificate);
      return {};
    },

    'accounts.oauth2Begin': async ({ provider, email }) => deps.signIns.begin(provider, email.trim()),

    'accounts.oauth2Wait': async ({ signInId }) => {
      await deps.signIns.wait(signInId);
      return {};
    },

    'accounts.oauth2Cancel': async ({ signInId }) => {
      await deps.signIns.cancel(signInId);
      return {};
    },

    'accounts.uploadLocalMail': async ({ accountId, folderId }) => {
      const id = asAccountId(accountId);
      const report = (done: number, total: number): void =>
        events.emit('sync.progress', { accountId: id, phase: UPLOAD_PHASE, done, total });
      // Once on the server, the account's engine syncs them as it syncs any other new mail.
      return deps.uploads.upload(id, asFolderId(folderId), ({ done, total }) => report(done, total));
    },
  };
}

/** The sync.progress phase of "Upload the mail already here". */
export const UPLOAD_PHASE = 'upload';

function signInMismatch(): MailError {
  return new MailError('BAD_REQUEST', 'That sign-in was for another provider. Sign in again.', {
    retryable: false,
  });
}
