/**
 * Writing and sending as a user does, in Chromium on browser mode against real Postfix and Dovecot:
 * an account added through the dialog, "Compose", To with completion off, Subject, the body, a file
 * attached through "Attach files" (listed with its size, removable), Ctrl+Enter to send; then the
 * message is in the recipient's Inbox and in the sender's Sent folder (over IMAP, and in the
 * folder tree once synced), and its attachment arrived byte for byte.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { openAppInChromium, type AppInChromium } from '../support/app-in-chromium';
import { addImapAccountThroughDialog, CONNECT_TIMEOUT_MS } from '../support/add-account-dialog';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startMailServers, type MailServers } from '../support/mail-servers';
import { makeTempDir, type TempDir } from '../support/temp-dir';
import { findBySubject } from '../integration/sync/outbox/sending-kit';
import { buildTestMessage, deliverViaLmtp } from '../support/seed-mailbox';

const UI_TIMEOUT_MS = 15_000;
/** Sending, then the Sent copy, then IMAP sync bringing it into the tree. */
const SYNC_TIMEOUT_MS = 60_000;

let servers: MailServers;
let browser: Browser;
let files: TempDir;
let page: Page;
let session: AppInChromium | undefined;

beforeAll(async () => {
  [servers, browser, files] = await Promise.all([
    startMailServers(),
    launchChromium(),
    makeTempDir('estafeta-e2e-compose-files-'),
  ]);
  session = await openAppInChromium(browser, {
    name: 'compose',
    timeoutMs: UI_TIMEOUT_MS,
    withConsoleErrors: true,
  });
  page = session.page;
});

afterAll(async () => {
  await session?.close();
  await browser?.close();
  await servers?.stop();
  await files?.remove();
});

let hasAccount = false;

/** Adds alice's IMAP account through the dialog, once for the file (tests may run alone with -t). */
async function addAliceAccount(): Promise<void> {
  if (hasAccount) return;
  hasAccount = true;
  await addImapAccountThroughDialog(page, servers, 'compose-add-account-stuck');
  await page
    .getByRole('tree', { name: 'Folders' })
    .getByRole('treeitem', { name: servers.address('alice') })
    .waitFor();
}

const messageRow = (subject: string) =>
  page.getByRole('grid', { name: 'Messages' }).getByRole('row').filter({ hasText: subject });

