/**
 * The three-pane window as a user meets it (issue 7, points 1, 5, 6, 7): folder pane | message list
 * | reader with separators that resize by keyboard and mouse and are remembered; accounts grouped
 * in the folder tree with a unified "All Inboxes"; the toolbar's buttons and the "?" shortcut list;
 * light and dark themes from the OS; English and Spanish with a setting that sticks. Browser mode
 * on a store seeded through the store API, driven by accessible names only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { seedUiStore } from '../../bench/support/ui-seed';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const UI_TIMEOUT_MS = 15_000;
const LOCAL_MESSAGES = 60;
const WORK_MESSAGES = 21;

let browser: Browser;
let dataDir: TempDir;
let app: BrowserMode;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  [browser, dataDir] = await Promise.all([launchChromium(), makeTempDir('estafeta-e2e-shell-')]);
  await seedUiStore(dataDir.path, { count: LOCAL_MESSAGES, secondInbox: WORK_MESSAGES });
  app = await startBrowserMode({ dataDir: dataDir.path });
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await app?.stop();
  await dataDir?.remove();
});

/** A fresh page (own localStorage) on the app, with the Inbox's rows shown. */
async function openApp(
  options: { colorScheme?: 'light' | 'dark'; locale?: string } = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 860 },
    locale: options.locale ?? 'en-US',
    colorScheme: options.colorScheme ?? 'light',
  });
  contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(app.url);
  // Any language: the grid's name is translated.
  await page.locator('[role="grid"] [role="row"] [role="gridcell"]').first().waitFor();
  return { page, errors };
}

const folders = (page: Page): Locator => page.getByRole('tree', { name: 'Folders' });
const messages = (page: Page): Locator => page.getByRole('grid', { name: 'Messages' });

async function widthOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return box.width;
}

