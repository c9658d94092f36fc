/**
 * The accounts.* handlers (spread into the service in service.ts): discovery, the "Connect" check,
 * and saving, reading, changing and removing server accounts. Every password that arrives is
 * registered with the log redactor before anything else happens to it.
 */
import type { AccountConfig } from '../accounts/account-config';
import type { AccountSettingsStore } from '../accounts/account-settings-store';
import {
  assertUsableConfig,
  passwordNeededError,
  secretForms,
  sendsPasswordElsewhere,
} from '../accounts/account-settings-store';
import { serverKey, type CertificatePins } from '../accounts/certificate-pins';
import type { DiscoveredSettings } from '../accounts/settings';
import { MailError } from '../domain/errors';
import { asAccountId, type AccountId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
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
}

type AccountHandlers = Pick<ApiHandlers, keyof typeof accountMethods>;

function toConfig(setup: AccountSetup): AccountConfig {
  return {
    ...setup,
    incoming: { ...setup.incoming, authMethod: 'password' },
    outgoing: { ...setup.outgoing, authMethod: 'password' },
  };
}

function toSetup(config: AccountConfig): AccountSetup {
  const { authMethod: _in, ...incoming } = config.incoming;
  const { authMethod: _out, ...outgoing } = config.outgoing;
  return { ...config, incoming, outgoing };
}

export function discoveryView(found: DiscoveredSettings | null): DiscoveryView {
  if (found === null) {
    return {
      found: false,
      source: null,
      providerName: null,
      incoming: [],
      outgoing: [],
      oauth2Provider: null,
    };
  }
  return {
    found: true,
    source: found.source,
    providerName: found.providerName ?? null,
    incoming: found.incoming.map(({ authMethod: _auth, ...server }) => server),
    outgoing: found.outgoing.map(({ authMethod: _auth, ...server }) => server),
    oauth2Provider: found.oauth2?.provider ?? null,
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
    'accounts.discover': async ({ email }) => discoveryView(await deps.discover(email)),

    'accounts.check': async ({ setup, password, accountId }) => {
      if (password !== undefined) protect(password);
      const config = toConfig(setup);
      assertUsableConfig(config);
      let secret = password ?? null;
      if (secret === null && accountId !== undefined) {
        const id = asAccountId(accountId);
        if (sendsPasswordElsewhere(settings.config(id), config)) throw passwordNeededError();
        secret = await settings.password(id);
      }
      if (secret === null) {
        throw new MailError('BAD_REQUEST', 'Enter the password to connect.', { retryable: false });
      }
      protect(secret);
      const result = await deps.checker.check(config, secret);
      return {
        ok: result.ok,
        incoming: serverCheckView(result.incoming),
        outgoing: serverCheckView(result.outgoing),
      };
    },

    'accounts.create': async ({ setup, password }) => {
      protect(password);
      const account = await settings.create(toConfig(setup), password);
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

    'accounts.update': async ({ accountId, setup, password }) => {
      if (password !== undefined) protect(password);
      const { account, mailKeptIn } = await settings.update(
        asAccountId(accountId),
        toConfig(setup),
        password,
      );
      announce(account.id, [mailKeptIn]);
      return accountView(account);
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
  };
}
