/**
 * Starts Estafeta's browser mode the way a user does (`node scripts/browser.mjs`, which builds out/
 * first when it is stale) on a free port with its own data directory, and reads the one line it
 * prints: `Estafeta is running at http://127.0.0.1:<port>/#token=<token>`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Long enough for a cold electron-vite build before the server starts. */
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 15_000;
const READY_LINE = /^Estafeta is running at (http:\/\/127\.0\.0\.1:(\d+)\/#token=([A-Za-z0-9_-]+))$/m;
const MAX_CAPTURED_STDERR = 20_000;

export interface BrowserMode {
  url: string;
  port: number;
  token: string;
  process: ChildProcess;
  /** SIGTERM, then waits for the exit (SIGKILL after a bound). */
  stop(): Promise<void>;
}

export interface BrowserModeOptions {
  dataDir: string;
  env?: Record<string, string>;
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts', 'browser.mjs'), '--port', '0', '--data-dir', options.dataDir],
    { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-MAX_CAPTURED_STDERR);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`browser mode printed no URL within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
        const found = READY_LINE.exec(stdout);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`browser mode exited early (code ${code}, signal ${signal})`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const [, url = '', port = '', token = ''] = match;
    return { url, port: Number(port), token, process: child, stop };
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`, { cause: error });
  }
}
