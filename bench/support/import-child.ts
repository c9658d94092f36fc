/**
 * Imports one mbox into a fresh store and reports time and memory, in its own process so the
 * figures are the importer's alone (VmHWM is a process-lifetime peak).
 *
 *   tsx bench/support/import-child.ts <file.mbox> <data dir>
 * Prints one JSON line.
 */
import './raw-sql-loader';
import { readFileSync } from 'node:fs';
import { SqliteMailStore } from '../../src-main/store/mail-store';
import { LocalImporter } from '../../src-main/sync/local-import/importer';

/** RSS is sampled this often while the import runs. */
const RSS_SAMPLE_MS = 50;

function vmHwmMb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null; // not Linux
  }
}

async function main(): Promise<void> {
  const [mboxPath, dataDir] = process.argv.slice(2);
  if (!mboxPath || !dataDir) throw new Error('usage: import-child.ts <file.mbox> <data dir>');
  const store = SqliteMailStore.open(dataDir);
  const inbox = store.ensureLocalFolders().folders.find((folder) => folder.role === 'inbox');
  if (!inbox) throw new Error('no inbox');
  let progressEvents = 0;
  /** RSS when the import passes each quarter of the file: flat memory shows as four similar numbers. */
  const rssByQuarterMb: number[] = [];
  const importer = new LocalImporter({
    store,
    onProgress: (progress) => {
      progressEvents++;
      const quarter = Math.floor((progress.bytes / Math.max(1, progress.totalBytes)) * 4);
      while (rssByQuarterMb.length < Math.min(quarter, 4))
        rssByQuarterMb.push(process.memoryUsage().rss / 1024 / 1024);
    },
    onFolderChanged: () => {},
  });

  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
  let rssPeakMb = rssBeforeMb;
  const sampler = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / 1024 / 1024);
  }, RSS_SAMPLE_MS);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const result = await importer.importFile(inbox.id, mboxPath, 'mbox');
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / 1024 / 1024);

  const stored = store.messages.countsFor([inbox.id]).get(inbox.id)?.total ?? 0;
  const ids: string[] = [];
  for (let offset = 0; offset < stored; offset += 500) {
    ids.push(
      ...store.messages
        .page(inbox.id, offset, 500, { by: 'date', direction: 'asc' })
        .rows.map((row) => row.messageIdHeader ?? ''),
    );
  }
  store.close();
  console.log(
    JSON.stringify({
      ...result,
      errors: result.errors.slice(0, 3),
      stored,
      seconds,
      cpuUserSeconds: cpu.user / 1e6,
      cpuSystemSeconds: cpu.system / 1e6,
      rssBeforeMb,
      rssPeakMb,
      rssByQuarterMb,
      vmHwmMb: vmHwmMb(),
      progressEvents,
      messageIds: ids,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
