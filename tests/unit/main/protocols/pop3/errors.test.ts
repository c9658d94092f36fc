import { describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import {
  redact,
  responseCode,
  serverReplyError,
  toMailError,
} from '../../../../../src-main/protocols/pop3/errors';
import { Pop3ProtocolError } from '../../../../../src-main/protocols/pop3/reply-reader';

/** An error shaped like the ones node:net, node:dns and node:tls emit. */
function systemError(code: string, message = `${code} something`): Error {
  return Object.assign(new Error(message), { code });
}

describe('toMailError', () => {
  it.each([
    ['ENOTFOUND', 'DNS_FAILED'],
    ['EAI_AGAIN', 'DNS_FAILED'],
    ['ECONNREFUSED', 'CONNECT_FAILED'],
    ['EHOSTUNREACH', 'CONNECT_FAILED'],
    ['ECONNRESET', 'CONNECTION_LOST'],
    ['EPIPE', 'CONNECTION_LOST'],
    ['ERR_STREAM_PREMATURE_CLOSE', 'CONNECTION_LOST'],
    ['ETIMEDOUT', 'TIMEOUT'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS_UNTRUSTED'],
    ['CERT_HAS_EXPIRED', 'TLS_UNTRUSTED'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'TLS_UNTRUSTED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS_UNTRUSTED'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'TLS_FAILED'],
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'TLS_FAILED'],
  ] as const)('maps %s to %s, keeping the original text in detail', (code, expected) => {
    const error = toMailError(systemError(code, `connect ${code} 127.0.0.1:995`));
    expect(error.code).toBe(expected);
    expect(error.detail).toBe(`connect ${code} 127.0.0.1:995`);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('marks network trouble retryable and certificate trouble not', () => {
    expect(toMailError(systemError('ECONNRESET')).retryable).toBe(true);
    expect(toMailError(systemError('EAI_AGAIN')).retryable).toBe(true);
    expect(toMailError(systemError('CERT_HAS_EXPIRED')).retryable).toBe(false);
    expect(toMailError(systemError('ERR_SSL_WRONG_VERSION_NUMBER')).retryable).toBe(false);
  });

  it('maps an OpenSSL error without a known code to TLS_FAILED', () => {
    const error = Object.assign(new Error('decryption failed'), { library: 'SSL routines' });
    expect(toMailError(error).code).toBe('TLS_FAILED');
  });

  it('passes a MailError through unchanged and turns anything unknown into INTERNAL', () => {
    const original = new MailError('DISK_FULL', 'The disk is full.');
    expect(toMailError(original)).toBe(original);
    expect(toMailError(new Error('boom')).code).toBe('INTERNAL');
    expect(toMailError('a string').code).toBe('INTERNAL');
  });

  it('maps protocol violations: an oversized message to MALFORMED_MESSAGE, nonsense to SERVER_REJECTED', () => {
    expect(toMailError(new Pop3ProtocolError('reply-too-large', 'too big', 10)).code).toBe(
      'MALFORMED_MESSAGE',
    );
    expect(toMailError(new Pop3ProtocolError('line-too-long', 'long', 10)).code).toBe('SERVER_REJECTED');
    expect(toMailError(new Pop3ProtocolError('malformed-reply', 'what')).code).toBe('SERVER_REJECTED');
  });
});

describe('serverReplyError', () => {
  it('reads RFC 2449 response codes, hierarchical ones by their parent', () => {
    expect(responseCode('[SYS/TEMP] later')).toBe('SYS/TEMP');
    expect(responseCode('[in-use] busy')).toBe('IN-USE');
    expect(responseCode('no code [IN-USE]')).toBeNull();
    expect(serverReplyError('RETR', '[SYS/TEMP/DISK] full').code).toBe('SERVER_BUSY');
    expect(serverReplyError('PASS', '[X-VENDOR] nope').code).toBe('AUTH_FAILED');
  });

  it('says "locked" or "busy" without a code is SERVER_BUSY on sign-in, other text AUTH_FAILED', () => {
    expect(serverReplyError('PASS', 'maildrop already locked').code).toBe('SERVER_BUSY');
    expect(serverReplyError('AUTH', 'Server busy, try later').code).toBe('SERVER_BUSY');
    expect(serverReplyError('APOP', 'mailbox in use').code).toBe('SERVER_BUSY');
    expect(serverReplyError('USER', 'no such user').code).toBe('AUTH_FAILED');
  });

  it('removes every secret from the server text it keeps', () => {
    const error = serverReplyError('PASS', 'bad password hunter2 for hunter2', ['hunter2', '']);
    expect(error.detail).toBe('bad password [redacted] for [redacted]');
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(redact('no secret here', ['x y'])).toBe('no secret here');
  });
});
