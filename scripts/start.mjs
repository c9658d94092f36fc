// `npm start`: builds, then launches the Electron app. Where the Electron binary is not installed
// (it cannot be downloaded on every machine), says so in one line and starts browser mode instead.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale, ROOT } from './build-if-stale.mjs';

function electronBinary() {
  // electron's package writes path.txt once its binary is downloaded; without it there is none.
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

buildIfStale();
const binary = electronBinary();
const args = process.argv.slice(2);
if (binary) {
  const child = spawn(binary, [ROOT, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  process.stderr.write(
    'The Electron binary is not installed here, so Estafeta starts in browser mode: open the link below.\n',
  );
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'browser.mjs'), ...args], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
