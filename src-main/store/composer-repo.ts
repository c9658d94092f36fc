/**
 * What the composer needs of the messages table beyond messages-repo: the saved versions of one
 * draft (by its Message-ID), removing the rows a sent message leaves behind, and address
 * completion from every address already seen in From, To and Cc.
 */
import type { FolderId, MessageId } from '../domain/ids';
import { asMessageId } from '../domain/ids';
import type { Address } from '../domain/message';
import type { SqliteDatabase } from './db';

/** Rows the completion query looks at per column: the newest mail, which names today's contacts. */
const COMPLETION_SCAN_ROWS = 20_000;

/** LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class ComposerRepo {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  /** The messages in a folder carrying this Message-ID (the versions of one draft). */
  findByMessageIdHeader(folderId: FolderId, messageIdHeader: string): { id: MessageId; emlPath: string }[] {
    return this.#db
      .prepare<[number, string], { id: number; eml_path: string }>(
        `SELECT id, eml_path FROM messages WHERE folder_id = ? AND message_id_header = ?`,
      )
      .all(folderId, messageIdHeader)
      .map((row) => ({ id: asMessageId(row.id), emlPath: row.eml_path }));
  }

  /**
   * Deletes these rows (their counts and search entries go with them, by trigger) and returns
   * their .eml paths, which the caller removes after the commit.
   */
  deleteMessages(ids: readonly MessageId[]): string[] {
    const paths: string[] = [];
    const select = this.#db.prepare<[number], { eml_path: string }>(
      `SELECT eml_path FROM messages WHERE id = ?`,
    );
    const remove = this.#db.prepare(`DELETE FROM messages WHERE id = ?`);
    for (const id of ids) {
      const row = select.get(id);
      if (!row) continue;
      remove.run(id);
      paths.push(row.eml_path);
    }
    return paths;
  }

  /** Moves a row to another folder (the counts follow by trigger) and marks it read. */
  moveAndMarkSeen(id: MessageId, folderId: FolderId): void {
    this.#db.prepare(`UPDATE messages SET folder_id = ?, is_seen = 1 WHERE id = ?`).run(folderId, id);
  }

  /** True when another row still points at this .eml file. */
  isEmlUsed(emlPath: string): boolean {
    return (
      this.#db
        .prepare<[string], { one: number }>(`SELECT 1 AS one FROM messages WHERE eml_path = ? LIMIT 1`)
        .get(emlPath) !== undefined
    );
  }

  /**
   * Addresses whose name or address contains `query`, the most used first. Only the newest
   * COMPLETION_SCAN_ROWS messages are read, so completion stays fast in a store of any size.
   */
  completeAddresses(query: string, limit: number): Address[] {
    const pattern = containsPattern(query.trim().toLowerCase());
    const rows = this.#db
      .prepare<[{ scan: number; limit: number; pattern: string }], { name: string | null; address: string }>(
        `WITH recent AS (SELECT from_name, from_addr, to_json, cc_json FROM messages
                         ORDER BY id DESC LIMIT @scan),
              seen (name, address) AS (
                SELECT from_name, from_addr FROM recent WHERE from_addr IS NOT NULL
                UNION ALL
                SELECT json_extract(j.value, '$.name'), json_extract(j.value, '$.address')
                  FROM recent, json_each(recent.to_json) AS j
                UNION ALL
                SELECT json_extract(j.value, '$.name'), json_extract(j.value, '$.address')
                  FROM recent, json_each(recent.cc_json) AS j)
         SELECT max(name) AS name, lower(address) AS address FROM seen
          WHERE address IS NOT NULL AND address LIKE '%@%'
            AND (lower(address) LIKE @pattern ESCAPE '\\' OR lower(name) LIKE @pattern ESCAPE '\\')
          GROUP BY lower(address) ORDER BY count(*) DESC, lower(address) LIMIT @limit`,
      )
      .all({ scan: COMPLETION_SCAN_ROWS, limit, pattern });
    return rows.map((row) => ({ name: row.name ?? '', address: row.address }));
  }
}
