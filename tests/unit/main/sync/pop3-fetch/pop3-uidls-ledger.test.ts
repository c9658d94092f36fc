import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import type { AccountId, MessageId } from '../../../../../src-main/domain/ids';
import { DATABASE_FILE, SqliteMailStore } from '../../../../../src-main/store/mail-store';
import { ensurePop3Folders } from '../../../../../src-main/sync/pop3-fetch';
import { newMessage } from '../../store/store-fixture';
import { makeTempDir, type TempDir } from '../../../../support/temp-dir';

let dir: TempDir;
let store: SqliteMailStore;
let accountId: AccountId;

beforeEach(async () => {
  dir = await makeTempDir('estafeta-pop3-ledger-');
  store = SqliteMailStore.open(dir.path);
  accountId = store.accounts.insert({ kind: 'pop3', displayName: 'pop', email: 'pop@example.test' }).id;
});

afterEach(async () => {
  store.close();
  await dir.remove();
});

/** Another connection to the same database, as another part of the app would change it. */
function sql(statement: string, ...params: number[]): void {
  const db = new Database(path.join(dir.path, DATABASE_FILE));
  try {
    db.pragma('foreign_keys = ON');
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

function storeMessage(uidl: string, n: number): MessageId {
  const inbox = ensurePop3Folders(store, accountId);
  return store.transaction(() => {
    const id = store.messages.insert(newMessage(inbox, n, { pop3Uidl: uidl }));
    store.pop3Uidls.record(accountId, uidl, 'downloaded', id, 1_000 + n);
    return id;
  });
}

describe('the POP3 ledger (migration 002)', () => {
  it('gives a POP3 account Inbox, Drafts, Sent and Trash once, however often it is asked', () => {
    const inbox = ensurePop3Folders(store, accountId);
    ensurePop3Folders(store, accountId);
    const folders = store.folders.list(accountId);
    expect(folders.map((f) => [f.name, f.role])).toEqual([
      ['Inbox', 'inbox'],
      ['Drafts', 'drafts'],
      ['Sent', 'sent'],
      ['Trash', 'trash'],
    ]);
    expect(inbox.role).toBe('inbox');
  });

  it('refuses to make POP3 folders for an account that is not POP3', () => {
    const imap = store.accounts.insert({ kind: 'imap', displayName: 'imap', email: null }).id;
    expect(() => ensurePop3Folders(store, imap)).toThrow(MailError);
  });

  it('records unique-ids with their first arrival, which a later record keeps', () => {
    const id = storeMessage('u1', 1);
    store.pop3Uidls.record(accountId, 'u1', 'downloaded', id, 99_999);
    expect(store.pop3Uidls.entries(accountId).get('u1')).toEqual({
      uidl: 'u1',
      firstSeenMs: 1_001,
      state: 'downloaded',
      messageId: id,
    });
    expect(store.pop3Uidls.isStored(accountId, 'u1')).toBe(true);
    expect(store.pop3Uidls.storedUidls(accountId)).toEqual(new Set(['u1']));
  });

  it('marks messages deleted here on request, and by itself when their row is deleted', () => {
    const kept = storeMessage('u1', 1);
    const removed = storeMessage('u2', 2);
    expect(store.pop3Uidls.markDeletedHere([kept])).toBe(1);
    expect(store.pop3Uidls.markDeletedHere([kept])).toBe(0);
    expect(store.pop3Uidls.forMessage(kept)?.state).toBe('deleted_here');
    sql('DELETE FROM messages WHERE id = ?', removed);
    const entry = store.pop3Uidls.entries(accountId).get('u2');
    expect(entry).toMatchObject({ state: 'deleted_here', messageId: null });
    // The unique-id stays known, so the message is not downloaded again.
    expect(store.pop3Uidls.isStored(accountId, 'u2')).toBe(false);
  });

  it('forgets unique-ids that left the server, except headers-only ones still waiting', () => {
    storeMessage('gone', 1);
    storeMessage('here', 2);
    const waiting = storeMessage('big', 3);
    store.pop3Uidls.setState(accountId, 'big', 'headers_only');
    expect(store.pop3Uidls.pruneAbsent(accountId, ['here'])).toBe(1);
    expect([...store.pop3Uidls.entries(accountId).keys()].sort()).toEqual(['big', 'here']);
    expect(store.pop3Uidls.forMessage(waiting)?.state).toBe('headers_only');
  });

  it('goes away with its account', () => {
    storeMessage('u1', 1);
    sql('DELETE FROM accounts WHERE id = ?', accountId);
    expect(store.pop3Uidls.entries(accountId).size).toBe(0);
  });
});
