import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '../../../../../src-main/domain/account';
import { openMailActionsKit, type MailActionsKit } from './mail-actions-kit';

let kit: MailActionsKit;

beforeEach(async () => {
  kit = await openMailActionsKit();
});

afterEach(async () => {
  await kit.dispose();
});

const paths = (account: Account) =>
  kit.store.folders
    .list(account.id)
    .map((f) => f.path)
    .sort();

describe.each([
  ['Local Folders', (k: MailActionsKit): Account => k.local],
  ['POP3', (k: MailActionsKit): Account => k.pop3],
  ['IMAP', (k: MailActionsKit): Account => k.imap],
])('folders of a %s account', (kind, accountOf) => {
  it('creates a folder at the top and one inside it, with the account delimiter', () => {
    const account = accountOf(kit);
    const delimiter = kind === 'IMAP' ? '.' : '/';
    const { folder: work } = kit.folders.create(account.id, null, '  Work ');
    const { folder: reports } = kit.folders.create(account.id, work.id, 'Reports');
    expect(work).toMatchObject({ name: 'Work', path: 'Work', parentId: null, role: null });
    expect(reports).toMatchObject({ name: 'Reports', path: `Work${delimiter}Reports`, parentId: work.id });
    expect(() => kit.folders.create(account.id, null, 'Work')).toThrow(/already exists/);
    expect(() => kit.folders.create(account.id, null, `a${delimiter}b`)).toThrow(/cannot contain/);
    expect(() => kit.folders.create(account.id, null, 'a*')).toThrow(/cannot contain/);
    expect(() => kit.folders.create(account.id, null, '..')).toThrow(/Choose a name/);
  });

  it('renames a folder and the paths of its children follow', () => {
    const account = accountOf(kit);
    const d = kit.folders.create(account.id, null, 'Work').folder.delimiter;
    const work = kit.store.folders.findByPath(account.id, 'Work')!;
    const child = kit.folders.create(account.id, work.id, 'Reports').folder;
    kit.folders.create(account.id, child.id, '2024');
    kit.folders.create(account.id, null, 'Workshop'); // shares a prefix, must not move
    kit.folders.rename(work.id, 'Job');
    expect(paths(account)).toEqual(
      expect.arrayContaining(['Job', `Job${d}Reports`, `Job${d}Reports${d}2024`, 'Workshop']),
    );
    expect(paths(account)).not.toContain('Work');
    expect(kit.store.folders.get(work.id)?.name).toBe('Job');
    expect(() => kit.folders.rename(work.id, 'Workshop')).toThrow(/already exists/);
    expect(() => kit.folders.rename(kit.folder(account.id, 'inbox').id, 'Box')).toThrow(/cannot be renamed/);
  });

  it('deletes a folder with its subfolders, their messages and files', async () => {
    const account = accountOf(kit);
    const work = kit.folders.create(account.id, null, 'Work').folder;
    const child = kit.folders.create(account.id, work.id, 'Reports').folder;
    const ids = [await kit.add(work, 1), await kit.add(child, 2)];
    const files = ids.map((id) => kit.store.emlFiles.absolutePath(kit.store.messages.get(id)!.emlPath));
    await kit.folders.delete(work.id);
    expect(kit.store.folders.get(work.id)).toBeNull();
    expect(kit.store.folders.get(child.id)).toBeNull();
    for (const id of ids) expect(kit.store.messages.get(id)).toBeNull();
    for (const file of files) expect(existsSync(file)).toBe(false);
    await expect(kit.folders.delete(kit.folder(account.id, 'trash').id)).rejects.toThrow(/cannot be deleted/);
  });
});

describe('IMAP folder changes are queued for the server in the same transaction', () => {
  it('queues create, rename (with the old and new path) and delete deepest first', async () => {
    const work = kit.folders.create(kit.imap.id, null, 'Work').folder;
    const child = kit.folders.create(kit.imap.id, work.id, 'Reports').folder;
    kit.folders.rename(work.id, 'Job');
    await kit.folders.delete(work.id);
    expect(kit.store.pendingActions.list(kit.imap.id).map((a) => [a.kind, a.params])).toEqual([
      ['folder_create', { path: 'Work' }],
      ['folder_create', { path: 'Work.Reports' }],
      ['folder_rename', { from: 'Work', to: 'Job', delimiter: '.' }],
      ['folder_delete', { paths: ['Job.Reports', 'Job'] }],
    ]);
    expect(child.path).toBe('Work.Reports');
  });

  it('queues nothing for Local Folders and POP3 accounts', () => {
    kit.folders.create(kit.local.id, null, 'A');
    kit.folders.create(kit.pop3.id, null, 'B');
    expect(kit.store.pendingActions.accounts()).toEqual([]);
  });
});
