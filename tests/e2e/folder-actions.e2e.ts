/**
 * Folder actions through the UI in Chromium, driven by accessible names: New folder (at the top
 * and inside another), Rename folder (its subfolder follows), Delete folder after a confirmation,
 * Empty Trash, the error shown for a name already taken, and a message dragged onto a folder.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import type { Browser, Page } from 'playwright-core';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { addImapAccountThroughDialog, CONNECT_TIMEOUT_MS } from '../support/add-account-dialog';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const HELLO_EML = fileURLToPath(new URL('../fixtures/e2e/hello.eml', import.meta.url));
const UI_TIMEOUT_MS = 15_000;

let browser: Browser;
const running: { app: BrowserMode; dirs: TempDir[] }[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterEach(async () => {
  for (const { app, dirs } of running.splice(0)) {
    await app.stop();
    for (const dir of dirs) await dir.remove();
  }
});

afterAll(async () => {
  await browser?.close();
});

async function openApp(): Promise<{ page: Page; pageErrors: string[] }> {
  const dataDir = await makeTempDir('estafeta-e2e-folders-');
  // The vault key of browser mode lives under XDG_STATE_HOME: a temp one per run.
  const stateHome = await makeTempDir('estafeta-e2e-folders-state-');
  const app = await startBrowserMode({ dataDir: dataDir.path, env: { XDG_STATE_HOME: stateHome.path } });
  running.push({ app, dirs: [dataDir, stateHome] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(app.url);
  await page
    .getByRole('tree', { name: 'Folders' })
    .getByRole('treeitem', { name: 'Inbox', exact: true })
    .waitFor();
  return { page, pageErrors };
}

const tree = (page: Page) => page.getByRole('tree', { name: 'Folders' });
const folderItem = (page: Page, name: string) => tree(page).getByRole('treeitem', { name, exact: true });

async function newFolder(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'New folder', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: 'Folder name' }).fill(name);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
}

describe('folder actions in the folder pane', () => {
  it('creates, renames (with its subfolder) and deletes a folder after confirming', async () => {
    const { page, pageErrors } = await openApp();

    await newFolder(page, 'Projects');
    await folderItem(page, 'Projects').waitFor();
    // The new folder is selected, so the next one goes inside it.
    await expect(folderItem(page, 'Projects').getAttribute('aria-selected')).resolves.toBe('true');
    await newFolder(page, 'Reports');
    await folderItem(page, 'Projects').getByRole('treeitem', { name: 'Reports', exact: true }).waitFor();

    await folderItem(page, 'Projects').locator('.row').first().click();
    await page.getByRole('button', { name: 'Rename folder', exact: true }).click();
    const renameBox = page.getByRole('dialog').getByRole('textbox', { name: 'Folder name' });
    await expect(renameBox.inputValue()).resolves.toBe('Projects');
    await renameBox.fill('Work');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename', exact: true }).click();
    await folderItem(page, 'Work').getByRole('treeitem', { name: 'Reports', exact: true }).waitFor();
    await folderItem(page, 'Projects').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'folder-actions-renamed');

    await folderItem(page, 'Work').locator('.row').first().click();
    await page.getByRole('button', { name: 'Delete folder', exact: true }).click();
    const confirm = page.getByRole('dialog');
    await confirm.getByText('Delete “Work” with its subfolders').waitFor();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await folderItem(page, 'Work').waitFor({ state: 'detached' });
    await expect(tree(page).getByRole('treeitem', { name: 'Reports', exact: true }).count()).resolves.toBe(0);
    // The selection moved to the account's Inbox.
    await expect(folderItem(page, 'Inbox').getAttribute('aria-selected')).resolves.toBe('true');
    expect(pageErrors).toEqual([]);
  });

  it('says why a folder cannot be created, and Cancel leaves everything as it was', async () => {
    const { page } = await openApp();
    await newFolder(page, 'Trash');
    await page.getByRole('dialog').getByRole('alert').getByText('already exists').waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect(tree(page).getByRole('treeitem', { name: 'Trash', exact: true }).count()).resolves.toBe(1);
    // Special folders cannot be renamed or deleted.
    await folderItem(page, 'Inbox').locator('.row').first().click();
    await expect(page.getByRole('button', { name: 'Rename folder', exact: true }).isDisabled()).resolves.toBe(
      true,
    );
    await expect(page.getByRole('button', { name: 'Delete folder', exact: true }).isDisabled()).resolves.toBe(
      true,
    );
  });

  it('empties Trash after a confirmation', async () => {
    const { page } = await openApp();
    await folderItem(page, 'Trash').locator('.row').first().click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import messages', exact: true }).click();
    await (await chooser).setFiles([HELLO_EML]);
    await page
      .getByRole('button', { name: 'Empty Trash', exact: true })
      .and(page.locator(':enabled'))
      .waitFor();
    await page.getByRole('button', { name: 'Empty Trash', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Empty', exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await expect(page.getByRole('button', { name: 'Empty Trash', exact: true }).isDisabled()).resolves.toBe(
      true,
    );
  });

  it('moves a message dragged from the list onto a folder', async () => {
    const { page } = await openApp();
    await newFolder(page, 'Saved');
    await folderItem(page, 'Saved').waitFor();
    await folderItem(page, 'Inbox').locator('.row').first().click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import messages', exact: true }).click();
    await (await chooser).setFiles([HELLO_EML]);
    const grid = page.getByRole('grid', { name: 'Messages' });
    const row = grid.getByRole('row').first();
    await row.waitFor();
    await row.dragTo(folderItem(page, 'Saved').locator('.row').first());
    await expect.poll(() => grid.getByRole('row').count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
    await folderItem(page, 'Saved').locator('.row').first().click();
    await grid.getByRole('row').first().waitFor();
    await expect(grid.getByRole('row').count()).resolves.toBe(1);
  });
});

describe('folder actions on an IMAP account reach the server', () => {
  let servers: MailServers;
  let device: ImapFlow | undefined;

  beforeAll(async () => {
    servers = await startMailServers();
  });

  afterAll(async () => {
    await device?.logout().catch(() => undefined);
    await servers?.stop();
  });

  /** Server folder paths as another device lists them, once `done` holds or the time is up. */
  async function serverFoldersUntil(done: (paths: string[]) => boolean): Promise<string[]> {
    device ??= await connectDevice(servers);
    let paths: string[] = [];
    for (let attempt = 0; attempt < SERVER_POLL_ATTEMPTS; attempt++) {
      paths = (await device.list()).map((folder) => folder.path);
      if (done(paths)) return paths;
      await new Promise((resolve) => setTimeout(resolve, SERVER_POLL_MS));
    }
    return paths;
  }

  it('creates, renames and deletes a folder made in the UI on the server', async () => {
    const { page } = await openApp();
    await addImapAccount(page, servers);
    const account = tree(page).getByRole('treeitem', { name: servers.address('alice') });
    await account
      .getByRole('treeitem', { name: /^inbox$/i })
      .locator('.row')
      .first()
      .click();

    await newFolder(page, 'Projects');
    await account.getByRole('treeitem', { name: 'Projects', exact: true }).waitFor();
    expect(await serverFoldersUntil((paths) => paths.includes('Projects'))).toContain('Projects');

    await account.getByRole('treeitem', { name: 'Projects', exact: true }).locator('.row').first().click();
    await page.getByRole('button', { name: 'Rename folder', exact: true }).click();
    await page.getByRole('dialog').getByRole('textbox', { name: 'Folder name' }).fill('Work');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename', exact: true }).click();
    await account.getByRole('treeitem', { name: 'Work', exact: true }).waitFor();
    const renamed = await serverFoldersUntil(
      (paths) => paths.includes('Work') && !paths.includes('Projects'),
    );
    expect(renamed).toContain('Work');
    expect(renamed).not.toContain('Projects');

    await account.getByRole('treeitem', { name: 'Work', exact: true }).locator('.row').first().click();
    await page.getByRole('button', { name: 'Delete folder', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await account.getByRole('treeitem', { name: 'Work', exact: true }).waitFor({ state: 'detached' });
    expect(await serverFoldersUntil((paths) => !paths.includes('Work'))).not.toContain('Work');
  });
});

const SERVER_POLL_ATTEMPTS = 60;
const SERVER_POLL_MS = 500;

async function connectDevice(servers: MailServers): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: servers.host,
    port: servers.ports.imaps,
    secure: true,
    auth: { user: 'alice', pass: servers.password },
    tls: { ca: servers.caPem },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Adds alice's IMAP account through the Add account dialog (as compose.e2e.ts does). */
async function addImapAccount(page: Page, servers: MailServers): Promise<void> {
  await addImapAccountThroughDialog(page, servers, 'folder-actions-add-account-stuck');
  await tree(page)
    .getByRole('treeitem', { name: servers.address('alice') })
    .getByRole('treeitem', { name: /^inbox$/i })
    .waitFor({ timeout: CONNECT_TIMEOUT_MS });
}
