import type {
  FetchMessageObject,
  MessageAddressObject,
  MessageEnvelopeObject,
  MessageStructureObject,
} from 'imapflow';
import { flagsFromImap, type MessageFlags } from '../../domain/flags';

/**
 * The adapter's own message-summary shapes, converted from imapflow's FETCH rows so sync/ never
 * sees an imapflow type. ENVELOPE and BODYSTRUCTURE are RFC 3501 §7.4.2; References, In-Reply-To
 * (RFC 5322 §3.6.4) and List-Id (RFC 2919) come from BODY.PEEK[HEADER.FIELDS (...)].
 */

export interface RemoteAddress {
  name: string | null;
  address: string | null;
}

export interface RemoteEnvelope {
  date: Date | null;
  subject: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  from: RemoteAddress[];
  sender: RemoteAddress[];
  replyTo: RemoteAddress[];
  to: RemoteAddress[];
  cc: RemoteAddress[];
  bcc: RemoteAddress[];
}

export interface RemoteBodyPart {
  /** IMAP part number ("1.2"); null for the top-level node of a single-part message. */
  part: string | null;
  /** Lowercase "type/subtype". */
  type: string;
  parameters: Record<string, string>;
  disposition: string | null;
  dispositionParameters: Record<string, string>;
  contentId: string | null;
  encoding: string | null;
  size: number | null;
  children: RemoteBodyPart[];
}

export interface RemoteMessageHeader {
  uid: number;
  flags: MessageFlags;
  /** RFC822.SIZE in octets. */
  size: number;
  internalDate: Date | null;
  /** Present when CONDSTORE is enabled (RFC 7162 §3.1.4). */
  modseq: bigint | null;
  envelope: RemoteEnvelope;
  /** Message-IDs from References, oldest first, each with its angle brackets. */
  references: string[];
  listId: string | null;
  bodyStructure: RemoteBodyPart | null;
}

/** The header fields fetched next to the envelope. */
export const SUMMARY_HEADER_FIELDS = ['references', 'in-reply-to', 'list-id'] as const;

/** Hostile-input bounds: a References header can be arbitrarily long; real clients cap around 20-100. */
export const MAX_REFERENCES = 100;
const MAX_BODY_DEPTH = 32;
const MAX_HEADER_FIELDS = 64;

function toDate(value: Date | string | undefined): Date | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const orNull = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

function addresses(list: MessageAddressObject[] | undefined): RemoteAddress[] {
  return (list ?? []).map((a) => ({ name: orNull(a.name), address: orNull(a.address) }));
}

export function toRemoteEnvelope(envelope: MessageEnvelopeObject | undefined): RemoteEnvelope {
  const e = envelope ?? {};
  return {
    date: toDate(e.date),
    subject: orNull(e.subject),
    messageId: orNull(e.messageId),
    inReplyTo: orNull(e.inReplyTo),
    from: addresses(e.from),
    sender: addresses(e.sender),
    replyTo: addresses(e.replyTo),
    to: addresses(e.to),
    cc: addresses(e.cc),
    bcc: addresses(e.bcc),
  };
}

export function toRemoteBodyPart(node: MessageStructureObject, depth = 0): RemoteBodyPart {
  const children =
    depth >= MAX_BODY_DEPTH ? [] : (node.childNodes ?? []).map((child) => toRemoteBodyPart(child, depth + 1));
  return {
    part: orNull(node.part),
    type: node.type.toLowerCase(),
    parameters: { ...node.parameters },
    disposition: node.disposition ? node.disposition.toLowerCase() : null,
    dispositionParameters: { ...node.dispositionParameters },
    contentId: orNull(node.id),
    encoding: node.encoding ? node.encoding.toLowerCase() : null,
    size: node.size ?? null,
    children,
  };
}

/**
 * Unfolds a header block (RFC 5322 §2.2.3) into lowercase name -> value; the first occurrence
 * wins. Latin-1 decoding keeps every byte; the fields read here are ASCII by definition.
 */
export function parseHeaderBlock(block: Buffer | string): Map<string, string> {
  const text = typeof block === 'string' ? block : block.toString('latin1');
  const fields = new Map<string, string>();
  const unfolded = text.replace(/\r?\n(?=[ \t])/g, '');
  for (const line of unfolded.split(/\r?\n/)) {
    if (fields.size >= MAX_HEADER_FIELDS) break;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

/** "<a@x> <b@y>" -> ["<a@x>", "<b@y>"], at most MAX_REFERENCES, keeping the newest (last) ones. */
export function parseMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g) ?? [];
  return ids.slice(-MAX_REFERENCES);
}

/** RFC 2919 §3: 'Description <list-label.example.org>' -> 'list-label.example.org'. */
export function parseListId(value: string | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>\s]+)>/.exec(value)?.[1];
  const id = (bracketed ?? value).trim();
  return id === '' ? null : id;
}

/** Null when the row is not a summary row (an unsolicited FETCH carrying only FLAGS, say). */
export function toRemoteMessageHeader(row: FetchMessageObject): RemoteMessageHeader | null {
  if (!row.uid || row.envelope === undefined || row.size === undefined) return null;
  const fields = parseHeaderBlock(row.headers ?? '');
  const envelope = toRemoteEnvelope(row.envelope);
  const inReplyTo = parseMessageIds(fields.get('in-reply-to'))[0] ?? envelope.inReplyTo;
  return {
    uid: row.uid,
    flags: flagsFromImap(row.flags ?? []),
    size: row.size,
    internalDate: toDate(row.internalDate),
    modseq: row.modseq ?? null,
    envelope: { ...envelope, inReplyTo },
    references: parseMessageIds(fields.get('references')),
    listId: parseListId(fields.get('list-id')),
    bodyStructure: row.bodyStructure ? toRemoteBodyPart(row.bodyStructure) : null,
  };
}
