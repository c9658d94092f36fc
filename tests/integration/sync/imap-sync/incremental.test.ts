// What another device does reaches this one: flag changes (CONDSTORE / QRESYNC), expunges, new
// mail, new and removed folders, a folder replaced under the same name (UIDVALIDITY change), and
// new mail pushed by IDLE with `mail.arrived`; rows of queued moves get their UID instead of a
// duplicate, and flags of messages with pending actions are not overwritten.
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_FLAGS } from '../../../../src-main/domain/flags';
import type { AccountId } from '../../../../src-main/domain/ids';
import type { ImapSession } from '../../../../src-main/protocols/imap';
import type { PendingServerActions } from '../../../../src-main/sync/engines/account-engine';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { buildTestMessage, deliverViaLmtp, seedMailbox } from '../../../support/seed-mailbox';
import {
  imapFlags,
  openImapSyncKit,
  otherDevice,
  serverMessages,
  statusOf,
  storedMessages,
  waitFor,
  type ImapSyncKit,
} from './imap-sync-kit';

const SEEDED = 120;
const PUSH_BOUND_MS = 15_000;

let servers: MailServers;
let device: ImapFlow;
let kit: ImapSyncKit;
/** Folder paths the fake queue says have actions waiting. */
const pendingPaths = new Set<string>();
const pending: PendingServerActions<ImapSession> = {
  replay: async () => undefined,
  pendingCount: () => pendingPaths.size,
  onQueued: () => () => undefined,
  hasPendingFor: (_accountId: AccountId, path: string) => pendingPaths.has(path),
};

function message(subject: string, messageId: string): Buffer {
  return buildTestMessage({
    from: 'Other Device <other@example.test>',
    to: servers.address('alice'),
    subject,
    text: `Body of ${subject}\r\n`,
    messageId,
  });
}

/** A row as a queued move leaves it: in the target folder, no body, no UID yet. */
function insertAwaitingUid(path: string, messageId: string) {
  return kit.store.messages.insert({
    accountId: kit.accountId,
    folderId: kit.folderId(path),
    messageIdHeader: messageId,
    subject: 'Moved here',
    from: null,
    to: [],
    cc: [],
    date: Date.now(),
    receivedAt: Date.now(),
    size: 10,
    flags: NO_FLAGS,
    hasAttachments: false,
    threadKey: `id:${messageId}`,
    snippet: '',
    emlPath: '',
    imapUid: null,
    parseState: 'ok',
  });
}

async function expectInboxEqual(): Promise<void> {
  expect(storedMessages(kit, 'INBOX')).toEqual(await serverMessages(device, 'INBOX'));
}

beforeAll(async () => {
  servers = await startMailServers();
  await seedMailbox(servers, 'alice', SEEDED, { extraFolders: true });
  device = await otherDevice(servers, 'alice');
  kit = await openImapSyncKit(servers, { pending });
  await kit.engines.checkNow(kit.accountId);
});

afterAll(async () => {
  await kit?.dispose();
  await device?.logout().catch(() => undefined);
  await servers?.stop();
});

