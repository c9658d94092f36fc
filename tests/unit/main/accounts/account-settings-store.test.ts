import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../../src-main/accounts/account-config';
import { AccountSettingsStore, passwordKey } from '../../../../src-main/accounts/account-settings-store';
import type { SecretVault } from '../../../../src-main/accounts/vault';
import { MailError } from '../../../../src-main/domain/errors';
import { NO_FLAGS } from '../../../../src-main/domain/flags';
import type { AccountId } from '../../../../src-main/domain/ids';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import { filesLeaking } from './vault/vault-files';

const PASSWORD = 'Settings-Store-Pw9';

/** A vault in memory: enough to see what is stored where, and to make saving fail on purpose. */
class MemoryVault implements SecretVault {
  readonly entries = new Map<string, string>();
  failNextSet = false;
  async set(key: string, secret: string): Promise<void> {
    if (this.failNextSet) {
      this.failNextSet = false;
      throw new MailError('INTERNAL', 'No keyring is available.');
    }
    this.entries.set(key, secret);
  }
  async get(key: string): Promise<string | null> {
    return this.entries.get(key) ?? null;
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

function config(protocol: 'imap' | 'pop3', overrides: Partial<AccountConfig> = {}): AccountConfig {
  const server = {
    host: 'mail.example.test',
    security: 'tls' as const,
    username: 'ana',
    authMethod: 'password' as const,
  };
  return {
    name: 'Ana Torres',
    email: 'ana@example.test',
    incoming: { protocol, port: protocol === 'imap' ? 993 : 995, ...server },
    outgoing: { port: 465, ...server },
    pop3: { leaveOnServer: false, deleteAfterDays: null, deleteWhenDeletedHere: false },
    signature: '',
    identities: [],
    oauth2Provider: null,
    ...overrides,
  };
}

let dataDir: string;
let store: SqliteMailStore;
let vault: MemoryVault;
let accounts: AccountSettingsStore;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'estafeta-settings-'));
  store = SqliteMailStore.open(dataDir);
  store.ensureLocalFolders();
  vault = new MemoryVault();
  accounts = new AccountSettingsStore(store, vault);
});

