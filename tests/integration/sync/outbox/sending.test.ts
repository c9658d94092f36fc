// Sending against real Postfix submission delivering into real Dovecot: the message read back
// over IMAP as the recipient is the one written (attachment bytes by SHA-256, decoded headers),
// replies and forwards carry their threading and quotes, drafts round-trip and replace the older
// IMAP draft, the Sent copy is on the server with \Seen, and the original gets \Answered.
import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asFolderId } from '../../../../src-main/domain/ids';
import { buildMessage, type OutgoingMessage } from '../../../../src-main/mime/compose';
import { storeLocalMessage } from '../../../../src-main/sync/outbox/local-copies';
import { startMailServers, type MailServers } from '../../../support/mail-servers';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';
import {
  addAccount,
  findBySubject,
  imapReader,
  startApp,
  waitForOutbox,
  type RunningApp,
} from './sending-kit';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const CHUNK = 1024 * 1024;
/** The fields a received original needs besides the ones each test sets. */
const ORIGINAL: Omit<OutgoingMessage, 'from' | 'to' | 'subject' | 'messageId' | 'text'> = {
  cc: [],
  bcc: [],
  html: null,
  attachments: [],
  date: new Date('2026-03-01T09:00:00Z'),
  inReplyTo: null,
  references: [],
};

let servers: MailServers;
let dataDir: TempDir;
let keyDir: TempDir;
let running: RunningApp;
let aliceAccount: number;

beforeAll(async () => {
  [servers, dataDir, keyDir] = await Promise.all([
    startMailServers(),
    makeTempDir('estafeta-sending-'),
    makeTempDir('estafeta-sending-keys-'),
  ]);
  running = await startApp(dataDir.path, keyDir.path);
  aliceAccount = await addAccount(running, servers, 'alice');
}, 120_000);

afterAll(async () => {
  await running?.app.close();
  await servers?.stop();
  await dataDir?.remove();
  await keyDir?.remove();
});

const token = (): string => randomBytes(5).toString('hex');

async function attach(composeId: string, fileName: string, contentType: string, bytes: Buffer) {
  const { uploadId } = await running.call('compose.attachBegin', {
    composeId,
    fileName,
    contentType,
    size: bytes.length,
  });
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    await running.call('compose.attachChunk', {
      uploadId,
      data: bytes.subarray(offset, offset + CHUNK).toString('base64'),
    });
  }
  return running.call('compose.attachFinish', { uploadId });
}

/** Puts a message into Local Folders' Inbox, as if it had arrived, and returns its id. */
async function receiveLocally(raw: Buffer): Promise<number> {
  const store = running.app.store;
  const inbox = store.folders.findByRole(store.ensureLocalFolders().account.id, 'inbox');
  if (!inbox) throw new Error('no local inbox');
  const { copy } = await storeLocalMessage(store, inbox, raw, {}, () => undefined);
  return copy.id;
}

