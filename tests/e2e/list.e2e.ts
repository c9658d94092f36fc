/**
 * The message list (issue 7, points 2 and 5): a virtualized grid named "Messages" with sender,
 * subject, date, size and marks, unread in bold, sorting, multi-select with Shift/Ctrl and the
 * keyboard, the conversation view, and the toolbar/keys acting on the selection. Browser mode on
 * stores seeded through the store API (bench/support/ui-seed.ts: every 4th message unread, every
 * 5th with attachments, every 17th flagged, threads of three).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { seedUiStore } from '../../bench/support/ui-seed';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const UI_TIMEOUT_MS = 15_000;
const BIG_FOLDER = 5_000;
const SMALL_FOLDER = 30;

let browser: Browser;
const apps: { app: BrowserMode; dir: TempDir }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const { app, dir } of apps) {
    await app.stop();
    await dir.remove();
  }
});

async function startSeeded(count: number): Promise<BrowserMode> {
  const dir = await makeTempDir('estafeta-e2e-list-');
  await seedUiStore(dir.path, { count });
  const app = await startBrowserMode({ dataDir: dir.path });
  apps.push({ app, dir });
  return app;
}

async function openApp(app: BrowserMode): Promise<{ page: Page; grid: Locator; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(app.url);
  const grid = page.getByRole('grid', { name: 'Messages' });
  await rowAt(grid, 1).locator('[role="gridcell"]').first().waitFor();
  return { page, grid, errors };
}

/** The row at 1-based position `rowIndex` of the whole list (if it is rendered). */
function rowAt(grid: Locator, rowIndex: number): Locator {
  return grid.locator(`[role="row"][aria-rowindex="${rowIndex}"]`);
}

async function selectedRowIndexes(grid: Locator): Promise<number[]> {
  const indexes = await grid
    .locator('[role="row"][aria-selected="true"]')
    .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('aria-rowindex'))));
  return indexes.sort((a, b) => a - b);
}

