import { readdir, readFile, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Folder } from '../../../../../src-main/domain/folder';
import type { FolderId } from '../../../../../src-main/domain/ids';
import { parseMessage } from '../../../../../src-main/mime/parse';
import { nodeEmlFileSystem } from '../../../../../src-main/store/eml-files';
import type { EmlFileSystem } from '../../../../../src-main/store/eml-files';
import { SqliteMailStore } from '../../../../../src-main/store/mail-store';
import type { StoredMessage } from '../../../../../src-main/store/message-rows';
import { LocalImporter } from '../../../../../src-main/sync/local-import/importer';
import type { ImportProgress, ImportStore } from '../../../../../src-main/sync/local-import/importer';
import { makeTempDir } from '../../../../support/temp-dir';
import type { TempDir } from '../../../../support/temp-dir';

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

interface Harness {
  dir: TempDir;
  store: SqliteMailStore;
  inbox: Folder;
  importer: LocalImporter;
  progress: ImportProgress[];
  changed: FolderId[][];
}

let h: Harness;

async function harness(
  options: { fileSystem?: EmlFileSystem; idleTimeoutMs?: number; maxMessageBytes?: number } = {},
): Promise<Harness> {
  const dir = await makeTempDir('estafeta-import-');
  const store = SqliteMailStore.open(dir.path, { fileSystem: options.fileSystem });
  const inbox = store.ensureLocalFolders().folders.find((f) => f.role === 'inbox')!;
  const progress: ImportProgress[] = [];
  const changed: FolderId[][] = [];
  const importer = new LocalImporter({
    store,
    onProgress: (p) => progress.push(p),
    onFolderChanged: (ids) => changed.push(ids),
    idleTimeoutMs: options.idleTimeoutMs,
    maxMessageBytes: options.maxMessageBytes,
  });
  return { dir, store, inbox, importer, progress, changed };
}

beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.importer.cancelAll();
  h.store.close();
  await h.dir.remove();
});

function pickStore(store: SqliteMailStore): ImportStore {
  return {
    folders: store.folders,
    messages: store.messages,
    search: store.search,
    emlFiles: store.emlFiles,
    transaction: (work) => store.transaction(work),
  };
}

function allMessages(folder: Folder = h.inbox): StoredMessage[] {
  const { rows } = h.store.messages.page(folder.id, 0, 1000, { by: 'date', direction: 'asc' });
  return rows.map((row) => h.store.messages.get(row.id)!);
}

