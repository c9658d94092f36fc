/**
 * "Search on server" as a user meets it (issue 8), in Chromium on browser mode against the real
 * Dovecot: an IMAP account set to keep headers only has a message whose body is not here; a word
 * from that body finds nothing locally, the "Search on server" button runs UID SEARCH on Dovecot and
 * the message joins the results; opening it downloads the body, with the word marked. A word from a
 * downloaded body is found locally. With Dovecot stopped, the failure names the account and the
 * local results stay.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addImapAccountThroughDialog, CONNECT_TIMEOUT_MS } from '../support/add-account-dialog';
import { openAppInChromium, type AppInChromium } from '../support/app-in-chromium';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { buildTestMessage, deliverViaLmtp } from '../support/seed-mailbox';

const UI_TIMEOUT_MS = 15_000;
/** A delivery reaching the list by IDLE, then its headers synced. */
const DELIVERY_TIMEOUT_MS = 30_000;

const TAG = randomBytes(3).toString('hex');
/** Downloaded in full by the first sync (policy "All" until the user changes it). */
const EARLY = { subject: `Harbour report ${TAG}`, text: 'The narwhal pod passed the pier at dawn.\r\n' };
/** Delivered after "Headers only" was saved: its body stays on the server. */
const LATE = { subject: `Expedition log ${TAG}`, text: 'A walrus slept on the ice floe all day.\r\n' };

/** Also headers only, delivered before the server goes down. */
const LATER = { subject: `Penguin census ${TAG}`, text: 'Forty emperor chicks were counted.\r\n' };

let servers: MailServers;
let browser: Browser;
let page: Page;
let session: AppInChromium | undefined;

async function deliver(mail: { subject: string; text: string }): Promise<void> {
  const raw = buildTestMessage({ from: 'bob@example.test', to: servers.address('alice'), ...mail });
  await deliverViaLmtp(servers, 'alice', raw);
}

beforeAll(async () => {
  [servers, browser] = await Promise.all([startMailServers(), launchChromium()]);
  await deliver(EARLY);
  session = await openAppInChromium(browser, {
    name: 'server-search',
    timeoutMs: UI_TIMEOUT_MS,
    viewport: { width: 1360, height: 900 },
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await servers?.stop();
});

const email = () => servers.address('alice');
const tree = () => page.getByRole('tree', { name: 'Folders' });
const box = () => page.getByRole('searchbox', { name: 'Search mail' });
const rows = () => page.getByRole('grid', { name: 'Messages' }).getByRole('row');

async function search(query: string): Promise<void> {
  await box().fill(query);
  await box().press('Enter');
}

describe('Search on server', () => {
  it('finds a headers-only message by a word of its body on the server, and opens it with the word marked', async () => {
    await addImapAccountThroughDialog(page, servers, 'server-search-add-account');
    const account = tree().getByRole('treeitem', { name: email(), exact: true });
    await account.getByRole('treeitem', { name: 'Inbox', exact: true }).click();
    await rows().filter({ hasText: EARLY.subject }).waitFor({ timeout: DELIVERY_TIMEOUT_MS });

    await tree()
      .getByRole('button', { name: `Account settings for ${email()}` })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Account settings' });
    await dialog.getByRole('radio', { name: 'Headers only', exact: true }).check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('status').getByText('Settings saved.').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await deliver(LATE);
    await rows().filter({ hasText: LATE.subject }).waitFor({ timeout: DELIVERY_TIMEOUT_MS });

    // A downloaded body is searched here.
    await search('narwhal');
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining(EARLY.subject)]);

    // The late body is not here: nothing matches until the server is asked.
    await search('walrus');
    await page.getByText('No messages match.').waitFor();
    const onServer = page.getByRole('button', { name: 'Search on server', exact: true });
    await onServer.click();
    await page.getByText('The server found 1 message.').waitFor();
    await expect.poll(() => rows().allInnerTexts()).toEqual([expect.stringContaining(LATE.subject)]);
    await saveScreenshot(page, 'server-search-found');

    // Opening it downloads the body; the searched word is marked in it.
    await rows().filter({ hasText: LATE.subject }).click();
    const reader = page.getByRole('region', { name: 'Message', exact: true });
    await reader.getByText('A walrus slept on the ice floe').waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    // The CSS highlight registry holds the marks: the word is only in the body, not the subject.
    await expect
      .poll(() => page.evaluate<number>("globalThis.CSS.highlights.get('search-match')?.size ?? 0"))
      .toBeGreaterThanOrEqual(1);
    await saveScreenshot(page, 'server-search-opened');
    expect(session?.pageErrors).toEqual([]);
  });

  it('says by name which account could not be searched when its server is down, and keeps the local results', async () => {
    // Another headers-only message, so that the server has something to be asked about.
    await box().fill('');
    await box().press('Enter');
    await deliver(LATER);
    await rows().filter({ hasText: LATER.subject }).waitFor({ timeout: DELIVERY_TIMEOUT_MS });
    await servers.stopDovecot();
    try {
      await search('emperor OR narwhal');
      await rows().filter({ hasText: EARLY.subject }).waitFor();
      await page.getByRole('button', { name: 'Search on server', exact: true }).click();
      await page.getByText(/^Could not search/).waitFor({ timeout: DELIVERY_TIMEOUT_MS });
      await expect(page.getByText(/^Could not search/).innerText()).resolves.toContain(email());
      // No server answered: nothing may read as if one had found nothing.
      await expect(page.getByText(/^The server found/).count()).resolves.toBe(0);
      await expect.poll(() => rows().allInnerTexts()).toContainEqual(expect.stringContaining(EARLY.subject));
      await saveScreenshot(page, 'server-search-server-down');
    } finally {
      await servers.startDovecot();
    }
  });
});
