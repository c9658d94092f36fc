import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface TempDir {
  path: string;
  remove(): Promise<void>;
}

/**
 * Creates a fresh directory `<prefix>XXXXXX`. A relative prefix goes under os.tmpdir(); an absolute
 * one (e.g. '/tmp/estafeta-mh-') is used as is, for callers that need a short path. The directory
 * is mode 0755 so that unprivileged daemons (Dovecot's `mail` user) can traverse it.
 */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(isAbsolute(prefix) ? prefix : join(tmpdir(), prefix));
  await chmod(path, 0o755);
  return {
    path,
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
