// Folder create, rename (children follow) and delete (with children and messages) made here reach
// the server, as another device lists it.
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
  kit = await ImapActionsKit.open(servers, `folders${userCount}`);
});

afterEach(async () => {
  await kit?.dispose();
});

describe('IMAP folder actions on the server', () => {
  it('creates a folder and a subfolder with the server delimiter', async () => {
    const work = kit.folders.create(kit.accountId, null, 'Work').folder;
    const reports = kit.folders.create(kit.accountId, work.id, 'Reports').folder;
    await kit.replay();
    const folders = await kit.serverFolders();
    expect(folders).toEqual(expect.arrayContaining(['Work', reports.path]));
    expect(reports.path).toBe(`Work${work.delimiter}Reports`);
  });

  it('renames a folder with its children and their messages', async () => {
    const work = kit.folders.create(kit.accountId, null, 'Work').folder;
    const reports = kit.folders.create(kit.accountId, work.id, 'Reports').folder;
    await kit.replay();
    const id = await kit.synced(kit.store.folders.get(reports.id)!, 1);
    kit.folders.rename(work.id, 'Job');
    const d = work.delimiter;
    expect(kit.store.folders.get(reports.id)?.path).toBe(`Job${d}Reports`);
    // Acting on a message of the renamed child before the replay uses its new path.
    kit.messages.setFlags([id], 'flagged', true);
    await kit.replay();
    const folders = await kit.serverFolders();
    expect(folders).toEqual(expect.arrayContaining(['Job', `Job${d}Reports`]));
    expect(folders).not.toContain('Work');
    expect(folders).not.toContain(`Work${d}Reports`);
    const moved = await kit.onServer(`Job${d}Reports`);
    expect(moved.map((m) => [m.subject, m.flags])).toEqual([['Message 1', ['\\Flagged']]]);
  });

  it('deletes a folder with its subfolders and their messages', async () => {
    const work = kit.folders.create(kit.accountId, null, 'Work').folder;
    const reports = kit.folders.create(kit.accountId, work.id, 'Reports').folder;
    await kit.replay();
    await kit.synced(kit.store.folders.get(reports.id)!, 1);
    await kit.synced(kit.store.folders.get(work.id)!, 2);
    await kit.folders.delete(work.id);
    await kit.replay();
    const folders = await kit.serverFolders();
    expect(folders).not.toContain('Work');
    expect(folders).not.toContain(reports.path);
    expect(subjects(await kit.onServer('INBOX'))).toEqual([]);
  });

  it('creates, moves into and renames a folder that never reached the server before', async () => {
    const inbox = kit.folder('inbox');
    const id = await kit.synced(inbox, 1);
    const draft = kit.folders.create(kit.accountId, null, 'Draft plans').folder;
    await kit.messages.move([id], draft.id);
    kit.folders.rename(draft.id, 'Plans');
    await kit.replay();
    expect(subjects(await kit.onServer('Plans'))).toEqual(['Message 1']);
    expect(await kit.serverFolders()).not.toContain('Draft plans');
  });
});
