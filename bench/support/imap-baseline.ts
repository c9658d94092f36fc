/**
 * The baseline of the IMAP sync benchmark: a bare imapflow script, nothing stored. It fetches what
 * our header phase fetches (UID, FLAGS, ENVELOPE, BODYSTRUCTURE, RFC822.SIZE, INTERNALDATE and the
 * References/In-Reply-To/List-Id fields) for the whole Inbox in one UID FETCH 1:*, then every
 * source in one more. Its own process, like ours, so the two never share a heap.
 *
 * With a fifth argument, a directory, it is the storage floor instead: every source is also
 * written to a file of its own there as it arrives (256 shard directories, as our store does; no
 * fsync, IMAP bodies being a cache of the server's copy), on the same thread, with nothing else:
 * what keeping each body as its own file costs at least on this disk.
 *
 *   tsx bench/support/imap-baseline.ts <host> <port> <user> <password> [<write dir>]
 * Prints one JSON line.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

const SHARDS = 256;

/** Each source to its own new file, shard directories made up front (the store makes them once too). */
function fileWriter(dir: string): (source: Buffer) => void {
  const shards = Array.from({ length: SHARDS }, (_, i) => path.join(dir, i.toString(16).padStart(2, '0')));
  for (const shard of shards) mkdirSync(shard, { recursive: true });
  let count = 0;
  return (source) => {
    writeFileSync(path.join(shards[count % SHARDS] ?? dir, `${count}.eml`), source, { flag: 'wx' });
    count++;
  };
}

export interface ImapBaselineFigures {
  first100Ms: number;
  headersSeconds: number;
  bodiesSeconds: number;
  messages: number;
  bytes: number;
  /** Process CPU (user + system) until every header was read: compare with ours, less load-dependent. */
  headersCpuSeconds: number;
}

async function main(): Promise<void> {
  const [host, port, user, password, writeDir] = process.argv.slice(2);
  if (!host || !port || !user || !password)
    throw new Error('usage: imap-baseline.ts <host> <port> <user> <password> [<write dir>]');
  const write = writeDir === undefined ? null : fileWriter(writeDir);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;
  const client = new ImapFlow({
    host,
    port: Number(port),
    secure: false,
    doSTARTTLS: false,
    auth: { user, pass: password },
    logger: false,
    disableAutoIdle: true,
    qresync: true,
  });
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  let messages = 0;
  let first100 = Number.NaN;
  let bytes = 0;
  let headersSeconds: number;
  let headersCpuSeconds: number;
  try {
    const query = {
      uid: true,
      flags: true,
      envelope: true,
      size: true,
      internalDate: true,
      bodyStructure: true,
      headers: ['references', 'in-reply-to', 'list-id'],
    };
    for await (const _row of client.fetch('1:*', query, { uid: true })) {
      messages++;
      if (messages === 100) first100 = elapsed() * 1000;
    }
    headersSeconds = elapsed();
    const cpu = process.cpuUsage(cpuBefore);
    headersCpuSeconds = (cpu.user + cpu.system) / 1e6;
    for await (const row of client.fetch('1:*', { uid: true, source: true }, { uid: true })) {
      bytes += row.source?.length ?? 0;
      if (write && row.source) write(row.source);
    }
  } finally {
    lock.release();
  }
  const bodiesSeconds = elapsed() - headersSeconds;
  await client.logout();
  const figures: ImapBaselineFigures = {
    first100Ms: first100,
    headersSeconds,
    bodiesSeconds,
    messages,
    bytes,
    headersCpuSeconds,
  };
  console.log(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
