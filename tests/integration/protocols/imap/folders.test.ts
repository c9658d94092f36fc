// The folder tree against real Dovecot: special-use roles, hierarchy, STATUS, and create / rename /
// delete as another device sees them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailError } from '../../../../src-main/domain/errors';
import {
  createFolder,
  deleteFolder,
  folderStatus,
  listFolders,
  renameFolder,
  type ImapSession,
  type RemoteFolder,
} from '../../../../src-main/protocols/imap';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { buildTestMessage, deliverViaLmtp } from '../../../support/seed-mailbox';
import { connectAs, rejectionOf } from './imap-test-kit';

let servers: MailServers;
let session: ImapSession;

beforeAll(async () => {
  servers = await startMailServers();
  session = await connectAs(servers, 'alice');
});

afterAll(async () => {
  await session?.logout();
  await servers?.stop();
});

const byPath = (folders: RemoteFolder[], path: string): RemoteFolder | undefined =>
  folders.find((folder) => folder.path === path);

describe('listFolders', () => {
  it('gives every special-use folder its role, from the server', async () => {
    const folders = await listFolders(session);
    const roles = Object.fromEntries(folders.filter((f) => f.role !== null).map((f) => [f.role, f.path]));
    expect(roles).toEqual({
      inbox: 'INBOX',
      drafts: 'Drafts',
      sent: 'Sent',
      trash: 'Trash',
      junk: 'Junk',
      archive: 'Archive',
    });
    expect(byPath(folders, 'Sent')).toMatchObject({
      name: 'Sent',
      delimiter: '/',
      parentPath: '',
      subscribed: true,
      noSelect: false,
    });
  });
});

describe('folder changes', () => {
  it('creates a nested folder, renames its parent with the child inside, and deletes both', async () => {
    await expect(createFolder(session, 'Work')).resolves.toEqual({ path: 'Work', created: true });
    await expect(createFolder(session, 'Work/Reports')).resolves.toEqual({
      path: 'Work/Reports',
      created: true,
    });
    await expect(createFolder(session, 'Work')).resolves.toEqual({ path: 'Work', created: false });

    let folders = await listFolders(session);
    expect(byPath(folders, 'Work/Reports')).toMatchObject({
      name: 'Reports',
      parentPath: 'Work',
      role: null,
    });

    await expect(renameFolder(session, 'Work', 'Projects')).resolves.toBe('Projects');
    folders = await listFolders(session);
    expect(byPath(folders, 'Work')).toBeUndefined();
    expect(byPath(folders, 'Work/Reports')).toBeUndefined();
    expect(byPath(folders, 'Projects/Reports')).toMatchObject({ name: 'Reports', parentPath: 'Projects' });

    await deleteFolder(session, 'Projects/Reports');
    await deleteFolder(session, 'Projects');
    folders = await listFolders(session);
    expect(folders.some((folder) => folder.path.startsWith('Projects'))).toBe(false);
  });

  it('reports a missing folder as NOT_FOUND', async () => {
    const error = (await rejectionOf(deleteFolder(session, 'No such folder'))) as MailError;
    expect(error.code).toBe('NOT_FOUND'); // Dovecot answers NO [NONEXISTENT] (RFC 5530)
    expect(error.detail).toMatch(/not exist|no such/i);
    const status = await rejectionOf(folderStatus(session, 'No such folder'));
    expect((status as MailError).code).toBe('NOT_FOUND');
  });

  it('refuses to rename or delete the Inbox', async () => {
    expect(((await rejectionOf(renameFolder(session, 'INBOX', 'Old'))) as MailError).code).toBe(
      'BAD_REQUEST',
    );
    expect(((await rejectionOf(deleteFolder(session, 'inbox'))) as MailError).code).toBe('BAD_REQUEST');
  });
});

describe('folderStatus', () => {
  it('counts messages and unseen, and reports UIDNEXT, UIDVALIDITY and HIGHESTMODSEQ', async () => {
    const before = await folderStatus(session, 'INBOX');
    for (const subject of ['one', 'two']) {
      const raw = buildTestMessage({
        from: 'bob@example.test',
        to: 'alice@example.test',
        subject,
        text: subject,
      });
      await deliverViaLmtp(servers, 'alice', raw);
    }
    const after = await folderStatus(session, 'INBOX');
    expect(after.messages).toBe(before.messages + 2);
    expect(after.unseen).toBe(before.unseen + 2);
    expect(after.uidNext).toBe(before.uidNext + 2);
    expect(after.uidValidity).toBe(before.uidValidity);
    expect(after.highestModseq).not.toBeNull();
    expect(after.highestModseq ?? 0n).toBeGreaterThan(before.highestModseq ?? 0n);
  });
});
