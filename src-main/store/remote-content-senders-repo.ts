/**
 * The remote_content_senders table (006-reader-prefs.sql): senders whose mail may load remote
 * images without asking ("Always for this sender").
 */
import type { SqliteDatabase } from './db';
import { toStoreError } from './sqlite-errors';

export interface RemoteContentSender {
  /** Lower-cased mailbox address. */
  address: string;
  addedMs: number;
}

interface SenderRow {
  address: string;
  added_ms: number;
}

/** The form addresses are stored and compared in. */
export function normaliseSenderAddress(address: string): string {
  return address.trim().toLowerCase();
}

export class RemoteContentSendersRepo {
  private readonly selectAll;
  private readonly selectOne;
  private readonly upsertRow;
  private readonly deleteRow;

  constructor(db: SqliteDatabase) {
    this.selectAll = db.prepare<[], SenderRow>(
      'SELECT address, added_ms FROM remote_content_senders ORDER BY address',
    );
    this.selectOne = db.prepare<[string], { found: number }>(
      'SELECT 1 AS found FROM remote_content_senders WHERE address = ?',
    );
    this.upsertRow = db.prepare<[string, number]>(
      'INSERT INTO remote_content_senders (address, added_ms) VALUES (?, ?) ON CONFLICT (address) DO NOTHING',
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM remote_content_senders WHERE address = ?');
  }

  list(): RemoteContentSender[] {
    try {
      return this.selectAll.all().map((row) => ({ address: row.address, addedMs: row.added_ms }));
    } catch (error) {
      throw toStoreError(error);
    }
  }

  isAllowed(address: string): boolean {
    try {
      return this.selectOne.get(normaliseSenderAddress(address)) !== undefined;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** Idempotent: allowing a sender twice keeps the first date. */
  allow(address: string, nowMs: number = Date.now()): void {
    try {
      this.upsertRow.run(normaliseSenderAddress(address), nowMs);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** True when the sender was on the list. */
  revoke(address: string): boolean {
    try {
      return this.deleteRow.run(normaliseSenderAddress(address)).changes > 0;
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
