// Actions made while the server is down wait in the store, survive a restart and reach the server
// in order when it is back; changes made by another device in between are resolved without an
// error and without losing a message; a crash after a command went out sends nothing twice.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailError } from '../../../../src-main/domain/errors';
import { MAX_REPLAY_ATTEMPTS } from '../../../../src-main/sync/imap-actions';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { rejectionOf } from '../../protocols/imap/imap-test-kit';
import { ImapActionsKit, rawMessage, subjects } from './imap-actions-kit';

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
  kit = await ImapActionsKit.open(servers, `offline${userCount}`);
});

afterEach(async () => {
  await servers.startDovecot().catch(() => undefined);
  await kit?.dispose();
});

/** Expunges a message as another device would: it is gone from the server behind our back. */
async function expungeElsewhere(path: string, uid: number): Promise<void> {
  const lock = await kit.device.getMailboxLock(path);
  try {
    await kit.device.messageDelete(String(uid), { uid: true });
  } finally {
    lock.release();
  }
}

describe('with the server stopped', () => {
  it('queues actions, keeps them across a restart, and replays them in order when it is back', async () => {
    const inbox = kit.folder('inbox');
    const [m1, m2, m3] = [await kit.synced(inbox, 1), await kit.synced(inbox, 2), await kit.synced(inbox, 3)];
    await kit.device.logout();
    await servers.stopDovecot();

    kit.messages.setFlags([m1], 'flagged', true);
    await kit.messages.move([m1], kit.folder('archive').id);
    await kit.messages.delete([m2], false);
    await kit.messages.delete([m2], false); // from Trash: for good
    const projects = kit.folders.create(kit.accountId, null, 'Projects').folder;
    await kit.messages.move([m3], projects.id);
    kit.folders.rename(projects.id, 'Work');
    // The store shows it all at once.
    expect(kit.store.messages.get(m3)?.folderId).toBe(projects.id);
    expect(kit.store.folders.get(projects.id)?.path).toBe('Work');

    const offline = await rejectionOf(kit.replay());
    expect(offline).toBeInstanceOf(MailError);
    expect((offline as MailError).retryable).toBe(true);
    expect(kit.queue.pendingCount(kit.accountId)).toBe(7);

    kit.restart();
    expect(kit.queue.pendingCount(kit.accountId)).toBe(7);
    await servers.startDovecot();
    await kit.reconnectDevice();
    await kit.replay();

    expect(kit.queue.pendingCount(kit.accountId)).toBe(0);
    expect(await kit.onServer('INBOX')).toEqual([]);
    const archive = await kit.onServer(kit.folder('archive').path);
    expect(archive.map((m) => [m.subject, m.flags])).toEqual([['Message 1', ['\\Flagged']]]);
    expect(await kit.onServer(kit.folder('trash').path)).toEqual([]);
    expect(subjects(await kit.onServer('Work'))).toEqual(['Message 3']);
    const folders = await kit.serverFolders();
    expect(folders).toContain('Work');
    expect(folders).not.toContain('Projects');
    expect(kit.store.messages.get(m3)?.imapUid).toBe((await kit.onServer('Work'))[0]!.uid);
  });

  it('stops a replay whose connection is lost and finishes it on the next session', async () => {
    const inbox = kit.folder('inbox');
    const ids = [await kit.synced(inbox, 1), await kit.synced(inbox, 2)];
    kit.messages.setFlags([ids[0]!], 'seen', true);
    kit.messages.setFlags([ids[1]!], 'seen', true);
    const session = await kit.connect();
    session.close(); // the connection dies before the replay sends anything
    await expect(kit.queue.replay(kit.accountId, session)).rejects.toBeInstanceOf(MailError);
    expect(kit.queue.pendingCount(kit.accountId)).toBe(2);
    expect(kit.store.pendingActions.next(kit.accountId)?.state).toBe('pending'); // nothing went out
    await kit.replay();
    expect((await kit.onServer('INBOX')).map((m) => m.flags)).toEqual([['\\Seen'], ['\\Seen']]);
  });
});

