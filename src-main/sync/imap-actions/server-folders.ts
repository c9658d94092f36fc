/**
 * Which folders exist on the server, as one replay sees them: listed once (LIST, RFC 3501 §6.3.8)
 * and kept up to date by the replay's own CREATE/RENAME/DELETE, so deciding "was this folder
 * deleted elsewhere?" costs one round trip per replay, not one per action.
 */
import { createFolder, folderStatus, listFolders, type ImapSession } from '../../protocols/imap';

/** RFC 3501 §5.1: INBOX is case-insensitive; every other name is compared exactly. */
function keyOf(path: string): string {
  return path.toUpperCase() === 'INBOX' ? 'INBOX' : path;
}

export class ServerFolders {
  #paths: Set<string> | null = null;
  /** UIDVALIDITY by path, asked once per replay (STATUS, RFC 3501 §6.3.10). */
  readonly #uidValidity = new Map<string, number>();

  constructor(private readonly session: ImapSession) {}

  async has(path: string): Promise<boolean> {
    return (await this.paths()).has(keyOf(path));
  }

  /** The folder's UIDVALIDITY now; callers checked that it exists. */
  async uidValidity(path: string): Promise<number> {
    let value = this.#uidValidity.get(keyOf(path));
    if (value === undefined) {
      value = Number((await folderStatus(this.session, path)).uidValidity);
      this.#uidValidity.set(keyOf(path), value);
    }
    return value;
  }

  /** CREATE unless it is there already (an existing folder is not an error). */
  async ensure(path: string): Promise<void> {
    if (await this.has(path)) return;
    await createFolder(this.session, path);
    this.added(path);
  }

  /** After a RENAME: the folder and everything under it have new paths (RFC 3501 §6.3.5). */
  renamed(from: string, to: string, delimiter: string | null): void {
    this.#uidValidity.clear();
    const paths = this.#paths;
    if (!paths) return;
    for (const path of [...paths]) {
      if (path === from) {
        paths.delete(path);
        paths.add(keyOf(to));
      } else if (delimiter !== null && path.startsWith(from + delimiter)) {
        paths.delete(path);
        paths.add(to + path.slice(from.length));
      }
    }
  }

  added(path: string): void {
    this.#paths?.add(keyOf(path));
    this.#uidValidity.delete(keyOf(path));
  }

  removed(path: string): void {
    this.#paths?.delete(keyOf(path));
    this.#uidValidity.delete(keyOf(path));
  }

  /** Forgets what was listed (after a refusal that may mean the list is stale). */
  invalidate(): void {
    this.#paths = null;
    this.#uidValidity.clear();
  }

  private async paths(): Promise<Set<string>> {
    if (this.#paths === null) {
      const folders = await listFolders(this.session);
      this.#paths = new Set(folders.filter((folder) => !folder.noSelect).map((folder) => keyOf(folder.path)));
    }
    return this.#paths;
  }
}
