/**
 * Where Estafeta keeps its store: `--data-dir`, else ESTAFETA_DATA_DIR, else the platform default
 * (Electron passes its userData path as that default).
 */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'Estafeta';

/** The same directory Electron's app.getPath('userData') uses for an app named Estafeta. */
export function platformDataDir(): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
  }
}

export function resolveDataDir(cliValue: string | undefined, fallback: string = platformDataDir()): string {
  const chosen = cliValue ?? process.env.ESTAFETA_DATA_DIR ?? fallback;
  return path.resolve(chosen);
}

/** `--name value` and `--name=value` from argv. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === `--${name}`) return argv[i + 1];
    if (arg?.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}
