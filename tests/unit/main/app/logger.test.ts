import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RedactingLogger } from '../../../../src-main/app/logger';

let dir: string | null = null;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = null;
});

describe('RedactingLogger', () => {
  it('never writes a registered secret or a credential assignment to the log file', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'estafeta-log-'));
    const logger = new RedactingLogger({ logDir: dir, echo: false });
    logger.redact('hunter2-Secret!');
    logger.error('login failed for alice with hunter2-Secret!', { user: 'alice', password: 'other-pass' });
    logger.warn('url was http://x/?token=abcdef123456 and pass=zzz999');
    const text = await readFile(path.join(dir, 'estafeta.log'), 'utf8');
    expect(text).not.toContain('hunter2-Secret!');
    expect(text).not.toContain('other-pass');
    expect(text).not.toContain('abcdef123456');
    expect(text).not.toContain('zzz999');
    expect(text).toContain('login failed for alice');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
  });
});
