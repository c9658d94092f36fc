/**
 * An IMAP account as a user sees it (issue 4), in Chromium on browser mode against the real Dovecot
 * and Postfix: added through "Add account" (trusting the self-signed certificate); folders and
 * counts equal the server's; opening a message sets \Seen on the server and "Mark as unread" clears
 * it; "Move to…" moves it on the server; a message delivered over LMTP appears by IDLE with nothing
 * pressed; with Dovecot stopped the status bar says "Offline" and a downloaded message still opens.
 * The server side is read with doveadm, which reads the Maildir itself (no IMAP session to cache).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { openAppInChromium, type AppInChromium } from '../support/app-in-chromium';
import { addImapAccountThroughDialog } from '../support/add-account-dialog';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { buildTestMessage, deliverViaLmtp } from '../support/seed-mailbox';

const UI_TIMEOUT_MS = 15_000;
/** Connect waits for two logins; the check's own deadline is 20 s per server. */
/** The first sync of a small account: folders, headers, then bodies. */
const SYNC_TIMEOUT_MS = 30_000;
/** A delivery pushed by IDLE, with nothing pressed. */
const IDLE_TIMEOUT_MS = 20_000;
/** The IDLE connection dropping and the engine giving up on reconnecting at once. */
const OFFLINE_TIMEOUT_MS = 45_000;
const SERVER_POLL_TIMEOUT_MS = 15_000;
const SERVER_POLL_MS = 300;

/**
 * Runs in the page before the app: a Notification that records instead of showing (headless
 * Chromium has no desktop), as if the user had allowed notifications earlier.
 */
const RECORDING_NOTIFICATION = `
  window.__notifications = [];
  class RecordingNotification {
    static permission = 'granted';
    static async requestPermission() {
      return 'granted';
    }
    constructor(title, options) {
      window.__notifications.push({ title, body: options && options.body });
    }
    close() {}
  }
  window.Notification = RecordingNotification;
`;

const TAG = randomBytes(3).toString('hex');
const subjectOf = (name: string) => `${name} ${TAG}`;
/** Delivered before the account is added: three unread, one already read elsewhere. */
const INBOX_MESSAGES = ['Budget', 'Lunch', 'Roadmap', 'Minutes'];
const READ_ELSEWHERE = 'Minutes';
const PROJECT_MESSAGE = 'Kickoff';

let servers: MailServers;
let browser: Browser;
let page: Page;
let session: AppInChromium | undefined;

beforeAll(async () => {
  [servers, browser] = await Promise.all([startMailServers(), launchChromium()]);
  for (const name of INBOX_MESSAGES) await deliver('INBOX', name);
  await servers.doveadm(['mailbox', 'create', '-s', '-u', 'alice', 'Projects']);
  await deliver('INBOX', PROJECT_MESSAGE);
  await servers.doveadm([
    'move',
    '-u',
    'alice',
    'Projects',
    'mailbox',
    'INBOX',
    'subject',
    subjectOf(PROJECT_MESSAGE),
  ]);
  await servers.doveadm([
    'flags',
    'add',
    '-u',
    'alice',
    '\\Seen',
    'mailbox',
    'INBOX',
    'subject',
    subjectOf(READ_ELSEWHERE),
  ]);

  session = await openAppInChromium(browser, {
    name: 'imap',
    timeoutMs: UI_TIMEOUT_MS,
    initScript: RECORDING_NOTIFICATION,
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await servers?.stop();
});

async function deliver(mailbox: 'INBOX', name: string): Promise<void> {
  const raw = buildTestMessage({
    from: `Bob Example <${servers.address('bob')}>`,
    to: `Alice Example <${servers.address('alice')}>`,
    subject: subjectOf(name),
    text: `Body of ${name.toLowerCase()} for ${mailbox}.\r\n`,
  });
  await deliverViaLmtp(servers, 'alice', raw);
}

/** Server state of alice's message with this subject: its flags per hit, in `mailbox`. */
async function serverFlags(mailbox: string, name: string): Promise<string[]> {
  const out = await servers.doveadm([
    'fetch',
    '-u',
    'alice',
    'flags',
    'mailbox',
    mailbox,
    'subject',
    subjectOf(name),
  ]);
  return out
    .split('\n')
    .filter((line) => line.startsWith('flags:'))
    .map((line) => line.slice('flags:'.length).trim());
}

async function serverCounts(mailbox: string): Promise<{ messages: number; unseen: number }> {
  const out = await servers.doveadm(['mailbox', 'status', '-u', 'alice', 'messages unseen', mailbox]);
  const messages = Number(/messages=(\d+)/.exec(out)?.[1]);
  const unseen = Number(/unseen=(\d+)/.exec(out)?.[1]);
  return { messages, unseen };
}

/** Polls the server (bounded) until `done` holds, and returns the last value seen. */
async function serverUntil<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + SERVER_POLL_TIMEOUT_MS;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, SERVER_POLL_MS));
    value = await read();
  }
  return value;
}

