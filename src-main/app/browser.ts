/**
 * Browser mode's Node entry (out/main/browser.js): the same service as the Electron app, served to
 * a browser tab over HTTP + WebSocket on 127.0.0.1. Prints exactly one line to stdout, the URL with
 * its one-time token, and runs until SIGTERM/SIGINT, then closes the store cleanly.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { FileKeyVault } from '../accounts/vault';
import { composeApp } from './compose';
import { argValue, resolveDataDir } from './data-dir';
import { RedactingLogger } from './logger';
import { startBrowserServer } from '../api/ws';

const TOKEN_BYTES = 32;
const SHUTDOWN_TIMEOUT_MS = 10_000;

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be a number from 0 to 65535, not "${value}"`);
  }
  return port;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const port = parsePort(argValue(argv, 'port'));
  const dataDir = resolveDataDir(argValue(argv, 'data-dir'));
  const logger = new RedactingLogger({ logDir: path.join(dataDir, 'logs') });
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  logger.redact(token);

  // No OS keyring here: passwords are sealed with a key kept outside the data directory.
  const vault = new FileKeyVault({ dataDir });
  const app = await composeApp({
    dataDir,
    mode: 'browser',
    logger,
    filePicker: null,
    vault,
    redactSecret: (secret) => logger.redact(secret),
  });
  const server = await startBrowserServer({
    host: '127.0.0.1',
    port,
    token,
    rendererDir: path.join(__dirname, '..', 'renderer'),
    dispatch: app.dispatch,
    events: app.events,
    logger,
  });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info(`browser mode: ${signal}, shutting down`);
    const force = setTimeout(() => {
      logger.error('browser mode: shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    force.unref();
    void (async () => {
      await server.close();
      await app.close();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Only now: whoever reads this line may signal us at once, and the handlers must already be there.
  process.stdout.write(`Estafeta is running at ${server.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Estafeta could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
