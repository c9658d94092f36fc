// `npm test`: every test (unit, integration against real Dovecot + Postfix, e2e in Chromium).
// Installs missing Debian packages first (as root), builds the app for browser mode, runs vitest,
// and ends with one plain summary line `N passed, N failed` that CI reads.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale, ROOT } from './build-if-stale.mjs';

const deps = spawnSync('bash', [path.join(ROOT, 'scripts', 'install-test-deps.sh')], { stdio: 'inherit' });
if (deps.status !== 0) process.exit(deps.status ?? 1);
buildIfStale();

const outDir = path.join(ROOT, 'test-output');
mkdirSync(outDir, { recursive: true });
const jsonFile = path.join(outDir, 'vitest.json');
const vitest = path.join(ROOT, 'node_modules', '.bin', 'vitest');
const run = spawnSync(
  vitest,
  ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`, ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
if (existsSync(jsonFile)) {
  const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  if (run.status !== 0 && failed === 0) failed = report.numFailedTestSuites || 1;
} else if (run.status !== 0) {
  failed = 1;
}
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
