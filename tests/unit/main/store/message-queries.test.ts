import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_FLAGS } from '../../../../src-main/domain/flags';
import type { Folder } from '../../../../src-main/domain/folder';
import { newMessage, openStoreFixture, type StoreFixture } from './store-fixture';

let fx: StoreFixture;
let otherInbox: Folder;

beforeEach(async () => {
  fx = await openStoreFixture();
  const work = fx.store.accounts.insert({ kind: 'pop3', displayName: 'Work', email: 'me@work.test' });
  otherInbox = fx.store.folders.insert({
    accountId: work.id,
    parentId: null,
    name: 'Inbox',
    path: 'INBOX',
    delimiter: '/',
    role: 'inbox',
  });
});
afterEach(async () => {
  await fx.dispose();
});

describe('the unified Inbox', () => {
  it('pages the Inboxes of every account together in one date order', () => {
    fx.store.transaction(() => {
      for (let n = 0; n < 10; n++) {
        fx.store.messages.insert(newMessage(n % 2 === 0 ? fx.inbox : otherInbox, n));
      }
      fx.store.messages.insert(newMessage(fx.trash, 99));
    });
    const page = fx.store.queries.pageAcross([fx.inbox.id, otherInbox.id], 10, 0, 4, {
      by: 'date',
      direction: 'desc',
    });
    expect(page.total).toBe(10);
    expect(page.rows.map((row) => row.subject)).toEqual(['Subject 9', 'Subject 8', 'Subject 7', 'Subject 6']);
    const last = fx.store.queries.pageAcross([fx.inbox.id, otherInbox.id], 10, 8, 4, {
      by: 'date',
      direction: 'desc',
    });
    expect(last.rows.map((row) => row.subject)).toEqual(['Subject 1', 'Subject 0']);
  });

  it('sorts by size ascending across accounts', () => {
    fx.store.transaction(() => {
      fx.store.messages.insert(newMessage(fx.inbox, 1, { size: 300 }));
      fx.store.messages.insert(newMessage(otherInbox, 2, { size: 100 }));
      fx.store.messages.insert(newMessage(fx.inbox, 3, { size: 200 }));
    });
    const page = fx.store.queries.pageAcross([fx.inbox.id, otherInbox.id], 3, 0, 10, {
      by: 'size',
      direction: 'asc',
    });
    expect(page.rows.map((row) => row.size)).toEqual([100, 200, 300]);
  });

  it('refuses a window outside the limits with a clear error', () => {
    expect(() => fx.store.queries.pageAcross([fx.inbox.id], 0, -1, 10)).toThrow(/cannot be shown/);
    expect(() => fx.store.queries.threadPage([fx.inbox.id], 0, 5000)).toThrow(/cannot be shown/);
  });
});

describe('the conversation view', () => {
  beforeEach(() => {
    fx.store.transaction(() => {
      // Thread A: three messages (one unread), thread B: one read message, newer than A.
      for (const n of [1, 2, 3]) {
        fx.store.messages.insert(
          newMessage(fx.inbox, n, { threadKey: 'id:a', flags: { ...NO_FLAGS, seen: n !== 2 } }),
        );
      }
      fx.store.messages.insert(
        newMessage(fx.inbox, 10, { threadKey: 'id:b', flags: { ...NO_FLAGS, seen: true } }),
      );
      // Another folder's message in thread A is not counted in the Inbox's view.
      fx.store.messages.insert(newMessage(fx.trash, 4, { threadKey: 'id:a' }));
    });
  });

  it('shows one row per thread, its newest message, with the thread size and unread count', () => {
    const page = fx.store.queries.threadPage([fx.inbox.id], 0, 10, { by: 'date', direction: 'desc' });
    expect(page.total).toBe(2);
    expect(page.rows.map((row) => [row.latest.subject, row.size, row.unread])).toEqual([
      ['Subject 10', 1, 0],
      ['Subject 3', 3, 1],
    ]);
  });

  it('lists every message of the threads of the given messages, oldest first, within the scope', () => {
    const page = fx.store.queries.threadPage([fx.inbox.id], 0, 10);
    const threadA = page.rows.find((row) => row.size === 3);
    const members = fx.store.queries.threadMembersOf([threadA!.latest.id], [fx.inbox.id]);
    expect(members.map((row) => row.subject)).toEqual(['Subject 1', 'Subject 2', 'Subject 3']);
  });
});
