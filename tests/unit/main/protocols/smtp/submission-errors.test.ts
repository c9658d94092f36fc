import { describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import {
  SmtpDeliveryUnknownError,
  SmtpMessageTooLargeError,
  formatMegabytes,
  isDeliveryUnknown,
} from '../../../../../src-main/protocols/smtp/submission-errors';

describe('SmtpMessageTooLargeError', () => {
  it('tells the user the limit in MB and keeps the exact numbers in detail', () => {
    const error = new SmtpMessageTooLargeError(52_428_800, 60_000_000);
    expect(error).toBeInstanceOf(MailError);
    expect(error.message).toBe('The message is larger than the server accepts (50 MB max).');
    expect(error.detail).toBe(
      'SIZE 52428800: the server accepts at most 52428800 bytes; the message is 60000000 bytes',
    );
    expect(error).toMatchObject({
      code: 'SERVER_REJECTED',
      retryable: false,
      maxSize: 52_428_800,
      size: 60_000_000,
    });
  });

  it.each([
    [52_428_800, '50'],
    [10_240_000, '9.8'],
    [26_214_400, '25'],
    [35_882_577, '34.2'],
  ])('formats %d bytes as %s MB', (bytes, text) => {
    expect(formatMegabytes(bytes)).toBe(text);
  });
});

describe('SmtpDeliveryUnknownError', () => {
  it('is a non-retryable CONNECTION_LOST flagged deliveryUnknown', () => {
    const error = new SmtpDeliveryUnknownError('ECONNRESET after the message content was sent');
    expect(error).toMatchObject({ code: 'CONNECTION_LOST', retryable: false, deliveryUnknown: true });
    expect(isDeliveryUnknown(error)).toBe(true);
    expect(isDeliveryUnknown(new MailError('CONNECTION_LOST', 'lost'))).toBe(false);
  });
});