describe('the three-pane layout', () => {
  it('shows folders, messages and the reader side by side, resizable by keyboard and mouse, and remembered', async () => {
    const { page, errors } = await openApp();
    const tree = folders(page);
    const grid = messages(page);
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    await reader.waitFor();
    const [treeBox, gridBox, readerBox] = await Promise.all([
      tree.boundingBox(),
      grid.boundingBox(),
      reader.boundingBox(),
    ]);
    expect(treeBox!.x + treeBox!.width).toBeLessThanOrEqual(gridBox!.x + 1);
    expect(gridBox!.x + gridBox!.width).toBeLessThanOrEqual(readerBox!.x + 1);

    const folderSeparator = page.getByRole('separator', { name: 'Resize folder pane' });
    const listSeparator = page.getByRole('separator', { name: 'Resize message list' });
    const listBefore = await widthOf(grid);
    const folderValue = Number(await folderSeparator.getAttribute('aria-valuenow'));

    // Keyboard: each arrow press moves the separator a step.
    await folderSeparator.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(folderSeparator.getAttribute('aria-valuenow')).resolves.toBe(String(folderValue + 32));

    // Mouse: dragging the list's right edge 120 px to the right widens the list by as much.
    const handle = (await listSeparator.boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + 60, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.move(handle.x + 120, handle.y + handle.height / 2, { steps: 4 });
    await page.mouse.up();
    const listAfter = await widthOf(grid);
    expect(listAfter - listBefore).toBeGreaterThan(100);
    expect(listAfter - listBefore).toBeLessThan(140);
    await saveScreenshot(page, 'shell-resized-panes');

    // Remembered: a reload comes back with the same widths.
    const listValue = await listSeparator.getAttribute('aria-valuenow');
    await page.reload();
    await grid.getByRole('row').first().waitFor();
    await expect(folderSeparator.getAttribute('aria-valuenow')).resolves.toBe(String(folderValue + 32));
    await expect(listSeparator.getAttribute('aria-valuenow')).resolves.toBe(listValue);
    expect(Math.abs((await widthOf(grid)) - listAfter)).toBeLessThan(2);
    expect(errors).toEqual([]);
  });

  it('groups folders under their accounts, shows unread counts, and has an All Inboxes across accounts', async () => {
    const { page, errors } = await openApp();
    const tree = folders(page);
    const local = tree.getByRole('treeitem', { name: 'Local Folders' });
    const work = tree.getByRole('treeitem', { name: 'Work' });
    await local.getByRole('treeitem', { name: 'Inbox', exact: true }).waitFor();
    await work.getByRole('treeitem', { name: 'Inbox', exact: true }).waitFor();
    await local.getByRole('treeitem', { name: 'Trash', exact: true }).waitFor();

    // ui-seed leaves every fourth message unread.
    const localUnread = Math.ceil(LOCAL_MESSAGES / 4);
    const workUnread = Math.ceil(WORK_MESSAGES / 4);
    const localInbox = local.getByRole('treeitem', { name: 'Inbox', exact: true });
    await expect(localInbox.getAttribute('aria-describedby')).resolves.toBeTruthy();
    await localInbox.getByText(`${localUnread} unread messages`).waitFor({ state: 'attached' });

    const allInboxes = tree.getByRole('treeitem', { name: 'All Inboxes' });
    await allInboxes.getByText(`${localUnread + workUnread} unread messages`).waitFor({ state: 'attached' });
    await allInboxes.click();
    await expect(allInboxes.getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByText(`${LOCAL_MESSAGES + WORK_MESSAGES} messages`, { exact: true }).waitFor();
    await expect(messages(page).getAttribute('aria-rowcount')).resolves.toBe(
      String(LOCAL_MESSAGES + WORK_MESSAGES),
    );
    // Both accounts' mail, in one date order: the two newest are each account's message 0.
    const grid = messages(page);
    await grid.getByRole('row').nth(0).getByText('Quarterly report work-#0').waitFor();
    await grid.getByRole('row').nth(1).getByText('Quarterly report #0').waitFor();
    await saveScreenshot(page, 'shell-all-inboxes');

    // Keyboard reaches it too: down from All Inboxes is the first account, then its Inbox.
    await allInboxes.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(localInbox.getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByText(`${LOCAL_MESSAGES} messages`, { exact: true }).waitFor();
    expect(errors).toEqual([]);
  });
});

describe('toolbar and keys', () => {
  it('has every toolbar button by its exact name, message actions enabled only with a selection', async () => {
    const { page } = await openApp();
    const names = [
      'Get mail',
      'Compose',
      'Reply',
      'Reply all',
      'Forward',
      'Delete',
      'Mark as unread',
      'Move to…',
      'Archive',
    ];
    for (const name of names) await page.getByRole('button', { name, exact: true }).waitFor();
    await expect(page.getByRole('button', { name: 'Reply', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Delete', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Get mail', exact: true }).isEnabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Compose', exact: true }).isEnabled()).resolves.toBe(true);

    await messages(page).getByRole('row').nth(1).click();
    for (const name of names) {
      await expect(page.getByRole('button', { name, exact: true }).isEnabled(), name).resolves.toBe(true);
    }
    // Two messages: replies need exactly one, the rest work on both.
    await messages(page)
      .getByRole('row')
      .nth(2)
      .click({ modifiers: ['Control'] });
    await expect(page.getByRole('button', { name: 'Reply', exact: true }).isDisabled()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Archive', exact: true }).isEnabled()).resolves.toBe(true);
    await saveScreenshot(page, 'shell-toolbar-two-selected');
  });

  it('lists every shortcut under "?" and closes with Escape', async () => {
    const { page } = await openApp();
    await page.locator('body').press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    for (const key of ['j', 'k', 'Enter', 'Delete', 'r', 'a', 'f', 'c', 'u', '/', '?']) {
      await help
        .locator('kbd', { hasText: new RegExp(`^${key.replace(/[?/]/g, '\\$&')}$`) })
        .first()
        .waitFor();
    }
    for (const text of [
      'Next message',
      'Previous message',
      'Reply all',
      'Forward',
      'Compose a new message',
      'Search mail',
    ]) {
      await help.getByText(text, { exact: true }).waitFor();
    }
    await saveScreenshot(page, 'shell-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });
    // The toolbar's keyboard button opens the same list.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await help.waitFor();
    await help.getByRole('button', { name: 'Close' }).click();
    await help.waitFor({ state: 'hidden' });
  });

  it('focuses the search box with "/"', async () => {
    const { page } = await openApp();
    // The search box is the search feature's (issue 8); "/" only has to find it.
    const search = page.getByRole('searchbox', { name: 'Search mail' });
    await messages(page).focus();
    await page.keyboard.press('/');
    await expect(search.evaluate((element) => element === document.activeElement)).resolves.toBe(true);
    await expect(search.inputValue()).resolves.toBe('');
  });

  it('keeps shortcut letters out of text fields', async () => {
    const { page } = await openApp();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.waitFor();
    await settings.getByLabel('Language').press('?');
    await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
  });
});

describe('looks', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`follows the OS ${scheme} theme with readable text and a visible focus ring`, async () => {
      const { page } = await openApp({ colorScheme: scheme });
      const colors = await page.evaluate(() => {
        const style = getComputedStyle(document.body);
        return { background: style.backgroundColor, color: style.color, size: style.fontSize };
      });
      const luminance = (css: string): number => {
        const [r = 0, g = 0, b = 0] = (css.match(/\d+(\.\d+)?/g) ?? []).map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      };
      if (scheme === 'dark') expect(luminance(colors.background)).toBeLessThan(0.2);
      else expect(luminance(colors.background)).toBeGreaterThan(0.9);
      expect(Math.abs(luminance(colors.background) - luminance(colors.color))).toBeGreaterThan(0.6);
      expect(parseFloat(colors.size)).toBeGreaterThanOrEqual(13);

      // Keyboard focus shows: the focused toolbar button gets an outline.
      await page.getByRole('button', { name: 'Compose', exact: true }).focus();
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => {
        const focused = document.activeElement;
        return focused ? getComputedStyle(focused).outlineStyle : 'none';
      });
      expect(outline).not.toBe('none');
      await messages(page).getByRole('row').nth(0).click();
      await saveScreenshot(page, `shell-theme-${scheme}`);
    });
  }

  it('gives every button, field and separator an accessible name', async () => {
    const { page } = await openApp();
    const unnamed = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          'button, select, input, [role="separator"], [role="treeitem"], [role="grid"]',
        ),
      ]
        .filter((element) => {
          const label = element.getAttribute('aria-label') ?? element.getAttribute('aria-labelledby');
          const text = element.textContent?.trim() ?? '';
          const byLabel = element.id ? document.querySelector(`label[for="${element.id}"]`) : null;
          return (
            !label &&
            !text &&
            !byLabel &&
            !element.closest('label') &&
            element.getAttribute('type') !== 'file'
          );
        })
        .map((element) => element.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
  });
});

describe('languages', () => {
  it('starts in Spanish for a Spanish OS', async () => {
    const { page } = await openApp({ locale: 'es-ES' });
    await page.getByRole('button', { name: 'Recibir correo', exact: true }).waitFor();
    await page.getByRole('grid', { name: 'Mensajes' }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('es');
    await saveScreenshot(page, 'shell-spanish-os');
  });

  it('switches language from Settings at once and remembers the choice', async () => {
    const { page, errors } = await openApp({ locale: 'en-US' });
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Language').selectOption('es');
    // Everything re-renders in Spanish, the dialog included.
    const ajustes = page.getByRole('dialog', { name: 'Ajustes' });
    await ajustes.getByLabel('Idioma').waitFor();
    await saveScreenshot(page, 'shell-settings-spanish');
    await page.keyboard.press('Escape');
    await ajustes.waitFor({ state: 'hidden' });
    for (const name of [
      'Recibir correo',
      'Redactar',
      'Responder',
      'Responder a todos',
      'Reenviar',
      'Eliminar',
      'Archivar',
    ]) {
      await page.getByRole('button', { name, exact: true }).waitFor();
    }
    await page.getByRole('tree', { name: 'Carpetas' }).waitFor();

    await page.reload();
    await page.getByRole('button', { name: 'Recibir correo', exact: true }).waitFor();
    await expect(page.evaluate(() => document.documentElement.lang)).resolves.toBe('es');

    // Back to following the system (English here).
    await page.getByRole('button', { name: 'Ajustes', exact: true }).click();
    await page.getByRole('dialog', { name: 'Ajustes' }).getByLabel('Idioma').selectOption('system');
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Get mail', exact: true }).waitFor();
    expect(errors).toEqual([]);
  });
});
