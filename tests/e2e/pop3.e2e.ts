/**
 * A POP3 account as a user meets it, in Chromium against browser mode and the real Dovecot: added
 * through "Add account" with "Leave messages on server" off, "Get mail" brings the messages into
 * its Inbox and empties the maildrop (checked with doveadm); then browser mode is stopped, Dovecot
 * is stopped, browser mode starts again on the same data directory, and the messages still open
 * with their attachments, with no server at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { deliverMessages, maildropCount } from '../integration/sync/pop3-fetch/pop3-fetch-kit';

const UI_TIMEOUT_MS = 15_000;
/** Connect waits for two logins; the check's own deadline is 20 s per server. */
const CONNECT_TIMEOUT_MS = 25_000;
/** A check of a few messages takes well under a second; this bounds a slow shared machine. */
const MAIL_TIMEOUT_MS = 30_000;
const USER = 'carol';
const MESSAGES = 3;
const TAG = 'pop3-e2e';
const LATE_TAG = 'pop3-late';

let servers: MailServers;
let browser: Browser;
let dataDir: TempDir;
let stateHome: TempDir;
let app: BrowserMode | null = null;
let context: BrowserContext | null = null;
let isDovecotStopped = false;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [servers, browser, dataDir, stateHome] = await Promise.all([
    startMailServers(),
    launchChromium(),
    makeTempDir('estafeta-e2e-pop3-'),
    makeTempDir('estafeta-e2e-pop3-state-'),
  ]);
});

afterAll(async () => {
  await app?.stop();
  await browser?.close();
  if (isDovecotStopped) await servers?.startDovecot().catch(() => undefined);
  await servers?.stop();
  await dataDir?.remove();
  await stateHome?.remove();
});

/** Browser mode on the test's data directory; the vault key stays in the same state home. */
async function openApp(): Promise<Page> {
  app = await startBrowserMode({ dataDir: dataDir.path, env: { XDG_STATE_HOME: stateHome.path } });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(app.url);
  return page;
}

function attachmentName(n: number): string {
  return `report-${n}.pdf`;
}

function accountInbox(page: Page): Locator {
  return page
    .getByRole('tree', { name: 'Folders' })
    .getByRole('treeitem', { name: servers.address(USER) })
    .getByRole('treeitem', { name: 'Inbox', exact: true });
}

describe('POP3 account', () => {
  it('downloads and deletes with "Get mail": the messages are here, the server has none', async () => {
    await deliverMessages(servers, USER, MESSAGES, TAG, {
      attachments: (n) => [
        {
          filename: attachmentName(n),
          contentType: 'application/pdf',
          content: Buffer.from(`%PDF-1.4\n% attachment ${n}\n`),
        },
      ],
    });
    expect(await maildropCount(servers, USER)).toBe(MESSAGES);

    const page = await openApp();
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Add account' });
    await dialog.waitFor();
    await dialog.getByLabel('Your name').fill('Carol Example');
    await dialog.getByLabel('Email address').fill(servers.address(USER));
    await dialog.getByLabel('Password').fill(servers.password);
    await dialog.getByRole('radio', { name: 'POP3', exact: true }).check();
    const leave = dialog.getByLabel('Leave messages on server');
    if (await leave.isChecked()) await leave.uncheck();
    await expect(leave.isChecked()).resolves.toBe(false);
    await dialog.getByLabel('Incoming server').fill(servers.host);
    await dialog.getByLabel('Incoming port').fill(String(servers.ports.pop3s));
    await dialog.getByLabel('Incoming security').selectOption({ label: 'SSL/TLS' });
    await dialog.getByLabel('Outgoing server').fill(servers.host);
    await dialog.getByLabel('Outgoing port').fill(String(servers.ports.submission));
    await dialog.getByLabel('Outgoing security').selectOption({ label: 'STARTTLS' });
    await saveScreenshot(page, 'pop3-add-account');

    // The fixture's certificate is self-signed: trusted explicitly, one decision for both servers.
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    const trust = dialog.getByRole('button', { name: 'Trust this certificate' });
    await trust.waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await trust.click();
    await dialog.getByText('Select Connect to try again').waitFor();
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: CONNECT_TIMEOUT_MS });

    const inbox = accountInbox(page);
    await inbox.waitFor();
    await inbox.click();
    await page.getByRole('button', { name: 'Get mail', exact: true }).click();
    const grid = page.getByRole('grid', { name: 'Messages' });
    const rows = grid.getByRole('row').filter({ hasText: `${TAG} message` });
    await rows.nth(MESSAGES - 1).waitFor({ timeout: MAIL_TIMEOUT_MS });
    await expect(rows.count()).resolves.toBe(MESSAGES);
    // Download-and-delete: RFC 1939 §6, the QUIT after the DELEs emptied the maildrop.
    await expect.poll(() => maildropCount(servers, USER), { timeout: MAIL_TIMEOUT_MS }).toBe(0);

    // Mail that arrives later comes with the next "Get mail" (the scheduled check is minutes away).
    await deliverMessages(servers, USER, 1, LATE_TAG);
    await page.getByRole('button', { name: 'Get mail', exact: true }).click();
    await grid
      .getByRole('row')
      .filter({ hasText: `${LATE_TAG} message 1` })
      .waitFor({ timeout: MAIL_TIMEOUT_MS });
    await expect.poll(() => maildropCount(servers, USER), { timeout: MAIL_TIMEOUT_MS }).toBe(0);
    await saveScreenshot(page, 'pop3-after-get-mail');
    expect(consoleErrors).toEqual([]);
  });

  it('opens every message with its attachment after a restart with the server stopped', async () => {
    // The first page would only log its lost WebSocket: it goes before browser mode does.
    await context?.close();
    await app?.stop();
    app = null;
    await servers.stopDovecot();
    isDovecotStopped = true;

    const page = await openApp();
    const inbox = accountInbox(page);
    await inbox.waitFor();
    await inbox.click();
    const grid = page.getByRole('grid', { name: 'Messages' });
    const rows = grid.getByRole('row').filter({ hasText: `${TAG} message` });
    await rows.nth(MESSAGES - 1).waitFor();
    await expect(rows.count()).resolves.toBe(MESSAGES);
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    for (let n = 1; n <= MESSAGES; n++) {
      await grid
        .getByRole('row')
        .filter({ hasText: `${TAG} message ${n} ` })
        .click();
      await reader.getByText(`Hello ${n} from ${TAG}.`).waitFor();
      const attachments = reader.getByRole('list', { name: 'Attachments' });
      await attachments.getByText(attachmentName(n), { exact: true }).waitFor();
      if (n === 1) await saveScreenshot(page, 'pop3-offline-with-attachment');
    }
    // Nothing failed in the page while the mail server was down.
    expect(consoleErrors).toEqual([]);
  });
});