describe('sending', () => {
  it('delivers three attachments byte for byte and UTF-8 headers that decode to the same text', async () => {
    const tag = token();
    const start = await running.call('compose.start', { request: { kind: 'new' } });
    const identity = start.identities.find((i) => i.accountId === aliceAccount);
    expect(identity?.email).toBe(servers.address('alice'));
    const binary = randomBytes(300_000);
    const utf8 = Buffer.from('ñandú: contenido en UTF-8 ✓\n'.repeat(100));
    const large = randomBytes(10 * 1024 * 1024);
    const files = [
      { name: 'data.bin', type: 'application/octet-stream', bytes: binary },
      { name: 'Informe año 2026 — résumé ✓.txt', type: 'text/plain', bytes: utf8 },
      { name: 'large.dat', type: 'application/octet-stream', bytes: large },
    ];
    for (const file of files) {
      const info = await attach(start.composeId, file.name, file.type, file.bytes);
      expect(info).toMatchObject({ filename: file.name, size: file.bytes.length });
    }
    const subject =
      `Prüfung ✓ «envío» ${tag} ${'with a long subject line that must be folded '.repeat(2)}`.trim();
    const sent = await running.call('compose.send', {
      composeId: start.composeId,
      fields: {
        identityId: identity?.id ?? '',
        to: [{ name: 'Bob Müller', address: servers.address('bob') }],
        cc: [],
        bcc: [{ name: '', address: servers.address('carol') }],
        subject,
        text: `Hola Bob,\n\n${'a long line of text '.repeat(30)}\n\n-- \nAlice`,
        html: '<p>Hola <b>Bob</b></p>',
      },
    });
    expect(sent.outboxId).toBeGreaterThan(0);
    await waitForOutbox(running, (items) => items.length === 0);

    const [received] = await findBySubject(servers, 'bob', 'INBOX', tag);
    const mail = await simpleParser(received?.source ?? Buffer.alloc(0));
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value[0]).toEqual({ name: 'Alice Ñandú', address: servers.address('alice') });
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : null).toEqual({
      name: 'Bob Müller',
      address: servers.address('bob'),
    });
    expect(mail.bcc).toBeUndefined();
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@example\.test>$/);
    expect(mail.date?.getTime()).toBeGreaterThan(Date.now() - 600_000);
    expect(mail.text).toContain('Hola Bob');
    expect(mail.html).toContain('<b>Bob</b>');
    expect(mail.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual(
      files.map((f) => [f.name, sha256(f.bytes)]),
    );
    // RFC 5322 §2.1.1: no line longer than 998 octets; the header lines are folded.
    const lines = (received?.source ?? Buffer.alloc(0)).toString('latin1').split('\r\n');
    expect(lines.reduce((max, l) => Math.max(max, l.length), 0)).toBeLessThanOrEqual(998);
    // Bcc: delivered, and not named in the headers.
    const [bccCopy] = await findBySubject(servers, 'carol', 'INBOX', tag);
    expect(bccCopy?.source.toString('latin1')).not.toMatch(/^Bcc:/im);
    // The Sent copy is on the server, read.
    const [sentCopy] = await findBySubject(servers, 'alice', 'Sent', tag);
    expect(sentCopy?.flags.has('\\Seen')).toBe(true);
    expect((await simpleParser(sentCopy?.source ?? Buffer.alloc(0))).messageId).toBe(mail.messageId);
  }, 180_000);

  it('replies and replies to all with quote, threading headers and without the user, and marks the original answered', async () => {
    const tag = token();
    const originalRaw = await buildMessage({
      ...ORIGINAL,
      from: { name: 'Carol Example', address: servers.address('carol') },
      to: [
        { name: '', address: servers.address('alice') },
        { name: 'Bob', address: servers.address('bob') },
      ],
      cc: [{ name: '', address: servers.address('sink') }],
      subject: `Re: Plans ${tag}`,
      messageId: `orig-${tag}@example.test`,
      references: [`root-${tag}@example.test`],
      date: new Date('2026-03-04T10:20:00Z'),
      text: 'First line\nSecond line',
    });
    const originalId = await receiveLocally(originalRaw);

    const replyAll = await running.call('compose.start', {
      request: { kind: 'replyAll', messageId: originalId },
    });
    expect(replyAll.fields.subject).toBe(`Re: Plans ${tag}`);
    expect(replyAll.fields.to.map((a) => a.address)).toEqual([
      servers.address('carol'),
      servers.address('bob'),
    ]);
    expect(replyAll.fields.cc.map((a) => a.address)).toEqual([servers.address('sink')]);
    expect(replyAll.fields.text).toMatch(
      /On .*2026.*, Carol Example <carol@example\.test> wrote:\n> First line\n> Second line/,
    );
    await running.call('compose.close', { composeId: replyAll.composeId, discardDraft: true });

    const reply = await running.call('compose.start', { request: { kind: 'reply', messageId: originalId } });
    expect(reply.fields.to.map((a) => a.address)).toEqual([servers.address('carol')]);
    expect(reply.fields.cc).toEqual([]);
    await running.call('compose.send', {
      composeId: reply.composeId,
      fields: { ...reply.fields, text: `Sounds good.${reply.fields.text}` },
    });
    await waitForOutbox(running, (items) => items.length === 0);
    const [received] = await findBySubject(servers, 'carol', 'INBOX', tag);
    const mail = await simpleParser(received?.source ?? Buffer.alloc(0));
    expect(mail.subject).toBe(`Re: Plans ${tag}`);
    expect(mail.inReplyTo).toBe(`<orig-${tag}@example.test>`);
    expect(mail.references).toEqual([`<root-${tag}@example.test>`, `<orig-${tag}@example.test>`]);
    expect(mail.text).toContain('> Second line');
    expect(running.app.store.messages.get(originalId as never)?.flags.answered).toBe(true);
  }, 120_000);

  it('forwards inline with the attachments, and as an attached .eml, and marks the original forwarded', async () => {
    const tag = token();
    const attachment = randomBytes(5_000);
    const originalRaw = await buildMessage({
      ...ORIGINAL,
      from: { name: 'Carol', address: servers.address('carol') },
      to: [{ name: '', address: servers.address('alice') }],
      subject: `Report ${tag}`,
      messageId: `report-${tag}@example.test`,
      text: 'See the file.',
      attachments: [{ filename: 'report.bin', contentType: 'application/octet-stream', content: attachment }],
    });
    const originalId = await receiveLocally(originalRaw);

    const inline = await running.call('compose.start', {
      request: { kind: 'forward', messageId: originalId },
    });
    expect(inline.fields.subject).toBe(`Fwd: Report ${tag}`);
    expect(inline.fields.text).toContain('---------- Forwarded message ----------');
    expect(inline.fields.text).toContain('See the file.');
    expect(inline.attachments.map((a) => [a.filename, a.size])).toEqual([['report.bin', attachment.length]]);
    await running.call('compose.send', {
      composeId: inline.composeId,
      fields: { ...inline.fields, to: [{ name: '', address: servers.address('bob') }] },
    });

    const asEml = await running.call('compose.start', {
      request: { kind: 'forward', messageId: originalId, asAttachment: true },
    });
    expect(asEml.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
    await running.call('compose.send', {
      composeId: asEml.composeId,
      fields: {
        ...asEml.fields,
        subject: `Fwd: attached ${tag}`,
        to: [{ name: '', address: servers.address('bob') }],
      },
    });
    await waitForOutbox(running, (items) => items.length === 0);

    const found = await findBySubject(servers, 'bob', 'INBOX', tag, 2);
    const mails = await Promise.all(found.map((m) => simpleParser(m.source)));
    const inlineMail = mails.find((m) => m.subject === `Fwd: Report ${tag}`);
    expect(inlineMail?.attachments.map((a) => sha256(a.content))).toEqual([sha256(attachment)]);
    const attachedMail = mails.find((m) => m.subject === `Fwd: attached ${tag}`);
    const eml = attachedMail?.attachments.find((a) => a.contentType === 'message/rfc822');
    const inner = await simpleParser(eml?.content ?? Buffer.alloc(0));
    expect(inner.subject).toBe(`Report ${tag}`);
    expect(running.app.store.messages.get(originalId as never)?.flags.forwarded).toBe(true);
  }, 120_000);

  it('saves drafts locally and in the IMAP Drafts folder, replacing the older one, and restores everything', async () => {
    const tag = token();
    const start = await running.call('compose.start', { request: { kind: 'new' } });
    const photo = randomBytes(40_000);
    await attach(start.composeId, 'foto ñ.jpg', 'image/jpeg', photo);
    const fields = {
      ...start.fields,
      to: [{ name: 'Bob', address: servers.address('bob') }],
      cc: [{ name: 'Ñoño', address: servers.address('carol') }],
      bcc: [{ name: '', address: servers.address('sink') }],
      subject: `Draft ${tag} v1`,
      text: 'First version ✓',
      html: '<p>First <i>version</i> ✓</p>',
    };
    const first = await running.call('compose.saveDraft', { composeId: start.composeId, fields });
    expect(first.isOnServer).toBe(true);
    const second = await running.call('compose.saveDraft', {
      composeId: start.composeId,
      fields: { ...fields, subject: `Draft ${tag} v2` },
    });
    expect(second.isOnServer).toBe(true);
    // One version on the server, and one here.
    const onServer = await findBySubject(servers, 'alice', 'Drafts', tag);
    expect(onServer).toHaveLength(1);
    expect((await simpleParser(onServer[0]?.source ?? Buffer.alloc(0))).subject).toBe(`Draft ${tag} v2`);
    expect(onServer[0]?.flags.has('\\Draft')).toBe(true);
    const store = running.app.store;
    const localDrafts = store.folders.findByRole(store.ensureLocalFolders().account.id, 'drafts');
    const page = store.messages.page(asFolderId(localDrafts?.id ?? 0), 0, 100);
    expect(page.rows.filter((r) => r.subject.includes(tag)).map((r) => r.id)).toEqual([
      second.draftMessageId,
    ]);
    await running.call('compose.close', { composeId: start.composeId, discardDraft: false });

    const reopened = await running.call('compose.start', {
      request: { kind: 'draft', messageId: second.draftMessageId },
    });
    expect(reopened.fields).toMatchObject({
      identityId: fields.identityId,
      to: fields.to,
      cc: fields.cc,
      bcc: fields.bcc,
      subject: `Draft ${tag} v2`,
    });
    expect(reopened.fields.text.trim()).toBe('First version ✓');
    expect(reopened.fields.html).toContain('<i>version</i>');
    expect(reopened.attachments.map((a) => [a.filename, a.size])).toEqual([['foto ñ.jpg', photo.length]]);

    // Sent from the reopened draft: the draft goes, here and on the server.
    await running.call('compose.send', { composeId: reopened.composeId, fields: reopened.fields });
    await waitForOutbox(running, (items) => items.length === 0);
    const [received] = await findBySubject(servers, 'bob', 'INBOX', tag);
    const mail = await simpleParser(received?.source ?? Buffer.alloc(0));
    expect(mail.attachments.map((a) => sha256(a.content))).toEqual([sha256(photo)]);
    expect(
      store.messages
        .page(asFolderId(localDrafts?.id ?? 0), 0, 100)
        .rows.filter((r) => r.subject.includes(tag)),
    ).toEqual([]);
    const client = imapReader(servers, 'alice');
    await client.connect();
    const lock = await client.getMailboxLock('Drafts');
    try {
      expect((await client.search({ subject: tag }, { uid: true })) || []).toEqual([]);
    } finally {
      lock.release();
      await client.logout();
    }
  }, 120_000);

  it('completes addresses already seen', async () => {
    const found = await running.call('addresses.complete', { query: 'caro', limit: 5 });
    expect(found.map((a) => a.address)).toContain(servers.address('carol'));
  });
});
