// The IMAP action queue against real Dovecot: every action on one message and on a selection
// reaches the server (checked by another device), new UIDs come back from COPYUID, chained
// actions made before any replay end right, and a second replay sends nothing twice.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { ImapActionsKit, subjects } from './imap-actions-kit';

let servers: MailServers;
let kit: ImapActionsKit;
let userCount = 0;

beforeAll(async () => {
  servers = await startMailServers();
});

afterAll(async () => {
  await servers?.stop();
});

beforeEach(async () => {
  userCount += 1;
  kit = await ImapActionsKit.open(servers, `replay${userCount}`);
});

afterEach(async () => {
  await kit?.dispose();
});

describe('IMAP actions replayed to the server', () => {
  it('sets and clears flags on one message and on a selection', async () => {
    const inbox = kit.folder('inbox');
    const [a, b, c] = [await kit.synced(inbox, 1), await kit.synced(inbox, 2), await kit.synced(inbox, 3)];
    kit.messages.setFlags([a], 'seen', true);
    kit.messages.setFlags([a, b, c], 'flagged', true);
    kit.messages.setFlags([c], 'flagged', false);
    kit.messages.setFlags([b], 'forwarded', true);
    expect(kit.queue.pendingCount(kit.accountId)).toBe(4);
    await kit.replay();
    expect(kit.queue.pendingCount(kit.accountId)).toBe(0);
    const server = await kit.onServer('INBOX');
    expect(server.map((m) => [m.subject, m.flags])).toEqual([
      ['Message 1', ['\\Flagged', '\\Seen']],
      ['Message 2', ['$Forwarded', '\\Flagged']],
      ['Message 3', []],
    ]);
  });

  it('moves one message and a selection, and learns their new UIDs from COPYUID', async () => {
    const inbox = kit.folder('inbox');
    const ids = [await kit.synced(inbox, 1), await kit.synced(inbox, 2), await kit.synced(inbox, 3)];
    await kit.messages.move([ids[0]!], kit.folder('archive').id);
    await kit.messages.move([ids[1]!, ids[2]!], kit.folder('junk').id);
    await kit.replay();
    expect(await kit.onServer('INBOX')).toEqual([]);
    const archived = await kit.onServer(kit.folder('archive').path);
    const junk = await kit.onServer(kit.folder('junk').path);
    expect(subjects(archived)).toEqual(['Message 1']);
    expect(subjects(junk)).toEqual(['Message 2', 'Message 3']);
    expect(kit.store.messages.get(ids[0]!)?.imapUid).toBe(archived[0]!.uid);
    expect(new Set(ids.slice(1).map((id) => kit.store.messages.get(id)?.imapUid))).toEqual(
      new Set(junk.map((m) => m.uid)),
    );
  });

  it('copies within the account: both folders have it, the copy row gets its UID', async () => {
    const inbox = kit.folder('inbox');
    const id = await kit.synced(inbox, 1);
    await kit.messages.copy([id], kit.folder('archive').id);
    await kit.replay();
    expect(subjects(await kit.onServer('INBOX'))).toEqual(['Message 1']);
    const archived = await kit.onServer(kit.folder('archive').path);
    expect(subjects(archived)).toEqual(['Message 1']);
    const copy = kit.store.messages.page(kit.folder('archive').id, 0, 5).rows[0]!;
    expect(kit.store.messages.get(copy.id)?.imapUid).toBe(archived[0]!.uid);
  });

  it('deletes to Trash, then from Trash for good (\\Deleted + UID EXPUNGE), and empties Trash', async () => {
    const inbox = kit.folder('inbox');
    const trash = kit.folder('trash');
    const ids = [await kit.synced(inbox, 1), await kit.synced(inbox, 2), await kit.synced(inbox, 3)];
    await kit.messages.delete(ids, false);
    await kit.replay();
    expect(subjects(await kit.onServer(trash.path))).toEqual(['Message 1', 'Message 2', 'Message 3']);
    await kit.messages.delete([ids[0]!], false); // from Trash: for good
    await kit.replay();
    expect(subjects(await kit.onServer(trash.path))).toEqual(['Message 2', 'Message 3']);
    await kit.messages.empty(trash.id);
    await kit.replay();
    expect(await kit.onServer(trash.path)).toEqual([]);
    expect(await kit.onServer('INBOX')).toEqual([]);
  });

  it('archives into the server Archive folder', async () => {
    const id = await kit.synced(kit.folder('inbox'), 1);
    await kit.messages.archive([id]);
    await kit.replay();
    expect(subjects(await kit.onServer(kit.folder('archive').path))).toEqual(['Message 1']);
  });

  it('replays a chain made before any replay: move, flag, move again, flag', async () => {
    const id = await kit.synced(kit.folder('inbox'), 1);
    await kit.messages.move([id], kit.folder('archive').id);
    kit.messages.setFlags([id], 'flagged', true);
    await kit.messages.move([id], kit.folder('junk').id);
    kit.messages.setFlags([id], 'seen', true);
    await kit.replay();
    expect(await kit.onServer('INBOX')).toEqual([]);
    expect(await kit.onServer(kit.folder('archive').path)).toEqual([]);
    const junk = await kit.onServer(kit.folder('junk').path);
    expect(junk.map((m) => [m.subject, m.flags])).toEqual([['Message 1', ['\\Flagged', '\\Seen']]]);
    expect(kit.store.messages.get(id)?.imapUid).toBe(junk[0]!.uid);
  });

  it('appends a message copied or moved in from Local Folders, and expunges one moved out', async () => {
    const localInbox = kit.store.folders.findByRole(kit.localAccountId, 'inbox')!;
    const localId = await kit.storeLocally(localInbox, 7);
    await kit.messages.move([localId], kit.folder('inbox').id);
    const leaving = await kit.synced(kit.folder('inbox'), 8);
    await kit.messages.move([leaving], localInbox.id);
    await kit.replay();
    const inbox = await kit.onServer('INBOX');
    expect(subjects(inbox)).toEqual(['Message 7']);
    const row = kit.store.messages.page(kit.folder('inbox').id, 0, 5).rows[0]!;
    expect(kit.store.messages.get(row.id)?.imapUid).toBe(inbox[0]!.uid);
    expect(kit.store.messages.page(localInbox.id, 0, 5).rows.map((m) => m.subject)).toEqual(['Message 8']);
  });

  it('sends nothing twice: a second replay finds the queue empty and the server unchanged', async () => {
    const id = await kit.synced(kit.folder('inbox'), 1);
    await kit.messages.copy([id], kit.folder('archive').id);
    await kit.replay();
    await kit.replay();
    expect(subjects(await kit.onServer(kit.folder('archive').path))).toEqual(['Message 1']);
  });
});
