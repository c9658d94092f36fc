/**
 * `tsx bench/support/ui-seed-child.ts <dataDir> <count> [secondInbox]`: seeds a data directory
 * (ui-seed.ts) and prints one JSON line with the folder ids and the time taken.
 */
import './raw-sql-loader';
import { seedUiStore } from './ui-seed';

async function main(): Promise<void> {
  const [dataDir, count, secondInbox] = process.argv.slice(2);
  if (!dataDir || !count) throw new Error('usage: ui-seed-child.ts <dataDir> <count> [secondInbox]');
  const started = performance.now();
  const seeded = await seedUiStore(dataDir, { count: Number(count), secondInbox: Number(secondInbox ?? 0) });
  process.stdout.write(`${JSON.stringify({ ...seeded, ms: Math.round(performance.now() - started) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
