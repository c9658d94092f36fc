import type { Account } from '../domain/account';
import { MailError } from '../domain/errors';
import { LOCAL_DEFAULT_FOLDERS, type Folder } from '../domain/folder';
import type { AccountId, FolderId } from '../domain/ids';
import type { SqliteMailStore } from '../store/mail-store';
import { parseStoredConfig, toStoredConfig, type AccountConfig } from './account-config';
import { parseEmailAddress } from './autoconfig/email-address';
import { validateIncomingSettings, validateOutgoingSettings, type SettingsProblem } from './settings';
import type { OAuth2Tokens } from './oauth2/token-endpoint';
import { oauth2Key, writeTokens } from './oauth2/token-vault';
import type { SecretVault } from './vault/secret-vault';

/**
 * Server accounts as saved: the account row (kind imap/pop3, the address as its name in the folder
 * pane), its AccountConfig in settings_json, and its password in the SecretVault under a key of
 * its own. The password never reaches the database, and an account whose password could not be
 * protected is not kept.
 */

/** POP3 mail lives only here, so a POP3 account starts with its own local folders. */
const POP3_FOLDER_DELIMITER = '/';
/** Bounds the search for a free folder name when mail is handed over to Local Folders. */
const MAX_HANDOVER_NAME_TRIES = 100;

/**
 * A password and the forms it would take in a protocol trace (base64, as in AUTH PLAIN pieces),
 * for the log redactor.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [...new Set([secret, bytes.toString('base64'), bytes.toString('base64url')])];
}

export function passwordKey(accountId: AccountId): string {
  return `account:${accountId}:password`;
}

export interface RemovedAccount {
  /** The Local Folders account that received the mail, when it was kept. */
  keptIn: AccountId | null;
}

export interface UpdatedAccount {
  account: Account;
  /** Set when switching protocols moved the mail already here into Local Folders. */
  mailKeptIn: AccountId | null;
  /** The Local Folders folder (named after the address) that holds it. */
  keptFolderId: FolderId | null;
}

/** How a new account signs in: a password, or the tokens of a browser sign-in (OAuth2). */
export type NewAccountCredential = { password: string } | { oauth2: OAuth2Tokens };

interface HandedOver {
  accountId: AccountId;
  folderId: FolderId;
}

function describeProblems(side: string, problems: readonly SettingsProblem[]): string {
  return problems.map((problem) => `${side} ${problem.field}: ${problem.message}`).join(' ');
}

/** Throws BAD_REQUEST, naming each field, for settings no connection could be made with. */
export function assertUsableConfig(config: AccountConfig): void {
  parseEmailAddress(config.email);
  const problems = [
    describeProblems('incoming', validateIncomingSettings(config.incoming)),
    describeProblems('outgoing', validateOutgoingSettings(config.outgoing)),
  ].filter((text) => text !== '');
  if (problems.length > 0) {
    throw new MailError('BAD_REQUEST', 'Some server settings are not valid. Check them and try again.', {
      detail: problems.join(' '),
      retryable: false,
    });
  }
}

/**
 * True when `next` would send the password somewhere `saved` does not (another host or port, or
 * less security). A saved password goes only where it went before: a new destination needs it
 * typed again, so that nothing (not even a compromised UI) can redirect it to another server.
 */
export function sendsPasswordElsewhere(
  saved: AccountConfig,
  next: Pick<AccountConfig, 'incoming' | 'outgoing'>,
): boolean {
  const differs = (a: AccountConfig['outgoing'], b: AccountConfig['outgoing']): boolean =>
    a.host.trim().toLowerCase() !== b.host.trim().toLowerCase() ||
    a.port !== b.port ||
    a.security !== b.security;
  return differs(saved.incoming, next.incoming) || differs(saved.outgoing, next.outgoing);
}

export function signInAgainError(): MailError {
  return new MailError('BAD_REQUEST', 'Sign in through the browser again to use these servers.', {
    retryable: false,
  });
}

