/**
 * parseForIndex (a fast structural walk used by imports) and parseMessage (mailparser, used to open
 * a message) must agree on everything the list shows and on whether a message is damaged.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src-main/mime/parse';
import { parseForIndex } from '../../../../src-main/mime/parse-for-index';
import { MessageBuilder } from '../../../../bench/support/mail-generator/message-builder';
import { Random } from '../../../../bench/support/mail-generator/random';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const fixtureFiles = ['eml', 'malformed'].flatMap((dir) =>
  readdirSync(`${FIXTURES}${dir}`).map((name) => `${dir}/${name}`),
);

const hasReplacementChar = (value: unknown): boolean => JSON.stringify(value ?? null).includes('\uFFFD');
const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();

async function expectAgreement(raw: Buffer, label: string): Promise<void> {
  const full = await parseMessage(raw);
  const indexed = parseForIndex(raw);
  for (const key of [
    'subject',
    'from',
    'to',
    'cc',
    'date',
    'messageId',
    'inReplyTo',
    'references',
    'isDamaged',
  ] as const) {
    // For a charset nobody knows, mailparser shows U+FFFD where the index keeps windows-1252.
    if (JSON.stringify(full[key]).includes('\uFFFD') || JSON.stringify(full[key]).includes('\ufffd'))
      continue;
    expect(indexed[key], `${label}: ${key}`).toEqual(full[key]);
  }
  expect(indexed.attachmentNames, `${label}: attachment names`).toEqual(
    full.attachments.flatMap((a) => (a.filename ? [a.filename] : [])),
  );
  expect(indexed.hasAttachments, `${label}: hasAttachments`).toBe(full.attachments.some((a) => !a.isInline));
  expect(indexed.text.trim() === '', `${label}: has text`).toBe(full.text.trim() === '');
  if ((full.html === null || full.isDamaged) && !hasReplacementChar(full.text)) {
    expect(squash(indexed.text).slice(0, 200), `${label}: text`).toBe(squash(full.text).slice(0, 200));
  }
}

describe('parseForIndex agrees with parseMessage', () => {
  it.each(fixtureFiles)('on %s', async (name) => {
    await expectAgreement(readFileSync(`${FIXTURES}${name}`), name);
  });

  it('on 300 generated realistic messages (multipart, attachments, RFC 2047/2231, threads)', async () => {
    const builder = new MessageBuilder(new Random(42));
    for (let i = 0; i < 300; i++) {
      const { text } = builder.build(Date.UTC(2024, 0, 1) + i * 3_600_000);
      await expectAgreement(Buffer.from(text.replace(/\r?\n/g, '\r\n')), `generated #${i}`);
    }
  });

  it('on a message with a 1 MB header and one with too many parts: both damaged', async () => {
    await expectAgreement(
      Buffer.from(`Subject: big\r\nX-A: ${'a'.repeat(1024 * 1024)}\r\n\r\nbody\r\n`),
      'huge header',
    );
    const parts = Array.from(
      { length: 1100 },
      (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\n${i}\r\n`,
    ).join('');
    await expectAgreement(
      Buffer.from(`Subject: parts\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n${parts}--p--\r\n`),
      'many parts',
    );
  });
});
