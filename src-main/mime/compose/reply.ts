/**
 * Reply, reply to all and forward, as pure functions over the original's parsed headers and text:
 * subjects without stacked prefixes, the quote with its attribution line, the recipients without
 * the user's own addresses, and In-Reply-To/References (RFC 5322 §3.6.4).
 */
import type { Address } from '../../domain/message';
import type { ParsedHeaders } from '../parsed-message';
import { trimReferences } from './build-message';

/** Any run of reply or forward prefixes some clients and languages use ("Re:", "AW:", "Fwd[2]:"). */
const REPLY_PREFIX = /^\s*(re|aw|sv|vs|antw|odp|rv)(\[\d+\])?\s*:/i;
const FORWARD_PREFIX = /^\s*(fwd?|wg|tr|enc|rv)(\[\d+\])?\s*:/i;

/** "Hello" -> "Re: Hello"; "Re: Hello" and "RE: Hello" stay as they are (no "Re: Re:"). */
export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  return REPLY_PREFIX.test(trimmed) ? trimmed : `Re: ${trimmed}`;
}

/** "Hello" -> "Fwd: Hello"; "Fwd: Hello" and "FW: Hello" stay as they are. */
export function forwardSubject(subject: string): string {
  const trimmed = subject.trim();
  return FORWARD_PREFIX.test(trimmed) ? trimmed : `Fwd: ${trimmed}`;
}

/** "Ana <ana@x.test>", or the bare address when there is no name. */
export function formatAddress(address: Address): string {
  return address.name.trim() === '' ? address.address : `${address.name} <${address.address}>`;
}

const QUOTE_DATE = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** "Mon, Nov 23, 2026, 10:47" in this machine's time zone. */
export function formatQuoteDate(ms: number): string {
  return QUOTE_DATE.format(new Date(ms));
}

/** "On <date>, <sender> wrote:" (without a date when the original has none). */
export function attributionLine(date: number | null, sender: Address | null): string {
  const who = sender === null ? 'someone' : formatAddress(sender);
  return date === null ? `${who} wrote:` : `On ${formatQuoteDate(date)}, ${who} wrote:`;
}

/** Every line of `text` prefixed with "> " (">" alone for empty lines, as RFC 3676 §4.5 quotes). */
export function quoteLines(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return lines.map((line) => (line === '' || line.startsWith('>') ? `>${line}` : `> ${line}`)).join('\n');
}

/** The body a reply starts with: room to write, then the attribution and the quoted original. */
export function replyBody(original: Pick<ParsedHeaders, 'date' | 'from'>, text: string): string {
  return `\n\n${attributionLine(original.date, original.from[0] ?? null)}\n${quoteLines(text)}\n`;
}

/** The header block of an inline forward, then the original text. */
export function forwardBody(original: ParsedHeaders, text: string): string {
  const lines = ['---------- Forwarded message ----------'];
  if (original.from.length > 0) lines.push(`From: ${original.from.map(formatAddress).join(', ')}`);
  if (original.date !== null) lines.push(`Date: ${formatQuoteDate(original.date)}`);
  lines.push(`Subject: ${original.subject}`);
  if (original.to.length > 0) lines.push(`To: ${original.to.map(formatAddress).join(', ')}`);
  if (original.cc.length > 0) lines.push(`Cc: ${original.cc.map(formatAddress).join(', ')}`);
  return `\n\n${lines.join('\n')}\n\n${text.replace(/\r\n?/g, '\n')}`;
}

const key = (address: string): string => address.trim().toLowerCase();

function withoutDuplicates(addresses: readonly Address[], skip: Set<string>): Address[] {
  const out: Address[] = [];
  for (const address of addresses) {
    const k = key(address.address);
    if (k === '' || skip.has(k)) continue;
    skip.add(k);
    out.push(address);
  }
  return out;
}

export interface ReplyRecipients {
  to: Address[];
  cc: Address[];
}

/**
 * RFC 5322 §3.6.3: a reply goes to Reply-To when present, else From. Reply to all adds the other
 * To and Cc recipients. The user's own addresses are left out, unless replying to a message the
 * user sent, where the original recipients are who the conversation is with.
 */
export function replyRecipients(
  original: Pick<ParsedHeaders, 'from' | 'replyTo' | 'to' | 'cc'>,
  ownAddresses: readonly string[],
  isReplyAll: boolean,
): ReplyRecipients {
  const own = new Set(ownAddresses.map(key));
  const author = original.replyTo.length > 0 ? original.replyTo : original.from;
  const isOwnMessage = author.length > 0 && author.every((a) => own.has(key(a.address)));
  const primary = isOwnMessage ? original.to : author;
  const seen = new Set(own);
  const to = withoutDuplicates(primary, seen);
  if (!isReplyAll) return { to, cc: [] };
  const moreTo = isOwnMessage ? [] : withoutDuplicates(original.to, seen);
  const cc = withoutDuplicates(original.cc, seen);
  return { to: [...to, ...moreTo], cc };
}

/** In-Reply-To is the original; References is the original's References plus the original. */
export function replyThreading(original: Pick<ParsedHeaders, 'messageId' | 'references' | 'inReplyTo'>): {
  inReplyTo: string | null;
  references: string[];
} {
  if (original.messageId === null) return { inReplyTo: null, references: [] };
  const parents =
    original.references.length > 0
      ? original.references
      : original.inReplyTo !== null
        ? [original.inReplyTo]
        : [];
  return {
    inReplyTo: original.messageId,
    references: trimReferences([...parents.filter((id) => id !== original.messageId), original.messageId]),
  };
}
