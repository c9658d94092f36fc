/**
 * The UI side of mail checks (issue 7, point 1): "Get mail" against a real POP3 server (Dovecot),
 * the status bar's progress while it runs, a desktop notification for the new mail (asked for at
 * the first "Get mail", never at start-up), and the "Offline" indicator while the server is down.
 * The page's Notification API is replaced by a recorder (headless Chromium has no desktop).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openAppInChromium, type AppInChromium } from '../support/app-in-chromium';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { seedMailbox } from '../support/seed-mailbox';

const UI_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 25_000;
const CHECK_TIMEOUT_MS = 60_000;
const NEW_MESSAGES = 12;
const MAX_CONNECT_ATTEMPTS = 4;

/** Runs in the page before the app: a Notification that records instead of showing. */
const RECORDING_NOTIFICATION = `
  window.__notifications = [];
  window.__permissionRequests = 0;
  window.__sawProgress = false;
  class RecordingNotification {
    static permission = 'default';
    static async requestPermission() {
      window.__permissionRequests += 1;
      RecordingNotification.permission = 'granted';
      return 'granted';
    }
    constructor(title, options) {
      window.__notifications.push({ title, body: options && options.body });
    }
    close() {}
  }
  window.Notification = RecordingNotification;
  new MutationObserver(() => {
    if (document.querySelector('progress[aria-label="Mail check progress"]')) window.__sawProgress = true;
  }).observe(document, { subtree: true, childList: true });
`;

let servers: MailServers;
let browser: Browser;
let page: Page;
let session: AppInChromium | undefined;

beforeAll(async () => {
  [servers, browser] = await Promise.all([startMailServers(), launchChromium()]);
  await servers.addUser('dora');
  session = await openAppInChromium(browser, {
    name: 'sync',
    timeoutMs: UI_TIMEOUT_MS,
    viewport: { width: 1440, height: 900 },
    initScript: RECORDING_NOTIFICATION,
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await servers?.stop();
});

async function addPop3Account(): Promise<void> {
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.getByLabel('Your name').fill('Dora Example');
  await dialog.getByLabel('Email address').fill(servers.address('dora'));
  await dialog.getByLabel('Password').fill(servers.password);
  await dialog.getByRole('radio', { name: 'POP3', exact: true }).check();
  await dialog.getByLabel('Incoming server').fill(servers.host);
  await dialog.getByLabel('Incoming port').fill(String(servers.ports.pop3s));
  await dialog.getByLabel('Incoming security').selectOption({ label: 'SSL/TLS' });
  await dialog.getByLabel('Outgoing server').fill(servers.host);
  await dialog.getByLabel('Outgoing port').fill(String(servers.ports.submission));
  await dialog.getByLabel('Outgoing security').selectOption({ label: 'STARTTLS' });
  // The test servers' self-signed certificate is trusted server by server, as a user would.
  const trust = dialog.getByRole('button', { name: 'Trust this certificate', disabled: false });
  for (let attempt = 0; attempt < MAX_CONNECT_ATTEMPTS; attempt++) {
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await Promise.race([
      dialog.waitFor({ state: 'hidden', timeout: CONNECT_TIMEOUT_MS }),
      trust.first().waitFor({ timeout: CONNECT_TIMEOUT_MS }),
    ]).catch(() => undefined);
    if (!(await dialog.isVisible())) return;
    for (let card = 0; card < MAX_CONNECT_ATTEMPTS && (await trust.count()) > 0; card++) {
      await trust.first().click();
    }
  }
  await saveScreenshot(page, 'shell-sync-add-account-failed');
  throw new Error('the account was not added');
}

describe('Get mail', () => {
  it('downloads new mail with progress in the status bar and announces it on the desktop', async () => {
    // Nothing is asked at start-up.
    await expect(
      page.evaluate(() => (window as unknown as { __permissionRequests: number }).__permissionRequests),
    ).resolves.toBe(0);
    await addPop3Account();
    const account = page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: servers.address('dora') });
    const inbox = account.getByRole('treeitem', { name: 'Inbox', exact: true });
    await inbox.waitFor();

    await seedMailbox(servers, 'dora', NEW_MESSAGES);
    await page.getByRole('button', { name: 'Get mail', exact: true }).click();
    await inbox
      .getByText(`${NEW_MESSAGES} unread messages`)
      .waitFor({ state: 'attached', timeout: CHECK_TIMEOUT_MS });
    await inbox.click();
    await expect
      .poll(() => page.getByRole('grid', { name: 'Messages' }).getAttribute('aria-rowcount'), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(String(NEW_MESSAGES));

    const seen = await page.evaluate(() => {
      const w = window as unknown as {
        __notifications: { title: string; body: string }[];
        __permissionRequests: number;
        __sawProgress: boolean;
      };
      return {
        notifications: w.__notifications,
        requests: w.__permissionRequests,
        sawProgress: w.__sawProgress,
      };
    });
    expect(seen.requests).toBe(1);
    expect(seen.sawProgress).toBe(true);
    expect(seen.notifications).toContainEqual({
      title: 'New mail',
      body: `${NEW_MESSAGES} new messages in Inbox`,
    });
    // All Inboxes counts the new mail too.
    await page
      .getByRole('treeitem', { name: 'All Inboxes' })
      .getByText(`${NEW_MESSAGES} unread messages`)
      .waitFor({ state: 'attached' });
    await saveScreenshot(page, 'shell-sync-new-mail');
  });

  it('shows "Offline" while the server cannot be reached, and clears it when it can', async () => {
    await servers.stopDovecot();
    try {
      await page.getByRole('button', { name: 'Get mail', exact: true }).click();
      const offline = page.getByRole('status').filter({ hasText: 'Offline' });
      await offline.waitFor({ timeout: CHECK_TIMEOUT_MS });
      await saveScreenshot(page, 'shell-sync-offline');
    } finally {
      await servers.startDovecot();
    }
    await page.getByRole('button', { name: 'Get mail', exact: true }).click({ timeout: CHECK_TIMEOUT_MS });
    await page
      .getByRole('status')
      .filter({ hasText: 'Offline' })
      .waitFor({ state: 'hidden', timeout: CHECK_TIMEOUT_MS });
  });
});
