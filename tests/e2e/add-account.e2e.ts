/**
 * Adding accounts as a new user does it, in Chromium against browser mode and the real Dovecot and
 * Postfix: name, address and password; the protocol chosen; the server settings typed over the
 * guesses; "Connect" refusing the fixture's self-signed certificate and showing it; "Trust this
 * certificate"; a wrong password named as such; and finally the account in the folder tree. Then
 * the password is searched for in every file browser mode wrote. Discovery's ISPDB lookup goes to
 * a local stand-in that can hold its answer, so a lookup can end exactly while the user types.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startHttpStandIn, type HttpStandIn } from '../support/http-stand-in';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { configFor } from '../unit/main/accounts/autoconfig/fixtures';
import { filesLeaking } from '../unit/main/accounts/vault/vault-files';

const UI_TIMEOUT_MS = 15_000;
/** Connect waits for two logins; the check's own deadline is 20 s per server. */
const CONNECT_TIMEOUT_MS = 25_000;
/** Discovery's deadline here: far longer than a test, so only release() ends a held lookup. */
const DISCOVERY_TIMEOUT_MS = 120_000;

let servers: MailServers;
let browser: Browser;
let dataDir: TempDir;
let stateHome: TempDir;
let ispdb: HttpStandIn;
let app: BrowserMode;
let page: Page;
const consoleErrors: string[] = [];
/** Every WebSocket message the page received (API replies), to see a late reply arrive. */
const framesReceived: string[] = [];

