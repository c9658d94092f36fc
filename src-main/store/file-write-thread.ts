/**
 * Creates new files on a worker thread of its own, so a download that writes thousands of small
 * cache files (IMAP bodies, eml-files.ts beginBatch cacheOnly) does not stall the event loop that
 * parses the network stream. Creating a file waits for the file system's journal: 0.05 ms on an
 * idle disk, over 2 ms while other processes fsync (measured on the 2-core CI VM), and on the main
 * thread every one of those milliseconds is a millisecond the IMAP parser does not run. libuv's
 * thread pool would move the wait too, but each of its round trips costs about 1 ms there; this
 * thread takes the files of many messages per round trip: writes queued while it was busy are
 * drained in one go and answered with one message.
 *
 * Files are created with O_CREAT | O_EXCL (flag 'wx'), mode 0600, and not fsynced: the callers
 * are caches whose readers check the length they recorded (sync/imap-sync/open-body.ts).
 */
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** A write that failed, as the worker saw it: enough for toStorageError (ENOSPC -> DISK_FULL). */
export class FileWriteError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'FileWriteError';
    this.code = code;
  }
}

interface WriteJob {
  id: number;
  file: string;
  data: Uint8Array;
}

interface WriteResult {
  id: number;
  error: { message: string; code: string | undefined } | null;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Queued jobs are posted together: at once when this many (or bytes) are waiting, else after
 * POST_DELAY_MS. A post costs ~15 µs whether it carries one file or thirty, so the delay (far
 * shorter than a body download) is what lets a post carry many.
 */
const POST_EVERY_JOBS = 32;
const POST_EVERY_BYTES = 4 * 1024 * 1024;
const POST_DELAY_MS = 2;

/**
 * The worker, as source: a plain script needs no separate bundle entry (Electron's main bundle,
 * browser mode, tsx in tests and benchmarks all run it the same way). It writes each job, drains
 * whatever else is queued on its port, and answers once for all of them.
 */
const WORKER_SOURCE = `
const { parentPort, receiveMessageOnPort } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
function write(job) {
  try {
    writeFileSync(job.file, job.data, { flag: 'wx', mode: 0o600 });
    return { id: job.id, error: null };
  } catch (error) {
    return { id: job.id, error: { message: String(error && error.message), code: error && error.code } };
  }
}
parentPort.on('message', (first) => {
  const results = [];
  for (let jobs = first; jobs !== undefined; ) {
    for (const job of jobs) results.push(write(job));
    const next = receiveMessageOnPort(parentPort);
    jobs = next === undefined ? undefined : next.message;
  }
  parentPort.postMessage(results);
});
`;

export class FileWriteThread {
  #worker: Worker | null = null;
  #isUnavailable = false;
  #nextId = 1;
  #queue: WriteJob[] = [];
  #queuedBytes = 0;
  #isPostScheduled = false;
  readonly #waiting = new Map<number, Waiter>();

  /**
   * Creates `file` holding `data`; fails if it exists. `data` is handed over: a buffer that is all
   * its own (a downloaded message is) moves to the worker without a copy and reads as empty here
   * afterwards; a view into a shared buffer is copied first. Either way the caller must not use
   * `data` once this returned.
   */
  write(file: string, data: Uint8Array): Promise<void> {
    if (this.#isUnavailable) return writeHere(file, data);
    const id = this.#nextId++;
    this.#queue.push({ id, file, data: ownedBytes(data) });
    this.#queuedBytes += data.length;
    const done = new Promise<void>((resolve, reject) => this.#waiting.set(id, { resolve, reject }));
    if (this.#queue.length >= POST_EVERY_JOBS || this.#queuedBytes >= POST_EVERY_BYTES) this.#post();
    else if (!this.#isPostScheduled) {
      this.#isPostScheduled = true;
      setTimeout(() => this.#post(), POST_DELAY_MS);
    }
    return done;
  }

  /** Ends the worker; writes still queued or running fail. The next write starts a new one. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
    this.#failAll(new FileWriteError('The file writer was closed.', undefined));
  }

  #post(): void {
    this.#isPostScheduled = false;
    if (this.#queue.length === 0) return;
    const jobs = this.#queue;
    this.#queue = [];
    this.#queuedBytes = 0;
    const worker = this.#ensureWorker();
    if (!worker) {
      for (const job of jobs) this.#writeOnThisThread(job);
      return;
    }
    worker.ref(); // answers are awaited: keep the process alive until they came
    try {
      worker.postMessage(
        jobs,
        jobs.map((job) => job.data.buffer as ArrayBuffer),
      );
    } catch {
      // A buffer that may not be transferred (Node marks a few so): send copies instead.
      const copies = jobs.map((job) => ({ ...job, data: new Uint8Array(job.data) }));
      worker.postMessage(
        copies,
        copies.map((job) => job.data.buffer),
      );
    }
  }

  #ensureWorker(): Worker | null {
    if (this.#worker) return this.#worker;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        // It allocates almost nothing itself; small heaps make it collect the buffers it was
        // handed soon after writing them, so they do not pile up in the process's memory.
        resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
      });
    } catch {
      // No worker threads here: write on this thread, as before.
      this.#isUnavailable = true;
      return null;
    }
    worker.on('message', (results: WriteResult[]) => {
      for (const result of results) this.#settle(result);
      if (this.#waiting.size === 0 && this.#queue.length === 0) worker.unref();
    });
    const lost = (error: Error): void => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      this.#failAll(error);
    };
    worker.on('error', (error) => lost(new FileWriteError(error.message, undefined)));
    worker.on('exit', (code) => lost(new FileWriteError(`The file writer stopped (${code}).`, undefined)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Worker threads turned out to be unavailable after `job` was queued: it is written here. */
  #writeOnThisThread(job: WriteJob): void {
    const waiter = this.#waiting.get(job.id);
    if (!waiter) return;
    this.#waiting.delete(job.id);
    writeHere(job.file, job.data).then(waiter.resolve, waiter.reject);
  }

  #settle(result: WriteResult): void {
    const waiter = this.#waiting.get(result.id);
    if (!waiter) return;
    this.#waiting.delete(result.id);
    if (result.error === null) waiter.resolve();
    else waiter.reject(new FileWriteError(result.error.message, result.error.code));
  }

  #failAll(error: Error): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    this.#queue = [];
    this.#queuedBytes = 0;
    for (const waiter of waiting) waiter.reject(error);
  }
}

/**
 * `data` itself when it is the whole of a plain ArrayBuffer (then it can be transferred), else a
 * copy of just its bytes: transferring or cloning a view would move its whole backing buffer
 * (a socket chunk or Node's shared pool for small buffers).
 */
function ownedBytes(data: Uint8Array): Uint8Array {
  const isWhole =
    data.buffer instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
  return isWhole ? data : new Uint8Array(data);
}

async function writeHere(file: string, data: Uint8Array): Promise<void> {
  writeFileSync(file, data, { flag: 'wx', mode: 0o600 });
}

/** The process's one writer thread (started on first use, never keeps the process alive idle). */
export const fileWriteThread = new FileWriteThread();
