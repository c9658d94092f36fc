/**
 * Development aid for the POP3 benchmark: seeds once per run and times only our side (the child),
 * so a change to the engine can be measured without the baselines.
 *   npx tsx bench/support/pop3-quick-run.ts [messages] [runs]
 * POP3_CHILD_NODE_ARGS adds node flags to the child, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof";
 * POP3_CHILD_TRACE=1 makes it print where the check's wall time went (pop3-child.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMailServers } from '../../tests/support/mail-servers';
import { seedMailbox } from '../../tests/support/seed-mailbox';

const USER = 'alice';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 2000);
  const runs = Number(process.argv[3] ?? 1);
  const work = mkdtempSync(path.join(tmpdir(), 'estafeta-pop3-quick-'));
  const servers = await startMailServers();
  try {
    for (let run = 0; run < runs; run++) {
      await seedMailbox(servers, USER, count, { extraFolders: false, seed: 5, reset: true });
      spawnSync('sync');
      const dataDir = path.join(work, `store-${run}`);
      const child = spawnSync(
        process.execPath,
        [
          ...(process.env.POP3_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean),
          '--import',
          'tsx',
          path.join('bench', 'support', 'pop3-child.ts'),
          dataDir,
          servers.host,
          String(servers.ports.pop3),
          USER,
          servers.password,
        ],
        { encoding: 'utf8', env: { ...process.env } },
      );
      // Kept until the end, as in pop3.bench.ts: ext4 is slow to create files just after deletions.
      if (child.status === 0 && child.stderr.length > 0) console.error(child.stderr.trim());
      console.log(child.status === 0 ? child.stdout.trim() : child.stderr);
    }
  } finally {
    await servers.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
