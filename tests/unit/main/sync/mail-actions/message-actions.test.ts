import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import type { Account } from '../../../../../src-main/domain/account';
import type { MessageId } from '../../../../../src-main/domain/ids';
import { openMailActionsKit, type MailActionsKit } from './mail-actions-kit';

let kit: MailActionsKit;

beforeEach(async () => {
  kit = await openMailActionsKit();
});

afterEach(async () => {
  await kit.dispose();
});

const counts = (folderId: number) => kit.store.messages.countsFor([folderId as never]).get(folderId as never);
const fileOf = (id: MessageId) => kit.store.emlFiles.absolutePath(kit.store.messages.get(id)!.emlPath);

describe.each([
  ['Local Folders', (k: MailActionsKit): Account => k.local],
  ['POP3', (k: MailActionsKit): Account => k.pop3],
])('message actions in a %s account', (_kind, accountOf) => {
  it('moves one message and a selection to another folder, keeping the .eml where it is', async () => {
    const account = accountOf(kit);
    const inbox = kit.folder(account.id, 'inbox');
    const sent = kit.folder(account.id, 'sent');
    const ids = [await kit.add(inbox, 1), await kit.add(inbox, 2), await kit.add(inbox, 3)];
    const pathBefore = kit.store.messages.get(ids[0]!)!.emlPath;

    expect((await kit.messages.move([ids[0]!], sent.id)).count).toBe(1);
    expect((await kit.messages.move(ids, sent.id)).count).toBe(2); // one was there already
    for (const id of ids) expect(kit.store.messages.get(id)?.folderId).toBe(sent.id);
    expect(kit.store.messages.get(ids[0]!)!.emlPath).toBe(pathBefore);
    expect(counts(inbox.id)).toEqual({ total: 0, unread: 0 });
    expect(counts(sent.id)).toEqual({ total: 3, unread: 3 });
    expect(kit.store.pendingActions.count(account.id)).toBe(0);
  });

  it('copies into a new row with its own .eml file of the same bytes, found by search', async () => {
    const account = accountOf(kit);
    const inbox = kit.folder(account.id, 'inbox');
    const drafts = kit.folder(account.id, 'drafts');
    const id = await kit.add(inbox, 7);
    const outcome = await kit.messages.copy([id], drafts.id);
    expect(outcome.count).toBe(1);
    const page = kit.store.messages.page(drafts.id, 0, 10);
    expect(page.total).toBe(1);
    const copy = kit.store.messages.get(page.rows[0]!.id)!;
    expect(copy.id).not.toBe(id);
    expect(copy.emlPath).not.toBe(kit.store.messages.get(id)!.emlPath);
    expect(await kit.store.emlFiles.read(copy.emlPath)).toEqual(kit.raw(7));
    expect(copy.pop3Uidl).toBeNull();
    expect(kit.store.search.search('zebra7', { folderId: drafts.id }).map((m) => m.id)).toEqual([copy.id]);
    // The copy and the original live apart: deleting one leaves the other whole.
    await kit.messages.delete([copy.id], true);
    expect(existsSync(fileOf(id))).toBe(true);
  });

  it('deletes to Trash, and from Trash for good with its file', async () => {
    const account = accountOf(kit);
    const inbox = kit.folder(account.id, 'inbox');
    const trash = kit.folder(account.id, 'trash');
    const ids = [await kit.add(inbox, 1), await kit.add(inbox, 2)];
    const file = fileOf(ids[0]!);

    expect((await kit.messages.delete(ids, false)).folderIds).toEqual(
      [inbox.id, trash.id].sort((a, b) => a - b),
    );
    expect(counts(trash.id)?.total).toBe(2);
    expect(existsSync(file)).toBe(true);

    await kit.messages.delete([ids[0]!], false);
    expect(kit.store.messages.get(ids[0]!)).toBeNull();
    expect(existsSync(file)).toBe(false);
    expect(kit.store.search.search('zebra1')).toEqual([]);
    expect(counts(trash.id)?.total).toBe(1);
  });

  it('deletes for good at once when asked permanently', async () => {
    const inbox = kit.folder(accountOf(kit).id, 'inbox');
    const id = await kit.add(inbox, 4);
    await kit.messages.delete([id], true);
    expect(kit.store.messages.get(id)).toBeNull();
    expect(counts(inbox.id)?.total).toBe(0);
  });

  it('archives into an Archive folder it creates when the account has none', async () => {
    const account = accountOf(kit);
    const inbox = kit.folder(account.id, 'inbox');
    const ids = [await kit.add(inbox, 1), await kit.add(inbox, 2)];
    const outcome = await kit.messages.archive(ids);
    const archive = kit.store.folders.findByRole(account.id, 'archive');
    expect(archive?.name).toBe('Archive');
    expect(outcome.treeChanged).toEqual([account.id]);
    expect(counts(archive!.id)?.total).toBe(2);
    // The second time, the same folder.
    const third = await kit.add(inbox, 3);
    expect((await kit.messages.archive([third])).treeChanged).toEqual([]);
    expect(kit.store.folders.list(account.id).filter((f) => f.role === 'archive')).toHaveLength(1);
  });

  it('empties Trash for good, and refuses to empty an ordinary folder', async () => {
    const account = accountOf(kit);
    const trash = kit.folder(account.id, 'trash');
    const ids = [await kit.add(trash, 1), await kit.add(trash, 2)];
    const files = ids.map(fileOf);
    expect((await kit.messages.empty(trash.id)).count).toBe(2);
    expect(counts(trash.id)).toEqual({ total: 0, unread: 0 });
    for (const file of files) expect(existsSync(file)).toBe(false);
    await expect(kit.messages.empty(kit.folder(account.id, 'inbox').id)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('sets flags on a selection and keeps the unread count right', async () => {
    const inbox = kit.folder(accountOf(kit).id, 'inbox');
    const ids = [await kit.add(inbox, 1), await kit.add(inbox, 2, { seen: true })];
    expect(kit.messages.setFlags(ids, 'seen', true).count).toBe(1);
    expect(counts(inbox.id)?.unread).toBe(0);
    expect(kit.messages.setFlags(ids, 'flagged', true).count).toBe(2);
  });
});

describe('moves between accounts', () => {
  it('copies to the other account, then removes the original for good', async () => {
    const from = kit.folder(kit.local.id, 'inbox');
    const to = kit.folder(kit.pop3.id, 'inbox');
    const id = await kit.add(from, 5);
    const oldFile = fileOf(id);
    expect((await kit.messages.move([id], to.id)).count).toBe(1);
    expect(kit.store.messages.get(id)).toBeNull();
    expect(existsSync(oldFile)).toBe(false);
    const moved = kit.store.messages.page(to.id, 0, 10).rows;
    expect(moved.map((m) => m.subject)).toEqual(['Message number 5 kumquat5']);
    expect(moved[0]!.accountId).toBe(kit.pop3.id);
  });

  it('queues an APPEND when the destination is an IMAP folder', async () => {
    const id = await kit.add(kit.folder(kit.local.id, 'inbox'), 6);
    const imapInbox = kit.folder(kit.imap.id, 'inbox');
    await kit.messages.copy([id], imapInbox.id);
    const [action] = kit.store.pendingActions.list(kit.imap.id);
    const copyId = kit.store.messages.page(imapInbox.id, 0, 1).rows[0]!.id;
    expect(action).toMatchObject({ kind: 'append', params: { destination: 'INBOX' } });
    expect(action!.messages).toEqual([
      { messageId: copyId, folderPath: 'INBOX', uid: null, targetMessageId: copyId, uidValidity: null },
    ]);
  });
});

describe('POP3 "delete from server when I delete it here"', () => {
  it('records the message as deleted here when it goes to Trash, and when deleted for good', async () => {
    const inbox = kit.folder(kit.pop3.id, 'inbox');
    const toTrash = await kit.add(inbox, 1, { pop3Uidl: 'uidl-1' });
    const forGood = await kit.add(inbox, 2, { pop3Uidl: 'uidl-2' });
    const emptied = await kit.add(inbox, 3, { pop3Uidl: 'uidl-3' });
    await kit.messages.delete([toTrash], false);
    await kit.messages.delete([forGood], true);
    await kit.messages.move([emptied], kit.folder(kit.pop3.id, 'trash').id);
    expect(kit.store.pop3Uidls.entries(kit.pop3.id).get('uidl-3')?.state).toBe('downloaded');
    await kit.messages.empty(kit.folder(kit.pop3.id, 'trash').id);
    const ledger = kit.store.pop3Uidls.entries(kit.pop3.id);
    expect(ledger.get('uidl-1')?.state).toBe('deleted_here');
    expect(ledger.get('uidl-2')).toMatchObject({ state: 'deleted_here', messageId: null });
    expect(ledger.get('uidl-3')).toMatchObject({ state: 'deleted_here', messageId: null });
  });

  it('moving within the account does not count as deleting', async () => {
    const id = await kit.add(kit.folder(kit.pop3.id, 'inbox'), 1, { pop3Uidl: 'u' });
    await kit.messages.move([id], kit.folder(kit.pop3.id, 'sent').id);
    expect(kit.store.pop3Uidls.entries(kit.pop3.id).get('u')?.state).toBe('downloaded');
  });
});

describe('IMAP accounts: the store changes at once and the server change is queued', () => {
  it('queues a move with where each message was and clears its UID in the new folder', async () => {
    const inbox = kit.folder(kit.imap.id, 'inbox');
    const sent = kit.folder(kit.imap.id, 'sent');
    const a = await kit.add(inbox, 1, { imapUid: 11 });
    const b = await kit.add(inbox, 2, { imapUid: 12 });
    await kit.messages.move([a, b], sent.id);
    expect(kit.store.messages.get(a)).toMatchObject({ folderId: sent.id, imapUid: null });
    const [action] = kit.store.pendingActions.list(kit.imap.id);
    expect(action).toMatchObject({ kind: 'move', params: { destination: 'Sent' }, state: 'pending' });
    expect(action!.messages).toEqual([
      { messageId: a, folderPath: 'INBOX', uid: 11, targetMessageId: a, uidValidity: null },
      { messageId: b, folderPath: 'INBOX', uid: 12, targetMessageId: b, uidValidity: null },
    ]);
    expect(kit.queue.pendingCount(kit.imap.id)).toBe(1);
    expect(kit.queue.pendingMessageIds(kit.imap.id)).toEqual(new Set([a, b]));
    expect(kit.queue.hasPendingFor(kit.imap.id, 'Sent')).toBe(true);
    expect(kit.queue.hasPendingFor(kit.imap.id, 'INBOX')).toBe(true);
    expect(kit.queue.hasPendingFor(kit.imap.id, 'Other')).toBe(false);
  });

  it('queues flag changes only for messages whose flag changed, and tells the engine', async () => {
    const inbox = kit.folder(kit.imap.id, 'inbox');
    const unread = await kit.add(inbox, 1, { imapUid: 1 });
    const read = await kit.add(inbox, 2, { imapUid: 2, seen: true });
    const told: number[] = [];
    kit.queue.onQueued((accountId) => told.push(accountId));
    kit.messages.setFlags([unread, read], 'seen', true);
    const [action] = kit.store.pendingActions.list(kit.imap.id);
    expect(action).toMatchObject({ kind: 'flags', params: { flag: 'seen', value: true } });
    expect(action!.messages.map((m) => m.messageId)).toEqual([unread]);
    expect(told).toEqual([kit.imap.id]);
  });

  it('deletes from Trash for good with an expunge that outlives the row, and keeps it across a restart', async () => {
    const inbox = kit.folder(kit.imap.id, 'inbox');
    const id = await kit.add(inbox, 1, { imapUid: 5 });
    await kit.messages.delete([id], false); // to Trash: a move
    await kit.messages.delete([id], false); // from Trash: for good
    expect(kit.store.messages.get(id)).toBeNull();
    kit.reopen();
    const actions = kit.store.pendingActions.list(kit.imap.id);
    expect(actions.map((a) => a.kind)).toEqual(['move', 'expunge']);
    expect(actions[1]!.messages).toEqual([
      { messageId: id, folderPath: 'Trash', uid: null, targetMessageId: null, uidValidity: null },
    ]);
  });

  it('creates Trash on the server too when the account has none', async () => {
    const trash = kit.folder(kit.imap.id, 'trash');
    kit.store.transaction(() => kit.store.mailActions.deleteFolders([trash.id]));
    const id = await kit.add(kit.folder(kit.imap.id, 'inbox'), 1, { imapUid: 1 });
    await kit.messages.delete([id], false);
    expect(kit.store.pendingActions.list(kit.imap.id).map((a) => [a.kind, a.params])).toEqual([
      ['folder_create', { path: 'Trash' }],
      ['move', { destination: 'Trash' }],
    ]);
  });

  it('refuses to copy a message known only by its headers to another account', async () => {
    const inbox = kit.folder(kit.imap.id, 'inbox');
    const id = await kit.add(inbox, 1, { imapUid: 1 });
    kit.store.transaction(() =>
      kit.store.messages.replaceContent(id, { ...kit.store.messages.get(id)!, emlPath: '' }),
    );
    const error = await kit.messages
      .copy([id], kit.folder(kit.local.id, 'inbox').id)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST' });
    // Within its own account the server has the body: the copy is queued.
    await kit.messages.copy([id], kit.folder(kit.imap.id, 'sent').id);
    expect(kit.store.pendingActions.list(kit.imap.id).map((a) => a.kind)).toEqual(['copy']);
  });
});
