/**
 * Search as a user meets it, in Chromium on browser mode: messages imported, then found from the
 * "Search mail" box by a word typed without its accent, by an operator, by a negation; a bad query
 * explained under the box while the rest is still searched; a result opened with the searched word
 * marked in the reader; the folder's list back when the box is cleared; and the index rebuilt from
 * Settings, with its progress and completion shown, and search working after it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const UI_TIMEOUT_MS = 15_000;

let browser: Browser;
let app: BrowserMode;
let dataDir: TempDir;
let files: TempDir;
let page: Page;
const pageErrors: string[] = [];

function eml(subject: string, from: string, body: string, date: string): string {
  return [
    `From: ${from}`,
    'To: Alice <alice@example.test>',
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <${subject.replace(/\W/g, '').toLowerCase()}@example.test>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    body,
    '',
  ].join('\r\n');
}

const MESSAGES = [
  eml(
    'Canción de cuna',
    'José García <jose@example.test>',
    'La canción favorita de mi hija.',
    'Tue, 02 Jan 2024 10:00:00 +0000',
  ),
  eml(
    'Weekly status report',
    'Zoë Müller <zoe@example.test>',
    'The Atlas project is green.',
    'Wed, 03 Jan 2024 10:00:00 +0000',
  ),
  eml('Lunch plans', 'Bob Smith <bob@example.test>', 'Pizza on Friday?', 'Thu, 04 Jan 2024 10:00:00 +0000'),
];

beforeAll(async () => {
  [browser, dataDir, files] = await Promise.all([
    launchChromium(),
    makeTempDir('estafeta-search-e2e-'),
    makeTempDir('estafeta-search-files-'),
  ]);
  app = await startBrowserMode({ dataDir: dataDir.path });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(app.url);
  await page
    .getByRole('tree', { name: 'Folders' })
    .getByRole('treeitem', { name: 'Inbox', exact: true })
    .waitFor();
  const paths = await Promise.all(
    MESSAGES.map(async (text, index) => {
      const file = path.join(files.path, `m${index}.eml`);
      await writeFile(file, text);
      return file;
    }),
  );
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import messages', exact: true }).click();
  await (await chooser).setFiles(paths);
  await page.getByText('Imported 3 messages.').waitFor();
});

afterAll(async () => {
  await app?.stop();
  await browser?.close();
  await dataDir?.remove();
  await files?.remove();
});

const box = () => page.getByRole('searchbox', { name: 'Search mail' });
const rows = () => page.getByRole('grid', { name: 'Messages' }).getByRole('row');

/** Types a query as a user does and waits until the results list exactly these subjects. */
async function search(query: string, subjects: string[]): Promise<void> {
  await box().fill(query);
  await box().press('Enter');
  await expect
    .poll(
      async () =>
        (await rows().allInnerTexts()).map((text) => subjects.find((s) => text.includes(s)) ?? text),
      {
        timeout: UI_TIMEOUT_MS,
      },
    )
    .toEqual(subjects);
}

describe('search', () => {
  it('finds a message by a word typed without its accent, and opens it with the word marked', async () => {
    await search('cancion', ['Canción de cuna']);
    await page.getByText('1 result', { exact: true }).waitFor();
    await rows().first().click();
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    await reader.getByRole('heading', { name: 'Canción de cuna' }).waitFor();
    // The CSS highlight registry holds the marks (subject and body both contain the word).
    await expect
      .poll(() => page.evaluate<number>("globalThis.CSS.highlights.get('search-match')?.size ?? 0"), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBeGreaterThanOrEqual(2);
    await saveScreenshot(page, 'search-result-open');
  });

  it('uses operators and negation, newest first', async () => {
    await search('from:muller', ['Weekly status report']);
    await search('-cancion', ['Lunch plans', 'Weekly status report']);
    await search('atlas OR pizza', ['Lunch plans', 'Weekly status report']);
    await search('"status report" before:2024-01-04', ['Weekly status report']);
  });

  it('explains a bad query under the box and still searches the rest', async () => {
    await search('is:purple lunch', ['Lunch plans']);
    await page.getByText('“is:purple” is not known').waitFor();
    await search('nothingmatchesthis', []);
    await page.getByText('No messages match.').waitFor();
    // Already searching all mail: the hint does not suggest it.
    await page.getByText('Try fewer or different words.', { exact: true }).waitFor();
  });

  it('searches only the folder shown when asked', async () => {
    await search('lunch', ['Lunch plans']);
    const scope = page.getByRole('combobox', { name: 'Search in' });
    await scope.selectOption({ label: 'This folder' });
    await expect.poll(async () => rows().count()).toBe(1);
    await search('nothingmatchesthis', []);
    await page.getByText('Try fewer or different words, or search all mail.', { exact: true }).waitFor();
    await scope.selectOption({ label: 'All mail' });
  });

  it('ends an "All mail" search when a folder is picked; a "This folder" search follows the folder', async () => {
    const folders = page.getByRole('tree', { name: 'Folders' });
    const scope = page.getByRole('combobox', { name: 'Search in' });
    await search('lunch', ['Lunch plans']);
    await folders.getByRole('treeitem', { name: 'Drafts', exact: true }).click();
    await expect.poll(async () => box().inputValue()).toBe('');
    await expect.poll(async () => rows().count()).toBe(0);
    await folders.getByRole('treeitem', { name: 'Inbox', exact: true }).click();
    await expect.poll(async () => rows().count()).toBe(3);

    await search('lunch', ['Lunch plans']);
    await scope.selectOption({ label: 'This folder' });
    await folders.getByRole('treeitem', { name: 'Drafts', exact: true }).click();
    await expect.poll(async () => rows().count()).toBe(0);
    expect(await box().inputValue()).toBe('lunch');
    await folders.getByRole('treeitem', { name: 'Inbox', exact: true }).click();
    await expect.poll(async () => rows().count()).toBe(1);
    await scope.selectOption({ label: 'All mail' });
  });

  it('shows the folder again when the search is cleared', async () => {
    await page.getByRole('button', { name: 'Clear search' }).click();
    await expect.poll(async () => rows().count(), { timeout: UI_TIMEOUT_MS }).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});

describe('search index rebuild', () => {
  it('rebuilds the index from Settings, says when it is done, and search still finds mail', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const status = settings.getByRole('region', { name: 'Search index' }).getByRole('status');
    await status.getByText('Every message is indexed.').waitFor();
    const rebuild = settings.getByRole('button', { name: 'Rebuild search index', exact: true });
    await rebuild.click();
    await status.getByText('Search index rebuilt: 3 messages indexed.').waitFor();
    await expect.poll(() => rebuild.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
    await expect(settings.getByRole('progressbar', { name: 'Indexing progress' }).count()).resolves.toBe(0);
    await saveScreenshot(page, 'search-index-rebuilt');
    await page.keyboard.press('Escape');
    await settings.waitFor({ state: 'hidden' });
    await search('cancion', ['Canción de cuna']);
    expect(pageErrors).toEqual([]);
  });
});
