/** Turning raw header values into the shapes the app uses; shared by the full and fallback parsers. */
import type { EmailAddress } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import type { Address } from '../domain/message';
import { decodeEncodedWords } from './encoded-words';
import { parseSimpleAddressList } from './simple-address-list';

/** Groups (RFC 5322 §3.4 "Team: a@x, b@y;") are flattened into their members. */
export function flattenAddresses(values: readonly EmailAddress[]): Address[] {
  const out: Address[] = [];
  for (const value of values) {
    if (value.group) out.push(...flattenAddresses(value.group));
    else if (value.address || value.name) out.push({ name: value.name ?? '', address: value.address ?? '' });
  }
  return out;
}

/**
 * An address header (RFC 5322 §3.4) -> addresses, groups flattened, RFC 2047 names decoded.
 * nodemailer's addressparser (the one mailparser uses) without mailparser's display formatting.
 */
export function parseAddresses(value: string | undefined): Address[] {
  if (!value) return [];
  // The plain shapes of nearly all mail are read directly (same result, a fraction of the cost).
  const simple = parseSimpleAddressList(value);
  if (simple !== null) {
    return simple.map((entry) => ({ name: decodeEncodedWords(entry.name).trim(), address: entry.address }));
  }
  try {
    return addressparser(value, { flatten: true })
      .filter((entry) => entry.address || entry.name)
      .map((entry) => ({ name: decodeEncodedWords(entry.name ?? '').trim(), address: entry.address ?? '' }));
  } catch {
    return [];
  }
}

/** "<a@b>" -> "a@b"; anything without a usable id -> null. */
export function normaliseMessageId(value: string | undefined | null): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = (bracketed?.[1] ?? value).trim().replace(/^<|>$/g, '');
  return id === '' || /\s/.test(id) ? null : id;
}

/** RFC 5322 §3.6.4 msg-id lists, in order. */
export function parseMessageIdList(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1]!);
  if (bracketed.length > 0) return bracketed;
  return value.split(/[\s,]+/).filter((id) => id.includes('@'));
}

/**
 * RFC 5322 §3.3 date-time (and the obsolete forms of §4.3 that V8's parser accepts, such as
 * "PST" zones or a missing day name). Null when unreadable, never "now".
 */
export function parseMailDate(value: string | undefined): number | null {
  if (!value) return null;
  const withoutComments = value.replace(/\([^()]*\)/g, ' ').trim();
  const ms = Date.parse(withoutComments);
  return Number.isFinite(ms) ? ms : null;
}

export function decodeSubject(value: string | undefined): string {
  return value ? decodeEncodedWords(value).replace(/\s+/g, ' ').trim() : '';
}
