/**
 * Bodies for offline reading: messages stored with headers only get their full source (UID FETCH
 * BODY.PEEK[], RFC 3501 §6.4.5: reading it does not set \Seen), newest first, as the account's
 * offline policy asks. The server keeps the authoritative copy, so a body file is a cache: it is
 * written without fsync (EmlFiles cacheOnly), its length recorded in the row, and a file found
 * short or missing after a crash is downloaded again when opened (open-body.ts). Rows point at
 * files only after their writes completed, in one transaction per batch. Nothing is parsed here:
 * the subject, addresses and attachment flag came with the headers, and the search indexer's
 * parse (which search needs anyway) fills in the snippet. The disk and the network work at the
 * same time within fixed bounds, so memory stays flat however large the folder: files are created
 * on a thread of their own (store/file-write-thread.ts) while this one parses the stream.
 */
import type { Folder } from '../../domain/folder';
import type { FolderId, MessageId } from '../../domain/ids';
import { fetchSource, type ImapSession } from '../../protocols/imap';
import type { EmlWriteBatch } from '../../store/eml-files';
import type { SqliteMailStore } from '../../store/mail-store';
import { bodiesSince, type OfflinePolicy } from './account-connection';

export type BodyStore = Pick<SqliteMailStore, 'messages' | 'emlFiles' | 'imapSync' | 'transaction'>;

/** Writes in flight at once: keeps the writer thread's file creation overlapping with the network. */
export const MAX_IN_FLIGHT_WRITES = 64;
/** Bodies per commit (one transaction each). */
export const BODY_COMMIT_MESSAGES = 200;
export const BODY_COMMIT_BYTES = 16 * 1024 * 1024;
/** Received but not committed: bounds memory while the disk lags behind the network. */
export const MAX_UNCOMMITTED_BYTES = 64 * 1024 * 1024;
/** UIDs asked for per pass over the folder's body-less rows. */
export const BODY_ROUND = 1_000;
/** Passes per folder and sync: bounds the loop (each pass moves the UID cursor down). */
const MAX_ROUNDS = 100_000;

type WriteOutcome = { ok: true; emlPath: string } | { ok: false; error: unknown };

interface PendingBody {
  id: MessageId;
  size: number;
  written: Promise<WriteOutcome>;
}

interface OpenBatch {
  files: EmlWriteBatch;
  items: PendingBody[];
  bytes: number;
}

/** Downloaded sources -> committed bodies, in order, failing fast on the first storage error. */
export class BodyWriter {
  #batch: OpenBatch;
  #committing: Promise<void> = Promise.resolve();
  #inFlight: Array<Promise<WriteOutcome>> = [];
  #uncommittedBytes = 0;
  #failure: { error: unknown } | null = null;

  constructor(
    private readonly store: BodyStore,
    private readonly onCommitted: (folderIds: FolderId[], stored: number) => void,
  ) {
    this.#batch = this.#newBatch();
  }

  /** Stores `raw` as `id`'s body; `raw` is handed over (EmlFiles may move it to a writer thread). */
  async add(id: MessageId, raw: Buffer): Promise<void> {
    this.#throwIfFailed();
    const size = raw.length;
    const written = this.#batch.files.write(raw).then(
      (emlPath): WriteOutcome => ({ ok: true, emlPath }),
      (error: unknown): WriteOutcome => ({ ok: false, error }),
    );
    this.#inFlight.push(written);
    this.#batch.items.push({ id, size, written });
    this.#batch.bytes += size;
    this.#uncommittedBytes += size;
    if (this.#batch.items.length >= BODY_COMMIT_MESSAGES || this.#batch.bytes >= BODY_COMMIT_BYTES) {
      this.#cut();
    }
    while (this.#inFlight.length >= MAX_IN_FLIGHT_WRITES) await this.#inFlight.shift();
    if (this.#uncommittedBytes >= MAX_UNCOMMITTED_BYTES) {
      this.#cut();
      await this.#committing;
    }
    this.#throwIfFailed();
  }

