/**
 * Managing an account as a user does it, in Chromium against browser mode and real Dovecot and
 * Postfix: a POP3 account is added, then "Account settings" (from the folder tree and from "Manage
 * accounts") changes its POP3 options and name, adds an identity, and keeps all of it over a
 * reopen; finally "Remove account" asks whether to keep the mail, and the kept folders appear
 * under Local Folders while the account leaves the tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { openAppInChromium, type AppInChromium } from '../support/app-in-chromium';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { buildTestMessage, deliverViaLmtp } from '../support/seed-mailbox';

const UI_TIMEOUT_MS = 15_000;
/** Connect waits for two logins; the check's own deadline is 20 s per server. */
const CONNECT_TIMEOUT_MS = 25_000;

let servers: MailServers;
let browser: Browser;
let page: Page;
let session: AppInChromium | undefined;

beforeAll(async () => {
  [servers, browser] = await Promise.all([startMailServers(), launchChromium()]);
  session = await openAppInChromium(browser, {
    name: 'manage',
    timeoutMs: UI_TIMEOUT_MS,
    withConsoleErrors: true,
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await servers?.stop();
});

async function addPop3Account(email: string, leaveOnServer = true): Promise<void> {
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.waitFor();
  await dialog.getByLabel('Your name').fill('Carol');
  await dialog.getByLabel('Email address').fill(email);
  await dialog.getByLabel('Password').fill(servers.password);
  if (leaveOnServer) {
    await dialog.getByLabel('Leave messages on server').check();
    // The POP3 options that belong with "Leave messages on server" are offered at setup too.
    await dialog.getByLabel('Delete from server after N days').fill('30');
  } else {
    await dialog.getByRole('radio', { name: 'POP3', exact: true }).check();
  }
  await dialog.getByLabel('Incoming server').fill(servers.host);
  await dialog.getByLabel('Incoming port').fill(String(servers.ports.pop3s));
  await dialog.getByLabel('Incoming security').selectOption({ label: 'SSL/TLS' });
  await dialog.getByLabel('Outgoing server').fill(servers.host);
  await dialog.getByLabel('Outgoing port').fill(String(servers.ports.submission));
  await dialog.getByLabel('Outgoing security').selectOption({ label: 'STARTTLS' });
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await dialog.getByRole('button', { name: 'Trust this certificate' }).click({ timeout: CONNECT_TIMEOUT_MS });
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await dialog.waitFor({ state: 'hidden', timeout: CONNECT_TIMEOUT_MS });
}

function settingsDialog(): Locator {
  return page.getByRole('dialog', { name: 'Account settings' });
}

describe('Account settings', () => {
  it('edits a setting and adds an identity, and both are kept', async () => {
    const email = servers.address('carol');
    await addPop3Account(email);
    const tree = page.getByRole('tree', { name: 'Folders' });
    await tree.getByRole('treeitem', { name: email }).waitFor();

    // From the account's group in the folder tree.
    await tree.getByRole('button', { name: `Account settings for ${email}` }).click();
    const dialog = settingsDialog();
    await dialog.waitFor();
    await expect(dialog.getByLabel('Your name').inputValue()).resolves.toBe('Carol');
    // The settings load after the dialog opens; the keyboard starts at the first field all the same.
    await expect
      .poll(() =>
        page.evaluate(() => document.activeElement?.closest('.field')?.querySelector('label')?.textContent),
      )
      .toBe('Your name');
    await expect(dialog.getByLabel('Leave messages on server').isChecked()).resolves.toBe(true);
    await expect(dialog.getByLabel('Delete from server after N days').inputValue()).resolves.toBe('30');
    await expect(dialog.getByLabel('Incoming port').inputValue()).resolves.toBe(String(servers.ports.pop3s));

    await dialog.getByLabel('Your name').fill('Carol Example');
    await dialog.getByLabel('Delete from server after N days').fill('7');
    await dialog.getByLabel('Delete from server when I delete it here').check();
    await dialog.getByLabel('Check for new mail every N minutes').fill('5');
    await dialog.getByLabel('Signature').fill('Carol');

    await dialog.getByRole('button', { name: 'Add identity' }).click();
    const identity = dialog.getByRole('group', { name: 'Identity 1' });
    await identity.getByLabel('Identity name').fill('Carol at Work');
    // A bad address is named before anything is saved.
    await identity.getByLabel('Identity email address').fill('not an address');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await identity.getByText('Enter an email address such as you@example.com.').waitFor();
    await identity.getByLabel('Identity email address').fill('carol.work@example.test');
    await identity.getByLabel('Identity signature').fill('Carol, at work');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('status').getByText('Settings saved.').waitFor();
    await saveScreenshot(page, 'account-settings-saved');
    // Escape closes it, like every dialog.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // From "Manage accounts": what was saved is what is shown.
    await page.getByRole('button', { name: 'Manage accounts', exact: true }).click();
    const manage = page.getByRole('dialog', { name: 'Manage accounts' });
    await manage.getByRole('button', { name: `Account settings for ${email}` }).click();
    await dialog.waitFor();
    await expect(dialog.getByLabel('Your name').inputValue()).resolves.toBe('Carol Example');
    await expect(dialog.getByLabel('Delete from server after N days').inputValue()).resolves.toBe('7');
    await expect(dialog.getByLabel('Delete from server when I delete it here').isChecked()).resolves.toBe(
      true,
    );
    await expect(dialog.getByLabel('Check for new mail every N minutes').inputValue()).resolves.toBe('5');
    const saved = dialog.getByRole('group', { name: 'Identity 1' });
    await expect(saved.getByLabel('Identity name').inputValue()).resolves.toBe('Carol at Work');
    await expect(saved.getByLabel('Identity email address').inputValue()).resolves.toBe(
      'carol.work@example.test',
    );
    await expect(saved.getByLabel('Identity signature').inputValue()).resolves.toBe('Carol, at work');
  });

  it('removes the account after asking, keeping its mail in Local Folders', async () => {
    const email = servers.address('carol');
    const dialog = settingsDialog();
    await dialog.getByRole('button', { name: 'Remove account' }).click();
    const question = dialog.getByRole('group', { name: `Remove ${email}?` });
    await question.waitFor();
    const keep = question.getByLabel('Keep its mail in Local Folders');
    await expect(keep.isChecked()).resolves.toBe(true);
    // The safe answer has the focus.
    await expect(
      question.getByRole('button', { name: 'Cancel' }).evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);
    await saveScreenshot(page, 'account-settings-remove');
    await question.getByRole('button', { name: 'Remove account' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const tree = page.getByRole('tree', { name: 'Folders' });
    const local = tree.getByRole('treeitem', { name: 'Local Folders' });
    await local.getByRole('treeitem', { name: email }).waitFor();
    await expect(tree.getByRole('treeitem', { name: email, exact: true }).count()).resolves.toBe(1);
    await expect(tree.getByRole('button', { name: `Account settings for ${email}` }).count()).resolves.toBe(
      0,
    );
    expect(session?.pageErrors).toEqual([]);
  });

  it('switches a POP3 account to IMAP, tests the new server first, and uploads the mail already here', async () => {
    const email = servers.address('bob');
    for (let n = 1; n <= 3; n++) {
      const raw = buildTestMessage({
        from: `Sender ${n} <sender${n}@example.org>`,
        to: email,
        subject: `Downloaded with POP3 ${n}`,
        text: `Message ${n}\r\n`,
      });
      await deliverViaLmtp(servers, 'bob', raw);
    }
    // Classic POP3: downloaded here, then deleted from the server.
    await addPop3Account(email, false);
    const tree = page.getByRole('tree', { name: 'Folders' });
    const account = tree.getByRole('treeitem', { name: email, exact: true });
    await account.getByRole('treeitem', { name: 'Inbox', exact: true }).click();
    await page.getByText('3 messages').waitFor({ timeout: CONNECT_TIMEOUT_MS });

    await tree.getByRole('button', { name: `Account settings for ${email}` }).click();
    const dialog = settingsDialog();
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: 'IMAP', exact: true }).check();
    await dialog.getByText('Switching keeps the mail already here').waitFor();
    await dialog.getByLabel('Incoming port').fill(String(servers.ports.imaps));
    // Another server gets the password only when it is typed again.
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByText('Enter the password again').waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await dialog.getByLabel('Password').fill(servers.password);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    // The IMAP server is tested before it is saved: its certificate is not trusted yet.
    await dialog
      .getByRole('button', { name: 'Trust this certificate' })
      .click({ timeout: CONNECT_TIMEOUT_MS });
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();

    const offer = dialog.getByRole('group', { name: 'Upload the mail already here to the server?' });
    await offer.waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await saveScreenshot(page, 'account-settings-upload-offer');
    await offer.getByRole('button', { name: 'Upload', exact: true }).click();
    await dialog
      .getByRole('status')
      .getByText('Uploaded 3 messages; 0 were already on the server.')
      .waitFor({ timeout: CONNECT_TIMEOUT_MS });
    const found = await servers.doveadm(['search', '-u', email, 'mailbox', 'INBOX', 'ALL']);
    expect(
      found
        .trim()
        .split('\n')
        .filter((line) => line.trim() !== ''),
    ).toHaveLength(3);
    // The mail of before stays here too, in Local Folders.
    await tree
      .getByRole('treeitem', { name: 'Local Folders' })
      .getByRole('treeitem', { name: email })
      .waitFor();
    expect(session?.pageErrors).toEqual([]);
  });
});
