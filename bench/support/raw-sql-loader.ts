/**
 * Lets tsx load the store's migrations, which are imported as `./001-initial.sql?raw` (Vite's
 * raw import, handled by electron-vite and vitest). tsx runs this project's TypeScript as CommonJS
 * and hands `file.sql?raw` to the ".js" loader; this hook returns the file's text instead.
 * Import it before anything that imports the store.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';

type Loader = (module: { exports: unknown }, filename: string) => void;
const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
const javascriptLoader = extensions['.js'];

if (javascriptLoader) {
  extensions['.js'] = (module, filename) => {
    const [file, query] = filename.split('?');
    if (file && query !== undefined && new URLSearchParams(query).has('raw')) {
      module.exports = readFileSync(file, 'utf8');
      return;
    }
    javascriptLoader(module, filename);
  };
}
