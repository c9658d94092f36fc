/** The folders table. */
import { MailError } from '../domain/errors';
import { FOLDER_ROLES } from '../domain/folder';
import type { Folder, FolderRole } from '../domain/folder';
import { asAccountId, asFolderId } from '../domain/ids';
import type { AccountId, FolderId } from '../domain/ids';
import type { SqliteDatabase } from './db';

export interface NewFolder {
  accountId: AccountId;
  parentId: FolderId | null;
  name: string;
  path: string;
  delimiter: string;
  role: FolderRole | null;
}

interface FolderRow {
  id: number;
  account_id: number;
  parent_id: number | null;
  name: string;
  path: string;
  delimiter: string;
  role: string | null;
}

const COLUMNS = 'id, account_id, parent_id, name, path, delimiter, role';

function toRole(value: string | null): FolderRole | null {
  if (value === null) return null;
  if ((FOLDER_ROLES as readonly string[]).includes(value)) return value as FolderRole;
  throw new MailError('STORE_CORRUPT', 'The mail store contains a folder with an unknown role.', {
    detail: value,
  });
}

function toFolder(row: FolderRow): Folder {
  return {
    id: asFolderId(row.id),
    accountId: asAccountId(row.account_id),
    parentId: row.parent_id === null ? null : asFolderId(row.parent_id),
    name: row.name,
    path: row.path,
    delimiter: row.delimiter,
    role: toRole(row.role),
  };
}

export class FoldersRepo {
  private readonly selectAll;
  private readonly selectByAccount;
  private readonly selectById;
  private readonly selectByPath;
  private readonly selectByRole;
  private readonly insertRow;

  constructor(db: SqliteDatabase) {
    this.selectAll = db.prepare<[], FolderRow>(`SELECT ${COLUMNS} FROM folders ORDER BY account_id, id`);
    this.selectByAccount = db.prepare<[number], FolderRow>(
      `SELECT ${COLUMNS} FROM folders WHERE account_id = ? ORDER BY id`,
    );
    this.selectById = db.prepare<[number], FolderRow>(`SELECT ${COLUMNS} FROM folders WHERE id = ?`);
    this.selectByPath = db.prepare<[number, string], FolderRow>(
      `SELECT ${COLUMNS} FROM folders WHERE account_id = ? AND path = ?`,
    );
    this.selectByRole = db.prepare<[number, string], FolderRow>(
      `SELECT ${COLUMNS} FROM folders WHERE account_id = ? AND role = ? ORDER BY id LIMIT 1`,
    );
    this.insertRow = db.prepare<[number, number | null, string, string, string, string | null], FolderRow>(
      `INSERT INTO folders (account_id, parent_id, name, path, delimiter, role)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
    );
  }

  /** All folders, or one account's, in creation order (the UI sorts with compareFolders). */
  list(accountId?: AccountId): Folder[] {
    const rows = accountId === undefined ? this.selectAll.all() : this.selectByAccount.all(accountId);
    return rows.map(toFolder);
  }

  get(id: FolderId): Folder | null {
    const row = this.selectById.get(id);
    return row ? toFolder(row) : null;
  }

  findByPath(accountId: AccountId, path: string): Folder | null {
    const row = this.selectByPath.get(accountId, path);
    return row ? toFolder(row) : null;
  }

  findByRole(accountId: AccountId, role: FolderRole): Folder | null {
    const row = this.selectByRole.get(accountId, role);
    return row ? toFolder(row) : null;
  }

  insert(folder: NewFolder): Folder {
    const row = this.insertRow.get(
      folder.accountId,
      folder.parentId,
      folder.name,
      folder.path,
      folder.delimiter,
      folder.role,
    );
    if (!row) throw new MailError('INTERNAL', 'The folder could not be saved.');
    return toFolder(row);
  }
}
