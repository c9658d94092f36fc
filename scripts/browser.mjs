// `npm run browser -- --port <port> --data-dir <dir>`: builds when needed, then runs browser mode
// in this same process, so SIGTERM/SIGINT reach it directly and stdout is exactly its one line.
import path from 'node:path';
import { createRequire } from 'node:module';
import { buildIfStale, ROOT } from './build-if-stale.mjs';

buildIfStale();
createRequire(import.meta.url)(path.join(ROOT, 'out', 'main', 'browser.js'));
