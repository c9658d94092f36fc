/**
 * A child process for the POP3 crash test: opens the store in <data dir>, runs one download-and-
 * delete check of <user>'s maildrop and exits 0, printing one JSON line with the result. The test
 * kills it with SIGKILL at random moments and starts it again.
 *
 *   node --import tsx tests/support/pop3-crash-child.ts <data dir> <host> <port> <user> <password> <batch size>
 *
 * tsx runs the project's TypeScript as CommonJS and hands `file.sql?raw` (the store's migrations,
 * a Vite raw import) to the ".js" loader; bench/support/raw-sql-loader returns the file's text instead,
 * and the store is imported only after it is installed.
 */
import '../../bench/support/raw-sql-loader';

async function main(): Promise<void> {
  const [dataDir, host, port, user, password, batchSize] = process.argv.slice(2);
  if (!dataDir || !host || !port || !user || !password || !batchSize) {
    throw new Error('usage: pop3-crash-child.ts <data dir> <host> <port> <user> <password> <batch size>');
  }
  const { SqliteMailStore } = await import('../../src-main/store/mail-store');
  const { Pop3Fetcher } = await import('../../src-main/sync/pop3-fetch');
  const { asAccountId } = await import('../../src-main/domain/ids');
  const store = SqliteMailStore.open(dataDir);
  const existing = store.accounts.list().find((account) => account.kind === 'pop3');
  const account = existing ?? store.accounts.insert({ kind: 'pop3', displayName: user, email: null });
  const fetcher = new Pop3Fetcher({
    store,
    batchLimits: { maxMessages: Number(batchSize) },
    // One line per phase change and per committed batch: the test picks its kill moments by them.
    onProgress: (progress) => process.stdout.write(`${JSON.stringify({ progress })}\n`),
    onFolderChanged: (folderIds) => process.stdout.write(`${JSON.stringify({ committed: folderIds })}\n`),
  });
  const result = await fetcher.checkMail({
    accountId: asAccountId(account.id),
    host,
    port: Number(port),
    security: 'none',
    username: user,
    password,
    leaveOnServer: false,
    deleteAfterDays: null,
    deleteWhenDeletedHere: false,
    maxMessageKb: null,
  });
  store.close();
  process.stdout.write(`${JSON.stringify({ result })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