export function passwordNeededError(): MailError {
  return new MailError(
    'BAD_REQUEST',
    'Enter the password again: it is sent to a new server only when you type it.',
    {
      retryable: false,
    },
  );
}

export class AccountSettingsStore {
  readonly #store: SqliteMailStore;
  readonly #vault: SecretVault;
  readonly #redact: (secret: string) => void;

  /** `redact` registers every password that passes here with the log redactor (RedactingLogger). */
  constructor(
    store: SqliteMailStore,
    vault: SecretVault,
    redact: (secret: string) => void = () => undefined,
  ) {
    this.#store = store;
    this.#vault = vault;
    this.#redact = redact;
  }

  #protect(secret: string): void {
    for (const form of secretForms(secret)) this.#redact(form);
  }

  /**
   * Saves a new account and its password (or its OAuth2 tokens); POP3 accounts get Inbox, Drafts,
   * Sent and Trash.
   */
  async create(config: AccountConfig, credential: string | NewAccountCredential): Promise<Account> {
    const secret = typeof credential === 'string' ? { password: credential } : credential;
    if ('password' in secret) this.#protect(secret.password);
    assertUsableConfig(config);
    const account = this.#store.transaction(() => {
      const created = this.#store.accounts.insert({
        kind: config.incoming.protocol,
        displayName: config.email,
        email: config.email,
        settings: toStoredConfig(config),
      });
      if (config.incoming.protocol === 'pop3') this.#createPop3Folders(created.id);
      return created;
    });
    try {
      if ('password' in secret) await this.#vault.set(passwordKey(account.id), secret.password);
      else await writeTokens(this.#vault, account.id, secret.oauth2);
    } catch (error) {
      // An account whose password could not be kept safely would fail at every sync: undo it.
      this.#store.transaction(() => this.#store.accounts.remove(account.id));
      throw error;
    }
    return account;
  }

  /** The server account's configuration; NOT_FOUND for unknown ids and for Local Folders. */
  config(accountId: AccountId): AccountConfig {
    const account = this.#requireServerAccount(accountId);
    const config = parseStoredConfig(this.#store.accounts.settingsOf(account.id));
    if (config === null) {
      throw new MailError('STORE_CORRUPT', 'The settings of this account are damaged. Set it up again.', {
        retryable: false,
      });
    }
    return config;
  }

  /** The saved password, or null when none is stored (e.g. an OAuth2 account). */
  async password(accountId: AccountId): Promise<string | null> {
    this.#requireServerAccount(accountId);
    const password = await this.#vault.get(passwordKey(accountId));
    if (password !== null) this.#protect(password);
    return password;
  }

  /**
   * Saves new settings (and the password, when one is given). Switching between POP3 and IMAP
   * keeps the mail already here: it moves to Local Folders, so the new protocol starts clean and
   * nothing downloaded is lost.
   */
  async update(
    accountId: AccountId,
    config: AccountConfig,
    credential?: string | NewAccountCredential,
  ): Promise<UpdatedAccount> {
    const secret = typeof credential === 'string' ? { password: credential } : credential;
    if (secret !== undefined && 'password' in secret) this.#protect(secret.password);
    assertUsableConfig(config);
    const current = this.#requireServerAccount(accountId);
    const saved = this.config(accountId);
    // A token is only ever sent to the provider's own servers; a password only where it went before.
    const usesOAuth2 = (config.oauth2Provider ?? null) !== null;
    if (secret === undefined && !usesOAuth2 && sendsPasswordElsewhere(saved, config)) {
      throw passwordNeededError();
    }
    // Likewise a saved token: another server gets one only after a new sign-in.
    if (
      secret === undefined &&
      usesOAuth2 &&
      ((saved.oauth2Provider ?? null) !== config.oauth2Provider || sendsPasswordElsewhere(saved, config))
    ) {
      throw signInAgainError();
    }
    if (secret !== undefined && 'password' in secret) {
      await this.#vault.set(passwordKey(accountId), secret.password);
      // The account signs in with its password from now on.
      await this.#vault.delete(oauth2Key(accountId));
    }
    if (secret !== undefined && 'oauth2' in secret) {
      await writeTokens(this.#vault, accountId, secret.oauth2);
      await this.#vault.delete(passwordKey(accountId));
    }
    return this.#store.transaction(() => {
      const isSwitching = current.kind !== config.incoming.protocol;
      const handedOver = isSwitching ? this.#handOverToLocalFolders(current) : null;
      const account = this.#store.accounts.update(accountId, {
        kind: config.incoming.protocol,
        displayName: config.email,
        email: config.email,
        settings: toStoredConfig(config),
      });
      if (isSwitching && config.incoming.protocol === 'pop3') this.#createPop3Folders(accountId);
      return {
        account,
        mailKeptIn: handedOver?.accountId ?? null,
        keptFolderId: handedOver?.folderId ?? null,
      };
    });
  }

  /**
   * Removes the account and forgets its password. With keepLocalMail its folders and messages move
   * to Local Folders (under a folder named after the address); otherwise they are deleted too.
   */
  async remove(accountId: AccountId, keepLocalMail: boolean): Promise<RemovedAccount> {
    const account = this.#requireServerAccount(accountId);
    const { keptIn, orphanFiles } = this.#store.transaction(() => {
      const files = keepLocalMail ? [] : this.#store.accounts.emlPathsOf(accountId);
      const local = keepLocalMail ? this.#handOverToLocalFolders(account) : null;
      this.#store.accounts.remove(accountId);
      return { keptIn: local?.accountId ?? null, orphanFiles: files };
    });
    // The rows are gone (committed) before the files: a crash in between leaves unused files, never
    // rows pointing at missing ones.
    for (const file of orphanFiles) await this.#store.emlFiles.remove(file);
    await this.#vault.delete(passwordKey(accountId));
    await this.#vault.delete(oauth2Key(accountId));
    return { keptIn };
  }

  /** Server accounts (IMAP and POP3) with their configurations, in creation order. */
  list(): Array<{ account: Account; config: AccountConfig | null }> {
    return this.#store.accounts
      .list()
      .filter((account) => account.kind !== 'local')
      .map((account) => ({
        account,
        config: parseStoredConfig(this.#store.accounts.settingsOf(account.id)),
      }));
  }

  #requireServerAccount(accountId: AccountId): Account {
    const account = this.#store.accounts.get(accountId);
    if (!account || account.kind === 'local') {
      throw new MailError('NOT_FOUND', 'That account no longer exists.', { retryable: false });
    }
    return account;
  }

  #createPop3Folders(accountId: AccountId): Folder[] {
    return LOCAL_DEFAULT_FOLDERS.map(({ name, role }) =>
      this.#store.folders.insert({
        accountId,
        parentId: null,
        name,
        path: name,
        delimiter: POP3_FOLDER_DELIMITER,
        role,
      }),
    );
  }

  /** Moves the account's folders under a new Local Folders folder; null when it had none. */
  #handOverToLocalFolders(account: Account): HandedOver | null {
    if (this.#store.folders.list(account.id).length === 0) return null;
    const local = this.#store.ensureLocalFolders().account;
    const base = account.email ?? account.displayName;
    let name = base;
    for (let n = 2; this.#store.folders.findByPath(local.id, name); n++) {
      if (n > MAX_HANDOVER_NAME_TRIES) {
        throw new MailError('INTERNAL', 'Could not find a free folder name for the kept mail.');
      }
      name = `${base} (${n})`;
    }
    const root = this.#store.folders.insert({
      accountId: local.id,
      parentId: null,
      name,
      path: name,
      delimiter: POP3_FOLDER_DELIMITER,
      role: null,
    });
    this.#store.accounts.handOverMail(account.id, local.id, root);
    return { accountId: local.id, folderId: root.id };
  }
}