describe('a big folder', () => {
  let app: BrowserMode;
  beforeAll(async () => {
    app = await startSeeded(BIG_FOLDER);
  });

  it('keeps only the visible rows in the DOM and scrolls to the last message', async () => {
    const { page, grid, errors } = await openApp(app);
    await expect(grid.getAttribute('aria-rowcount')).resolves.toBe(String(BIG_FOLDER));
    await page.getByText('5,000 messages', { exact: true }).waitFor();
    const rendered = await grid.getByRole('row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);

    // Jump to the end, as dragging the scroll bar down does.
    await grid.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    const last = rowAt(grid, BIG_FOLDER);
    await last.getByText(`Message ${BIG_FOLDER - 1} about`).waitFor();
    expect(await grid.getByRole('row').count()).toBeLessThan(60);
    await saveScreenshot(page, 'list-end-of-5000');
    // And back up half-way with the keyboard's Home: the first message again.
    await rowAt(grid, BIG_FOLDER).click();
    await page.keyboard.press('Home');
    await rowAt(grid, 1).getByText('Message 0 about').waitFor();
    await expect(rowAt(grid, 1).getAttribute('aria-selected')).resolves.toBe('true');
    expect(errors).toEqual([]);
  });

  it('shows sender, subject, date, size and the unread, attachment and flag marks', async () => {
    const { page, grid } = await openApp(app);
    const first = rowAt(grid, 1); // message 0: unread, flagged, answered, with attachments, 800 bytes
    await first.getByText('Ana García').waitFor();
    await first.getByText('Quarterly report #0').waitFor();
    await first.getByText('Nov 20').waitFor();
    await first.getByText('800 bytes').waitFor();
    for (const mark of ['Unread', 'Has attachments', 'Flagged', 'Answered']) {
      await first.getByText(mark, { exact: true }).waitFor({ state: 'attached' });
    }
    const second = rowAt(grid, 2); // message 1: read, no marks
    await second.getByText('Bruno Díaz').waitFor();
    await expect(second.getByText('Unread', { exact: true }).count()).resolves.toBe(0);
    await expect(second.getByText('Has attachments', { exact: true }).count()).resolves.toBe(0);
    const weights = await Promise.all(
      [first, second].map((row) =>
        row.getByText(/Quarterly report/).evaluate((element) => Number(getComputedStyle(element).fontWeight)),
      ),
    );
    expect(weights[0]).toBeGreaterThanOrEqual(600);
    expect(weights[1]).toBeLessThan(600);
    await saveScreenshot(page, 'list-columns-and-marks');
  });

  it('sorts by date, sender, subject and size, both ways', async () => {
    const { page, grid } = await openApp(app);
    const sortBy = page.getByLabel('Sort by');
    const firstRow = rowAt(grid, 1);

    await sortBy.selectOption('sender');
    await page.getByRole('button', { name: /Descending order/ }).click();
    await firstRow.getByText('Ana García').waitFor(); // ascending: A first
    await page.getByRole('button', { name: /Ascending order/ }).click();
    await firstRow.getByText('Fatima Zahra').waitFor();

    await sortBy.selectOption('size');
    // Descending: the largest seeded size first (ui-seed's sizes are 800 + (i * 7919) % 250,000).
    const largest = Math.max(...Array.from({ length: BIG_FOLDER }, (_, i) => 800 + ((i * 7919) % 250_000)));
    await firstRow.getByText(`${Math.round(largest / 1024)} kB`, { exact: true }).waitFor();
    await page.getByRole('button', { name: /Descending order/ }).click();
    await firstRow.getByText('800 bytes').waitFor();

    await sortBy.selectOption('subject');
    await firstRow.getByText(/^(Re: )?Invoice/).waitFor(); // ascending, "Re:" ignored
    await saveScreenshot(page, 'list-sorted-by-subject');

    await sortBy.selectOption('date');
    await firstRow.getByText(`Message ${BIG_FOLDER - 1} about`).waitFor(); // ascending: oldest first
  });

  it('selects with Shift and Ctrl clicks and with Shift+arrows', async () => {
    const { page, grid } = await openApp(app);
    await rowAt(grid, 2).click();
    await rowAt(grid, 6).click({ modifiers: ['Shift'] });
    await expect(selectedRowIndexes(grid)).resolves.toEqual([2, 3, 4, 5, 6]);
    await page.getByText('5 selected').waitFor();
    await rowAt(grid, 4).click({ modifiers: ['Control'] });
    await expect(selectedRowIndexes(grid)).resolves.toEqual([2, 3, 5, 6]);
    await rowAt(grid, 9).click({ modifiers: ['Control'] });
    await expect(selectedRowIndexes(grid)).resolves.toEqual([2, 3, 5, 6, 9]);
    await saveScreenshot(page, 'list-multi-select');

    // The keyboard: a plain arrow selects one, Shift+arrow extends from it.
    await page.keyboard.press('ArrowDown');
    await expect(selectedRowIndexes(grid)).resolves.toEqual([10]);
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect(selectedRowIndexes(grid)).resolves.toEqual([10, 11, 12]);
    await page.keyboard.press('Shift+ArrowUp');
    await expect(selectedRowIndexes(grid)).resolves.toEqual([10, 11]);
  });

  it('moves with j/k, opens with Enter, and shows the message in the reader', async () => {
    const { page, grid } = await openApp(app);
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    await rowAt(grid, 1).click();
    await reader.getByText('Seeded message 0').first().waitFor();
    await page.locator('body').press('j');
    await expect(selectedRowIndexes(grid)).resolves.toEqual([2]);
    await reader.getByText('Seeded message 1').first().waitFor();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await expect(selectedRowIndexes(grid)).resolves.toEqual([2]);
    await page.keyboard.press('Enter');
    await reader.getByText('Seeded message 1').first().waitFor();
  });

  it('groups threads in the conversation view and remembers the choice', async () => {
    const { page, grid } = await openApp(app);
    const toggle = page.getByRole('button', { name: 'Conversation view' });
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    await toggle.click();
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    const threads = Math.ceil(BIG_FOLDER / 3);
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads));
    // Each seeded thread is three messages; its row is the newest and is unread if any is (thread 1
    // holds message 4, still unread: earlier tests opened only messages 0, 1, 2 and 9).
    await rowAt(grid, 1).getByText('3 messages in this conversation').waitFor({ state: 'attached' });
    await rowAt(grid, 2).getByText('Unread', { exact: true }).waitFor({ state: 'attached' });
    await rowAt(grid, 2).getByText('Message 3 about').waitFor();
    await saveScreenshot(page, 'list-conversations');
    await page.reload();
    await expect
      .poll(() => grid.getAttribute('aria-rowcount'), { timeout: UI_TIMEOUT_MS })
      .toBe(String(threads));
    await page.getByRole('button', { name: 'Conversation view' }).click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(BIG_FOLDER));
  });

  it('opens a thread inline with its disclosure button and Right/Left', async () => {
    const { page, grid, errors } = await openApp(app);
    const toggle = page.getByRole('button', { name: 'Conversation view' });
    await toggle.click();
    const threads = Math.ceil(BIG_FOLDER / 3);
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads));
    const disclosure = rowAt(grid, 1).getByRole('button', { name: 'Conversation messages' });
    await expect(disclosure.getAttribute('aria-expanded')).resolves.toBe('false');
    const threadSubject = await rowAt(grid, 1).locator('.subject-text').textContent();

    await disclosure.click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads + 3));
    await expect(disclosure.getAttribute('aria-expanded')).resolves.toBe('true');
    // Its three messages, oldest first, right under it: the last is the thread's newest.
    await expect(rowAt(grid, 4).locator('.subject-text').textContent()).resolves.toBe(threadSubject);
    for (const member of [2, 3, 4]) {
      await expect(
        rowAt(grid, member).getByRole('button', { name: 'Conversation messages' }).count(),
      ).resolves.toBe(0);
    }
    await saveScreenshot(page, 'list-thread-open');

    // Left on one of its messages closes the thread and goes back to the thread's row.
    await rowAt(grid, 3).click();
    await page
      .getByRole('region', { name: 'Message', exact: true })
      .getByText(/Seeded message/)
      .first()
      .waitFor();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads + 3));
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads));
    await expect(selectedRowIndexes(grid)).resolves.toEqual([1]);
    // Right opens it again, Left closes it.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads + 3));
    await expect(disclosure.getAttribute('aria-expanded')).resolves.toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(threads));
    await expect(disclosure.getAttribute('aria-expanded')).resolves.toBe('false');

    await toggle.click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(BIG_FOLDER));
    expect(errors).toEqual([]);
  });

  it('selects the whole folder with Ctrl+A without loading it, and marks it unread and read', async () => {
    const { page, grid, errors } = await openApp(app);
    await rowAt(grid, 1).click();
    await page.keyboard.press('Control+a');
    await page.getByText('5,000 selected').waitFor();
    await expect(selectedRowIndexes(grid)).resolves.toContain(1);
    // A Ctrl-click leaves one out.
    await rowAt(grid, 3).click({ modifiers: ['Control'] });
    await page.getByText('4,999 selected').waitFor();
    await expect(rowAt(grid, 3).getAttribute('aria-selected')).resolves.toBe('false');
    // Rows far below, never loaded before, show selected as they arrive.
    await grid.evaluate((element) => {
      element.scrollTop = element.scrollHeight;
    });
    await rowAt(grid, BIG_FOLDER).locator('.sender').waitFor();
    await expect(rowAt(grid, BIG_FOLDER).getAttribute('aria-selected')).resolves.toBe('true');
    await saveScreenshot(page, 'list-select-all');

    await page.getByRole('button', { name: 'Mark as unread', exact: true }).click();
    const inbox = page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Inbox', exact: true });
    // Every message but the one left out (row 3: message 2, read) is unread now.
    await inbox.getByText('4,999 unread messages').waitFor({ state: 'attached' });
    // u on a selection that is all unread marks it read.
    await grid.focus();
    await page.keyboard.press('u');
    await expect.poll(() => inbox.getByText(/unread messages/).count()).toBe(0);
    await expect.poll(() => rowAt(grid, BIG_FOLDER).getByText('Unread', { exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

describe('acting on a whole folder (Ctrl+A)', () => {
  let app: BrowserMode;
  beforeAll(async () => {
    app = await startSeeded(SMALL_FOLDER);
  });

  it('moves all but the messages left out, then deletes the rest with Delete', async () => {
    const { page, grid, errors } = await openApp(app);
    await rowAt(grid, 1).click();
    await page.keyboard.press('Meta+a');
    await page.getByText(`${SMALL_FOLDER} selected`).waitFor();
    await rowAt(grid, 2).click({ modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Move to…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Move to…' });
    await dialog.getByText(`Move ${SMALL_FOLDER - 1} messages to:`).waitFor();
    await dialog.getByRole('button', { name: 'Drafts', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('1');

    await rowAt(grid, 1).click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.getByText('No messages in this folder').waitFor();
    const drafts = page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Drafts', exact: true });
    await drafts.click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(SMALL_FOLDER - 1));
    await saveScreenshot(page, 'list-select-all-moved');
    expect(errors).toEqual([]);
  });
});

describe('acting on the selection', () => {
  let app: BrowserMode;
  beforeAll(async () => {
    app = await startSeeded(SMALL_FOLDER);
  });

  const inboxItem = (page: Page) =>
    page.getByRole('tree', { name: 'Folders' }).getByRole('treeitem', { name: 'Inbox', exact: true });

  it('marks as unread with the button and toggles with u', async () => {
    const { page, grid } = await openApp(app);
    const second = rowAt(grid, 2); // message 1 starts read
    await second.click(); // opening it keeps it read
    await page.getByRole('button', { name: 'Mark as unread', exact: true }).click();
    await second.getByText('Unread', { exact: true }).waitFor({ state: 'attached' });
    // The folder's unread count follows (8 seeded unread + this one).
    await inboxItem(page).getByText('9 unread messages').waitFor({ state: 'attached' });
    await grid.focus();
    await page.keyboard.press('u');
    await expect.poll(() => second.getByText('Unread', { exact: true }).count()).toBe(0);
    await inboxItem(page).getByText('8 unread messages').waitFor({ state: 'attached' });
  });

  it('flags a selection with the button and unflags it with s', async () => {
    const { page, grid } = await openApp(app);
    await rowAt(grid, 3).click();
    await rowAt(grid, 4).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Flag', exact: true }).click();
    for (const index of [3, 4]) {
      await rowAt(grid, index).getByText('Flagged', { exact: true }).waitFor({ state: 'attached' });
    }
    // Every selected message is flagged: the button and s now unflag.
    await page.getByRole('button', { name: 'Unflag', exact: true }).waitFor();
    await grid.focus();
    await page.keyboard.press('s');
    for (const index of [3, 4]) {
      await expect.poll(() => rowAt(grid, index).getByText('Flagged', { exact: true }).count()).toBe(0);
    }
    await page.getByRole('button', { name: 'Flag', exact: true }).waitFor();
  });

  it('deletes with the Delete key and the button, moving on to the next message', async () => {
    const { page, grid } = await openApp(app);
    const before = Number(await grid.getAttribute('aria-rowcount'));
    await rowAt(grid, 1).click();
    const nextSubject = await rowAt(grid, 2).locator('.subject-text').textContent();
    await page.keyboard.press('Delete');
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(before - 1));
    await rowAt(grid, 1)
      .getByText(nextSubject ?? '')
      .waitFor();
    await expect(selectedRowIndexes(grid)).resolves.toEqual([1]);

    await rowAt(grid, 1).click();
    await rowAt(grid, 2).click({ modifiers: ['Shift'] });
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(before - 3));
    const trash = page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Trash', exact: true });
    await trash.click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('3');
    await saveScreenshot(page, 'list-after-delete-trash');
  });

  it('moves the selection with "Move to…" and archives with "Archive"', async () => {
    const { page, grid } = await openApp(app);
    const before = Number(await grid.getAttribute('aria-rowcount'));
    await rowAt(grid, 1).click();
    await rowAt(grid, 2).click({ modifiers: ['Control'] });
    await page.getByRole('button', { name: 'Move to…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Move to…' });
    await dialog.getByText('Move 2 messages to:').waitFor();
    await saveScreenshot(page, 'list-move-to');
    await dialog.getByRole('button', { name: 'Drafts', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(before - 2));

    await rowAt(grid, 1).click();
    await page.getByRole('button', { name: 'Archive', exact: true }).click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe(String(before - 3));
    await page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: 'Archive', exact: true })
      .click();
    await expect.poll(() => grid.getAttribute('aria-rowcount')).toBe('1');
  });
});
