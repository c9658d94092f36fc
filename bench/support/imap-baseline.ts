/**
 * The baseline of the IMAP sync benchmark: a bare imapflow script, nothing stored. It fetches what
 * our header phase fetches (UID, FLAGS, ENVELOPE, BODYSTRUCTURE, RFC822.SIZE, INTERNALDATE and the
 * References/In-Reply-To/List-Id fields) for the whole Inbox in one UID FETCH 1:*, then every
 * source in one more. Its own process, like ours, so the two never share a heap.
 *
 *   tsx bench/support/imap-baseline.ts <host> <port> <user> <password>
 * Prints one JSON line.
 */
import { ImapFlow } from 'imapflow';

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
  const [host, port, user, password] = process.argv.slice(2);
  if (!host || !port || !user || !password)
    throw new Error('usage: imap-baseline.ts <host> <port> <user> <password>');
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
