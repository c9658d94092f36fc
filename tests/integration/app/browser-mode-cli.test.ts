/**
 * The `npm run browser` contract: exactly one stdout line with the URL and its token, `--port 0`
 * picks a free port, and SIGTERM/SIGINT shut down cleanly (exit 0, store closed, no half-written
 * files left in the data directory).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { makeTempDir } from '../../support/temp-dir';

const ROOT = path.resolve(__dirname, '../../..');
const START_TIMEOUT_MS = 90_000;
const EXIT_TIMEOUT_MS = 15_000;
const LINE = /^Estafeta is running at http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]{43})$/;

interface Started {
  child: ChildProcess;
  stdout: () => string;
  port: number;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startBrowserCli(
  dataDir: string,
  extraEnv: Record<string, string> = {},
  args?: string[],
): Promise<Started> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts', 'browser.mjs'), ...(args ?? ['--port', '0', '--data-dir', dataDir])],
    {
      cwd: ROOT,
      env: { ...process.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL line within ${START_TIMEOUT_MS} ms; stderr: ${err}`)),
      START_TIMEOUT_MS,
    );
    const check = (): void => {
      const match = LINE.exec(out.split('\n')[0] ?? '');
      if (out.includes('\n') && match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with ${code}; stderr: ${err}`));
    });
  });
  return { child, stdout: () => out, port };
}

function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('browser mode did not exit')), EXIT_TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('npm run browser', () => {
  it('prints exactly one line with a free port and a fresh token, serves the UI, and stops cleanly on SIGTERM', async () => {
    const dir = await makeTempDir('estafeta-cli-');
    cleanups.push(() => dir.remove());
    const started = await startBrowserCli(dir.path);
    expect(started.port).toBeGreaterThan(0);
    const page = await fetch(`http://127.0.0.1:${started.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<div id="app"');

    started.child.kill('SIGTERM');
    expect(await exitCode(started.child)).toBe(0);
    expect(started.stdout().trimEnd().split('\n')).toHaveLength(1);
    const files = await filesUnder(dir.path);
    expect(files).toContain('estafeta.db');
    // A clean close checkpoints the WAL and removes it; temp files would mean a half-written store.
    expect(files.filter((f) => f.endsWith('-wal') || f.includes('.tmp'))).toEqual([]);
  });

  it('uses ESTAFETA_DATA_DIR when --data-dir is not given, and SIGINT also stops it cleanly', async () => {
    const dir = await makeTempDir('estafeta-cli-env-');
    cleanups.push(() => dir.remove());
    const first = await startBrowserCli(dir.path, { ESTAFETA_DATA_DIR: dir.path }, ['--port', '0']);
    const token1 = LINE.exec(first.stdout().split('\n')[0] ?? '')?.[2];
    first.child.kill('SIGINT');
    expect(await exitCode(first.child)).toBe(0);
    expect(await filesUnder(dir.path)).toContain('estafeta.db');

    const second = await startBrowserCli(dir.path, { ESTAFETA_DATA_DIR: dir.path }, ['--port', '0']);
    const token2 = LINE.exec(second.stdout().split('\n')[0] ?? '')?.[2];
    expect(token2).not.toBe(token1);
    second.child.kill('SIGTERM');
    expect(await exitCode(second.child)).toBe(0);
  });

  it('refuses a bad --port with a clear message', async () => {
    const dir = await makeTempDir('estafeta-cli-bad-');
    cleanups.push(() => dir.remove());
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'scripts', 'browser.mjs'), '--port', 'eighty', '--data-dir', dir.path],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    expect(await exitCode(child)).toBe(1);
    expect(err).toContain('--port must be a number');
  });
});
