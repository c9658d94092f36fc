// The store side of the IMAP sync: the folder tree follows the server's LIST (parents first,
// renamed roles, removed folders with their messages, pending folders kept), and ImapSyncRepo
// writes server flags with the counts in step, removes expunged UIDs, and attaches bodies once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FolderRole } from '../../../../../src-main/domain/folder';
import type { AccountId } from '../../../../../src-main/domain/ids';
import type { RemoteFolder } from '../../../../../src-main/protocols/imap';
import { applyFolderList } from '../../../../../src-main/sync/imap-sync/folder-list-sync';
import { newMessage, openStoreFixture, type StoreFixture } from '../../store/store-fixture';

let fixture: StoreFixture;
let accountId: AccountId;

const remote = (path: string, role: FolderRole | null = null, noSelect = false): RemoteFolder => {
  const parts = path.split('/');
  return {
    path,
    name: parts.at(-1) ?? path,
    delimiter: '/',
    parentPath: parts.slice(0, -1).join('/'),
    role,
    subscribed: true,
    noSelect,
  };
};

beforeEach(async () => {
  fixture = await openStoreFixture();
  accountId = fixture.store.accounts.insert({ kind: 'imap', displayName: 'a', email: 'a@example.test' }).id;
});

afterEach(async () => {
  await fixture.dispose();
});

describe('applyFolderList', () => {
  it('builds the tree parents first whatever the LIST order, with roles and \\Noselect', () => {
    const result = applyFolderList(
      fixture.store,
      accountId,
      [
        remote('Work/Reports/2026'),
        remote('INBOX', 'inbox'),
        remote('Work', null, true),
        remote('Work/Reports'),
      ],
      () => false,
    );
    expect(result.changed).toBe(true);
    const byPath = new Map(fixture.store.folders.list(accountId).map((f) => [f.path, f]));
    expect(byPath.get('Work/Reports/2026')?.parentId).toBe(byPath.get('Work/Reports')?.id);
    expect(byPath.get('Work/Reports')?.parentId).toBe(byPath.get('Work')?.id);
    expect(byPath.get('INBOX')?.role).toBe('inbox');
    expect(result.folders.find((f) => f.folder.path === 'Work')?.isSelectable).toBe(false);
    expect(
      applyFolderList(
        fixture.store,
        accountId,
        [
          remote('INBOX', 'inbox'),
          remote('Work', null, true),
          remote('Work/Reports'),
          remote('Work/Reports/2026'),
        ],
        () => false,
      ).changed,
    ).toBe(false);
  });

  it('updates a changed role and removes folders gone from the server with their messages', () => {
    applyFolderList(
      fixture.store,
      accountId,
      [remote('INBOX', 'inbox'), remote('Old'), remote('Bin')],
      () => false,
    );
    const old = fixture.store.folders.findByPath(accountId, 'Old');
    if (!old) throw new Error('no Old');
    fixture.store.messages.insert({ ...newMessage(old, 1), emlPath: 'mail/00/' + '0'.repeat(32) + '.eml' });
    const result = applyFolderList(
      fixture.store,
      accountId,
      [remote('INBOX', 'inbox'), remote('Bin', 'trash')],
      () => false,
    );
    expect(fixture.store.folders.findByPath(accountId, 'Old')).toBeNull();
    expect(result.removedFiles).toEqual(['mail/00/' + '0'.repeat(32) + '.eml']);
    expect(fixture.store.folders.findByPath(accountId, 'Bin')?.role).toBe('trash');
  });

  it('keeps a folder created here whose creation still waits for the server', () => {
    applyFolderList(fixture.store, accountId, [remote('INBOX', 'inbox')], () => false);
    fixture.store.folders.insert({
      accountId,
      parentId: null,
      name: 'New',
      path: 'New',
      delimiter: '/',
      role: null,
    });
    applyFolderList(fixture.store, accountId, [remote('INBOX', 'inbox')], (path) => path === 'New');
    expect(fixture.store.folders.findByPath(accountId, 'New')).not.toBeNull();
  });
});

