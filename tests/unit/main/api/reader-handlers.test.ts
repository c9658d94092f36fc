/**
 * The reader's API on the composed app with a real store: attachments listed under safe names,
 * read in chunks, saved only inside the chosen folder, attached messages opened, remote content
 * blocked until allowed for a message or remembered for a sender, malformed mail always opened.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileKeyVault } from '../../../../src-main/accounts/vault';
import type { MethodName, ParamsOf, ResultOf, WireError } from '../../../../src-main/api/contract';
import { methods } from '../../../../src-main/api/contract';
import { ATTACHMENT_CHUNK_BYTES } from '../../../../src-main/api/reader-contract';
import type { AttachmentFileDialogs } from '../../../../src-main/api/reader-handlers';
import { composeApp, type ComposedApp } from '../../../../src-main/app/compose';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const ATTACHMENTS_EML = `${FIXTURES}reader/attachments.eml`;
const SILENT = { info: () => {}, warn: () => {}, error: () => {} };

class FakeDialogs implements AttachmentFileDialogs {
  saveFile: string | null = null;
  saveFolder: string | null = null;
  readonly suggested: string[] = [];
  readonly opened: string[] = [];
  async chooseSaveFile(suggestedName: string): Promise<string | null> {
    this.suggested.push(suggestedName);
    return this.saveFile;
  }
  async chooseSaveFolder(): Promise<string | null> {
    return this.saveFolder;
  }
  async openWithSystem(file: string): Promise<void> {
    this.opened.push(file);
  }
}

interface Harness {
  app: ComposedApp;
  dialogs: FakeDialogs;
  importPaths: string[];
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  fail(method: MethodName, params: unknown): Promise<WireError>;
  importFiles(files: string[]): Promise<number[]>;
}

let temp: TempDir;
let harness: Harness;

async function start(dataDir: string, mode: 'electron' | 'browser' = 'electron'): Promise<Harness> {
  const dialogs = new FakeDialogs();
  const importPaths: string[] = [];
  const app = await composeApp({
    dataDir,
    mode,
    logger: SILENT,
    filePicker: { chooseImportFiles: async () => importPaths.splice(0) },
    attachmentDialogs: mode === 'electron' ? dialogs : null,
    vault: new FileKeyVault({ dataDir, keyDir: `${dataDir}-keys` }),
  });
  const call = async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    const reply = await app.dispatch(method, params);
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
    const parsed = methods[method].result.safeParse(reply.result);
    if (!parsed.success) throw new Error(`${method} result breaks its schema: ${parsed.error.message}`);
    return reply.result as ResultOf<M>;
  };
  const inboxId = async () => {
    const folders = await call('folders.list', {});
    const inbox = folders.find((folder) => folder.role === 'inbox');
    if (!inbox) throw new Error('no Inbox');
    return inbox.id;
  };
  return {
    app,
    dialogs,
    importPaths,
    call,
    fail: async (method, params) => {
      const reply = await app.dispatch(method, params);
      if (reply.ok) throw new Error(`${method} should have failed`);
      return reply.error;
    },
    importFiles: async (files) => {
      const folderId = await inboxId();
      const ids: number[] = [];
      const seen = new Set<number>();
      const newIds = async () => {
        const rows = (await call('messages.page', { folderId, offset: 0, limit: 500 })).rows;
        const fresh = rows.filter((row) => !seen.has(row.id)).map((row) => row.id);
        for (const id of fresh) seen.add(id);
        return fresh;
      };
      await newIds();
      for (const file of files) {
        // import.chooseFiles reads the files the (fake) native dialog returns; one file, one message.
        importPaths.push(file);
        await call('import.chooseFiles', { folderId });
        ids.push(...(await newIds()));
      }
      return ids;
    },
  };
}

async function writeEml(name: string, text: string): Promise<string> {
  const file = path.join(temp.path, 'eml', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text.replace(/\r?\n/g, '\r\n'));
  return file;
}

function remoteMail(from: string, subject: string): string {
  return `From: ${from}
To: alice@example.test
Subject: ${subject}
Date: Tue, 02 Jan 2024 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Newsletter</p>
<img src="https://images.example.com/banner.png" width="600" height="200" alt="banner">
<img src="https://tracker.example.com/open.gif" width="1" height="1">
<div style="background-image:url(https://images.example.com/bg.png)">text</div>
`;
}

async function readAll(
  h: Harness,
  messageId: number,
  index: number,
  attachedPath?: number[],
): Promise<{ bytes: Buffer; calls: number }> {
  const chunks: Buffer[] = [];
  let offset = 0;
  let calls = 0;
  for (;;) {
    const part = await h.call('attachment.content', { messageId, index, offset, attachedPath });
    calls++;
    const bytes = Buffer.from(part.data, 'base64');
    chunks.push(bytes);
    offset += bytes.length;
    if (part.isLast || calls > 100) break;
  }
  return { bytes: Buffer.concat(chunks), calls };
}

beforeEach(async () => {
  temp = await makeTempDir('estafeta-reader-');
  harness = await start(path.join(temp.path, 'data'));
});

afterEach(async () => {
  await harness.app.close();
  await temp.remove();
});

describe('attachments', () => {
  it('lists every attachment under a name with no directory, no "..", no device name, within the length limit', async () => {
    const [id] = await harness.importFiles([ATTACHMENTS_EML]);
    const view = await harness.call('message.open', { messageId: id! });
    const names = view.attachments.map((a) => a.filename);
    expect(names.slice(0, 5)).toEqual(['logo.png', 'photo.png', 'report.pdf', '_CON.txt', 'keys.bin']);
    expect(names[6]).toBe('The forwarded original.eml');
    for (const name of names) {
      expect(name).not.toMatch(/[/\\]/);
      expect(name).not.toContain('..');
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
    }
    expect(names[5]).toMatch(/^A+\.txt$/);
    // The inline cid: logo is shown from the message itself, as a data: URL.
    expect(view.safeHtml).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    expect(view.remoteContent).toEqual({
      blocked: 0,
      trackingPixels: 0,
      allowed: 'no',
      sender: 'files@example.org',
    });
  });

  it('reads an attachment back byte for byte, in chunks when it is large', async () => {
    const big = Buffer.alloc(ATTACHMENT_CHUNK_BYTES * 2 + 12_345);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
    const b64 = big.toString('base64').replace(/.{76}/g, '$&\n');
    const file = await writeEml(
      'big.eml',
      `From: a@example.org\nSubject: big\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nbody\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=data.bin\nContent-Transfer-Encoding: base64\n\n${b64}\n--b--\n`,
    );
    const [id] = await harness.importFiles([file]);
    const { bytes, calls } = await readAll(harness, id!, 0);
    expect(calls).toBe(3);
    expect(bytes.equals(big)).toBe(true);
    const past = await harness.fail('attachment.content', {
      messageId: id,
      index: 0,
      offset: big.length + 1,
    });
    expect(past.code).toBe('BAD_REQUEST');
    const missing = await harness.fail('attachment.content', { messageId: id, index: 5 });
    expect(missing.code).toBe('NOT_FOUND');
  });

  it('Save all writes every attachment inside the chosen folder, never over an existing file', async () => {
    const [id] = await harness.importFiles([ATTACHMENTS_EML]);
    const target = path.join(temp.path, 'out', 'inner');
    await mkdir(target, { recursive: true });
    harness.dialogs.saveFolder = target;
    const first = await harness.call('attachment.saveAll', { messageId: id! });
    expect(first.saved).toBe(7);
    const second = await harness.call('attachment.saveAll', { messageId: id! });
    expect(second.fileNames.slice(0, 3)).toEqual(['logo (2).png', 'photo (2).png', 'report (2).pdf']);
    const files = (await readdir(target)).sort();
    expect(files).toHaveLength(14);
    expect(files).toContain('_CON.txt');
    expect(files).toContain('keys.bin');
    // Nothing escaped the folder: "../../secret", "../../../../tmp" and "..\\Windows" stayed names.
    expect(await readdir(path.join(temp.path, 'out'))).toEqual(['inner']);
    const photo = await readFile(path.join(target, 'photo.png'));
    expect(photo.subarray(1, 4).toString()).toBe('PNG');
  });

  it('Save asks with the sanitised name and writes to the path the user chose; cancel writes nothing', async () => {
    const [id] = await harness.importFiles([ATTACHMENTS_EML]);
    harness.dialogs.saveFile = null;
    await expect(harness.call('attachment.save', { messageId: id!, index: 4 })).resolves.toEqual({
      saved: false,
      fileName: null,
    });
    const chosen = path.join(temp.path, 'chosen.bin');
    harness.dialogs.saveFile = chosen;
    await expect(harness.call('attachment.save', { messageId: id!, index: 4 })).resolves.toEqual({
      saved: true,
      fileName: 'chosen.bin',
    });
    expect(harness.dialogs.suggested).toEqual(['keys.bin', 'keys.bin']);
    const bytes = await readFile(chosen);
    expect([...bytes]).toEqual([...Array(256).keys()]);
  });

  it('Open hands documents to the system from a private folder and refuses programs', async () => {
    const exe = await writeEml(
      'exe.eml',
      'From: a@example.org\nSubject: exe\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nrun me\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="invoice.pdf.exe"\n\nMZ\n--b--\n',
    );
    const [id, exeId] = await harness.importFiles([ATTACHMENTS_EML, exe]);
    await harness.call('attachment.open', { messageId: id!, index: 2 });
    expect(harness.dialogs.opened).toHaveLength(1);
    expect(path.basename(harness.dialogs.opened[0]!)).toBe('report.pdf');
    expect(path.basename(path.dirname(harness.dialogs.opened[0]!))).toMatch(/^estafeta-open-/);
    const refused = await harness.fail('attachment.open', { messageId: exeId, index: 0 });
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.message).toMatch(/run programs/);
    expect(harness.dialogs.opened).toHaveLength(1);
  });

  it('opens a message/rfc822 attachment as a message, with its own attachments', async () => {
    const [id] = await harness.importFiles([ATTACHMENTS_EML]);
    const inner = await harness.call('message.open', { messageId: id!, attachedPath: [6] });
    expect(inner.headers.subject).toBe('The forwarded original');
    expect(inner.headers.from).toEqual([{ name: 'Forwarded Person', address: 'fwd@example.net' }]);
    expect(inner.text).toContain('This is the forwarded message');
    expect(inner.attachedPath).toEqual([6]);
    expect(inner.attachments.map((a) => a.filename)).toEqual(['inner-notes.txt']);
    const { bytes } = await readAll(harness, id!, 0, [6]);
    expect(bytes.toString()).toContain('Notes inside the forwarded message.');

    const notMessage = await harness.fail('message.open', { messageId: id, attachedPath: [1] });
    expect(notMessage.code).toBe('BAD_REQUEST');
    const tooDeep = await harness.fail('message.open', { messageId: id, attachedPath: Array(9).fill(0) });
    expect(tooDeep.code).toBe('BAD_REQUEST');
  });

  it('opens nested forwarded messages two levels down', async () => {
    const [id] = await harness.importFiles([`${FIXTURES}malformed/nested-rfc822.eml`]);
    const middle = await harness.call('message.open', { messageId: id!, attachedPath: [0] });
    expect(middle.headers.subject).toBe('Fwd: nested');
    const inner = await harness.call('message.open', { messageId: id!, attachedPath: [0, 0] });
    expect(inner.text).toContain('Innermost text.');
  });

  it('is refused in browser mode, where the page saves files itself', async () => {
    await harness.app.close();
    harness = await start(path.join(temp.path, 'browser-data'), 'browser');
    const [id] = await harness.importFiles([ATTACHMENTS_EML]);
    for (const method of ['attachment.save', 'attachment.open'] as const) {
      const error = await harness.fail(method, { messageId: id, index: 1 });
      expect(error.code).toBe('BAD_REQUEST');
    }
    const { bytes } = await readAll(harness, id!, 1);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('remote content', () => {
  it('is blocked by default, loads for one message on request, and counts tracking pixels either way', async () => {
    const [id] = await harness.importFiles([
      await writeEml('remote.eml', remoteMail('News <News@Shop.example>', 'Offers')),
    ]);
    const blocked = await harness.call('message.open', { messageId: id! });
    expect(blocked.safeHtml).not.toMatch(/example\.com/);
    expect(blocked.remoteContent).toEqual({
      blocked: 2,
      trackingPixels: 1,
      allowed: 'no',
      sender: 'news@shop.example',
    });

    const loaded = await harness.call('message.open', { messageId: id!, allowRemote: true });
    expect(loaded.safeHtml).toContain('https://images.example.com/banner.png');
    expect(loaded.safeHtml).toContain('https://images.example.com/bg.png');
    expect(loaded.safeHtml).not.toContain('tracker.example.com');
    expect(loaded.remoteContent).toMatchObject({ blocked: 0, trackingPixels: 1, allowed: 'message' });

    // Once for this message only: opening it again blocks again.
    const again = await harness.call('message.open', { messageId: id! });
    expect(again.remoteContent.allowed).toBe('no');
  });

  it('"Always for this sender" lasts across restarts, applies to that sender only, and can be revoked', async () => {
    const [fromShop, fromOther] = await harness.importFiles([
      await writeEml('shop.eml', remoteMail('News <news@shop.example>', 'Shop')),
      await writeEml('other.eml', remoteMail('other@elsewhere.example', 'Other')),
    ]);
    await harness.call('remoteContent.allowSender', { address: 'NEWS@shop.example' });
    const dataDir = path.join(temp.path, 'data');
    await harness.app.close();
    harness = await start(dataDir);

    const shop = await harness.call('message.open', { messageId: fromShop! });
    expect(shop.remoteContent.allowed).toBe('sender');
    expect(shop.safeHtml).toContain('https://images.example.com/banner.png');
    const other = await harness.call('message.open', { messageId: fromOther! });
    expect(other.remoteContent.allowed).toBe('no');
    expect(await harness.call('remoteContent.listSenders', {})).toEqual([
      { address: 'news@shop.example', addedAt: expect.any(Number) },
    ]);

    await expect(
      harness.call('remoteContent.revokeSender', { address: 'news@shop.example' }),
    ).resolves.toEqual({
      removed: true,
    });
    expect((await harness.call('message.open', { messageId: fromShop! })).remoteContent.allowed).toBe('no');
    const bad = await harness.fail('remoteContent.allowSender', { address: 'not an address' });
    expect(bad.code).toBe('BAD_REQUEST');
  });
});

describe('malformed mail', () => {
  const cases = [
    ['bad-charset.eml', 'undecodable-characters'],
    ['bad-date.eml', 'unreadable-date'],
    ['binary-garbage.eml', 'not-mime'],
    ['empty.eml', 'empty'],
    ['missing-boundary.eml', 'not-mime'],
    ['no-blank-line.eml', 'not-mime'],
    ['unclosed-boundary.eml', 'unclosed-multipart'],
  ] as const;

  it.each(cases)('%s opens with a note (code %s) saying what could not be shown', async (name, code) => {
    const [id] = await harness.importFiles([`${FIXTURES}malformed/${name}`]);
    const view = await harness.call('message.open', { messageId: id! });
    expect(view.problems.map((problem) => problem.code)).toContain(code);
  });

  it('opens a message whose header is larger than the parser allows, showing its subject', async () => {
    const file = await writeEml(
      'huge-header.eml',
      `From: big@example.org\nSubject: Huge header\nX-Padding: ${'x'.repeat(1_200_000)}\n\nThe body after a huge header.\n`,
    );
    const [id] = await harness.importFiles([file]);
    const view = await harness.call('message.open', { messageId: id! });
    expect(view.headers.subject).toBe('Huge header');
    expect(view.problems).toEqual([{ code: 'not-mime', reason: 'over-limits' }]);
  });
});
