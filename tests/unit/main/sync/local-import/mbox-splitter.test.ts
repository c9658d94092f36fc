import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MboxSplitter } from '../../../../../src-main/sync/local-import/mbox-splitter';
import type { MboxEntry } from '../../../../../src-main/sync/local-import/mbox-splitter';

const MBOX = readFileSync(
  fileURLToPath(new URL('../../../../fixtures/mbox/mboxrd-three.mbox', import.meta.url)),
);
const crlf = (buffer: Buffer): Buffer =>
  Buffer.from(buffer.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');

function splitAll(chunks: Buffer[], options?: { maxMessageBytes?: number }): MboxEntry[] {
  const splitter = new MboxSplitter(options);
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}

function messages(entries: MboxEntry[]): Array<{ text: string; envelope: string | null }> {
  return entries.map((entry) => {
    if (entry.kind !== 'message') throw new Error(`unexpected ${entry.kind}`);
    return { text: entry.raw.toString('utf8'), envelope: entry.envelope };
  });
}

describe('MboxSplitter', () => {
  const whole = messages(splitAll([MBOX]));

  it('splits at From_ lines that start the file or follow an empty line', () => {
    expect(whole).toHaveLength(3);
    expect(whole.map((m) => m.envelope)).toEqual([
      'alice@example.test Tue Jan  2 10:00:05 2024',
      'bob@example.org Wed Jan  3 11:00:00 2024',
      '- Thu Jan  4 12:00:00 2024',
    ]);
    expect(whole[0]!.text.startsWith('From: Alice <alice@example.test>\r\n')).toBe(true);
    expect(whole[2]!.text).toContain('X-Mozilla-Status: 0005');
  });

  it('un-escapes ">From " by one ">" (mboxrd) and leaves other quoting alone', () => {
    expect(whole[0]!.text).toContain('\r\nFrom the start this line began with From.\r\n');
    expect(whole[0]!.text).toContain('\r\n>From here it began with >From.\r\n');
    expect(whole[0]!.text).toContain('\r\n> quoted text stays as it is\r\n');
  });

  it('keeps "From " lines that do not follow an empty line, and "From:" lines, in the body', () => {
    expect(whole[0]!.text).toContain('\r\nFrom: lines inside the body stay');
    expect(whole[1]!.text).toContain(
      'Hi Alice,\r\nFrom the end of a line without a blank before it, this is body.\r\n',
    );
  });

  it('drops the separating empty line but nothing else, and stores CRLF line endings', () => {
    expect(whole[0]!.text.endsWith('No: this one follows a text line.\r\n')).toBe(true);
    expect(whole[1]!.text.endsWith('this is body.\r\n')).toBe(true);
    expect(whole[2]!.text.endsWith('¿Qué tal?\r\n')).toBe(true);
    for (const message of whole) expect(message.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('gives the same messages for a CRLF file', () => {
    expect(messages(splitAll([crlf(MBOX)]))).toEqual(whole);
  });

  it.each([
    ['LF', MBOX],
    ['CRLF', crlf(MBOX)],
  ])('gives the same messages whatever the chunk boundary (%s, every split position)', (_name, data) => {
    for (let cut = 0; cut <= data.length; cut++) {
      const result = messages(splitAll([data.subarray(0, cut), data.subarray(cut)]));
      expect(result, `cut at ${cut}`).toEqual(whole);
    }
  });

  it('gives the same messages when fed one byte at a time, and three bytes at a time', () => {
    for (const size of [1, 3]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < MBOX.length; i += size) chunks.push(MBOX.subarray(i, i + size));
      expect(messages(splitAll(chunks))).toEqual(whole);
    }
  });

  it('returns text before the first From_ line as a message and ignores pure white space', () => {
    const single = Buffer.from('Subject: lone\n\nsaved as .mbox\n');
    expect(messages(splitAll([single]))).toEqual([
      { text: 'Subject: lone\r\n\r\nsaved as .mbox\r\n', envelope: null },
    ]);
    expect(splitAll([Buffer.from('\n\n  \n')])).toEqual([]);
    expect(splitAll([Buffer.alloc(0)])).toEqual([]);
    expect(
      messages(splitAll([Buffer.from('\n\nFrom a Tue Jan  2 10:00:00 2024\nSubject: x\n\nbody\n')])),
    ).toEqual([{ text: 'Subject: x\r\n\r\nbody\r\n', envelope: 'a Tue Jan  2 10:00:00 2024' }]);
  });

  it('keeps a last message that does not end with a newline', () => {
    const data = Buffer.from('From a Tue Jan  2 10:00:00 2024\nSubject: x\n\nno newline at the end');
    expect(messages(splitAll([data]))[0]!.text).toBe('Subject: x\r\n\r\nno newline at the end');
  });

  it('skips a message over the size limit and still reads the next one', () => {
    const big = `From a Tue Jan  2 10:00:00 2024\nSubject: big\n\n${'x'.repeat(5000)}\n\n`;
    const small = 'From b Tue Jan  2 10:00:01 2024\nSubject: small\n\nok\n';
    const entries = splitAll([Buffer.from(big + small)], { maxMessageBytes: 1000 });
    expect(entries[0]).toMatchObject({ kind: 'oversized', envelope: 'a Tue Jan  2 10:00:00 2024' });
    expect(entries[1]).toMatchObject({ kind: 'message' });
    expect((entries[1] as { raw: Buffer }).raw.toString()).toBe('Subject: small\r\n\r\nok\r\n');
  });

  it('returns messages as they complete, not at the end', () => {
    const splitter = new MboxSplitter();
    const firstTwo = MBOX.subarray(0, MBOX.indexOf('From - Thu') + 'From '.length);
    expect(splitter.push(firstTwo)).toHaveLength(2);
    expect(splitter.push(MBOX.subarray(firstTwo.length))).toHaveLength(0);
    expect(splitter.end()).toHaveLength(1);
  });
});
