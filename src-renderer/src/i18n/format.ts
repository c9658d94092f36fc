/** Dates and sizes in the UI's language, through Intl (never by gluing strings together). */
import { currentLocale } from './index';

const KIB = 1024;
const MIB = 1024 * 1024;

export function formatSize(bytes: number, locale = currentLocale()): string {
  if (bytes < KIB) {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'long' }).format(bytes);
  }
  const [value, unit] = bytes < MIB ? [bytes / KIB, 'kilobyte'] : [bytes / MIB, 'megabyte'];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/** For the list: the time for today's mail, day and month this year, the full date before. */
export function formatListDate(epochMs: number, now = Date.now(), locale = currentLocale()): string {
  const date = new Date(epochMs);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(date);
  }
  if (date.getFullYear() === today.getFullYear()) {
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(date);
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short' }).format(date);
}

export function formatFullDate(epochMs: number, locale = currentLocale()): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(epochMs));
}
