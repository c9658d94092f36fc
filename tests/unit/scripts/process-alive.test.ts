/**
 * The test mail servers' "is it running?" check (scripts/mailserver/process-alive.sh, sourced by
 * start.sh and stop.sh): a zombie is not a running server, or a restart after a stop does nothing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../../scripts/mailserver/process-alive.sh', import.meta.url));
const WAIT_MS = 10_000;

function isAlive(pid: number): boolean {
  const result = spawnSync('bash', ['-c', `. "${SCRIPT}"; alive "$1"`, 'alive', String(pid)]);
  return result.status === 0;
}

describe('alive (start.sh and stop.sh)', () => {
  it('knows a live process from an exited one', () => {
    expect(isAlive(process.pid)).toBe(true);
    const exited = spawnSync('bash', ['-c', 'sh -c "exit 0" & echo $!; wait']);
    expect(isAlive(Number(String(exited.stdout).trim()))).toBe(false);
  });

  it('takes a zombie, which kill -0 still finds, for dead', async () => {
    // A parent that never reaps its child: the child stays a zombie while the parent sleeps.
    const parent = spawn('python3', [
      '-c',
      'import os, sys, time\npid = os.fork()\nif pid == 0: os._exit(0)\nprint(pid, flush=True)\ntime.sleep(30)',
    ]);
    try {
      const zombie = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no child pid')), WAIT_MS);
        parent.stdout.once('data', (text: Buffer) => {
          clearTimeout(timer);
          resolve(Number(text.toString().trim()));
        });
      });
      await expect
        .poll(() =>
          spawnSync('ps', ['-o', 'stat=', '-p', String(zombie)])
            .stdout.toString()
            .trim(),
        )
        .toMatch(/^Z/);
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isAlive(zombie)).toBe(false);
      expect(isAlive(parent.pid ?? -1)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
