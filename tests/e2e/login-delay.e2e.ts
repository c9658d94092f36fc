/**
 * A POP3 server that allows a login only every few minutes (RFC 2449 LOGIN-DELAY), as a user meets
 * it in Chromium: the first "Get mail" brings the mail, a second one too soon logs in to nothing
 * and the status bar says why no mail came and when the check will run by itself. The server is
 * the scripted POP3 server (Dovecot cannot announce LOGIN-DELAY) presenting the test servers'
 * certificate; sending goes to the real Postfix.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addAccountThroughDialog } from '../support/add-account-dialog';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startFakePop3Server, type FakePop3Server } from '../support/fake-pop3-server';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const UI_TIMEOUT_MS = 15_000;
const MAIL_TIMEOUT_MS = 30_000;
const USER = 'carol';
/** Ten minutes: far longer than the test, so the deferred check cannot run by itself meanwhile. */
const LOGIN_DELAY_S = 600;

let servers: MailServers;
let pop3: FakePop3Server;
let browser: Browser;
let dataDir: TempDir;
let stateHome: TempDir;
let app: BrowserMode | undefined;
let page: Page;
const consoleErrors: string[] = [];

function message(subject: string): string {
  return [
    `From: Dan <dan@example.test>`,
    `To: ${USER}@example.test`,
    `Subject: ${subject}`,
    `Date: Mon, 23 Nov 2026 09:00:00 +0000`,
    `Message-ID: <${subject.replaceAll(' ', '-')}@example.test>`,
    '',
    `The body of ${subject}.`,
  ].join('\r\n');
}

beforeAll(async () => {
  [servers, browser, dataDir, stateHome] = await Promise.all([
    startMailServers(),
    launchChromium(),
    makeTempDir('estafeta-e2e-login-delay-'),
    makeTempDir('estafeta-e2e-login-delay-state-'),
  ]);
  const tlsDir = join(servers.stateDir, 'tls');
  pop3 = await startFakePop3Server({
    username: servers.address(USER),
    password: servers.password,
    messages: [message('first delayed message')],
    capabilities: ['TOP', 'USER', 'UIDL', 'RESP-CODES', 'SASL PLAIN', `LOGIN-DELAY ${LOGIN_DELAY_S}`],
    tls: {
      mode: 'implicit',
      identity: {
        key: await readFile(join(tlsDir, 'key.pem'), 'utf8'),
        cert: await readFile(join(tlsDir, 'cert.pem'), 'utf8'),
      },
    },
  });
  app = await startBrowserMode({ dataDir: dataDir.path, env: { XDG_STATE_HOME: stateHome.path } });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('console', (entry) => {
    if (entry.type() === 'error') consoleErrors.push(entry.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  await page.goto(app.url);
});

afterAll(async () => {
  await app?.stop();
  await browser?.close();
  await pop3?.close();
  await servers?.stop();
  await dataDir?.remove();
  await stateHome?.remove();
});

describe('a POP3 server with LOGIN-DELAY', () => {
  it('brings the mail once, then says when the next check may run instead of logging in again', async () => {
    const account = {
      name: 'Carol Example',
      user: USER,
      protocol: 'POP3',
      incomingPort: pop3.port,
      leaveOnServer: false,
    } as const;
    await addAccountThroughDialog(page, servers, account, 'login-delay-add-account-stalled');
    const inbox = page
      .getByRole('tree', { name: 'Folders' })
      .getByRole('treeitem', { name: servers.address(USER) })
      .getByRole('treeitem', { name: 'Inbox', exact: true });
    await inbox.click();
    const getMail = page.getByRole('button', { name: 'Get mail', exact: true });
    const grid = page.getByRole('grid', { name: 'Messages' });
    // The check right after adding the account, or this one, brings the message.
    await getMail.click();
    await grid
      .getByRole('row')
      .filter({ hasText: 'first delayed message' })
      .waitFor({ timeout: MAIL_TIMEOUT_MS });
    await expect.poll(() => pop3.mailbox().length).toBe(0);
    const logins = pop3.sessions.length;

    await getMail.click();
    const deferred = page
      .getByRole('status')
      .filter({ hasText: 'this mail server allows checking for mail only every few minutes' });
    await deferred.waitFor({ timeout: MAIL_TIMEOUT_MS });
    await expect(deferred.textContent()).resolves.toContain(servers.address(USER));
    await saveScreenshot(page, 'login-delay-deferred');
    // No new session: the client kept to the delay the server asked for.
    expect(pop3.sessions.length).toBe(logins);
    expect(consoleErrors).toEqual([]);
  });
});