afterEach(async () => {
  store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function storeOneMessage(accountId: AccountId): Promise<string> {
  const inbox = store.folders.findByRole(accountId, 'inbox');
  if (!inbox) throw new Error('no inbox');
  const emlPath = await store.emlFiles.write(Buffer.from('Subject: hi\r\n\r\nhello\r\n'));
  store.messages.insert({
    accountId,
    folderId: inbox.id,
    messageIdHeader: '<1@example.test>',
    subject: 'hi',
    from: null,
    to: [],
    cc: [],
    date: 0,
    receivedAt: 0,
    size: 20,
    flags: NO_FLAGS,
    hasAttachments: false,
    threadKey: 'hi',
    snippet: 'hello',
    emlPath,
    pop3Uidl: 'uidl-1',
    parseState: 'ok',
  });
  return emlPath;
}

describe('AccountSettingsStore', () => {
  it('saves a POP3 account with Inbox, Drafts, Sent and Trash, and its password only in the vault', async () => {
    const account = await accounts.create(config('pop3'), PASSWORD);
    expect(account).toMatchObject({
      kind: 'pop3',
      displayName: 'ana@example.test',
      email: 'ana@example.test',
    });
    expect(store.folders.list(account.id).map((folder) => folder.role)).toEqual([
      'inbox',
      'drafts',
      'sent',
      'trash',
    ]);
    expect(vault.entries.get(passwordKey(account.id))).toBe(PASSWORD);
    expect(await accounts.password(account.id)).toBe(PASSWORD);
    expect(accounts.config(account.id)).toEqual(config('pop3'));
    store.close();
    expect(await filesLeaking(dataDir, PASSWORD)).toEqual([]);
    store = SqliteMailStore.open(dataDir);
  });

  it('gives an IMAP account no folders until sync creates them', async () => {
    const account = await accounts.create(config('imap'), PASSWORD);
    expect(account.kind).toBe('imap');
    expect(store.folders.list(account.id)).toEqual([]);
  });

  it('keeps no account whose password could not be protected', async () => {
    vault.failNextSet = true;
    await expect(accounts.create(config('imap'), PASSWORD)).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(store.accounts.list().map((account) => account.kind)).toEqual(['local']);
  });

  it('refuses settings no connection could use, naming the fields', async () => {
    const bad = config('imap', { incoming: { ...config('imap').incoming, host: 'bad host', port: 0 } });
    const error = await accounts.create(bad, PASSWORD).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    expect((error as MailError).detail).toMatch(/incoming host.*incoming port/);
    await expect(accounts.create(config('imap', { email: 'no-at-sign' }), PASSWORD)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('updates settings and the password, and says a damaged settings row is damaged', async () => {
    const account = await accounts.create(config('imap'), PASSWORD);
    const changed = config('imap', { name: 'Ana T.', signature: '-- \nAna' });
    await accounts.update(account.id, changed, 'New-Password-1');
    expect(accounts.config(account.id)).toEqual(changed);
    expect(await accounts.password(account.id)).toBe('New-Password-1');
    store.accounts.update(account.id, { settings: { version: 99 } });
    expect(() => accounts.config(account.id)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });

  it('sends a saved password to no other server: a new destination needs it typed again', async () => {
    const account = await accounts.create(config('imap'), PASSWORD);
    const elsewhere = (change: Partial<AccountConfig['incoming']>) =>
      config('imap', { incoming: { ...config('imap').incoming, ...change } });
    for (const change of [{ host: 'evil.example' }, { port: 143 }, { security: 'none' as const }]) {
      await expect(accounts.update(account.id, elsewhere(change))).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
    }
    // Same servers (the host in other letter case): no password needed.
    await accounts.update(account.id, elsewhere({ host: 'MAIL.example.test' }));
    await accounts.update(account.id, elsewhere({ host: 'evil.example' }), 'typed-again');
    expect(accounts.config(account.id).incoming.host).toBe('evil.example');
  });

  it('switching POP3 to IMAP moves the mail already here into Local Folders', async () => {
    const account = await accounts.create(config('pop3'), PASSWORD);
    await storeOneMessage(account.id);
    const { account: switched, mailKeptIn } = await accounts.update(account.id, config('imap'), PASSWORD);
    const local = store.accounts.findLocal();
    expect(switched.kind).toBe('imap');
    expect(mailKeptIn).toBe(local?.id);
    expect(store.folders.list(account.id)).toEqual([]);
    const kept = store.folders.findByPath(local!.id, 'ana@example.test/Inbox');
    expect(kept).toMatchObject({ role: null, name: 'Inbox' });
    expect(store.messages.countsFor([kept!.id]).get(kept!.id)).toEqual({ unread: 1, total: 1 });
    // Local Folders' own Inbox is still the one with the inbox role.
    expect(store.folders.findByRole(local!.id, 'inbox')?.path).toBe('Inbox');
  });

  it('switching IMAP to POP3 gives the account its local folders', async () => {
    const account = await accounts.create(config('imap'), PASSWORD);
    const { mailKeptIn } = await accounts.update(account.id, config('pop3'), PASSWORD);
    expect(mailKeptIn).toBeNull();
    expect(store.folders.list(account.id).map((folder) => folder.role)).toEqual([
      'inbox',
      'drafts',
      'sent',
      'trash',
    ]);
  });

  it('removes an account with its mail and password, or keeps the mail in Local Folders', async () => {
    const first = await accounts.create(config('pop3'), PASSWORD);
    const file = await storeOneMessage(first.id);
    expect(await accounts.remove(first.id, false)).toEqual({ keptIn: null });
    expect(store.accounts.get(first.id)).toBeNull();
    expect(vault.entries.has(passwordKey(first.id))).toBe(false);
    await expect(store.emlFiles.read(file)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const second = await accounts.create(config('pop3'), PASSWORD);
    const kept = await storeOneMessage(second.id);
    const local = store.accounts.findLocal();
    expect(await accounts.remove(second.id, true)).toEqual({ keptIn: local?.id });
    expect((await store.emlFiles.read(kept)).toString()).toContain('hello');
    expect(store.folders.findByPath(local!.id, 'ana@example.test/Inbox')).not.toBeNull();

    // A second kept account of the same address gets a folder of its own.
    const third = await accounts.create(config('pop3'), PASSWORD);
    await storeOneMessage(third.id);
    await accounts.remove(third.id, true);
    expect(store.folders.findByPath(local!.id, 'ana@example.test (2)/Inbox')).not.toBeNull();
  });

  it('treats Local Folders and unknown ids as no server account', async () => {
    const local = store.accounts.findLocal();
    expect(() => accounts.config(local!.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await expect(accounts.remove(local!.id, true)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