describe('incremental sync', () => {
  it('brings flag changes, expunges and new mail made by another device', async () => {
    const lock = await device.getMailboxLock('INBOX');
    try {
      await device.messageFlagsAdd('1:10', ['\\Seen', '\\Flagged'], { uid: true });
      await device.messageFlagsRemove('11:20', ['\\Seen'], { uid: true });
      await device.messageFlagsAdd('21', ['Important'], { uid: true });
      await device.messageDelete('30:34', { uid: true });
    } finally {
      lock.release();
    }
    await device.append('INBOX', message('Fresh news', '<fresh-1@example.test>'), ['\\Seen']);
    await kit.engines.checkNow(kit.accountId);
    await expectInboxEqual();
    const rows = kit.rowsOf('INBOX');
    expect([30, 31, 32, 33, 34].some((uid) => rows.has(uid))).toBe(false);
    expect([...rows.values()].some((row) => row.messageIdHeader === 'fresh-1@example.test')).toBe(true);
  });

  it('adds a folder created by another device and removes one it deleted', async () => {
    await device.mailboxCreate('Projects');
    await device.append('Projects', message('Plan', '<plan-1@example.test>'));
    await device.mailboxDelete('Work/Reports');
    kit.events.length = 0;
    await kit.engines.checkNow(kit.accountId);
    expect(kit.store.folders.findByPath(kit.accountId, 'Projects')).not.toBeNull();
    expect(kit.store.folders.findByPath(kit.accountId, 'Work/Reports')).toBeNull();
    expect(storedMessages(kit, 'Projects')).toEqual(await serverMessages(device, 'Projects'));
    expect(kit.events.some((e) => e.event === 'folders.changed')).toBe(true);
  });

  it('gives a moved message waiting for its UID that UID instead of storing it twice', async () => {
    const waiting = insertAwaitingUid('Projects', 'moved-1@example.test');
    const appended = await device.append('Projects', message('Moved here', '<moved-1@example.test>'), [
      '\\Seen',
    ]);
    await kit.engines.checkNow(kit.accountId);
    const row = kit.store.messages.get(waiting);
    expect(row?.imapUid).toBe(appended && appended.uid);
    expect(storedMessages(kit, 'Projects')).toEqual(await serverMessages(device, 'Projects'));
  });

  it('resyncs a folder replaced under the same name (UIDVALIDITY changed) without losing queued rows', async () => {
    const before = kit.store.imapSync.folderState(kit.folderId('Archive')).uidValidity;
    const queued = insertAwaitingUid('Archive', 'again-1@example.test');
    await device.mailboxDelete('Archive');
    await device.mailboxCreate('Archive');
    await device.append('Archive', message('Archived again', '<again-1@example.test>'));
    await device.append('Archive', message('Archived twice', '<again-2@example.test>'), ['\\Flagged']);
    await kit.engines.checkNow(kit.accountId);
    const after = kit.store.imapSync.folderState(kit.folderId('Archive')).uidValidity;
    expect(after).not.toBe(before);
    expect(kit.store.messages.get(queued)?.imapUid).not.toBeNull();
    expect(storedMessages(kit, 'Archive')).toEqual(await serverMessages(device, 'Archive'));
  });

  it('leaves the local flags of a folder with pending actions alone until the replay', async () => {
    const rows = kit.rowsOf('INBOX');
    const target = rows.get(50);
    expect(target).toBeDefined();
    pendingPaths.add('INBOX');
    try {
      const lock = await device.getMailboxLock('INBOX');
      try {
        await device.messageFlagsAdd('50', ['\\Flagged'], { uid: true });
      } finally {
        lock.release();
      }
      await kit.engines.checkNow(kit.accountId);
      expect(kit.rowsOf('INBOX').get(50)?.flags.flagged).toBe(target?.flags.flagged);
    } finally {
      pendingPaths.delete('INBOX');
    }
    await kit.engines.checkNow(kit.accountId);
    expect(imapFlags(kit.rowsOf('INBOX').get(50)?.flags ?? NO_FLAGS)).toContain('\\Flagged');
  });

  it('shows mail delivered to the server by IDLE push, with mail.arrived and new counts', async () => {
    kit.events.length = 0;
    await deliverViaLmtp(servers, 'alice', message('Pushed', '<pushed-1@example.test>'));
    const inbox = kit.folderId('INBOX');
    await waitFor('mail.arrived for the Inbox', PUSH_BOUND_MS, () =>
      kit.events.some((e) => e.event === 'mail.arrived' && e.payload.folderId === inbox),
    ).catch((error) => {
      console.log('DEBUG', JSON.stringify(kit.events.map((e) => [e.event, e.payload])), statusOf(kit));
      throw error;
    });
    const arrived = kit.events.find((e) => e.event === 'mail.arrived');
    expect(arrived?.payload).toMatchObject({ accountId: kit.accountId, folderId: inbox, count: 1 });
    expect(kit.events.some((e) => e.event === 'counts.changed')).toBe(true);
    expect([...kit.rowsOf('INBOX').values()].some((r) => r.messageIdHeader === 'pushed-1@example.test')).toBe(
      true,
    );
    await expectInboxEqual();
  });
});
