/** What an mbox keeps outside the RFC 5322 message proper: read state and the delivery date. */
import { flagsFromMboxStatus } from '../../domain/flags';
import type { MessageFlags } from '../../domain/flags';
import type { HeaderBlock } from '../../mime/header-reader';

/** Thunderbird's nsMsgMessageFlags, as written in X-Mozilla-Status (hex). */
const MOZILLA_READ = 0x0001;
const MOZILLA_REPLIED = 0x0002;
const MOZILLA_MARKED = 0x0004;
/** Deleted in Thunderbird but still in the file until the folder is compacted. */
const MOZILLA_EXPUNGED = 0x0008;
const MOZILLA_FORWARDED = 0x1000;

/**
 * Status/X-Status (mutt, Evolution, mboxrd writers) and X-Mozilla-Status (Thunderbird) -> flags.
 * Either source can set a flag; neither clears one the other set.
 */
export function flagsFromMboxHeaders(headers: HeaderBlock): MessageFlags {
  const flags = flagsFromMboxStatus(headers.get('status'), headers.get('x-status'));
  const mozilla = headers.get('x-mozilla-status');
  if (mozilla === undefined || !/^[0-9a-f]{1,8}$/i.test(mozilla.trim())) return flags;
  const bits = parseInt(mozilla.trim(), 16);
  return {
    ...flags,
    seen: flags.seen || (bits & MOZILLA_READ) !== 0,
    answered: flags.answered || (bits & MOZILLA_REPLIED) !== 0,
    flagged: flags.flagged || (bits & MOZILLA_MARKED) !== 0,
    deleted: flags.deleted || (bits & MOZILLA_EXPUNGED) !== 0,
    forwarded: flags.forwarded || (bits & MOZILLA_FORWARDED) !== 0,
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** The asctime() date of a From_ line: "Tue Jan  2 10:00:00 2024", optionally with a zone. */
const ASCTIME =
  /\b(?:mon|tue|wed|thu|fri|sat|sun)\w*\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s+[a-z]{3,5}|\s+[+-]\d{4})?\s+(\d{4})\b/i;

/**
 * The delivery time written in the From_ line (RFC 4155 §2), read as UTC because asctime() carries
 * no zone; null when the line has no such date.
 */
export function envelopeDate(envelope: string | null): number | null {
  if (!envelope) return null;
  const match = ASCTIME.exec(envelope);
  if (!match) return null;
  const [, month, day, hours, minutes, seconds, year] = match;
  const ms = Date.UTC(
    Number(year),
    MONTHS.indexOf(month!.toLowerCase()),
    Number(day),
    Number(hours),
    Number(minutes),
    Number(seconds ?? 0),
  );
  return Number.isFinite(ms) ? ms : null;
}
