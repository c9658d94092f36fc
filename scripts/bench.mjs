// `npm run bench` runs every benchmark in bench/; `npm run bench -- <name>` runs bench/<name>.bench.ts.
// Each prints a readable table and then one line `RESULT <name> key=value ...`. Everything from the
// first flag on goes to the benchmarks: `npm run bench -- search --messages 20000 --no-notmuch`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './build-if-stale.mjs';

const available = readdirSync(path.join(ROOT, 'bench'))
  .filter((file) => file.endsWith('.bench.ts'))
  .map((file) => file.replace(/\.bench\.ts$/, ''))
  .sort();
const args = process.argv.slice(2);
const firstFlag = args.findIndex((arg) => arg.startsWith('-'));
const wanted = firstFlag === -1 ? args : args.slice(0, firstFlag);
const flags = firstFlag === -1 ? [] : args.slice(firstFlag);
const unknown = wanted.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}\n`);
  process.exit(2);
}
const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
let status = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  const result = spawnSync(tsx, [path.join(ROOT, 'bench', `${name}.bench.ts`), ...flags], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
