import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../../../src-main/mime/parse';
import { FALLBACK_TEXT_MAX_BYTES } from '../../../../src-main/mime/fallback-parse';
import { parseForIndex } from '../../../../src-main/mime/parse-for-index';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const fixture = (name: string): Buffer => readFileSync(`${FIXTURES}${name}`);

/** A 1 MB header field: past mailparser's per-node header limit (EMAXLEN). */
function hugeHeaderMessage(): Buffer {
  const filler = 'x'.repeat(1024 * 1024);
  return Buffer.from(
    `From: big@example.org\r\nSubject: Huge header\r\nX-Filler: ${filler}\r\nMessage-ID: <huge@example.org>\r\n\r\nThe body survives.\r\n`,
  );
}

/** More MIME parts than mailparser allows. */
function tooManyPartsMessage(): Buffer {
  const parts = Array.from(
    { length: 1100 },
    (_, i) => `--p\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`,
  ).join('');
  return Buffer.from(
    `From: parts@example.org\r\nSubject: Many parts\r\nContent-Type: multipart/mixed; boundary="p"\r\n\r\n${parts}--p--\r\n`,
  );
}

describe('parseMessage', () => {
  it('reads headers, RFC 2047 words, threading ids and text of a plain message', async () => {
    const message = await parseMessage(fixture('eml/plain-utf8.eml'));
    expect(message.subject).toBe('Café meeting tomorrow');
    expect(message.from).toEqual([{ name: 'Zoë Müller', address: 'zoe@example.org' }]);
    expect(message.to).toEqual([
      { name: 'Alice Example', address: 'alice@example.test' },
      { name: 'Doe, John', address: 'john@example.test' },
    ]);
    expect(message.cc).toEqual([{ name: '', address: 'carol@example.test' }]);
    expect(message.date).toBe(Date.UTC(2024, 0, 2, 9, 0, 0));
    expect(message.messageId).toBe('plain-1@example.org');
    expect(message.inReplyTo).toBe('root-0@example.org');
    expect(message.references).toEqual(['root-0@example.org', 'prev-1@example.org']);
    expect(message.text).toContain('café tomorrow');
    expect(message.html).toBeNull();
    expect(message.problems).toEqual([]);
    expect(message.isDamaged).toBe(false);
  });

  it('keeps cid: links in the HTML and reports inline parts and attachments', async () => {
    const message = await parseMessage(fixture('eml/alternative-with-attachments.eml'));
    expect(message.subject).toBe('Angebote für Sie');
    expect(message.text).toContain('Plain version');
    expect(message.html).toContain('cid:logo@shop.example');
    const names = message.attachments.map((a) => [a.filename, a.isInline, a.contentId]);
    expect(names).toEqual([
      ['logo.png', true, 'logo@shop.example'],
      ['Übersicht 2024.pdf', false, null],
      ['../../etc/passwd', false, null],
    ]);
    expect(message.attachments[1]!.content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('falls back to a header-only reading when mailparser rejects a 1 MB header (EMAXLEN)', async () => {
    const message = await parseMessage(hugeHeaderMessage());
    expect(message.isDamaged).toBe(true);
    expect(message.subject).toBe('Huge header');
    expect(message.messageId).toBe('huge@example.org');
    expect(message.text).toContain('The body survives.');
    expect(message.problems[0]).toEqual({ code: 'not-mime', reason: 'over-limits' });
  });

  it('falls back when a message has more parts than mailparser allows', async () => {
    const message = await parseMessage(tooManyPartsMessage());
    expect(message.subject).toBe('Many parts');
    expect(message.isDamaged).toBe(true);
    expect(message.text).toContain('part 1099');
    expect(message.problems).toEqual([{ code: 'not-mime', reason: 'over-limits' }]);
  });

  it('keeps an unreadable Date as unknown instead of "now", and says so', async () => {
    const message = await parseMessage(fixture('malformed/bad-date.eml'));
    expect(message.date).toBeNull();
    expect(message.problems).toContainEqual({ code: 'unreadable-date' });
  });

  it('shows binary garbage as raw text rather than failing', async () => {
    const message = await parseMessage(fixture('malformed/binary-garbage.eml'));
    expect(message.isDamaged).toBe(true);
    expect(message.text.length).toBeGreaterThan(0);
  });

  it('opens an empty file as an empty message with a note', async () => {
    const message = await parseMessage(Buffer.alloc(0));
    expect(message.subject).toBe('');
    expect(message.problems).toContainEqual({ code: 'empty' });
  });

  it('says how much raw text is shown when a damaged message is larger than the fallback shows', async () => {
    const body = 'y'.repeat(FALLBACK_TEXT_MAX_BYTES + 10);
    const raw = Buffer.from(`From: big@example.org\r\nX-Filler: ${'x'.repeat(1024 * 1024)}\r\n\r\n${body}`);
    const message = await parseMessage(raw);
    expect(message.problems).toEqual([
      { code: 'not-mime', reason: 'over-limits' },
      { code: 'raw-text-cut', shownBytes: FALLBACK_TEXT_MAX_BYTES },
    ]);
    expect(message.text.length).toBe(FALLBACK_TEXT_MAX_BYTES);
  });

  it('notes a body without any message headers as not MIME, with no headers as the reason', async () => {
    const message = await parseMessage(fixture('malformed/binary-garbage.eml'));
    expect(message.problems[0]?.code).toBe('not-mime');
  });

  it.each(readdirSync(`${FIXTURES}malformed`))('never throws on malformed/%s', async (name) => {
    const raw = fixture(`malformed/${name}`);
    const message = await parseMessage(raw);
    expect(typeof message.text).toBe('string');
    const indexed = await parseForIndex(raw);
    expect(typeof indexed.text).toBe('string');
  });

  it('reads the innermost text of nested message/rfc822 parts as attachments, not as a crash', async () => {
    const message = await parseMessage(fixture('malformed/nested-rfc822.eml'));
    expect(message.text).toContain('See the forwarded message.');
    expect(message.attachments.some((a) => a.contentType === 'message/rfc822')).toBe(true);
  });

  it('shows the raw body when a multipart has no usable boundary, instead of an empty message', async () => {
    const message = await parseMessage(fixture('malformed/missing-boundary.eml'));
    expect(message.subject).toBe('Multipart without a boundary parameter');
    expect(message.text).toContain('The boundary was never declared.');
    expect(message.isDamaged).toBe(true);
    expect(message.problems).toEqual([{ code: 'not-mime', reason: 'broken-structure' }]);
  });

  it('keeps the text of a message whose closing boundary is missing', async () => {
    const message = await parseMessage(fixture('malformed/unclosed-boundary.eml'));
    expect(message.text).toContain('the message simply ends');
    expect(message.problems).toContainEqual({ code: 'unclosed-multipart' });
  });

  it('shows body lines that follow the headers without an empty line', async () => {
    const message = await parseMessage(fixture('malformed/no-blank-line.eml'));
    expect(message.subject).toBe('Headers run straight into the body');
    expect(message.text).toContain('This line is body text');
  });

  it('decodes an unknown charset without throwing', async () => {
    const message = await parseMessage(fixture('malformed/bad-charset.eml'));
    expect(message.text).toContain('au lait');
    expect(message.from[0]?.address).toBe('sender@example.org');
    expect(message.problems).toContainEqual({ code: 'undecodable-characters' });
  });
});

describe('parseForIndex', () => {
  it('gives the list and the index what they need without keeping attachment bodies', async () => {
    const message = await parseForIndex(fixture('eml/alternative-with-attachments.eml'));
    expect(message.subject).toBe('Angebote für Sie');
    expect(message.text).toContain('Plain version');
    expect(message.attachmentNames).toEqual(['logo.png', 'Übersicht 2024.pdf', '../../etc/passwd']);
    expect(message.hasAttachments).toBe(true);
    expect(message.isDamaged).toBe(false);
  });

  it('marks a message with a 1 MB header as damaged but keeps its headers', async () => {
    const message = await parseForIndex(hugeHeaderMessage());
    expect(message.isDamaged).toBe(true);
    expect(message.subject).toBe('Huge header');
  });

  it('agrees with parseMessage on the headers of a normal message', async () => {
    const raw = fixture('eml/plain-utf8.eml');
    const [full, indexed] = await Promise.all([parseMessage(raw), parseForIndex(raw)]);
    for (const key of [
      'subject',
      'from',
      'to',
      'cc',
      'date',
      'messageId',
      'inReplyTo',
      'references',
    ] as const) {
      expect(indexed[key], key).toEqual(full[key]);
    }
  });
});
