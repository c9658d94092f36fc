import { domainToASCII } from 'node:url';
import { MailError } from '../../domain/errors';
import { isValidHostname } from '../settings';

/** An address split for discovery; `domain` is lowercase ASCII (IDN labels in their xn-- form). */
export interface EmailParts {
  localPart: string;
  domain: string;
  /** localPart@domain with the ASCII domain: what username templates expand to. */
  address: string;
}

/** RFC 5321 §4.5.3.1: 64 octets of local part, 254 for a whole forward path address. */
const MAX_LOCAL_PART_LENGTH = 64;
const MAX_ADDRESS_LENGTH = 254;
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

function invalid(detail: string): MailError {
  return new MailError('BAD_REQUEST', 'That does not look like an email address. Check it and try again.', {
    detail,
  });
}

/**
 * Splits and normalises an address typed by the user. The domain goes through node:url's
 * domainToASCII (UTS #46), so `ñandú.es` becomes `xn--and-6ma2c.es` and DNS/HTTP lookups use one
 * canonical name. Throws MailError('BAD_REQUEST') for anything that cannot be a mailbox.
 */
export function parseEmailAddress(input: string): EmailParts {
  const email = input.trim();
  // The last '@' separates the domain: a quoted local part may itself contain '@'.
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) throw invalid('missing local part or domain');
  const localPart = email.slice(0, at);
  const rawDomain = email.slice(at + 1);
  if (localPart.length > MAX_LOCAL_PART_LENGTH || WHITESPACE_OR_CONTROL.test(localPart)) {
    throw invalid('local part too long or contains spaces');
  }
  const domain = domainToASCII(rawDomain.replace(/\.$/, '')).toLowerCase();
  if (domain === '' || !domain.includes('.') || !isValidHostname(domain)) throw invalid('invalid domain');
  // IP literals ("user@[192.0.2.1]") are legal in RFC 5321 but have no provider to discover.
  if (/^[\d.]+$/.test(domain)) throw invalid('address literal');
  const address = `${localPart}@${domain}`;
  if (address.length > MAX_ADDRESS_LENGTH) throw invalid('address too long');
  return { localPart, domain, address };
}

const TEMPLATE_VARIABLE = /%(EMAILADDRESS|EMAILLOCALPART|EMAILDOMAIN)%/g;

/**
 * Expands the placeholders of Mozilla's config-v1.1 format (also used by the built-in table).
 * Unknown placeholders are left as they are so that callers can reject them.
 */
export function expandTemplate(template: string, parts: EmailParts): string {
  return template.replace(TEMPLATE_VARIABLE, (_match, name: string) => {
    if (name === 'EMAILADDRESS') return parts.address;
    if (name === 'EMAILLOCALPART') return parts.localPart;
    return parts.domain;
  });
}
