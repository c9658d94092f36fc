import { describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import { parseReply, rejectedRecipientsOf, toMailError } from '../../../../../src-main/protocols/smtp/errors';
import {
  SmtpMessageTooLargeError,
  SmtpRecipientsRejectedError,
} from '../../../../../src-main/protocols/smtp/submission-errors';

/** An error shaped like nodemailer's (NodemailerError: code, response, responseCode, command...). */
const err = (fields: Record<string, unknown>, message = 'failed'): Error =>
  Object.assign(new Error(message), fields);

/** nodemailer's _formatError: the reply and its code on the error. */
const reply = (code: string, response: string, command: string): Error =>
  err({ code, response, responseCode: Number(response.slice(0, 3)), command }, `failed: ${response}`);

describe('toMailError: errors without a server reply', () => {
  it.each([
    [{ code: 'EDNS', originalCode: 'ENOTFOUND' }, 'DNS_FAILED', true],
    [{ code: 'EDNS', originalCode: 'EAI_AGAIN' }, 'DNS_FAILED', true],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, 'CONNECT_FAILED', true],
    [{ code: 'ESOCKET', originalCode: 'EHOSTUNREACH' }, 'CONNECT_FAILED', true],
    [{ code: 'ECONNREFUSED' }, 'CONNECT_FAILED', true],
    [{ code: 'ESOCKET', originalCode: 'ECONNRESET' }, 'CONNECTION_LOST', true],
    [{ code: 'ECONNECTION' }, 'CONNECTION_LOST', true],
    [{ code: 'EPROTOCOL' }, 'CONNECTION_LOST', true],
    [{ code: 'EPIPE' }, 'CONNECTION_LOST', true],
    [{ code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' }, 'TIMEOUT', true],
    [{ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' }, 'TIMEOUT', true],
    [{ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' }, 'TIMEOUT', true],
    [{ code: 'ETLS' }, 'TLS_FAILED', false],
    [{ code: 'ESOCKET', originalCode: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'TLS_FAILED', false],
    [{ code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'TLS_UNTRUSTED', false],
    [{ code: 'EAUTH' }, 'AUTH_FAILED', false],
    [{ code: 'EOAUTH2' }, 'AUTH_FAILED', false],
    [{ code: 'EENVELOPE' }, 'BAD_REQUEST', false],
    [{ code: 'EMESSAGE' }, 'MALFORMED_MESSAGE', false],
    [{ code: 'ESTREAM' }, 'INTERNAL', false],
    [{ code: 'EABORT' }, 'CANCELLED', false],
    [{ code: 'SOMETHING_NEW' }, 'INTERNAL', false],
  ])('%o -> %s (retryable: %s)', (fields, code, retryable) => {
    const mapped = toMailError(err(fields));
    expect(mapped).toBeInstanceOf(MailError);
    expect(mapped.code).toBe(code);
    expect(mapped.retryable).toBe(retryable);
  });

  it('keeps the low-level code as detail, and the original error as cause', () => {
    const original = err(
      { code: 'ESOCKET', originalCode: 'ECONNREFUSED' },
      'connect ECONNREFUSED 127.0.0.1:1',
    );
    const mapped = toMailError(original);
    expect(mapped.detail).toBe('ECONNREFUSED');
    expect(mapped.cause).toBe(original);
  });

  it('says which wait timed out', () => {
    expect(toMailError(err({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' })).detail).toBe(
      'GREETING_TIMEOUT',
    );
    expect(toMailError(err({ code: 'ETIMEDOUT', timeoutType: 'CONNECT_TIMEOUT' })).message).toBe(
      'Could not connect to the outgoing mail server in time.',
    );
  });

  it("treats nodemailer's own SIZE refusal as too large", () => {
    const mapped = toMailError(
      err({ code: 'EMESSAGE', command: 'MAIL FROM' }, 'Message size larger than allowed 10'),
    );
    expect(mapped).toBeInstanceOf(SmtpMessageTooLargeError);
  });

  it('passes a MailError through unchanged', () => {
    const original = new MailError('DISK_FULL', 'full');
    expect(toMailError(original)).toBe(original);
  });

  it('maps non-objects to INTERNAL', () => {
    expect(toMailError('boom').code).toBe('INTERNAL');
    expect(toMailError(undefined).code).toBe('INTERNAL');
  });
});

describe('toMailError: server replies (RFC 5321 §4.2, RFC 4954 §6, RFC 3463)', () => {
  it.each([
    [
      'EAUTH',
      '535 5.7.8 Error: authentication failed: (reason unavailable)',
      'AUTH PLAIN',
      'AUTH_FAILED',
      false,
    ],
    ['EAUTH', '454 4.7.0 Temporary authentication failure', 'AUTH PLAIN', 'SERVER_BUSY', true],
    ['EAUTH', '334 eyJzdGF0dXMiOiI0MDEifQ==', 'AUTH XOAUTH2', 'AUTH_FAILED', false],
    ['EENVELOPE', '530 5.7.0 Authentication required', 'MAIL FROM', 'AUTH_FAILED', false],
    [
      'EENVELOPE',
      '553 5.7.1 <x@y>: Sender address rejected: not owned by user bob',
      'MAIL FROM',
      'SERVER_REJECTED',
      false,
    ],
    ['EENVELOPE', '451 4.3.0 Error: queue file write error', 'MAIL FROM', 'SERVER_BUSY', true],
    ['EENVELOPE', '452 4.3.1 Insufficient system storage', 'MAIL FROM', 'SERVER_BUSY', true],
    ['EENVELOPE', '503 5.5.1 Error: nested MAIL command', 'MAIL FROM', 'SERVER_REJECTED', true],
    ['EMESSAGE', '554 5.7.1 Spam message rejected', 'DATA', 'SERVER_REJECTED', false],
    ['EMESSAGE', '450 4.7.1 Greylisted, try again later', 'DATA', 'SERVER_BUSY', true],
    ['EMESSAGE', '471 4.7.0 Content filter temporarily unavailable', 'DATA', 'SERVER_REJECTED', true],
    ['ECONNECTION', '421 4.4.2 mail.example.test Error: timeout exceeded', 'CONN', 'SERVER_BUSY', true],
    ['EPROTOCOL', '554 5.7.1 No SMTP service here', 'CONN', 'SERVER_REJECTED', false],
  ])('%s %s -> %s', (code, response, command, expected, retryable) => {
    const mapped = toMailError(reply(code, response, command));
    expect(mapped.code).toBe(expected);
    expect(mapped.retryable).toBe(retryable);
    // The server's words are shown as they came (a 334 challenge is not a reply class, see below).
    if (!response.startsWith('334')) expect(mapped.detail).toBe(response);
  });

  it('says the sender address was refused at MAIL FROM', () => {
    const mapped = toMailError(reply('EENVELOPE', '553 5.7.1 Sender address rejected', 'MAIL FROM'));
    expect(mapped.message).toBe('The outgoing mail server refused the sender address.');
  });

  it('reports a refused STARTTLS as TLS_FAILED: never a silent fall back to plain text', () => {
    const mapped = toMailError(reply('ETLS', '454 4.7.0 TLS not available due to local problem', 'STARTTLS'));
    expect(mapped.code).toBe('TLS_FAILED');
    expect(mapped.message).toMatch(/STARTTLS/);
    expect(mapped.detail).toBe('454 4.7.0 TLS not available due to local problem');
  });

  it.each([
    '552 5.3.4 Message size exceeds fixed limit',
    '554 5.3.4 Message too big for system',
    '552 5.2.3 Message length exceeds administrative limit',
  ])('maps %s to SmtpMessageTooLargeError', (response) => {
    const mapped = toMailError(reply('EMESSAGE', response, 'DATA'));
    expect(mapped).toBeInstanceOf(SmtpMessageTooLargeError);
    expect(mapped.message).toBe('The message is larger than the server accepts.');
    expect(mapped.detail).toBe(response);
    expect(mapped.retryable).toBe(false);
  });

  it('reports refused recipients one by one, with their own words', () => {
    const rejectedErrors = [
      err({
        code: 'EENVELOPE',
        recipient: 'a@x.test',
        response: '550 5.1.1 <a@x.test>: User unknown',
        responseCode: 550,
      }),
      err({
        code: 'EENVELOPE',
        recipient: 'b@x.test',
        response: '550 5.1.1 <b@x.test>: User unknown',
        responseCode: 550,
      }),
    ];
    const mapped = toMailError(
      err({
        code: 'EENVELOPE',
        rejected: ['a@x.test', 'b@x.test'],
        rejectedErrors,
        response: '554 5.5.1 Error: no valid recipients',
        responseCode: 554,
        command: 'RCPT TO',
      }),
    );
    expect(mapped).toBeInstanceOf(SmtpRecipientsRejectedError);
    const refused = mapped as SmtpRecipientsRejectedError;
    expect(refused.rejected).toEqual([
      { address: 'a@x.test', code: 550, response: '550 5.1.1 <a@x.test>: User unknown' },
      { address: 'b@x.test', code: 550, response: '550 5.1.1 <b@x.test>: User unknown' },
    ]);
    expect(refused.detail).toBe('550 5.1.1 <a@x.test>: User unknown\n550 5.1.1 <b@x.test>: User unknown');
    expect(refused.retryable).toBe(false);
    expect(refused.message).toBe(
      'The server refused these recipients: a@x.test, b@x.test. Nothing was sent.',
    );
  });

  it('makes a recipient refusal retryable only when every refusal was temporary', () => {
    const temporary = [
      err({
        recipient: 'a@x.test',
        response: '450 4.2.0 <a@x.test>: Recipient address rejected: Greylisted',
      }),
    ];
    expect(toMailError(err({ code: 'EENVELOPE', rejectedErrors: temporary })).retryable).toBe(true);
    const mixed = [
      ...temporary,
      err({ recipient: 'b@x.test', response: '550 5.1.1 unknown', responseCode: 550 }),
    ];
    expect(toMailError(err({ code: 'EENVELOPE', rejectedErrors: mixed })).retryable).toBe(false);
  });
});

describe('parseReply / rejectedRecipientsOf', () => {
  it('reads the reply code and the enhanced status code', () => {
    expect(parseReply('552 5.3.4 Message size exceeds fixed limit')).toEqual({
      code: 552,
      enhanced: [5, 3, 4],
    });
    expect(parseReply('250-PIPELINING')).toEqual({ code: 250, enhanced: null });
    expect(parseReply('garbage')).toEqual({ code: 0, enhanced: null });
  });

  it('takes the reply code from the text when nodemailer did not set responseCode', () => {
    expect(rejectedRecipientsOf([err({ recipient: 'a@x.test', response: '551 5.1.6 moved' })])).toEqual([
      { address: 'a@x.test', code: 551, response: '551 5.1.6 moved' },
    ]);
    expect(rejectedRecipientsOf('not an array')).toEqual([]);
  });
});
