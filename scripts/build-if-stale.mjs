// Builds out/ with electron-vite when any source is newer than the build (or the build is missing).
// Build output goes to stderr so that browser mode's stdout stays exactly one line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'src-main',
  'src-renderer',
  'resources',
  'electron.vite.config.ts',
  'package.json',
  'svelte.config.js',
];
const OUTPUTS = [
  'out/main/main.js',
  'out/main/browser.js',
  'out/preload/preload.js',
  'out/renderer/index.html',
];
const MAX_FILES_SCANNED = 20_000;

function newestMtime(entry, budget) {
  if (!existsSync(entry) || budget.left-- <= 0) return 0;
  const info = statSync(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const child of readdirSync(entry))
    newest = Math.max(newest, newestMtime(path.join(entry, child), budget));
  return newest;
}

export function isBuildStale() {
  const outputs = OUTPUTS.map((file) => path.join(ROOT, file));
  if (!outputs.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  const budget = { left: MAX_FILES_SCANNED };
  const newestSource = Math.max(...SOURCES.map((source) => newestMtime(path.join(ROOT, source), budget)));
  return newestSource > oldestOutput;
}

const LOCK_DIR = path.join(ROOT, 'out', '.build-lock');
const LOCK_WAIT_MS = 5 * 60_000;
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Two processes starting browser mode at once (parallel test files, a test and a developer) must
 * not build into out/ together: mkdir is atomic, so it serves as the lock; a lock left by a killed
 * build is taken over once it is older than any build takes.
 */
function withBuildLock(work) {
  mkdirSync(path.dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch {
      if (existsSync(LOCK_DIR) && Date.now() - statSync(LOCK_DIR).mtimeMs > LOCK_STALE_MS) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
      } else if (Date.now() > deadline) {
        process.stderr.write('Estafeta: another build did not finish in time.\n');
        process.exit(1);
      } else {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
      }
    }
  }
  try {
    return work();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

export function buildIfStale({ force = false } = {}) {
  if (!force && !isBuildStale()) return;
  withBuildLock(() => {
    // Another process may have built while this one waited for the lock.
    if (force || isBuildStale()) runBuild();
  });
}

function runBuild() {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'electron-vite');
  const result = spawnSync(bin, ['build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    process.stderr.write('Estafeta: the build failed (see the output above).\n');
    process.exit(result.status ?? 1);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  buildIfStale({ force: process.argv.includes('--force') });