  async drain(): Promise<void> {
    this.#cut();
    await this.#committing;
    this.#inFlight = [];
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }

  #newBatch(): OpenBatch {
    return { files: this.store.emlFiles.beginBatch({ cacheOnly: true }), items: [], bytes: 0 };
  }

  #cut(): void {
    if (this.#batch.items.length === 0) return;
    const batch = this.#batch;
    this.#batch = this.#newBatch();
    this.#committing = this.#committing.then(() => this.#commit(batch));
  }

  async #commit(batch: OpenBatch): Promise<void> {
    const outcomes = await Promise.all(batch.items.map((item) => item.written));
    this.#uncommittedBytes -= batch.bytes;
    const failed = outcomes.find((outcome): outcome is { ok: false; error: unknown } => !outcome.ok);
    if (failed) this.#failure ??= { error: failed.error };
    if (this.#failure) {
      await batch.files.discard();
      return;
    }
    try {
      // A cache batch has nothing to flush; kept so the order stays right if that ever changes.
      await batch.files.flush();
      const unused: string[] = [];
      const folderIds = new Set<FolderId>();
      let stored = 0;
      this.store.transaction(() => {
        batch.items.forEach((item, index) => {
          const outcome = outcomes[index];
          const emlPath = outcome?.ok ? outcome.emlPath : '';
          // Search picks the new body up through search_pending (007-search.sql).
          const folderId = this.store.imapSync.attachBody(item.id, { emlPath, size: item.size });
          // Deleted meanwhile, or its body arrived another way (opened by the user): keep nothing.
          if (folderId === null) {
            unused.push(emlPath);
            return;
          }
          folderIds.add(folderId);
          stored++;
        });
      });
      for (const path of unused) await this.store.emlFiles.remove(path).catch(() => undefined);
      this.onCommitted([...folderIds], stored);
    } catch (error) {
      this.#failure = { error };
      await batch.files.discard();
    }
  }
}

export interface BodySyncContext {
  store: BodyStore;
  onChanged: (folderIds: FolderId[]) => void;
  onProgress: (done: number, total: number) => void;
  /** Awaited between passes: the engine handles new mail in the Inbox there. */
  between: () => Promise<void>;
  now: () => number;
}

/** Downloads the bodies the policy keeps for one folder; returns how many were stored. */
export async function downloadBodies(
  ctx: BodySyncContext,
  session: ImapSession,
  folder: Folder,
  policy: OfflinePolicy,
): Promise<number> {
  if (policy.kind === 'headers') return 0;
  const { store } = ctx;
  const since = bodiesSince(policy, ctx.now());
  const state = store.imapSync.folderState(folder.id);
  if (state.uidValidity === null) return 0; // headers not synced yet
  const total = store.imapSync.countBodyless(folder.id);
  if (total === 0) return 0;
  let done = 0;
  const writer = new BodyWriter(store, (folderIds, stored) => {
    done += stored;
    ctx.onChanged(folderIds);
    ctx.onProgress(done, total);
  });
  let below = Number.MAX_SAFE_INTEGER;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const rows = store.imapSync.bodyless(folder.id, BODY_ROUND, below, since);
    if (rows.length === 0) break;
    const idByUid = new Map(rows.map((row) => [row.uid, row.id]));
    below = Math.min(...rows.map((row) => row.uid));
    ctx.onProgress(done, total);
    await fetchSource(
      session,
      folder.path,
      [...idByUid.keys()],
      async ({ uid, source }) => {
        const id = idByUid.get(uid);
        if (id !== undefined) await writer.add(id, source);
      },
      // One UID FETCH per pass: the sources stream back to back instead of one round trip per 50.
      { uidValidity: state.uidValidity, batchSize: BODY_ROUND },
    );
    // Commits run on behind the next pass's FETCH; only the end waits for them.
    await ctx.between();
  }
  await writer.drain();
  return done;
}