async function emlFilesOnDisk(): Promise<string[]> {
  const entries = await readdir(path.join(h.dir.path, 'mail'), {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(h.dir.path, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** A deterministic mbox of `count` messages, some multipart, some with body lines that need mbox escaping. */
function generatedMbox(count: number): { mbox: Buffer; messageIds: string[] } {
  const messageIds: string[] = [];
  let out = '';
  for (let i = 0; i < count; i++) {
    const id = `gen-${i}.${(i * 2654435761) % 100000}@example.test`;
    messageIds.push(id);
    const date = new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toUTCString().replace('GMT', '+0000');
    out += `From sender${i % 17}@example.test ${new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toUTCString().slice(0, 25)}\n`;
    out += `From: =?UTF-8?Q?Se=C3=B1or_${i % 17}?= <sender${i % 17}@example.test>\nTo: me@example.test\n`;
    out += `Subject: Generated message ${i}\nDate: ${date}\nMessage-ID: <${id}>\nStatus: ${i % 2 === 0 ? 'RO' : 'O'}\n`;
    if (i % 3 === 0) {
      out += `MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b${i}"\n\n--b${i}\nContent-Type: text/plain; charset=utf-8\n\n`;
      out += `Plain ${i}\n>From the archive\n\n--b${i}\nContent-Type: text/html\n\n<p>Html ${i}</p>\n--b${i}--\n\n`;
    } else {
      out += `\nLine one of ${i}\n\n>From an escaped line\n>>From a doubly escaped line\n\n`;
    }
  }
  return { mbox: Buffer.from(out), messageIds };
}

describe('LocalImporter.importFile', () => {
  it('imports an mbox with its flags, threading ids and delivery dates', async () => {
    const result = await h.importer.importFile(h.inbox.id, `${FIXTURES}mbox/mboxrd-three.mbox`, 'mbox');
    expect(result).toMatchObject({ imported: 3, damaged: 0, failed: 0, errors: [] });
    const messages = allMessages();
    expect(messages.map((m) => m.messageIdHeader)).toEqual([
      'mbox-1@example.test',
      'mbox-2@example.org',
      'mbox-3@example.es',
    ]);
    expect(messages.map((m) => [m.flags.seen, m.flags.flagged])).toEqual([
      [true, true], // Status: RO, X-Status: F
      [false, false], // Status: O
      [true, true], // X-Mozilla-Status: 0005 = read + marked
    ]);
    expect(messages[0]!.receivedAt).toBe(Date.UTC(2024, 0, 2, 10, 0, 5));
    expect(messages[1]!.threadKey).toBe('id:mbox-1@example.test');
    expect(messages[2]!.from).toEqual({ name: 'José', address: 'jose@example.es' });
    expect(h.store.messages.countsFor([h.inbox.id]).get(h.inbox.id)).toEqual({ unread: 1, total: 3 });
    const raw = await h.store.emlFiles.read(messages[0]!.emlPath);
    expect(raw.toString()).toContain('\r\nFrom the start this line began with From.\r\n');
    expect(h.progress.at(-1)).toMatchObject({
      state: 'done',
      messages: 3,
      bytes: result && h.progress.at(-1)!.totalBytes,
    });
    expect(h.changed.flat().every((id) => id === h.inbox.id)).toBe(true);
    expect(h.store.search.search('tercer').map((m) => m.messageIdHeader)).toEqual(['mbox-3@example.es']);
  });

  it('imports a generated 2,000-message mbox with the right count and the same Message-IDs', async () => {
    const { mbox, messageIds } = generatedMbox(2000);
    const file = path.join(h.dir.path, 'big.mbox');
    await writeFile(file, mbox);
    const result = await h.importer.importFile(h.inbox.id, file, 'mbox');
    expect(result).toMatchObject({ imported: 2000, damaged: 0, failed: 0 });
    const stored = h.store.messages.page(h.inbox.id, 0, 1000).total;
    expect(stored).toBe(2000);
    const ids: string[] = [];
    for (let offset = 0; offset < 2000; offset += 500) {
      ids.push(
        ...h.store.messages
          .page(h.inbox.id, offset, 500, { by: 'date', direction: 'asc' })
          .rows.map((r) => r.messageIdHeader!),
      );
    }
    expect(ids).toEqual(messageIds);
    expect(h.store.messages.countsFor([h.inbox.id]).get(h.inbox.id)).toEqual({ unread: 1000, total: 2000 });
    const sample = allMessages().find((m) => m.messageIdHeader === messageIds[4])!;
    const body = (await h.store.emlFiles.read(sample.emlPath)).toString();
    expect(body).toContain('\r\nFrom an escaped line\r\n>From a doubly escaped line\r\n');
    expect((await emlFilesOnDisk()).length).toBe(2000);
    // Throttled progress: far fewer events than messages, the last one final.
    expect(h.progress.length).toBeLessThan(200);
    expect(h.progress.at(-1)).toMatchObject({ state: 'done', messages: 2000 });
  });

  it.each(readdirSync(`${FIXTURES}malformed`))(
    'imports malformed/%s as one message that opens without throwing',
    async (name) => {
      const result = await h.importer.importFile(h.inbox.id, `${FIXTURES}malformed/${name}`, 'eml');
      expect(result.imported).toBe(1);
      expect(result.failed).toBe(0);
      const [message] = allMessages();
      const opened = await parseMessage(await h.store.emlFiles.read(message!.emlPath));
      expect(typeof opened.text).toBe('string');
      expect(message!.parseState).toBe(result.damaged === 1 ? 'damaged' : 'ok');
    },
  );

  it('imports a message with a 1 MB header as damaged, with its subject', async () => {
    const file = path.join(h.dir.path, 'huge-header.eml');
    await writeFile(file, `Subject: Huge\r\nX-Filler: ${'y'.repeat(1024 * 1024)}\r\n\r\nbody\r\n`);
    const result = await h.importer.importFile(h.inbox.id, file, 'eml');
    expect(result).toMatchObject({ imported: 1, damaged: 1 });
    expect(allMessages()[0]).toMatchObject({ subject: 'Huge', parseState: 'damaged' });
  });

  it('counts a message over the size limit as failed and imports the rest', async () => {
    h.importer = new LocalImporter({
      store: h.store,
      onProgress: () => {},
      onFolderChanged: () => {},
      maxMessageBytes: 2000,
    });
    const file = path.join(h.dir.path, 'mixed.mbox');
    await writeFile(
      file,
      `From a Tue Jan  2 10:00:00 2024\nSubject: big\n\n${'x'.repeat(5000)}\n\nFrom b Tue Jan  2 10:00:00 2024\nSubject: small\nMessage-ID: <s@x>\n\nok\n`,
    );
    const result = await h.importer.importFile(h.inbox.id, file, 'mbox');
    expect(result).toMatchObject({ imported: 1, failed: 1 });
    expect(result.errors[0]).toMatch(/^Message 1: .*larger than the import limit/);
  });

  it('loses only the message the store refuses, not its whole batch, and removes its file', async () => {
    const messages = Object.create(h.store.messages) as typeof h.store.messages;
    messages.insert = (message) => {
      if (message.subject === 'Generated message 7') throw new Error('refused');
      return h.store.messages.insert(message);
    };
    const store = { ...pickStore(h.store), messages };
    h.importer = new LocalImporter({ store, onProgress: () => {}, onFolderChanged: () => {} });
    const { mbox } = generatedMbox(20);
    const file = path.join(h.dir.path, 'g.mbox');
    await writeFile(file, mbox);
    const result = await h.importer.importFile(h.inbox.id, file, 'mbox');
    expect(result).toMatchObject({ imported: 19, failed: 1 });
    expect(result.errors).toEqual(['Message 8 ("Generated message 7"): the mail store refused it.']);
    expect((await emlFilesOnDisk()).length).toBe(19);
  });

  it('refuses a folder that does not exist and a file that does not exist', async () => {
    await expect(
      h.importer.importFile(9999 as FolderId, `${FIXTURES}mbox/mboxrd-three.mbox`, 'mbox'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      h.importer.importFile(h.inbox.id, path.join(h.dir.path, 'nope.mbox'), 'mbox'),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('LocalImporter chunked (browser mode)', () => {
  it('gives the same result as importFile whatever the chunk size', async () => {
    const data = await readFile(`${FIXTURES}mbox/mboxrd-three.mbox`);
    const importId = h.importer.begin({
      folderId: h.inbox.id,
      fileName: 'three.mbox',
      format: 'mbox',
      size: data.length,
    });
    let received = 0;
    for (let i = 0; i < data.length; i += 7)
      received = await h.importer.chunk(importId, data.subarray(i, i + 7));
    expect(received).toBe(data.length);
    const result = await h.importer.finish(importId);
    expect(result).toMatchObject({ importId, imported: 3, failed: 0 });
    expect(allMessages().map((m) => m.messageIdHeader)).toEqual([
      'mbox-1@example.test',
      'mbox-2@example.org',
      'mbox-3@example.es',
    ]);
    await expect(h.importer.chunk(importId, Buffer.from('x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes an .eml in chunks as exactly one message', async () => {
    const data = await readFile(`${FIXTURES}eml/alternative-with-attachments.eml`);
    const importId = h.importer.begin({
      folderId: h.inbox.id,
      fileName: 'a.eml',
      format: 'eml',
      size: data.length,
    });
    await h.importer.chunk(importId, data.subarray(0, 100));
    await h.importer.chunk(importId, data.subarray(100));
    expect(await h.importer.finish(importId)).toMatchObject({ imported: 1 });
    expect(allMessages()[0]).toMatchObject({ subject: 'Angebote für Sie', hasAttachments: true });
  });

  it('cancels an import whose page went away, after the idle timeout', async () => {
    h.importer = new LocalImporter({
      store: h.store,
      onProgress: (p) => h.progress.push(p),
      onFolderChanged: () => {},
      idleTimeoutMs: 30,
    });
    const importId = h.importer.begin({ folderId: h.inbox.id, fileName: 'x.mbox', format: 'mbox', size: 10 });
    await h.importer.chunk(
      importId,
      Buffer.from('From a Tue Jan  2 10:00:00 2024\nSubject: one\n\nbody\n\nFrom b'),
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(h.progress.at(-1)).toMatchObject({ importId, state: 'cancelled', messages: 1 });
    await expect(h.importer.chunk(importId, Buffer.from('x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(allMessages().map((m) => m.subject)).toEqual(['one']);
  });

  it('cancel keeps what was already imported and ends the import', async () => {
    const { mbox } = generatedMbox(50);
    const importId = h.importer.begin({
      folderId: h.inbox.id,
      fileName: 'g.mbox',
      format: 'mbox',
      size: mbox.length,
    });
    await h.importer.chunk(importId, mbox.subarray(0, Math.floor(mbox.length / 2)));
    await h.importer.cancel(importId);
    const kept = allMessages().length;
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThan(50);
    expect((await emlFilesOnDisk()).length).toBe(kept);
    expect(h.progress.at(-1)).toMatchObject({ state: 'cancelled', messages: kept });
    await expect(h.importer.finish(importId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('LocalImporter on a full disk', () => {
  it('stops with DISK_FULL, keeps committed messages consistent with their files, and leaves no orphans', async () => {
    await h.importer.cancelAll();
    h.store.close();
    await h.dir.remove();
    let writesLeft = 250; // the first batch (200) commits, the disk fills during the second
    const fileSystem: EmlFileSystem = {
      ...nodeEmlFileSystem,
      async createExclusive(file) {
        const real = await nodeEmlFileSystem.createExclusive(file);
        return {
          ...real,
          async write(data) {
            if (writesLeft-- <= 0) {
              await real.write(data.subarray(0, Math.floor(data.length / 2)));
              throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
            }
            await real.write(data);
          },
        };
      },
    };
    h = await harness({ fileSystem });
    const { mbox } = generatedMbox(400);
    const file = path.join(h.dir.path, 'g.mbox');
    await writeFile(file, mbox);
    const error = await h.importer.importFile(h.inbox.id, file, 'mbox').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DISK_FULL' });
    const stored = allMessages();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(250);
    const onDisk = (await emlFilesOnDisk()).sort();
    expect(onDisk).toEqual(stored.map((m) => m.emlPath).sort());
    for (const message of stored)
      expect((await h.store.emlFiles.read(message.emlPath)).length).toBe(message.size);
    expect(h.progress.at(-1)).toMatchObject({ state: 'failed', messages: stored.length });
  });
});
