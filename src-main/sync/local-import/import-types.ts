/** The importer's public shapes; they match the API contract's import.* wire shapes field for field. */
import type { SqliteMailStore } from '../../store/mail-store';
import type { MboxEntry } from './mbox-splitter';

export type ImportFormat = 'mbox' | 'eml';
export type ImportState = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportProgress {
  importId: string;
  fileName: string;
  /** Messages committed to the store so far (imported and failed). */
  messages: number;
  bytes: number;
  totalBytes: number;
  state: ImportState;
}

export interface ImportResult {
  importId: string;
  /** Messages stored, including the damaged ones. */
  imported: number;
  /** Stored as raw mail although they could not be parsed fully (a subset of `imported`). */
  damaged: number;
  /** Messages that could not be stored (too large, or refused by the store). */
  failed: number;
  /** The first few problems, in words for the user. */
  errors: string[];
}

/** The part of the store an import uses. */
export type ImportStore = Pick<
  SqliteMailStore,
  'folders' | 'messages' | 'search' | 'emlFiles' | 'transaction'
>;

/** A source of raw messages: MboxSplitter or EmlCollector. */
export interface MessageSplitter {
  push(chunk: Buffer): MboxEntry[];
  end(): MboxEntry[];
}