describe('conflicts with another device', () => {
  it('flags and deletes of a message deleted elsewhere finish quietly', async () => {
    const inbox = kit.folder('inbox');
    const [gone, kept] = [await kit.synced(inbox, 1), await kit.synced(inbox, 2)];
    await expungeElsewhere('INBOX', kit.store.messages.get(gone)!.imapUid!);
    kit.messages.setFlags([gone, kept], 'seen', true);
    await kit.messages.delete([gone], true);
    await kit.replay();
    expect(kit.queue.pendingCount(kit.accountId)).toBe(0);
    expect((await kit.onServer('INBOX')).map((m) => [m.subject, m.flags])).toEqual([
      ['Message 2', ['\\Seen']],
    ]);
  });

  it('a message moved here but deleted elsewhere reaches its new folder from the local copy', async () => {
    const id = await kit.synced(kit.folder('inbox'), 1);
    await expungeElsewhere('INBOX', kit.store.messages.get(id)!.imapUid!);
    await kit.messages.move([id], kit.folder('archive').id);
    await kit.replay();
    const archive = await kit.onServer(kit.folder('archive').path);
    expect(subjects(archive)).toEqual(['Message 1']);
    expect(kit.store.messages.get(id)?.imapUid).toBe(archive[0]!.uid);
  });

  it('a destination folder deleted elsewhere is made again for the move', async () => {
    const folder = kit.folders.create(kit.accountId, null, 'Later').folder;
    await kit.replay();
    await kit.device.mailboxDelete('Later');
    const id = await kit.synced(kit.folder('inbox'), 1);
    await kit.messages.move([id], folder.id);
    await kit.replay();
    expect(subjects(await kit.onServer('Later'))).toEqual(['Message 1']);
  });

  it('a folder renamed or deleted elsewhere first still ends as asked here', async () => {
    const a = kit.folders.create(kit.accountId, null, 'A').folder;
    const b = kit.folders.create(kit.accountId, null, 'B').folder;
    await kit.replay();
    await kit.device.mailboxDelete('A');
    await kit.device.mailboxDelete('B');
    kit.folders.rename(a.id, 'A2');
    await kit.folders.delete(b.id);
    await kit.replay();
    const folders = await kit.serverFolders();
    expect(folders).toContain('A2');
    expect(folders).not.toContain('B');
    expect(kit.queue.pendingCount(kit.accountId)).toBe(0);
  });

  it('a UID queued before its folder was replaced on the server touches nothing there now', async () => {
    const folder = kit.folders.create(kit.accountId, null, 'Box').folder;
    await kit.replay();
    const status = await kit.device.status('Box', { uidValidity: true });
    kit.store.imapSync.saveFolderState(folder.id, {
      uidValidity: (status && status.uidValidity) || null,
      uidNext: null,
      highestModseq: null,
    });
    const ours = await kit.synced(kit.store.folders.get(folder.id)!, 1);
    const uid = kit.store.messages.get(ours)!.imapUid!;
    kit.messages.setFlags([ours], 'flagged', true);
    await kit.messages.delete([ours], true);
    // Another device replaces the folder: new UIDVALIDITY, and the same UID names another message.
    await kit.device.mailboxDelete('Box');
    await kit.device.mailboxCreate('Box');
    const other = await kit.device.append('Box', rawMessage(kit.user, 2));
    expect(other && other.uid).toBe(uid);
    await kit.replay();
    expect(kit.queue.pendingCount(kit.accountId)).toBe(0);
    expect((await kit.onServer('Box')).map((m) => [m.subject, m.flags])).toEqual([['Message 2', []]]);
  });

  it('after a crash between sending a move and recording it, the replay adds no second copy', async () => {
    const id = await kit.synced(kit.folder('inbox'), 1);
    const uid = kit.store.messages.get(id)!.imapUid!;
    await kit.messages.move([id], kit.folder('archive').id);
    const action = kit.store.pendingActions.next(kit.accountId)!;
    kit.store.pendingActions.markSending(action.id);
    // The MOVE reached the server, then the app died before it could record the answer.
    const lock = await kit.device.getMailboxLock('INBOX');
    try {
      await kit.device.messageMove(String(uid), kit.folder('archive').path, { uid: true });
    } finally {
      lock.release();
    }
    kit.restart();
    await kit.replay();
    const archive = await kit.onServer(kit.folder('archive').path);
    expect(subjects(archive)).toEqual(['Message 1']);
    expect(kit.store.messages.get(id)?.imapUid).toBe(archive[0]!.uid);
  });
});

describe('an action the server refuses', () => {
  it('is tried on a few sessions, then set aside so the actions after it still go out', async () => {
    const id = await kit.synced(kit.folder('inbox'), 1);
    // Longer than any file system allows for one folder name: Dovecot refuses to CREATE it.
    kit.folders.create(kit.accountId, null, 'x'.repeat(300));
    kit.messages.setFlags([id], 'seen', true);
    for (let attempt = 1; attempt < MAX_REPLAY_ATTEMPTS; attempt++) {
      const refusal = await rejectionOf(kit.replay());
      expect(refusal).toMatchObject({ code: 'SERVER_REJECTED' });
      expect(kit.queue.pendingCount(kit.accountId)).toBe(2);
    }
    await kit.replay();
    expect(kit.queue.pendingCount(kit.accountId)).toBe(0);
    const [failed] = kit.store.pendingActions.list(kit.accountId);
    expect(failed).toMatchObject({ kind: 'folder_create', state: 'failed', attempts: MAX_REPLAY_ATTEMPTS });
    expect(failed!.lastError).toMatch(/SERVER_REJECTED/);
    expect((await kit.onServer('INBOX')).map((m) => m.flags)).toEqual([['\\Seen']]);
  });
});
