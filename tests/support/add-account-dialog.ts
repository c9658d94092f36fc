/**
 * The e2e steps tests share to add an account through the "Add account" dialog the way a user does
 * it: the test server's self-signed certificate trusted, and Connect pressed again.
 */
import type { Page } from 'playwright-core';
import { saveScreenshot } from './chromium';
import type { MailServers } from './mail-servers';

/** Connect logs in to the incoming server and SMTP submission; under load that takes a while. */
export const CONNECT_TIMEOUT_MS = 25_000;

export interface DialogAccount {
  name: string;
  /** One of the test servers' users (alice, bob, carol, …). */
  user: string;
  protocol: 'IMAP' | 'POP3';
  /** SSL/TLS on this port of servers.host. */
  incomingPort: number;
  /** POP3 only: the state "Leave messages on server" is set to. */
  leaveOnServer?: boolean;
}

/** Resolves when the dialog has closed (the account is saved); on a stall saves `<screenshot>.png`. */
export async function addAccountThroughDialog(
  page: Page,
  servers: MailServers,
  account: DialogAccount,
  screenshot: string,
): Promise<void> {
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.waitFor();
  await dialog.getByLabel('Your name').fill(account.name);
  await dialog.getByLabel('Email address').fill(servers.address(account.user));
  await dialog.getByLabel('Password').fill(servers.password);
  // The usual path: discovery ends (nothing is found for the test domain, so with guesses) before
  // the user types the server. Typing while it still runs is tested in add-account.e2e.ts.
  await dialog.getByText('No settings were found for example.test').waitFor({ timeout: CONNECT_TIMEOUT_MS });
  await dialog.getByRole('radio', { name: account.protocol, exact: true }).check();
  if (account.leaveOnServer !== undefined) {
    await dialog.getByLabel('Leave messages on server').setChecked(account.leaveOnServer);
  }
  await dialog.getByLabel('Incoming server').fill(servers.host);
  await dialog.getByLabel('Incoming port').fill(String(account.incomingPort));
  await dialog.getByLabel('Incoming security').selectOption({ label: 'SSL/TLS' });
  await dialog.getByLabel('Outgoing server').fill(servers.host);
  await dialog.getByLabel('Outgoing port').fill(String(servers.ports.submission));
  await dialog.getByLabel('Outgoing security').selectOption({ label: 'STARTTLS' });
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  await dialog.getByRole('button', { name: 'Trust this certificate' }).click({ timeout: CONNECT_TIMEOUT_MS });
  await dialog.getByText('Select Connect to try again').waitFor();
  await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
  try {
    await dialog.waitFor({ state: 'hidden', timeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    await saveScreenshot(page, screenshot);
    throw error;
  }
}

/** Alice's IMAP account over implicit TLS. */
export function addImapAccountThroughDialog(
  page: Page,
  servers: MailServers,
  screenshot: string,
): Promise<void> {
  const account = {
    name: 'Alice Example',
    user: 'alice',
    protocol: 'IMAP',
    incomingPort: servers.ports.imaps,
  } as const;
  return addAccountThroughDialog(page, servers, account, screenshot);
}