describe('Compose', () => {
  it('sends a message with an attachment that arrives in the Inbox and is kept in Sent', async () => {
    await addAliceAccount();
    const tag = randomBytes(4).toString('hex');
    const subject = `Quarterly numbers ${tag}`;
    const bytes = randomBytes(200_000);
    const filePath = path.join(files.path, 'números ✓.bin');
    await writeFile(filePath, bytes);
    const spare = path.join(files.path, 'remove-me.txt');
    await writeFile(spare, 'not to be sent');

    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const composer = page.getByRole('dialog', { name: 'Compose' });
    await composer.waitFor();
    await expect.poll(() => composer.getByLabel('From').inputValue()).toMatch(/:0$/);
    await composer.getByRole('combobox', { name: 'To' }).fill(`Bob <${servers.address('bob')}>`);
    await composer.getByLabel('Subject', { exact: true }).fill(subject);
    await composer
      .getByRole('textbox', { name: 'Message body' })
      .fill('Hi Bob,\n\nthe numbers are attached.\n');

    const chooser = page.waitForEvent('filechooser');
    await composer.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([filePath, spare]);
    const list = composer.getByRole('list', { name: 'Attachments' });
    await list.getByText('números ✓.bin').waitFor();
    await list.getByText('195 KB').waitFor();
    await composer.getByRole('button', { name: 'Remove remove-me.txt' }).click();
    await list.getByText('remove-me.txt').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'compose-filled');

    await composer.getByRole('textbox', { name: 'Message body' }).press('Control+Enter');
    await composer.waitFor({ state: 'hidden' });

    const [received] = await findBySubject(servers, 'bob', 'INBOX', tag);
    const mail = await simpleParser(received?.source ?? Buffer.alloc(0));
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain('the numbers are attached.');
    expect(
      mail.attachments.map((a) => [a.filename, createHash('sha256').update(a.content).digest('hex')]),
    ).toEqual([['números ✓.bin', createHash('sha256').update(bytes).digest('hex')]]);
    const [sent] = await findBySubject(servers, 'alice', 'Sent', tag);
    expect(sent?.flags.has('\\Seen')).toBe(true);

    // The Sent copy shows in the app once the account's Sent folder is synced.
    const tree = page.getByRole('tree', { name: 'Folders' });
    const account = tree.getByRole('treeitem', { name: servers.address('alice') });
    await account.getByRole('treeitem', { name: /^Sent/ }).first().click();
    await page.getByRole('main').getByText(subject).first().waitFor({ timeout: SYNC_TIMEOUT_MS });
    // Sent names who the message went to, not the user it came from.
    await messageRow(subject).getByText('To: Bob', { exact: true }).waitFor();
    await saveScreenshot(page, 'compose-sent');
    expect(session?.pageErrors).toEqual([]);
  });

  it('saves a draft on close and reopens it from Drafts with its attachment', async () => {
    await addAliceAccount();
    const tag = randomBytes(4).toString('hex');
    const subject = `Draft for later ${tag}`;
    const filePath = path.join(files.path, 'plan.txt');
    await writeFile(filePath, 'step one\n');

    await page.getByRole('button', { name: 'Compose', exact: true }).click();
    const composer = page.getByRole('dialog', { name: 'Compose' });
    await composer.waitFor();
    await composer.getByRole('combobox', { name: 'To' }).fill(servers.address('carol'));
    await composer.getByRole('combobox', { name: 'Bcc' }).fill(servers.address('sink'));
    await composer.getByLabel('Subject', { exact: true }).fill(subject);
    await composer.getByRole('textbox', { name: 'Message body' }).fill('Not finished yet.');
    const chooser = page.waitForEvent('filechooser');
    await composer.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles([filePath]);
    await composer.getByRole('list', { name: 'Attachments' }).getByText('plan.txt').waitFor();
    await composer.getByRole('button', { name: 'Close', exact: true }).click();
    await composer.waitFor({ state: 'hidden' });

    const tree = page.getByRole('tree', { name: 'Folders' });
    const local = tree.getByRole('treeitem', { name: /^Local Folders/ });
    await local
      .getByRole('treeitem', { name: /^Drafts/ })
      .first()
      .click();
    await messageRow(subject)
      .getByText(`To: ${servers.address('carol')}`, { exact: true })
      .waitFor();
    await page.getByRole('main').getByText(subject).first().dblclick();
    await composer.waitFor();
    // The fields fill once main has read the draft.
    await expect.poll(() => composer.getByLabel('Subject', { exact: true }).inputValue()).toBe(subject);
    await expect(composer.getByRole('combobox', { name: 'To' }).inputValue()).resolves.toBe(
      servers.address('carol'),
    );
    await expect(composer.getByRole('combobox', { name: 'Bcc' }).inputValue()).resolves.toBe(
      servers.address('sink'),
    );
    await expect(composer.getByRole('textbox', { name: 'Message body' }).inputValue()).resolves.toContain(
      'Not finished yet.',
    );
    await composer.getByRole('list', { name: 'Attachments' }).getByText('plan.txt').waitFor();
    await saveScreenshot(page, 'compose-draft-reopened');
    await composer.getByRole('button', { name: 'Discard' }).click();
    await composer.waitFor({ state: 'hidden' });
    await page.getByRole('grid', { name: 'Messages' }).getByText(subject).waitFor({ state: 'detached' });
  });

  it('shows a message waiting in the Outbox while Postfix is down, and sends it on Retry', async () => {
    await addAliceAccount();
    const tag = randomBytes(4).toString('hex');
    const subject = `Outbox wait ${tag}`;
    await servers.stopPostfix();
    try {
      await page.getByRole('button', { name: 'Compose', exact: true }).click();
      const composer = page.getByRole('dialog', { name: 'Compose' });
      await composer.getByRole('combobox', { name: 'To' }).fill(servers.address('bob'));
      await composer.getByLabel('Subject', { exact: true }).fill(subject);
      await composer.getByRole('button', { name: 'Send', exact: true }).click();
      await composer.waitFor({ state: 'hidden' });
      const outbox = page.getByRole('region', { name: 'Outbox' });
      await outbox.getByText(subject).waitFor();
      await outbox.getByText('Waiting to send').waitFor();
      await outbox.getByText('Could not connect to the outgoing mail server', { exact: false }).waitFor({
        timeout: CONNECT_TIMEOUT_MS,
      });
      await saveScreenshot(page, 'compose-outbox-waiting');
    } finally {
      await servers.startPostfix();
    }
    await page.getByRole('button', { name: `Retry sending “${subject}”` }).click();
    await page
      .getByRole('region', { name: 'Outbox' })
      .waitFor({ state: 'detached', timeout: CONNECT_TIMEOUT_MS });
    expect(await findBySubject(servers, 'bob', 'INBOX', tag)).toHaveLength(1);
    expect(session?.pageErrors).toEqual([]);
  });

  it('replies from the toolbar with the quote, and forwards the message as an attached .eml', async () => {
    await addAliceAccount();
    const tag = randomBytes(4).toString('hex');
    await deliverViaLmtp(
      servers,
      'alice',
      buildTestMessage({
        from: `Carol Example <${servers.address('carol')}>`,
        to: servers.address('alice'),
        subject: `Lunch ${tag}`,
        text: 'Shall we meet at noon?',
        messageId: `<lunch-${tag}@example.test>`,
      }),
    );
    const tree = page.getByRole('tree', { name: 'Folders' });
    const account = tree.getByRole('treeitem', { name: servers.address('alice') });
    await account
      .getByRole('treeitem', { name: /^Inbox/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Get mail' }).click();
    await page.getByRole('main').getByText(`Lunch ${tag}`).first().click({ timeout: SYNC_TIMEOUT_MS });

    await page.getByRole('button', { name: 'Reply', exact: true }).click();
    const composer = page.getByRole('dialog', { name: 'Compose' });
    await composer.waitFor();
    await saveScreenshot(page, 'compose-reply');
    await expect
      .poll(() => composer.getByLabel('Subject', { exact: true }).inputValue())
      .toBe(`Re: Lunch ${tag}`);
    await expect(composer.getByRole('combobox', { name: 'To' }).inputValue()).resolves.toBe(
      `Carol Example <${servers.address('carol')}>`,
    );
    const body = composer.getByRole('textbox', { name: 'Message body' });
    await expect(body.inputValue()).resolves.toMatch(
      /On .+, Carol Example <carol@example\.test> wrote:\n> Shall we meet at noon\?/,
    );
    await body.press('Control+Home');
    await body.pressSequentially('Yes, noon works.');
    await body.press('Control+Enter');
    await composer.waitFor({ state: 'hidden' });
    const [reply] = await findBySubject(servers, 'carol', 'INBOX', `Re: Lunch ${tag}`);
    const replied = await simpleParser(reply?.source ?? Buffer.alloc(0));
    expect(replied.inReplyTo).toBe(`<lunch-${tag}@example.test>`);
    expect(replied.text).toMatch(/^Yes, noon works\./);

    await page.getByRole('button', { name: 'Forward', exact: true }).click();
    await composer.waitFor();
    await expect
      .poll(() => composer.getByLabel('Subject', { exact: true }).inputValue())
      .toBe(`Fwd: Lunch ${tag}`);
    await composer.getByLabel('Forward as attachment').check();
    await composer.getByRole('list', { name: 'Attachments' }).getByText(`Lunch ${tag}.eml`).waitFor();
    await composer.getByRole('combobox', { name: 'To' }).fill(servers.address('bob'));
    await composer.getByRole('button', { name: 'Send', exact: true }).click();
    await composer.waitFor({ state: 'hidden' });
    const [forwarded] = await findBySubject(servers, 'bob', 'INBOX', `Fwd: Lunch ${tag}`);
    const mail = await simpleParser(forwarded?.source ?? Buffer.alloc(0));
    expect(mail.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
    // The original is marked on the server: \Answered for the reply, $Forwarded for the forward.
    await expect
      .poll(
        async () => {
          const [original] = await findBySubject(servers, 'alice', 'INBOX', `Lunch ${tag}`);
          return [...(original?.flags ?? [])];
        },
        { timeout: SYNC_TIMEOUT_MS },
      )
      .toEqual(expect.arrayContaining(['\\Answered', '$Forwarded']));
    expect(session?.pageErrors).toEqual([]);
  });
});
