/**
 * The baselines of the POP3 benchmark: a bare Node socket loop with no dependencies, doing what any
 * POP3 download must do at least: USER/PASS, then RETR 1..N one at a time (each reply read to its
 * terminator, RFC 1939 §3), then QUIT. No parsing, no dot-unstuffing, no DELE, and no copying of
 * the bulk: each chunk is scanned once for the terminator. Optionally it also writes each message
 * to its own fsynced file: the floor of a client that keeps mail durably before deleting it.
 */
import { mkdir, open } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface BaselineFigures {
  messages: number;
  bytes: number;
  seconds: number;
  /** The QUIT alone: with DELEs sent, the server removing the messages (RFC 1939 §6 UPDATE state). */
  quitSeconds: number;
}

export interface BareLoopOptions {
  /** Also write every message to an fsynced file of its own under this directory (storage floor). */
  writeDir?: string;
  /** DELE every message after the RETRs (pipelined in one write), so QUIT removes them all. */
  deletes?: boolean;
}

const CRLF = Buffer.from('\r\n');
/** RFC 1939 §3: a multi-line reply ends with CRLF "." CRLF. */
const TERMINATOR = Buffer.from('\r\n.\r\n');

interface Pending {
  isMultiLine: boolean;
  isInBody: boolean;
  /** Body bytes so far. */
  size: number;
  /** The last bytes scanned, for a terminator split across chunks. */
  tail: Buffer;
  resolve(size: number): void;
  reject(error: Error): void;
}

/** One reply at a time (the loop never pipelines), fed by the socket's chunks. */
class ReplyReader {
  private pending: Pending | null = null;
  private leftover: Buffer = Buffer.alloc(0);
  private failure: Error | null = null;
  private body: Buffer[] = [];

  constructor(
    socket: net.Socket,
    private readonly keepsBodies: boolean,
  ) {
    socket.on('data', (chunk: Buffer) => this.feed(chunk));
    const fail = (error: Error): void => {
      this.failure = error;
      this.pending?.reject(error);
      this.pending = null;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  /** The next reply: a status line, or with `isMultiLine` a status line and a body (its size). */
  next(isMultiLine: boolean): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      // The status line's CRLF counts as the first two bytes of a terminator for an empty body.
      this.pending = { isMultiLine, isInBody: false, size: 0, tail: CRLF, resolve, reject };
      if (this.leftover.length > 0) {
        const data = this.leftover;
        this.leftover = Buffer.alloc(0);
        this.feed(data);
      }
    });
  }

  /** The last multi-line body as received (still dot-stuffed, with its terminator). */
  takeBody(): Buffer {
    const body = Buffer.concat(this.body);
    this.body = [];
    return body;
  }

  private feed(chunk: Buffer): void {
    let data = this.leftover.length > 0 ? Buffer.concat([this.leftover, chunk]) : chunk;
    this.leftover = Buffer.alloc(0);
    while (data.length > 0 && this.pending) {
      const pending = this.pending;
      if (!pending.isInBody) {
        const end = data.indexOf(CRLF);
        if (end < 0) break;
        const status = data.subarray(0, end).toString('latin1');
        data = data.subarray(end + CRLF.length);
        if (!status.startsWith('+OK')) {
          this.pending = null;
          pending.reject(new Error(`POP3: ${status}`));
          continue;
        }
        if (!pending.isMultiLine) {
          this.pending = null;
          pending.resolve(0);
          continue;
        }
        pending.isInBody = true;
      }
      const end = terminatorEnd(pending.tail, data);
      if (this.keepsBodies) this.body.push(end < 0 ? data : data.subarray(0, end));
      if (end < 0) {
        pending.size += data.length;
        pending.tail = Buffer.concat([pending.tail, data]).subarray(-(TERMINATOR.length - 1));
        data = Buffer.alloc(0);
        break;
      }
      pending.size += end;
      data = data.subarray(end);
      this.pending = null;
      pending.resolve(pending.size);
    }
    if (data.length > 0) this.leftover = data;
  }
}

/** Where the terminator ends in `data` (its bytes may begin in `tail`), or -1. */
function terminatorEnd(tail: Buffer, data: Buffer): number {
  const probe = Buffer.concat([tail, data.subarray(0, TERMINATOR.length - 1)]);
  const across = probe.indexOf(TERMINATOR);
  if (across >= 0) return across + TERMINATOR.length - tail.length;
  const within = data.indexOf(TERMINATOR);
  return within < 0 ? -1 : within + TERMINATOR.length;
}

/** Writes in flight at once in the storage floor, as many as the engine allows itself. */
const FLOOR_IN_FLIGHT_WRITES = 16;
const SHARDS = 256;

/**
 * The storage floor's writer: each message to its own file, fsynced (what "durable before DELE"
 * costs at least), a bounded number at once; no rename, no directory fsync, no database.
 */
class FsyncedFileWriter {
  private readonly inFlight: Array<Promise<void>> = [];
  private count = 0;

  constructor(private readonly dir: string) {}

  async write(message: Buffer): Promise<void> {
    const shard = path.join(this.dir, (this.count % SHARDS).toString(16).padStart(2, '0'));
    const file = path.join(shard, `${this.count}.eml`);
    const isNewShard = this.count < SHARDS;
    this.count += 1;
    this.inFlight.push(
      (async () => {
        if (isNewShard) await mkdir(shard, { recursive: true });
        const handle = await open(file, 'wx');
        try {
          await handle.writeFile(message);
          await handle.sync();
        } finally {
          await handle.close();
        }
      })(),
    );
    if (this.inFlight.length >= FLOOR_IN_FLIGHT_WRITES) await this.inFlight.shift();
  }

  async finish(): Promise<void> {
    await Promise.all(this.inFlight.splice(0));
  }
}

/**
 * RETR 1..N one at a time. With `writeDir`, every message is also kept in a body buffer and
 * written to an fsynced file of its own (the storage floor); without, it is only read. With
 * `deletes`, DELE 1..N follow in one pipelined write before QUIT: what the server itself spends
 * on a download-and-delete, whatever the client.
 */
export async function bareRetrLoop(
  host: string,
  port: number,
  user: string,
  password: string,
  count: number,
  options: BareLoopOptions = {},
): Promise<BaselineFigures> {
  const { writeDir, deletes = false } = options;
  const socket = net.connect(port, host);
  socket.setNoDelay(true);
  const replies = new ReplyReader(socket, writeDir !== undefined);
  const writer = writeDir === undefined ? null : new FsyncedFileWriter(writeDir);
  try {
    await replies.next(false); // greeting
    const started = process.hrtime.bigint();
    socket.write(`USER ${user}\r\n`);
    await replies.next(false);
    socket.write(`PASS ${password}\r\n`);
    await replies.next(false);
    let bytes = 0;
    for (let number = 1; number <= count; number++) {
      socket.write(`RETR ${number}\r\n`);
      bytes += await replies.next(true);
      if (writer) await writer.write(replies.takeBody());
    }
    if (deletes) {
      const lines: string[] = [];
      for (let number = 1; number <= count; number++) lines.push(`DELE ${number}\r\n`);
      socket.write(lines.join(''));
      for (let number = 1; number <= count; number++) await replies.next(false);
    }
    await writer?.finish();
    const quitStarted = process.hrtime.bigint();
    socket.write('QUIT\r\n');
    await replies.next(false);
    const ended = process.hrtime.bigint();
    return {
      messages: count,
      bytes,
      seconds: Number(ended - started) / 1e9,
      quitSeconds: Number(ended - quitStarted) / 1e9,
    };
  } finally {
    socket.destroy();
  }
}
