/**
 * The smoke test of the whole app as a user meets it: browser mode started from the command line,
 * the printed link opened in Chromium, mail imported through the file picker and read. The UI is
 * driven by its accessible names only (the same contract the hidden checks use).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const FIXTURES = fileURLToPath(new URL('../fixtures/e2e/', import.meta.url));
const HELLO_EML = `${FIXTURES}hello.eml`;
const THREE_MESSAGES_MBOX = `${FIXTURES}three-messages.mbox`;
const UI_TIMEOUT_MS = 15_000;
/** Sanitized mail may still ask for something its frame's CSP refuses; that is the CSP working. */
const ALLOWED_CONSOLE_ERRORS = [/Content Security Policy/i];

let browser: Browser;
const running: { app: BrowserMode; dataDir: TempDir }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  for (const { app, dataDir } of running.splice(0)) {
    await app.stop();
    await dataDir.remove();
  }
});

afterAll(async () => {
  await browser?.close();
});

async function startApp(): Promise<BrowserMode> {
  const dataDir = await makeTempDir('estafeta-e2e-');
  const app = await startBrowserMode({ dataDir: dataDir.path });
  running.push({ app, dataDir });
  return app;
}

/** A page in a fresh context (its own sessionStorage) that records every console error. */
async function openPage(url: string): Promise<{ page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (
      message.type() === 'error' &&
      !ALLOWED_CONSOLE_ERRORS.some((allowed) => allowed.test(message.text()))
    ) {
      consoleErrors.push(message.text());
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return { page, consoleErrors };
}

async function importThroughPicker(page: Page, files: string[]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import messages', exact: true }).click();
  await (await chooser).setFiles(files);
}

describe('browser mode', () => {
  it('opens on Local Folders with the Inbox selected and takes the token out of the address bar', async () => {
    const app = await startApp();
    const { page, consoleErrors } = await openPage(app.url);

    const folders = page.getByRole('tree', { name: 'Folders' });
    // The tree fills in once the page has its folders; isVisible() would not wait for that.
    await folders.getByRole('treeitem', { name: 'Local Folders' }).waitFor();
    for (const name of ['Inbox', 'Drafts', 'Sent', 'Trash']) {
      await folders.getByRole('treeitem', { name, exact: true }).waitFor();
    }
    await expect(
      folders.getByRole('treeitem', { name: 'Inbox', exact: true }).getAttribute('aria-selected'),
    ).resolves.toBe('true');
    await page.getByRole('button', { name: 'Import messages', exact: true }).waitFor();
    await page.getByRole('grid', { name: 'Messages' }).waitFor();
    await page.getByRole('region', { name: 'Message', exact: true }).waitFor();
    await page.getByText('No messages in this folder').waitFor();

    expect(page.url()).not.toContain('#');
    expect(page.url()).not.toContain(app.token);
    await saveScreenshot(page, 'smoke-empty-inbox');

    // A reload finds the token in this tab's sessionStorage.
    await page.reload();
    await folders.getByRole('treeitem', { name: 'Inbox', exact: true }).waitFor();
    // Connected again: the link indicator shows only while the link is down.
    await expect.poll(() => page.getByText(/Connecting|Reconnecting/).count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('says so in the status bar when the link to the app is lost', async () => {
    const app = await startApp();
    const { page } = await openPage(app.url);
    await page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Inbox', exact: true })
      .waitFor();
    await expect(page.getByText(/Reconnecting/).count()).resolves.toBe(0);

    await app.stop();
    await page.getByRole('status').filter({ hasText: 'Connection lost. Reconnecting…' }).waitFor();
    await saveScreenshot(page, 'smoke-connection-lost');
  });

  it('explains Compose without an account and leads to "Add account"', async () => {
    const app = await startApp();
    const { page, consoleErrors } = await openPage(app.url);
    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const composer = page.getByRole('dialog', { name: 'Compose' });
    await composer
      .getByRole('alert')
      .filter({ hasText: 'Add an email account before writing a message.' })
      .waitFor();
    // No empty form to type into and nothing to send.
    await expect(composer.getByRole('button', { name: 'Send' }).count()).resolves.toBe(0);
    await saveScreenshot(page, 'smoke-compose-without-account');

    await composer.getByRole('button', { name: 'Add account', exact: true }).click();
    await page.getByRole('dialog', { name: 'Add account' }).getByLabel('Email address').waitFor();
    await expect(composer.isVisible()).resolves.toBe(false);
    expect(consoleErrors).toEqual([]);
  });

  it('opens "Add account" as a dialog that the Close button and Escape both close', async () => {
    const app = await startApp();
    const { page, consoleErrors } = await openPage(app.url);
    const addAccount = page.getByRole('button', { name: 'Add account', exact: true });
    const dialog = page.getByRole('dialog', { name: 'Add account' });

    await addAccount.click();
    await dialog.waitFor();
    await saveScreenshot(page, 'smoke-add-account');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await addAccount.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(consoleErrors).toEqual([]);
  });

  it('says how to open the app when the page is opened without its link', async () => {
    const app = await startApp();
    const { page, consoleErrors } = await openPage(`http://127.0.0.1:${app.port}/`);
    await page.getByText('Open Estafeta with the link printed when browser mode started').waitFor();
    await saveScreenshot(page, 'smoke-no-token');
    expect(consoleErrors).toEqual([]);
  });

  it('imports an .eml through the file picker, lists it, and shows it in the reader', async () => {
    const app = await startApp();
    const { page, consoleErrors } = await openPage(app.url);
    await page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Inbox', exact: true })
      .waitFor();

    await importThroughPicker(page, [HELLO_EML]);
    const grid = page.getByRole('grid', { name: 'Messages' });
    const row = grid.getByRole('row').filter({ hasText: 'Hello from the e2e fixture' });
    await row.waitFor();
    await expect(grid.getByRole('row').count()).resolves.toBe(1);
    await page.getByText('Imported 1 message.').waitFor();

    await row.click();
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    await reader.getByRole('heading', { name: 'Hello from the e2e fixture' }).waitFor();
    await reader.getByText('This message proves that an imported .eml can be read in Estafeta.').waitFor();
    await reader.getByText('Ana Torres <ana@example.org>').waitFor();
    await reader.getByText('Carla Ruiz <carla@example.com>').waitFor();
    await expect(row.getAttribute('aria-selected')).resolves.toBe('true');
    await saveScreenshot(page, 'smoke-reader');
    expect(consoleErrors).toEqual([]);
  });

  it('imports a three-message mbox as three rows, and the keyboard opens the next one', async () => {
    const app = await startApp();
    const { page, consoleErrors } = await openPage(app.url);
    await page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Inbox', exact: true })
      .waitFor();

    await importThroughPicker(page, [THREE_MESSAGES_MBOX]);
    await page.getByText('Imported 3 messages.').waitFor();
    const grid = page.getByRole('grid', { name: 'Messages' });
    await grid.getByRole('row').nth(2).waitFor();
    await expect(grid.getByRole('row').count()).resolves.toBe(3);
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe('3');

    // Newest first: Third, Second, First. Open the first row, then j + Enter opens the second.
    await grid.getByRole('row').first().click();
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    await reader.getByRole('heading', { name: 'Third of three' }).waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await reader.getByRole('heading', { name: 'Second of three' }).waitFor();
    await reader.getByText('The second message.').waitFor();
    await saveScreenshot(page, 'smoke-mbox');
    expect(consoleErrors).toEqual([]);
  });
});
