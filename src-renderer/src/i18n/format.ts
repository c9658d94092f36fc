/**
 * Dates and sizes in the UI's language, through Intl (never by gluing strings together). Intl
 * formatters are costly to build (a scroll of the message list formats hundreds of dates and sizes
 * per second), so each is built once per locale and option set and then reused.
 */
import { currentLocale } from './index';

const KIB = 1024;
const MIB = 1024 * 1024;

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

const BYTES: Intl.NumberFormatOptions = { style: 'unit', unit: 'byte', unitDisplay: 'long' };
const KILOBYTES_FINE: Intl.NumberFormatOptions = {
  style: 'unit',
  unit: 'kilobyte',
  maximumFractionDigits: 1,
};
const KILOBYTES: Intl.NumberFormatOptions = { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 };
const MEGABYTES_FINE: Intl.NumberFormatOptions = {
  style: 'unit',
  unit: 'megabyte',
  maximumFractionDigits: 1,
};
const MEGABYTES: Intl.NumberFormatOptions = { style: 'unit', unit: 'megabyte', maximumFractionDigits: 0 };
const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const DAY_MONTH: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'short' };
const FULL_DATE: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' };

export function formatSize(bytes: number, locale = currentLocale()): string {
  if (bytes < KIB) return numberFormat(locale, BYTES).format(bytes);
  if (bytes < MIB) {
    const value = bytes / KIB;
    return numberFormat(locale, value < 10 ? KILOBYTES_FINE : KILOBYTES).format(value);
  }
  const value = bytes / MIB;
  return numberFormat(locale, value < 10 ? MEGABYTES_FINE : MEGABYTES).format(value);
}

/** For the list: the time for today's mail, day and month this year, the full date before. */
export function formatListDate(epochMs: number, now = Date.now(), locale = currentLocale()): string {
  const date = new Date(epochMs);
  const today = new Date(now);
  const isSameYear = date.getFullYear() === today.getFullYear();
  if (isSameYear && date.getMonth() === today.getMonth() && date.getDate() === today.getDate()) {
    return dateFormat(locale, TIME).format(date);
  }
  if (isSameYear) return dateFormat(locale, DAY_MONTH).format(date);
  return dateFormat(locale, SHORT_DATE).format(date);
}

export function formatFullDate(epochMs: number, locale = currentLocale()): string {
  return dateFormat(locale, FULL_DATE).format(new Date(epochMs));
}
