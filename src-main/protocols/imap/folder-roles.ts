import type { FolderRole } from '../../domain/folder';

/**
 * Folder roles: the server's SPECIAL-USE attributes first (RFC 6154 §2), then well-known names
 * for servers that have none. Each role goes to one folder at most, so "save to Sent" has one
 * answer. Pure; the LIST call lives in folders.ts.
 */

export interface RoleCandidate {
  path: string;
  /** Last path segment. */
  name: string;
  parentPath: string;
  /** The RFC 6154 attribute the server sent (e.g. "\\Sent"), only when the server sent it. */
  specialUse: string | null;
}

type NamedRole = Exclude<FolderRole, 'inbox' | 'outbox'>;

const SPECIAL_USE_ROLES: Readonly<Record<string, NamedRole>> = {
  '\\sent': 'sent',
  '\\drafts': 'drafts',
  '\\trash': 'trash',
  '\\junk': 'junk',
  '\\archive': 'archive',
};

/** RFC 6154 \All (every message, e.g. Gmail's All Mail): archive, but only when no \Archive exists. */
const ALL_MAIL_ATTRIBUTE = '\\all';

/** Names recognised on servers without SPECIAL-USE, in order of preference per role. */
export const ROLE_NAMES: Readonly<Record<NamedRole, readonly string[]>> = {
  sent: [
    'Sent',
    'Sent Items',
    'Sent Messages',
    'Sent Mail',
    'Gesendet',
    'Gesendete Elemente',
    'Gesendete Objekte',
    'Enviados',
    'Elementos enviados',
  ],
  drafts: ['Drafts', 'Draft', 'Entwürfe', 'Borradores'],
  trash: [
    'Trash',
    'Deleted Items',
    'Deleted Messages',
    'Papelera',
    'Papierkorb',
    'Gelöschte Elemente',
    'Elementos eliminados',
  ],
  junk: ['Junk', 'Spam', 'Junk E-mail', 'Junk Email', 'Correo no deseado'],
  archive: ['Archive', 'Archives', 'All Mail'],
};

const NAMED_ROLES = Object.keys(ROLE_NAMES) as NamedRole[];

const fold = (text: string): string => text.normalize('NFC').toLowerCase();

/** INBOX is case-insensitive (RFC 3501 §5.1). */
export const isInboxPath = (path: string): boolean => path.toUpperCase() === 'INBOX';

/** Name fallbacks only apply at the top level or directly below INBOX ("INBOX.Sent" on Courier/Cyrus). */
const isRoleLevel = (candidate: RoleCandidate): boolean =>
  candidate.parentPath === '' || isInboxPath(candidate.parentPath);

/** path -> role, for every candidate (null for ordinary folders). */
export function assignRoles(candidates: readonly RoleCandidate[]): Map<string, FolderRole | null> {
  const roles = new Map<string, FolderRole | null>(candidates.map((c) => [c.path, null]));
  const taken = new Set<FolderRole>();
  const give = (path: string, role: FolderRole): void => {
    if (taken.has(role) || roles.get(path) !== null) return;
    roles.set(path, role);
    taken.add(role);
  };

  for (const candidate of candidates) if (isInboxPath(candidate.path)) give(candidate.path, 'inbox');
  for (const candidate of candidates) {
    const role = candidate.specialUse === null ? undefined : SPECIAL_USE_ROLES[fold(candidate.specialUse)];
    if (role) give(candidate.path, role);
  }
  for (const candidate of candidates) {
    if (candidate.specialUse !== null && fold(candidate.specialUse) === ALL_MAIL_ATTRIBUTE) {
      give(candidate.path, 'archive');
    }
  }

  const byName = new Map<string, RoleCandidate>();
  for (const candidate of candidates) {
    const key = fold(candidate.name);
    if (isRoleLevel(candidate) && !byName.has(key)) byName.set(key, candidate);
  }
  for (const role of NAMED_ROLES) {
    for (const name of ROLE_NAMES[role]) {
      const match = byName.get(fold(name));
      if (match) give(match.path, role);
    }
  }
  return roles;
}