const tree = () => page.getByRole('tree', { name: 'Folders' });
const account = () => tree().getByRole('treeitem', { name: servers.address('alice') });
const folder = (name: string | RegExp) =>
  account().getByRole('treeitem', { name, exact: typeof name === 'string' });
const grid = () => page.getByRole('grid', { name: 'Messages' });
const rowOf = (name: string) =>
  grid()
    .getByRole('row')
    .filter({ hasText: subjectOf(name) });
const reader = () => page.getByRole('region', { name: 'Message', exact: true });

async function openFolder(item: Locator): Promise<void> {
  await item.locator('.row').first().click();
}

const addImapAccount = (): Promise<void> =>
  addImapAccountThroughDialog(page, servers, 'imap-add-account-stuck');

describe('an IMAP account in the UI', () => {
  it('adds the account and shows the server folders with its counts', async () => {
    await addImapAccount();
    const inbox = folder(/^Inbox/);
    await inbox.waitFor({ timeout: SYNC_TIMEOUT_MS });
    await folder('Projects').waitFor({ timeout: SYNC_TIMEOUT_MS });

    const inboxCounts = await serverCounts('INBOX');
    expect(inboxCounts).toEqual({ messages: INBOX_MESSAGES.length, unseen: INBOX_MESSAGES.length - 1 });
    await inbox
      .getByText(`${inboxCounts.unseen} unread messages`)
      .waitFor({ state: 'attached', timeout: SYNC_TIMEOUT_MS });
    // The new account's Inbox is shown by itself once the first folder sync lists it.
    await expect.poll(() => inbox.getAttribute('aria-selected'), { timeout: SYNC_TIMEOUT_MS }).toBe('true');
    await rowOf('Budget').waitFor({ timeout: SYNC_TIMEOUT_MS });
    await openFolder(inbox);
    await expect
      .poll(() => grid().getAttribute('aria-rowcount'), { timeout: SYNC_TIMEOUT_MS })
      .toBe(String(inboxCounts.messages));
    await saveScreenshot(page, 'imap-inbox');

    const projectCounts = await serverCounts('Projects');
    expect(projectCounts).toEqual({ messages: 1, unseen: 1 });
    await folder('Projects').getByText('1 unread message').waitFor({ state: 'attached' });
    // Totals too, on hover.
    await inbox
      .getByTitle(`${inboxCounts.messages} messages in all, ${inboxCounts.unseen} unread messages`)
      .waitFor();
    await folder('Projects').getByTitle('1 message in all, 1 unread message').waitFor();
    await openFolder(folder('Projects'));
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('1');
    await rowOf(PROJECT_MESSAGE).waitFor();
  });

  it('opening a message sets \\Seen on the server, and "Mark as unread" clears it', async () => {
    await openFolder(folder(/^Inbox/));
    expect(await serverFlags('INBOX', 'Budget')).toEqual(['']);
    await rowOf('Budget').click();
    await reader().getByText('Body of budget for INBOX.').waitFor({ timeout: SYNC_TIMEOUT_MS });
    const seen = await serverUntil(
      () => serverFlags('INBOX', 'Budget'),
      (flags) => flags[0]?.includes('\\Seen') === true,
    );
    expect(seen[0]).toContain('\\Seen');
    await folder(/^Inbox/)
      .getByText('2 unread messages')
      .waitFor({ state: 'attached' });
    await saveScreenshot(page, 'imap-opened');

    await page.getByRole('button', { name: 'Mark as unread', exact: true }).click();
    await rowOf('Budget').getByText('Unread', { exact: true }).waitFor({ state: 'attached' });
    // The same button now offers the way back.
    await page.getByRole('button', { name: 'Mark as read', exact: true }).waitFor();
    const unseen = await serverUntil(
      () => serverFlags('INBOX', 'Budget'),
      (flags) => flags[0]?.includes('\\Seen') === false,
    );
    expect(unseen).toHaveLength(1);
    expect(unseen[0]).not.toContain('\\Seen');
  });

  it('"Move to…" moves the message to the other folder on the server', async () => {
    await openFolder(folder(/^Inbox/));
    await rowOf('Lunch').click();
    await page.getByRole('button', { name: 'Move to…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Move to…' });
    await dialog.getByRole('button', { name: 'Projects', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await rowOf('Lunch').waitFor({ state: 'detached' });

    const moved = await serverUntil(
      async () => ({
        inProjects: (await serverFlags('Projects', 'Lunch')).length,
        inInbox: (await serverFlags('INBOX', 'Lunch')).length,
      }),
      (where) => where.inProjects === 1 && where.inInbox === 0,
    );
    expect(moved).toEqual({ inProjects: 1, inInbox: 0 });
    await openFolder(folder('Projects'));
    await rowOf('Lunch').waitFor({ timeout: SYNC_TIMEOUT_MS });
    // Selecting Lunch opened it (so it was read when moved): counts still equal the server's.
    expect(await serverCounts('Projects')).toEqual({ messages: 2, unseen: 1 });
    await expect.poll(() => grid().getAttribute('aria-rowcount')).toBe('2');
    await folder('Projects').getByText('1 unread message').waitFor({ state: 'attached' });
    expect(await serverCounts('INBOX')).toEqual({ messages: 3, unseen: 1 });
    await saveScreenshot(page, 'imap-moved');

    // The window opens again on the folder it showed last.
    await page.reload();
    await expect
      .poll(() => folder('Projects').getAttribute('aria-selected'), { timeout: SYNC_TIMEOUT_MS })
      .toBe('true');
    await rowOf('Lunch').waitFor();
  });

  it('"Flag" sets \\Flagged on the server and "Unflag" clears it; "Copy to…" leaves it in both folders', async () => {
    await openFolder(folder(/^Inbox/));
    await rowOf('Roadmap').click();
    await page.getByRole('button', { name: 'Flag', exact: true }).click();
    await rowOf('Roadmap').getByText('Flagged', { exact: true }).waitFor({ state: 'attached' });
    const flagged = await serverUntil(
      () => serverFlags('INBOX', 'Roadmap'),
      (flags) => flags[0]?.includes('\\Flagged') === true,
    );
    expect(flagged[0]).toContain('\\Flagged');

    // The toggle names what it does now.
    await page.getByRole('button', { name: 'Unflag', exact: true }).click();
    await rowOf('Roadmap').getByText('Flagged', { exact: true }).waitFor({ state: 'detached' });
    const unflagged = await serverUntil(
      () => serverFlags('INBOX', 'Roadmap'),
      (flags) => flags[0]?.includes('\\Flagged') === false,
    );
    expect(unflagged).toHaveLength(1);
    expect(unflagged[0]).not.toContain('\\Flagged');
    await page.getByRole('button', { name: 'Flag', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Copy to…', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Copy to…' });
    await dialog.getByText('Copy 1 message to:').waitFor();
    await dialog.getByRole('button', { name: 'Projects', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const copied = await serverUntil(
      async () => ({
        inProjects: (await serverFlags('Projects', 'Roadmap')).length,
        inInbox: (await serverFlags('INBOX', 'Roadmap')).length,
      }),
      (where) => where.inProjects === 1,
    );
    expect(copied).toEqual({ inProjects: 1, inInbox: 1 });
    await rowOf('Roadmap').waitFor();
    await openFolder(folder('Projects'));
    await rowOf('Roadmap').waitFor({ timeout: SYNC_TIMEOUT_MS });
    await saveScreenshot(page, 'imap-copied');
  });

  it('shows a new delivery pushed by IDLE without anything pressed, with a notification and the unread count', async () => {
    await openFolder(folder(/^Inbox/));
    await rowOf('Budget').waitFor();
    const before = await serverCounts('INBOX');
    const unreadText = (count: number) => `${count} unread message${count === 1 ? '' : 's'}`;
    // The tree shows the server's count before the delivery, so the change below is the delivery's.
    if (before.unseen > 0) {
      await folder(/^Inbox/)
        .getByText(unreadText(before.unseen), { exact: true })
        .waitFor({ state: 'attached' });
    }
    await deliver('INBOX', 'Fresh news');
    await rowOf('Fresh news').waitFor({ timeout: IDLE_TIMEOUT_MS });
    await folder(/^Inbox/)
      .getByText(unreadText(before.unseen + 1), { exact: true })
      .waitFor({ state: 'attached', timeout: IDLE_TIMEOUT_MS });
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              (window as unknown as { __notifications: { title: string; body: string }[] }).__notifications,
          ),
        { timeout: UI_TIMEOUT_MS },
      )
      .toContainEqual({ title: 'New mail', body: '1 new message in Inbox' });
    await saveScreenshot(page, 'imap-idle-delivery');
  });

  it('says "Offline" when Dovecot stops, and a downloaded message still opens', async () => {
    const offline = page.getByRole('status').filter({ hasText: 'Offline' });
    await expect(offline.count()).resolves.toBe(0);
    await servers.stopDovecot();
    try {
      await offline.waitFor({ timeout: OFFLINE_TIMEOUT_MS });
      await rowOf('Roadmap').click();
      await reader().getByText('Body of roadmap for INBOX.').waitFor();
      await saveScreenshot(page, 'imap-offline');
    } finally {
      await servers.startDovecot();
    }
  });

  it('names an account whose password the server no longer takes, and the fix in its settings clears it', async () => {
    const newPassword = 'changed-elsewhere';
    await servers.addUser('alice', newPassword);
    // Sessions logged in with the old password stay; ending them makes the app log in again (kick
    // fails when there is none: the app is still reconnecting after the restart above).
    await servers.doveadm(['kick', 'alice']).catch(() => '');
    const alert = page.getByRole('alert').filter({ hasText: servers.address('alice') });
    await alert.waitFor({ timeout: OFFLINE_TIMEOUT_MS });
    await expect(alert.textContent()).resolves.toMatch(/password/i);
    await saveScreenshot(page, 'imap-password-refused');

    await alert
      .getByRole('button', { name: `Account settings for ${servers.address('alice')}`, exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Account settings' });
    await dialog.getByLabel('Password').fill(newPassword);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await dialog.getByRole('status').getByText('Settings saved.').waitFor({ timeout: SYNC_TIMEOUT_MS });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await alert.waitFor({ state: 'detached', timeout: SYNC_TIMEOUT_MS });
    expect(session?.pageErrors).toEqual([]);
  });
});