beforeAll(async () => {
  [servers, browser, dataDir, stateHome, ispdb] = await Promise.all([
    startMailServers(),
    launchChromium(),
    makeTempDir('estafeta-e2e-accounts-'),
    makeTempDir('estafeta-e2e-state-'),
    startHttpStandIn(),
  ]);
  // The vault key goes to $XDG_STATE_HOME, kept apart from the data directory (and from ~).
  app = await startBrowserMode({
    dataDir: dataDir.path,
    env: {
      XDG_STATE_HOME: stateHome.path,
      ESTAFETA_ISPDB_URL: ispdb.url('/ispdb/'),
      ESTAFETA_DISCOVERY_TIMEOUT_MS: String(DISCOVERY_TIMEOUT_MS),
    },
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('websocket', (socket) =>
    socket.on('framereceived', (frame) => framesReceived.push(String(frame.payload))),
  );
  await page.goto(app.url);
});

afterAll(async () => {
  await app?.stop();
  await browser?.close();
  await servers?.stop();
  await ispdb?.close();
  await dataDir?.remove();
  await stateHome?.remove();
});

interface ServerFields {
  host: string;
  port: number;
  security: 'SSL/TLS' | 'STARTTLS' | 'None';
}

async function openDialog(): Promise<Locator> {
  await page.getByRole('button', { name: 'Add account', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Add account' });
  await dialog.waitFor();
  return dialog;
}

async function fillServers(dialog: Locator, incoming: ServerFields, outgoing: ServerFields): Promise<void> {
  await dialog.getByLabel('Incoming server').fill(incoming.host);
  await dialog.getByLabel('Incoming port').fill(String(incoming.port));
  await dialog.getByLabel('Incoming security').selectOption({ label: incoming.security });
  await dialog.getByLabel('Outgoing server').fill(outgoing.host);
  await dialog.getByLabel('Outgoing port').fill(String(outgoing.port));
  await dialog.getByLabel('Outgoing security').selectOption({ label: outgoing.security });
}

/** Resolves once the ISPDB stand-in has been asked about `domain`: discovery is in flight. */
async function ispdbAsked(domain: string): Promise<void> {
  await expect
    .poll(() => ispdb.requested().includes(`/ispdb/${domain}`), { timeout: UI_TIMEOUT_MS })
    .toBe(true);
}

async function serverValues(dialog: Locator): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const label of [
    'Incoming server',
    'Incoming port',
    'Incoming security',
    'Username',
    'Outgoing server',
    'Outgoing port',
    'Outgoing security',
  ]) {
    values[label] = await dialog.getByLabel(label, { exact: true }).inputValue();
  }
  return values;
}

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('Add account', () => {
  it('fills in the settings found for the address, and follows the protocol chosen', async () => {
    const dialog = await openDialog();
    // The dialog starts where the user does.
    const nameId = await dialog.getByLabel('Your name').getAttribute('id');
    await expect(page.locator(':focus').getAttribute('id')).resolves.toBe(nameId);
    await dialog.getByLabel('Your name').fill('Ana Torres');
    await dialog.getByLabel('Email address').fill('ana.torres@gmail.com');
    await dialog.getByText('Settings found for Gmail').waitFor();
    await expect(dialog.getByLabel('Incoming server').inputValue()).resolves.toBe('imap.gmail.com');
    await expect(dialog.getByLabel('Incoming port').inputValue()).resolves.toBe('993');
    await expect(dialog.getByLabel('Incoming security').inputValue()).resolves.toBe('tls');
    await expect(dialog.getByLabel('Outgoing server').inputValue()).resolves.toBe('smtp.gmail.com');
    await expect(dialog.getByLabel('Username').inputValue()).resolves.toBe('ana.torres@gmail.com');
    await dialog.getByText('Use an app password').waitFor();

    await dialog.getByRole('radio', { name: 'POP3', exact: true }).check();
    await expect(dialog.getByLabel('Incoming server').inputValue()).resolves.toBe('pop.gmail.com');
    await expect(dialog.getByLabel('Incoming port').inputValue()).resolves.toBe('995');
    await dialog.getByLabel('Leave messages on server').waitFor();
    // What the user types wins over what was found.
    await dialog.getByLabel('Incoming port').fill('1995');
    await dialog.getByRole('radio', { name: 'IMAP', exact: true }).check();
    await expect(dialog.getByLabel('Incoming server').inputValue()).resolves.toBe('imap.gmail.com');
    await expect(dialog.getByLabel('Incoming port').inputValue()).resolves.toBe('1995');
    await saveScreenshot(page, 'add-account-discovered');

    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('keeps exactly what the user typed in the server fields when a slow lookup ends', async () => {
    ispdb.setRoute('/ispdb/slow.test', {
      status: 200,
      body: configFor('found.test', 'Found Mail'),
      isHeld: true,
    });
    const dialog = await openDialog();
    await dialog.getByLabel('Your name').fill('Sam Slow');
    await dialog.getByLabel('Email address').fill('sam@slow.test');
    // Leaving the address field looks it up at once.
    await dialog.getByLabel('Password').fill('not-used');
    await ispdbAsked('slow.test');
    await dialog.getByText('Looking up the settings for slow.test').waitFor();

    // While the lookup is out, the user types two server fields and moves into a third, where they
    // are about to type when the lookup ends: the case that once read "smtp.example.test127.0.0.1".
    await dialog.getByLabel('Incoming server').fill('127.0.0.1');
    await dialog.getByLabel('Outgoing port').fill('10587');
    await dialog.getByLabel('Outgoing server').focus();
    await expect(dialog.getByText('Looking up the settings for slow.test').count()).resolves.toBe(1);
    ispdb.release('/ispdb/slow.test');
    await dialog.getByText('Settings found for Found Mail').waitFor();
    await page.keyboard.type('127.0.0.2');

    await expect(serverValues(dialog)).resolves.toEqual({
      // Typed: exactly as typed.
      'Incoming server': '127.0.0.1',
      'Outgoing port': '10587',
      'Outgoing server': '127.0.0.2',
      // Untouched: what was found (configFor: imap.found.test:993 SSL, smtp.found.test:465 SSL).
      'Incoming port': '993',
      'Incoming security': 'tls',
      Username: 'sam@slow.test',
      'Outgoing security': 'tls',
    });
    await saveScreenshot(page, 'add-account-typed-during-lookup');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('drops a late answer for an address the user has since changed', async () => {
    ispdb.setRoute('/ispdb/old.test', {
      status: 200,
      body: configFor('old-found.test', 'Old Mail'),
      isHeld: true,
    });
    ispdb.setRoute('/ispdb/new.test', { status: 200, body: configFor('new-found.test', 'New Mail') });
    const dialog = await openDialog();
    await dialog.getByLabel('Email address').fill('sam@old.test');
    await dialog.getByLabel('Password').fill('not-used');
    await ispdbAsked('old.test');
    await dialog.getByLabel('Email address').fill('sam@new.test');
    await dialog.getByLabel('Password').fill('not-used');
    await dialog.getByText('Settings found for New Mail').waitFor();
    await expect(dialog.getByLabel('Incoming server').inputValue()).resolves.toBe('imap.new-found.test');

    // The old address's answer arrives now: the renderer receives it and must leave the form alone.
    ispdb.release('/ispdb/old.test');
    await expect
      .poll(() => framesReceived.some((frame) => frame.includes('imap.old-found.test')), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(true);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
    await expect(dialog.getByLabel('Incoming server').inputValue()).resolves.toBe('imap.new-found.test');
    await expect(dialog.getByLabel('Outgoing server').inputValue()).resolves.toBe('smtp.new-found.test');
    await dialog.getByText('Settings found for New Mail').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  it('adds an IMAP account through a refused, then trusted, certificate and a wrong password', async () => {
    const dialog = await openDialog();
    await dialog.getByLabel('Your name').fill('Alice Example');
    await dialog.getByLabel('Email address').fill(servers.address('alice'));
    await dialog.getByLabel('Password').fill('not-her-password');

    // Both protocols are explained in one sentence each; IMAP is the default.
    const protocols = dialog.getByRole('radiogroup', { name: 'Incoming mail protocol' });
    await expect(protocols.getByRole('radio', { name: 'IMAP', exact: true }).isChecked()).resolves.toBe(true);
    await protocols.getByText('stay on the server and stay in sync on every device').waitFor();
    await protocols.getByText('downloaded to this computer and removed from the server').waitFor();
    await expect(dialog.getByLabel('Leave messages on server').isChecked()).resolves.toBe(false);

    // Nothing is found for example.test, so the fields hold guesses until the user types over them.
    await dialog.getByText('No settings were found for example.test').waitFor();
    await expect(dialog.getByLabel('Incoming server').inputValue()).resolves.toBe('imap.example.test');
    await expect(dialog.getByLabel('Username').inputValue()).resolves.toBe(servers.address('alice'));
    await fillServers(
      dialog,
      { host: servers.host, port: servers.ports.imaps, security: 'SSL/TLS' },
      { host: servers.host, port: servers.ports.submission, security: 'STARTTLS' },
    );

    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    const trust = dialog.getByRole('button', { name: 'Trust this certificate' });
    await trust.waitFor({ timeout: CONNECT_TIMEOUT_MS });
    // The same certificate on IMAP and SMTP is one decision, listing both servers.
    await expect(trust.count()).resolves.toBe(1);
    const card = dialog.getByRole('region', { name: 'Certificate not trusted' });
    await card
      .getByText(`${servers.host}:${servers.ports.imaps} and ${servers.host}:${servers.ports.submission}`)
      .waitFor();
    await card.getByText('CN=localhost, O=estafeta-test').first().waitFor();
    await card.getByText(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/).waitFor();
    await card.getByText(/ to /).first().waitFor();
    await saveScreenshot(page, 'add-account-certificate');

    await trust.click();
    await card.getByText('Select Connect to try again').waitFor();
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await dialog.getByText('Wrong username or password.').first().waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await expect(dialog.getByText('Wrong username or password.').count()).resolves.toBe(2);
    await dialog.getByText('The server says:').first().waitFor();
    await saveScreenshot(page, 'add-account-wrong-password');

    await dialog.getByLabel('Password').fill(servers.password);
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: CONNECT_TIMEOUT_MS });

    const tree = page.getByRole('tree', { name: 'Folders' });
    await tree.getByRole('treeitem', { name: servers.address('alice') }).waitFor();
    await saveScreenshot(page, 'add-account-imap-added');
  });

  it('adds a POP3 account that leaves messages on the server, with its local folders', async () => {
    const dialog = await openDialog();
    // The form starts empty again.
    await expect(dialog.getByLabel('Email address').inputValue()).resolves.toBe('');
    await dialog.getByLabel('Your name').fill('Bob Example');
    await dialog.getByLabel('Email address').fill(servers.address('bob'));
    await dialog.getByLabel('Password').fill(servers.password);
    // Asking to keep mail on the server is a POP3 choice, so it selects POP3.
    await dialog.getByLabel('Leave messages on server').check();
    await expect(dialog.getByRole('radio', { name: 'POP3', exact: true }).isChecked()).resolves.toBe(true);
    await fillServers(
      dialog,
      { host: servers.host, port: servers.ports.pop3s, security: 'SSL/TLS' },
      { host: servers.host, port: servers.ports.submission, security: 'STARTTLS' },
    );
    await saveScreenshot(page, 'add-account-pop3-form');

    // SMTP's certificate was trusted with the IMAP account; the POP3 server is another server.
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    const trust = dialog.getByRole('button', { name: 'Trust this certificate' });
    await trust.waitFor({ timeout: CONNECT_TIMEOUT_MS });
    await dialog.getByText(`${servers.host}:${servers.ports.pop3s}`, { exact: false }).first().waitFor();
    await dialog.getByText('Signed in.').waitFor();
    await trust.click();
    await dialog.getByRole('button', { name: 'Connect', exact: true }).click();
    await dialog.waitFor({ state: 'hidden', timeout: CONNECT_TIMEOUT_MS });

    const tree = page.getByRole('tree', { name: 'Folders' });
    const account = tree.getByRole('treeitem', { name: servers.address('bob') });
    await account.waitFor();
    for (const name of ['Inbox', 'Drafts', 'Sent', 'Trash']) {
      await account.getByRole('treeitem', { name, exact: true }).waitFor();
    }
    await tree.getByRole('treeitem', { name: servers.address('alice') }).waitFor();
    // The account just added is the one shown: its (local) Inbox is selected at once.
    await expect
      .poll(() => account.getByRole('treeitem', { name: 'Inbox', exact: true }).getAttribute('aria-selected'))
      .toBe('true');
    await saveScreenshot(page, 'add-account-pop3-added');
    expect(consoleErrors).toEqual([]);
  });

  it('keeps the password out of every file in the data directory and out of the log', async () => {
    await app.stop();
    const files = await filesUnder(dataDir.path);
    expect(files.some((file) => file.endsWith(path.join('logs', 'estafeta.log')))).toBe(true);
    // Raw, base64, base64url, hex and UTF-16: in none of these forms, in no file.
    expect(await filesLeaking(dataDir.path, servers.password)).toEqual([]);
    // The vault holds only sealed entries, private to the user; its key is not in the data dir.
    const vault = path.join(dataDir.path, 'secrets.vault');
    expect((await stat(vault)).mode & 0o777).toBe(0o600);
    const keys = await filesUnder(path.join(stateHome.path, 'estafeta', 'keys'));
    expect(keys).toHaveLength(1);
    expect((await stat(keys[0]!)).mode & 0o777).toBe(0o600);
  });
});
