import { describe, expect, it } from 'vitest';
import { parseEhloReply } from '../../../../../src-main/protocols/smtp/ehlo';

/** Postfix 3.7's reply on the submission port after STARTTLS, as nodemailer keeps it. */
const POSTFIX_AFTER_TLS = [
  '250-mail.example.test',
  '250-PIPELINING',
  '250-SIZE 52428800',
  '250-ETRN',
  '250-AUTH PLAIN LOGIN',
  '250-ENHANCEDSTATUSCODES',
  '250-8BITMIME',
  '250-DSN',
  '250-SMTPUTF8',
  '250 CHUNKING',
].join('\n');

describe('parseEhloReply', () => {
  it('reads SIZE (RFC 1870), AUTH (RFC 4954) and the extension keywords', () => {
    expect(parseEhloReply(POSTFIX_AFTER_TLS)).toEqual({
      maxSize: 52_428_800,
      authMethods: ['PLAIN', 'LOGIN'],
      extensions: [
        'PIPELINING',
        'SIZE',
        'ETRN',
        'AUTH',
        'ENHANCEDSTATUSCODES',
        '8BITMIME',
        'DSN',
        'SMTPUTF8',
        'CHUNKING',
      ],
    });
  });

  it('ignores the greeting line, even when it looks like a keyword', () => {
    expect(parseEhloReply('250-SIZE 10 greets you\r\n250 8BITMIME').extensions).toEqual(['8BITMIME']);
  });

  it.each([
    ['250-x\n250 SIZE', null],
    ['250-x\n250 SIZE 0', null],
    ['250-x\n250 SIZE nonsense', null],
    ['250-x\n250 SIZE 35882577', 35_882_577],
    ['250 x', null],
  ])('SIZE in %j -> %s (no parameter or 0: no fixed limit)', (reply, maxSize) => {
    expect(parseEhloReply(reply).maxSize).toBe(maxSize);
  });

  it('reads the pre-standard AUTH= form and merges repeated AUTH lines, uppercase and unique', () => {
    const reply = '250-smtp.example\n250-AUTH login PLAIN XOAUTH2\n250-AUTH=LOGIN PLAIN\n250 OK';
    expect(parseEhloReply(reply).authMethods).toEqual(['LOGIN', 'PLAIN', 'XOAUTH2']);
  });

  it('yields nothing for a HELO reply or an empty string', () => {
    expect(parseEhloReply('250 mail.example.test')).toEqual({
      maxSize: null,
      authMethods: [],
      extensions: [],
    });
    expect(parseEhloReply('')).toEqual({ maxSize: null, authMethods: [], extensions: [] });
  });
});
