import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_FOLDERS_NAME } from '../../../../src-main/domain/account';
import { SqliteMailStore } from '../../../../src-main/store/mail-store';
import { toFtsQuery } from '../../../../src-main/store/search';
import { newMessage, openStoreFixture } from './store-fixture';
import type { StoreFixture } from './store-fixture';

let fx: StoreFixture;
beforeEach(async () => {
  fx = await openStoreFixture();
});
afterEach(async () => {
  await fx.dispose();
});

describe('SqliteMailStore', () => {
  it('creates Local Folders with Inbox, Drafts, Sent and Trash once, however often it is asked', () => {
    const again = fx.store.ensureLocalFolders();
    expect(again.account).toMatchObject({ kind: 'local', displayName: LOCAL_FOLDERS_NAME, email: null });
    expect(again.folders.map((f) => [f.name, f.role])).toEqual([
      ['Inbox', 'inbox'],
      ['Drafts', 'drafts'],
      ['Sent', 'sent'],
      ['Trash', 'trash'],
    ]);
    expect(fx.store.accounts.list()).toHaveLength(1);
    fx.store.close();
    const reopened = SqliteMailStore.open(fx.dir.path);
    expect(reopened.ensureLocalFolders().folders).toHaveLength(4);
    expect(reopened.folders.list()).toHaveLength(4);
    fx.store = reopened;
  });

  it('gives every new folder zero counts', () => {
    const ids = fx.store.folders.list().map((f) => f.id);
    expect([...fx.store.messages.countsFor(ids).values()]).toEqual(ids.map(() => ({ unread: 0, total: 0 })));
  });

  it('rolls a transaction back as a whole', () => {
    expect(() =>
      fx.store.transaction(() => {
        fx.store.messages.insert(newMessage(fx.inbox, 1));
        throw new Error('stop');
      }),
    ).toThrow();
    expect(fx.store.messages.countsFor([fx.inbox.id]).get(fx.inbox.id)).toEqual({ unread: 0, total: 0 });
  });
});

describe('SearchIndex', () => {
  function indexOne(n: number, subject: string, body: string, attachmentNames: string[] = []): void {
    fx.store.transaction(() => {
      const message = newMessage(fx.inbox, n, { subject });
      const id = fx.store.messages.insert(message);
      fx.store.search.index(id, {
        subject,
        from: [message.from!],
        to: message.to,
        cc: [],
        body,
        attachmentNames,
      });
    });
  }

  it('finds words in subject, body, sender and attachment names, ignoring case and accents', () => {
    indexOne(1, 'Réunion de lancement', 'Ordre du jour en pièce jointe');
    indexOne(2, 'Lunch', 'See the attached budget', ['Übersicht 2024.pdf']);
    expect(fx.store.search.search('reunion').map((m) => m.subject)).toEqual(['Réunion de lancement']);
    expect(fx.store.search.search('PIECE').map((m) => m.subject)).toEqual(['Réunion de lancement']);
    expect(fx.store.search.search('ubersicht').map((m) => m.subject)).toEqual(['Lunch']);
    expect(fx.store.search.search('sender 2').map((m) => m.subject)).toEqual(['Lunch']);
    expect(fx.store.search.search('budg').map((m) => m.subject)).toEqual(['Lunch']);
    expect(fx.store.search.search('budget', { folderId: fx.trash.id })).toEqual([]);
  });

  it('treats FTS5 syntax in user input as plain text', () => {
    indexOne(1, 'quotes', 'a "quoted" NEAR(x y) OR AND * text');
    expect(() => fx.store.search.search('"unbalanced NEAR( OR *')).not.toThrow();
    expect(fx.store.search.search('quoted').length).toBe(1);
    expect(toFtsQuery('  ')).toBeNull();
    expect(toFtsQuery('a "b')).toBe('"a" """b"*');
  });

  it('remove takes a message out of the index', () => {
    indexOne(1, 'gone soon', 'ephemeral');
    expect(fx.store.search.search('ephemeral')).toHaveLength(1);
    fx.store.transaction(() => fx.store.search.remove(fx.store.search.search('ephemeral')[0]!.id));
    expect(fx.store.search.search('ephemeral')).toHaveLength(0);
  });
});