describe('ImapSyncRepo', () => {
  it('writes server flags only where they differ, and the unread count follows', () => {
    const { store, inbox } = fixture;
    store.messages.insert({ ...newMessage(inbox, 1), imapUid: 5 });
    store.messages.insert({ ...newMessage(inbox, 2), imapUid: 6 });
    const seen = { ...newMessage(inbox, 1).flags, seen: true };
    expect(store.imapSync.setServerFlags(inbox.id, 5, seen)).not.toBeNull();
    expect(store.imapSync.setServerFlags(inbox.id, 5, seen)).toBeNull();
    expect(store.imapSync.setServerFlags(inbox.id, 99, seen)).toBeNull();
    expect(store.messages.countsFor([inbox.id]).get(inbox.id)).toEqual({ total: 2, unread: 1 });
  });

  it('removes expunged UIDs, lists bodyless messages below a cursor, and attaches a body once', () => {
    const { store, inbox } = fixture;
    const ids = [1, 2, 3, 4].map((uid) =>
      store.messages.insert({ ...newMessage(inbox, uid), imapUid: uid, emlPath: '', snippet: '' }),
    );
    expect(store.imapSync.uids(inbox.id)).toEqual([1, 2, 3, 4]);
    expect(store.imapSync.deleteByUids(inbox.id, [2]).map((r) => r.id)).toEqual([ids[1]]);
    expect(store.imapSync.bodyless(inbox.id, 10, Number.MAX_SAFE_INTEGER, null).map((m) => m.uid)).toEqual([
      4, 3, 1,
    ]);
    expect(store.imapSync.bodyless(inbox.id, 10, 4, null).map((m) => m.uid)).toEqual([3, 1]);
    const body = { emlPath: 'mail/01/' + '1'.repeat(32) + '.eml', size: 4321 };
    expect(store.imapSync.attachBody(ids[3]!, body)).toBe(inbox.id);
    expect(store.imapSync.attachBody(ids[3]!, body)).toBeNull();
    expect(store.imapSync.countBodyless(inbox.id)).toBe(2);
    // The row records the file's length: that is how a torn cache file is recognised.
    expect(store.messages.get(ids[3]!)?.size).toBe(4321);
    // A snippet for a file the row no longer points at is dropped.
    expect(
      store.imapSync.fillFromBody(ids[3]!, 'mail/02/' + '2'.repeat(32) + '.eml', {
        snippet: 'stale',
        parseState: 'damaged',
        hasAttachments: true,
      }),
    ).toBeNull();
    expect(store.messages.get(ids[3]!)).toMatchObject({
      snippet: '',
      parseState: 'ok',
      hasAttachments: false,
    });
    // The parse of the body also makes the paperclip exact (guessed from Content-Type until then).
    expect(
      store.imapSync.fillFromBody(ids[3]!, body.emlPath, {
        snippet: 'hi',
        parseState: 'ok',
        hasAttachments: true,
      }),
    ).toBe(inbox.id);
    expect(store.messages.get(ids[3]!)).toMatchObject({ snippet: 'hi', hasAttachments: true });
    // A row that has its snippet keeps it (parsed on arrival, or filled already).
    expect(
      store.imapSync.fillFromBody(ids[3]!, body.emlPath, {
        snippet: 'again',
        parseState: 'ok',
        hasAttachments: false,
      }),
    ).toBeNull();
    expect(store.messages.get(ids[3]!)).toMatchObject({ snippet: 'hi', hasAttachments: true });
    expect(store.imapSync.detachBody(ids[3]!, 'mail/02/' + '2'.repeat(32) + '.eml')).toBe(false);
    expect(store.imapSync.detachBody(ids[3]!, body.emlPath)).toBe(true);
    expect(store.imapSync.countBodyless(inbox.id)).toBe(3);
  });

  it('keeps a folder state with a 64-bit HIGHESTMODSEQ exactly', () => {
    const { store, inbox } = fixture;
    const state = { uidValidity: 4_000_000_000n, uidNext: 77, highestModseq: 2n ** 62n + 3n };
    store.imapSync.saveFolderState(inbox.id, state);
    expect(store.imapSync.folderState(inbox.id)).toEqual(state);
  });

  it('inserts a header row once per UID: a second insert of a stored UID changes nothing', () => {
    const { store, inbox } = fixture;
    const first = store.messages.insertIfNew({ ...newMessage(inbox, 1), imapUid: 7 });
    expect(first).not.toBeNull();
    expect(store.messages.insertIfNew({ ...newMessage(inbox, 2), imapUid: 7 })).toBeNull();
    expect(store.messages.insertIfNew({ ...newMessage(inbox, 3), imapUid: 8 })).not.toBeNull();
    expect(store.imapSync.uids(inbox.id)).toEqual([7, 8]);
    expect(store.messages.get(first!)?.subject).toBe('Subject 1');
    expect(store.messages.countsFor([inbox.id]).get(inbox.id)).toEqual({ total: 2, unread: 2 });
    expect(store.search.pendingCount()).toBe(2);
  });

  it('tells whether a row of the folder waits for its UID (a queued move)', () => {
    const { store, inbox, trash } = fixture;
    store.messages.insert({ ...newMessage(inbox, 1), imapUid: 3 });
    store.messages.insert({ ...newMessage(trash, 2), imapUid: null });
    expect(store.imapSync.hasAwaitingUid(inbox.id)).toBe(false);
    expect(store.imapSync.hasAwaitingUid(trash.id)).toBe(true);
    // Without a Message-ID nothing can match it (findAwaitingUid looks by Message-ID).
    store.messages.insert({ ...newMessage(inbox, 4), imapUid: null, messageIdHeader: null });
    expect(store.imapSync.hasAwaitingUid(inbox.id)).toBe(false);
  });
});
