import { describe, expect, it } from 'vitest';
import { assignRoles, type RoleCandidate } from '../../../../../src-main/protocols/imap/folder-roles';

const folder = (path: string, specialUse: string | null = null, delimiter = '/'): RoleCandidate => {
  const cut = path.lastIndexOf(delimiter);
  return {
    path,
    name: cut < 0 ? path : path.slice(cut + 1),
    parentPath: cut < 0 ? '' : path.slice(0, cut),
    specialUse,
  };
};

const rolesOf = (candidates: RoleCandidate[]): Record<string, string | null> =>
  Object.fromEntries(assignRoles(candidates));

describe('assignRoles', () => {
  it('takes the server SPECIAL-USE attributes first (RFC 6154)', () => {
    expect(
      rolesOf([
        folder('INBOX'),
        folder('Postausgang', '\\Sent'),
        folder('Sent'),
        folder('Bin', '\\Trash'),
        folder('Trash'),
      ]),
    ).toEqual({ INBOX: 'inbox', Postausgang: 'sent', Sent: null, Bin: 'trash', Trash: null });
  });

  it('falls back to well-known names in several languages', () => {
    expect(
      rolesOf([
        folder('inbox'),
        folder('Gesendet'),
        folder('Entwürfe'),
        folder('Papelera'),
        folder('Spam'),
        folder('Archives'),
      ]),
    ).toEqual({
      inbox: 'inbox',
      Gesendet: 'sent',
      Entwürfe: 'drafts',
      Papelera: 'trash',
      Spam: 'junk',
      Archives: 'archive',
    });
    expect(rolesOf([folder('Sent Items'), folder('Deleted Items'), folder('Junk')])).toEqual({
      'Sent Items': 'sent',
      'Deleted Items': 'trash',
      Junk: 'junk',
    });
  });

  it('gives each role to one folder only, preferring the first name in the table', () => {
    expect(rolesOf([folder('Sent Messages'), folder('Sent')])).toEqual({
      'Sent Messages': null,
      Sent: 'sent',
    });
  });

  it('uses names only at the top level or right below INBOX', () => {
    expect(rolesOf([folder('Work/Sent'), folder('INBOX.Drafts', null, '.')])).toEqual({
      'Work/Sent': null,
      'INBOX.Drafts': 'drafts',
    });
  });

  it('treats All Mail (\\All or by name) as the archive only when there is no \\Archive', () => {
    expect(rolesOf([folder('[Gmail]/All Mail', '\\All'), folder('Kept', '\\Archive')])).toEqual({
      '[Gmail]/All Mail': null,
      Kept: 'archive',
    });
    expect(rolesOf([folder('[Gmail]/All Mail', '\\All')])).toEqual({ '[Gmail]/All Mail': 'archive' });
    expect(rolesOf([folder('All Mail'), folder('Old', '\\Archive')])).toEqual({
      'All Mail': null,
      Old: 'archive',
    });
  });
});
