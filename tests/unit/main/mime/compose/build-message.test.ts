// Outgoing MIME as the standards ask: RFC 2047 words for non-ASCII subjects and names, RFC 2231
// file names, base64 attachments, multipart/alternative with the plain part first, folded lines,
// Date and Message-ID, Bcc only in drafts; and what mailparser reads back is what went in.
import { randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import {
  MAX_REFERENCES,
  buildMessage,
  newMessageId,
  readDraft,
  trimReferences,
  type OutgoingMessage,
} from '../../../../../src-main/mime/compose';

const base: OutgoingMessage = {
  from: { name: 'José Ñandú', address: 'jose@example.test' },
  to: [{ name: 'Zoë Ångström', address: 'zoe@example.test' }],
  cc: [{ name: '', address: 'cc@example.test' }],
  bcc: [{ name: 'Hidden', address: 'bcc@example.test' }],
  subject: 'Informe de año ✓ — ¿listo?',
  text: `Hola,\n\n${'palabra '.repeat(60)}\n`,
  html: null,
  attachments: [],
  messageId: 'abc123@example.test',
  date: new Date('2026-05-06T07:08:09Z'),
  inReplyTo: null,
  references: [],
};

const headerBlock = (raw: Buffer): string => raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1');

describe('buildMessage', () => {
  it('encodes non-ASCII subject and display names as RFC 2047 words, and they decode back', async () => {
    const raw = await buildMessage(base);
    const headers = headerBlock(raw);
    expect(headers).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(headers).toMatch(/^From: =\?UTF-8\?[BQ]\?.*<jose@example\.test>/m);
    expect(/[^\x00-\x7f]/.test(headers)).toBe(false);
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(base.subject);
    expect(mail.from?.value).toEqual([{ name: 'José Ñandú', address: 'jose@example.test' }]);
  });

  it('sets Date and Message-ID, and uses CRLF with no line over 78 characters in the headers', async () => {
    const raw = await buildMessage({ ...base, subject: `Long ${'subject words '.repeat(20)}` });
    const headers = headerBlock(raw);
    expect(headers).toMatch(/^Message-ID: <abc123@example\.test>$/m);
    expect(headers).toMatch(/^Date: Wed, 06 May 2026 07:08:09 \+0000$/m);
    expect(raw.toString('latin1').replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of headers.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('leaves Bcc out of sent mail and keeps it in drafts', async () => {
    expect(headerBlock(await buildMessage(base))).not.toMatch(/^Bcc:/im);
    const draft = await buildMessage(base, { keepBcc: true });
    expect(headerBlock(draft)).toMatch(/^Bcc: Hidden <bcc@example\.test>$/m);
    expect((await readDraft(draft)).bcc).toEqual([{ name: 'Hidden', address: 'bcc@example.test' }]);
  });

  it('sends formatted text as multipart/alternative with the plain part first', async () => {
    const raw = await buildMessage({ ...base, html: '<p>Hola <b>mundo</b></p>', text: 'Hola mundo' });
    const text = raw.toString('latin1');
    expect(headerBlock(raw)).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(text.indexOf('Content-Type: text/plain')).toBeLessThan(text.indexOf('Content-Type: text/html'));
    const mail = await simpleParser(raw);
    expect(mail.text?.trim()).toBe('Hola mundo');
    expect(mail.html).toContain('<b>mundo</b>');
  });

  it('attaches in base64 with RFC 2231 names, and the bytes come back unchanged', async () => {
    const binary = randomBytes(70_000);
    const raw = await buildMessage({
      ...base,
      attachments: [
        { filename: 'datos.bin', contentType: 'application/octet-stream', content: binary },
        {
          filename: 'Informe año — résumé ✓ très long nom de fichier.pdf',
          contentType: 'application/pdf',
          content: Buffer.from('%PDF'),
        },
        { filename: 'plain.txt', contentType: 'text/plain', content: Buffer.from('just text\n') },
      ],
    });
    const text = raw.toString('latin1');
    expect(text).toMatch(/filename\*0\*=utf-8''|filename\*=utf-8''/i);
    expect(text.match(/Content-Transfer-Encoding: base64/g)?.length).toBeGreaterThanOrEqual(3);
    const mail = await simpleParser(raw);
    expect(mail.attachments.map((a) => a.filename)).toEqual([
      'datos.bin',
      'Informe año — résumé ✓ très long nom de fichier.pdf',
      'plain.txt',
    ]);
    expect(mail.attachments[0]?.content.equals(binary)).toBe(true);
    for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('writes In-Reply-To and References, keeping the root when a thread is long', async () => {
    const ids = Array.from({ length: 50 }, (_, n) => `m${n}@example.test`);
    const raw = await buildMessage({ ...base, inReplyTo: 'm49@example.test', references: ids });
    const mail = await simpleParser(raw);
    expect(mail.inReplyTo).toBe('<m49@example.test>');
    const references = Array.isArray(mail.references) ? mail.references : [mail.references];
    expect(references).toHaveLength(MAX_REFERENCES);
    expect(references[0]).toBe('<m0@example.test>');
    expect(references.at(-1)).toBe('<m49@example.test>');
    expect(trimReferences(ids.slice(0, 3))).toEqual(ids.slice(0, 3));
  });

  it('reads a draft back with every field', async () => {
    const raw = await buildMessage(
      {
        ...base,
        html: '<p>x</p>',
        attachments: [{ filename: 'a ñ.txt', contentType: 'text/plain', content: Buffer.from('A') }],
      },
      { keepBcc: true, headers: { 'X-Estafeta-Original': '42 answered' } },
    );
    const draft = await readDraft(raw);
    expect(draft).toMatchObject({
      from: base.from,
      to: base.to,
      cc: base.cc,
      bcc: base.bcc,
      subject: base.subject,
      messageId: 'abc123@example.test',
      original: { messageId: 42, kind: 'answered' },
    });
    expect(draft.text.trim()).toBe(base.text.trim());
    expect(draft.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['a ñ.txt', 'A']]);
  });
});

describe('newMessageId', () => {
  it("is random at the sender's domain, and falls back for a domain that cannot be used", () => {
    const a = newMessageId('ana@Example.COM');
    expect(a).toMatch(/^[0-9a-f]{32}@example\.com$/);
    expect(newMessageId('ana@example.com')).not.toBe(a);
    expect(newMessageId('no-domain')).toMatch(/@estafeta\.invalid$/);
    expect(newMessageId('x@bad domain>')).toMatch(/@estafeta\.invalid$/);
  });
});
