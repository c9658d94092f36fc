/**
 * What every e2e file that adds accounts starts from: browser mode on a fresh data dir, with a state
 * dir of its own (the credential vault keeps its key under XDG_STATE_HOME, which must not be the
 * machine's), opened in a new Chromium context, the page's errors collected for a final check.
 */
import type { Browser, Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from './browser-mode';
import { makeTempDir } from './temp-dir';

export interface AppInChromium {
  app: BrowserMode;
  page: Page;
  /** Uncaught page errors, and with `withConsoleErrors` the console's errors too, in order. */
  pageErrors: string[];
  /** Stops browser mode, closes the context and removes both directories. */
  close(): Promise<void>;
}

export interface AppInChromiumOptions {
  /** Names the temporary directories: estafeta-e2e-<name>-…. */
  name: string;
  /** Playwright's default timeout for the page's actions and waits. */
  timeoutMs: number;
  viewport?: { width: number; height: number };
  /** Runs in the page before the app (a stand-in for a browser API, say). */
  initScript?: string;
  /** Console messages of type error count as page errors too (prefixed "uncaught: " for the others). */
  withConsoleErrors?: boolean;
}

export async function openAppInChromium(
  browser: Browser,
  options: AppInChromiumOptions,
): Promise<AppInChromium> {
  const [dataDir, stateHome] = await Promise.all([
    makeTempDir(`estafeta-e2e-${options.name}-`),
    makeTempDir(`estafeta-e2e-${options.name}-state-`),
  ]);
  const app = await startBrowserMode({ dataDir: dataDir.path, env: { XDG_STATE_HOME: stateHome.path } });
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'en-US',
  });
  if (options.initScript !== undefined) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs);
  const pageErrors: string[] = [];
  if (options.withConsoleErrors) {
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }
  page.on('pageerror', (error) =>
    pageErrors.push(options.withConsoleErrors ? `uncaught: ${error.message}` : error.message),
  );
  await page.goto(app.url);
  return {
    app,
    page,
    pageErrors,
    async close() {
      await app.stop();
      await context.close().catch(() => undefined); // the browser may be closed already
      await dataDir.remove();
      await stateHome.remove();
    },
  };
}
