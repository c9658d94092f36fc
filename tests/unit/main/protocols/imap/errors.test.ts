import { describe, expect, it } from 'vitest';
import { UntrustedCertificateError } from '../../../../../src-main/domain/certificate';
import { MailError } from '../../../../../src-main/domain/errors';
import { toMailError } from '../../../../../src-main/protocols/imap/errors';

const err = (fields: Record<string, unknown>, message = 'failed'): Error =>
  Object.assign(new Error(message), fields);

describe('toMailError', () => {
  it.each([
    [{ code: 'ENOTFOUND' }, 'DNS_FAILED'],
    [{ code: 'EAI_AGAIN' }, 'DNS_FAILED'],
    [{ code: 'ECONNREFUSED' }, 'CONNECT_FAILED'],
    [{ code: 'ECONNRESET' }, 'CONNECTION_LOST'],
    [{ code: 'EPIPE' }, 'CONNECTION_LOST'],
    [{ code: 'NoConnection' }, 'CONNECTION_LOST'],
    [{ code: 'EConnectionClosed' }, 'CONNECTION_LOST'],
    [{ code: 'ParserError7' }, 'CONNECTION_LOST'],
    [{ code: 'ETIMEDOUT' }, 'TIMEOUT'],
    [{ code: 'ETIMEOUT' }, 'TIMEOUT'],
    [{ code: 'CONNECT_TIMEOUT' }, 'TIMEOUT'],
    [{ code: 'GREETING_TIMEOUT' }, 'TIMEOUT'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'TLS_UNTRUSTED'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'TLS_UNTRUSTED'],
    [{ code: 'ERR_SSL_WRONG_VERSION_NUMBER' }, 'TLS_FAILED'],
    [{ tlsFailed: true }, 'TLS_FAILED'],
    [{ code: 'ETHROTTLE' }, 'SERVER_BUSY'],
    [{ code: 'NotFound' }, 'NOT_FOUND'],
    [{ responseStatus: 'NO', responseText: 'Mailbox is locked', serverResponseCode: 'INUSE' }, 'SERVER_BUSY'],
    [
      { responseStatus: 'NO', responseText: 'Mailbox does not exist', serverResponseCode: 'NONEXISTENT' },
      'NOT_FOUND',
    ],
  ])('%o -> %s', (fields, code) => {
    expect(toMailError(err(fields)).code).toBe(code);
  });

  it('keeps the server words of a failed login in detail', () => {
    const e = toMailError(
      err(
        { authenticationFailed: true, response: '[AUTHENTICATIONFAILED] Authentication failed.' },
        'Command failed',
      ),
    );
    expect(e).toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    expect(e.detail).toBe('[AUTHENTICATIONFAILED] Authentication failed.');
  });

  it('recognises a full mailbox by [OVERQUOTA] or by its words', () => {
    expect(toMailError(err({ responseStatus: 'NO', serverResponseCode: 'OVERQUOTA' })).code).toBe(
      'QUOTA_EXCEEDED',
    );
    const alert = err({
      responseStatus: 'NO',
      responseText: '[ALERT] Quota exceeded (mailbox for user is full)',
    });
    expect(toMailError(alert).code).toBe('QUOTA_EXCEEDED');
  });

  it('turns other NO/BAD answers into SERVER_REJECTED with the response text', () => {
    const e = toMailError(err({ responseStatus: 'BAD', responseText: 'Error in IMAP command UID STORE' }));
    expect(e).toMatchObject({
      code: 'SERVER_REJECTED',
      detail: 'Error in IMAP command UID STORE',
      retryable: false,
    });
  });

  it('says so when STARTTLS was required but not offered', () => {
    const e = toMailError(err({ tlsFailed: true }, 'Server does not support STARTTLS'));
    expect(e.code).toBe('TLS_FAILED');
    expect(e.message).toMatch(/STARTTLS/);
  });

  it('looks inside a timeout that wraps the socket error', () => {
    expect(toMailError(err({ code: 'Weird', _err: err({ code: 'ECONNREFUSED' }) })).code).toBe(
      'CONNECT_FAILED',
    );
  });

  it('passes MailErrors through, the certificate kept', () => {
    const untrusted = new UntrustedCertificateError(
      { subject: 'CN=x', issuer: 'CN=x', validFrom: '', validTo: '', fingerprint256: 'AA' },
      'untrusted',
    );
    expect(toMailError(untrusted)).toBe(untrusted);
    const mine = new MailError('DISK_FULL', 'full');
    expect(toMailError(mine)).toBe(mine);
  });

  it('gives unknown failures a generic message', () => {
    expect(toMailError('boom').code).toBe('INTERNAL');
    expect(toMailError(undefined).message).not.toBe('');
  });
});
