import { describe, expect, it } from 'vitest';
import { MailError } from '../../../../../src-main/domain/errors';
import { expandTemplate, parseEmailAddress } from '../../../../../src-main/accounts/autoconfig/email-address';

describe('email addresses for discovery', () => {
  it('splits an address and lowercases the domain', () => {
    expect(parseEmailAddress('  Ana.Perez@Example.COM ')).toEqual({
      localPart: 'Ana.Perez',
      domain: 'example.com',
      address: 'Ana.Perez@example.com',
    });
  });

  it('converts international domain names to their ASCII (xn--) form', () => {
    expect(parseEmailAddress('jose@ñandú.es').domain).toBe('xn--and-6ma2c.es');
    expect(parseEmailAddress('info@bücher.de').domain).toBe('xn--bcher-kva.de');
    expect(parseEmailAddress('user@例え.jp').domain).toBe('xn--r8jz45g.jp');
    expect(parseEmailAddress('user@EXAMPLE.com.').domain).toBe('example.com');
  });

  it('splits at the last @, as a quoted local part may contain one', () => {
    expect(parseEmailAddress('"a@b"@example.com').localPart).toBe('"a@b"');
  });

  it('refuses what cannot be a mailbox with a BAD_REQUEST the user can act on', () => {
    const bad = [
      '',
      'ana',
      'ana@',
      '@example.com',
      'ana@localhost',
      'ana@exa mple.com',
      'an a@example.com',
      'ana@example..com',
      'ana@192.168.1.1',
      'ana@-bad-.com',
      `${'a'.repeat(65)}@example.com`,
      `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.com`,
      'ana\r\n@example.com',
    ];
    for (const email of bad) {
      let caught: unknown;
      try {
        parseEmailAddress(email);
      } catch (error) {
        caught = error;
      }
      expect(caught, JSON.stringify(email)).toBeInstanceOf(MailError);
      expect((caught as MailError).code).toBe('BAD_REQUEST');
      expect((caught as MailError).message).toMatch(/email address/);
    }
  });

  it('expands the Mozilla placeholders and leaves unknown ones for the caller to reject', () => {
    const parts = parseEmailAddress('ana@example.com');
    expect(expandTemplate('%EMAILLOCALPART%|%EMAILDOMAIN%|%EMAILADDRESS%|%REALNAME%', parts)).toBe(
      'ana|example.com|ana@example.com|%REALNAME%',
    );
  });
});
