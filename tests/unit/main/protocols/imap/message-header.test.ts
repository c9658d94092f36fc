import type { FetchMessageObject } from 'imapflow';
import { describe, expect, it } from 'vitest';
import {
  MAX_REFERENCES,
  parseHeaderBlock,
  parseListId,
  parseMessageIds,
  toRemoteMessageHeader,
} from '../../../../../src-main/protocols/imap/message-header';

describe('summary header fields', () => {
  it('unfolds folded header lines and keeps the first occurrence', () => {
    const block = Buffer.from(
      'References: <a@x>\r\n <b@y>\r\n\t<c@z>\r\nIn-Reply-To: <c@z>\r\nreferences: <late@x>\r\n\r\n',
      'latin1',
    );
    const fields = parseHeaderBlock(block);
    expect(parseMessageIds(fields.get('references'))).toEqual(['<a@x>', '<b@y>', '<c@z>']);
    expect(fields.get('in-reply-to')).toBe('<c@z>');
  });

  it('bounds a hostile References header to the newest ids', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => `<${i}@spam>`);
    const parsed = parseMessageIds(ids.join(' '));
    expect(parsed).toHaveLength(MAX_REFERENCES);
    expect(parsed.at(-1)).toBe('<4999@spam>');
    expect(parseMessageIds('no ids here <broken')).toEqual([]);
  });

  it('reads List-Id with or without a description (RFC 2919)', () => {
    expect(parseListId('"Estafeta devs" <devs.estafeta.example>')).toBe('devs.estafeta.example');
    expect(parseListId('plain.example')).toBe('plain.example');
    expect(parseListId('  ')).toBeNull();
    expect(parseListId(undefined)).toBeNull();
  });
});

describe('toRemoteMessageHeader', () => {
  const row: FetchMessageObject = {
    seq: 1,
    uid: 42,
    size: 1234,
    modseq: 7n,
    flags: new Set(['\\Seen', '\\Recent', '$Forwarded', 'Important']),
    internalDate: new Date('2024-05-01T10:00:00Z'),
    envelope: {
      date: 'not a date',
      subject: 'Hola',
      messageId: '<m@x>',
      from: [{ name: 'Bob', address: 'bob@example.test' }],
      to: [{ address: 'alice@example.test' }],
    },
    bodyStructure: {
      type: 'MULTIPART/MIXED',
      childNodes: [
        { part: '1', type: 'TEXT/PLAIN', parameters: { charset: 'utf-8' }, size: 10, encoding: '7BIT' },
        {
          part: '2',
          type: 'APPLICATION/PDF',
          disposition: 'ATTACHMENT',
          dispositionParameters: { filename: 'a.pdf' },
        },
      ],
    },
    headers: Buffer.from('In-Reply-To: <p@x>\r\nList-Id: <l.example>\r\n\r\n'),
  };

  it('maps a FETCH row to the adapter shape, dropping \\Recent and bad dates', () => {
    const header = toRemoteMessageHeader(row);
    expect(header).toMatchObject({
      uid: 42,
      size: 1234,
      modseq: 7n,
      flags: { seen: true, forwarded: true, keywords: ['Important'] },
      envelope: {
        date: null,
        subject: 'Hola',
        inReplyTo: '<p@x>',
        from: [{ name: 'Bob', address: 'bob@example.test' }],
        to: [{ name: null, address: 'alice@example.test' }],
      },
      references: [],
      listId: 'l.example',
    });
    expect(header?.bodyStructure?.type).toBe('multipart/mixed');
    expect(header?.bodyStructure?.children[1]).toMatchObject({
      part: '2',
      type: 'application/pdf',
      disposition: 'attachment',
      dispositionParameters: { filename: 'a.pdf' },
    });
  });

  it("keeps the envelope's In-Reply-To when the header block has none", () => {
    const header = toRemoteMessageHeader({
      ...row,
      envelope: { ...row.envelope, inReplyTo: '<env@x>' },
      headers: Buffer.from('List-Id: <l.example>\r\n\r\n'),
    });
    expect(header?.envelope.inReplyTo).toBe('<env@x>');
    expect(toRemoteMessageHeader({ ...row, headers: undefined })?.envelope.inReplyTo).toBeNull();
  });

  it('skips rows that are not summaries (an unsolicited FETCH with flags only)', () => {
    expect(toRemoteMessageHeader({ seq: 1, uid: 3, flags: new Set(['\\Seen']) })).toBeNull();
  });
});
