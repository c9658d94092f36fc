import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageId } from '../../../../../src-main/domain/ids';
import { DATABASE_FILE } from '../../../../../src-main/store/mail-store';
import { openMailActionsKit, type MailActionsKit } from './mail-actions-kit';

let kit: MailActionsKit;

beforeEach(async () => {
  kit = await openMailActionsKit();
});

afterEach(async () => {
  await kit.dispose();
});

describe('the pending actions queue (migration 004)', () => {
  it('hands a UID learned by a move to later actions on that message, up to its next move', async () => {
    const inbox = kit.folder(kit.imap.id, 'inbox');
    const sent = kit.folder(kit.imap.id, 'sent');
    const trash = kit.folder(kit.imap.id, 'trash');
    const id = await kit.add(inbox, 1, { imapUid: 40 });
    await kit.messages.move([id], sent.id); // 1: INBOX/40 -> Sent
    kit.messages.setFlags([id], 'flagged', true); // 2: in Sent, UID unknown yet
    await kit.messages.move([id], trash.id); // 3: Sent -> Trash
    kit.messages.setFlags([id], 'seen', true); // 4: in Trash, UID unknown yet
    const [move1, flag2, move3, flag4] = kit.store.pendingActions.list(kit.imap.id);
    expect(flag2!.messages[0]!.uid).toBeNull();

    kit.store.pendingActions.complete(move1!, [{ messageId: id, uid: 7 }]);
    const after = kit.store.pendingActions.list(kit.imap.id);
    expect(after.map((a) => a.id)).toEqual([flag2!.id, move3!.id, flag4!.id]);
    expect(after[0]!.messages[0]).toMatchObject({ folderPath: 'Sent', uid: 7 });
    expect(after[1]!.messages[0]).toMatchObject({ folderPath: 'Sent', uid: 7 });
    expect(after[2]!.messages[0]).toMatchObject({ folderPath: 'Trash', uid: null });
    // The row is in Trash now: a Sent UID must not be written on it.
    expect(kit.store.messages.get(id)?.imapUid).toBeNull();

    kit.store.pendingActions.complete(after[0]!, []);
    kit.store.pendingActions.complete(after[1]!, [{ messageId: id, uid: 3 }]);
    expect(kit.store.pendingActions.list(kit.imap.id)[0]!.messages[0]).toMatchObject({
      folderPath: 'Trash',
      uid: 3,
    });
    expect(kit.store.messages.get(id)?.imapUid).toBe(3);
  });

  it('uses a UID the sync engine put on the row when the item has none', async () => {
    const id = await kit.add(kit.folder(kit.imap.id, 'inbox'), 1, { imapUid: 9 });
    await kit.messages.move([id], kit.folder(kit.imap.id, 'sent').id);
    kit.messages.setFlags([id], 'seen', true);
    // The move is done, but its server gave no COPYUID.
    kit.store.pendingActions.complete(kit.store.pendingActions.list(kit.imap.id)[0]!, []);
    expect(kit.store.pendingActions.next(kit.imap.id)!.messages[0]!.uid).toBeNull();
    // The sync matched the server message by Message-ID and stored its UID on the row.
    setUid(id, 21);
    expect(kit.store.pendingActions.next(kit.imap.id)!.messages[0]!.uid).toBe(21);
  });

  it('counts refused actions until it gives up on them, and keeps them for diagnosis', async () => {
    const id = await kit.add(kit.folder(kit.imap.id, 'inbox'), 1, { imapUid: 9 });
    kit.messages.setFlags([id], 'seen', true);
    const action = kit.store.pendingActions.next(kit.imap.id)!;
    kit.store.pendingActions.markSending(action.id);
    expect(kit.store.pendingActions.next(kit.imap.id)?.state).toBe('sending');
    kit.store.pendingActions.recordFailure(action.id, 'SERVER_REJECTED: no', false);
    expect(kit.store.pendingActions.next(kit.imap.id)).toMatchObject({ state: 'pending', attempts: 1 });
    kit.store.pendingActions.recordFailure(action.id, 'SERVER_REJECTED: no', true);
    expect(kit.store.pendingActions.next(kit.imap.id)).toBeNull();
    expect(kit.store.pendingActions.count(kit.imap.id)).toBe(0);
    expect(kit.store.pendingActions.list(kit.imap.id)[0]).toMatchObject({ state: 'failed', attempts: 2 });
  });

  it('goes with its account', async () => {
    const id = await kit.add(kit.folder(kit.imap.id, 'inbox'), 1, { imapUid: 9 });
    kit.messages.setFlags([id], 'seen', true);
    kit.store.accounts.remove(kit.imap.id);
    expect(kit.store.pendingActions.list(kit.imap.id)).toEqual([]);
  });
});

/** Another connection to the same database, as the sync engine would write it. */
function setUid(id: MessageId, uid: number): void {
  const db = new Database(path.join(kit.dir.path, DATABASE_FILE));
  try {
    db.prepare('UPDATE messages SET imap_uid = ? WHERE id = ?').run(uid, id);
  } finally {
    db.close();
  }
}
