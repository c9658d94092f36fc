/**
 * The To, Cc and Bcc fields as text: "Ana Torres <ana@example.com>, bob@example.com". Parsing is
 * forgiving (commas or semicolons, quotes, angle brackets) and says which entries are not
 * addresses, so the composer can name them instead of sending to a typo.
 */
export interface AddressEntry {
  name: string;
  address: string;
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$|^[^\s@<>",;]+@[^\s@<>",;.]+$/;

/** Splits on commas and semicolons outside quotes and angle brackets. */
function splitEntries(text: string): string[] {
  const entries: string[] = [];
  let current = '';
  let inQuotes = false;
  let inAngle = false;
  for (const char of text) {
    if (char === '"' && !inAngle) inQuotes = !inQuotes;
    else if (char === '<' && !inQuotes) inAngle = true;
    else if (char === '>' && !inQuotes) inAngle = false;
    if ((char === ',' || char === ';') && !inQuotes && !inAngle) {
      entries.push(current);
      current = '';
    } else current += char;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

export function parseAddressList(text: string): { addresses: AddressEntry[]; invalid: string[] } {
  const addresses: AddressEntry[] = [];
  const invalid: string[] = [];
  for (const entry of splitEntries(text)) {
    const angled = /^(.*)<([^<>]+)>\s*$/.exec(entry);
    const address = (angled ? angled[2] : entry)?.trim() ?? '';
    const name =
      (angled ? angled[1] : '')
        ?.trim()
        .replace(/^"(.*)"$/, '$1')
        .trim() ?? '';
    if (ADDRESS.test(address)) addresses.push({ name, address });
    else invalid.push(entry);
  }
  return { addresses, invalid };
}

function formatOne(entry: AddressEntry): string {
  if (entry.name.trim() === '') return entry.address;
  const name = /[",;<>@]/.test(entry.name) ? `"${entry.name.replace(/"/g, "'")}"` : entry.name;
  return `${name} <${entry.address}>`;
}

export function formatAddressList(addresses: readonly AddressEntry[]): string {
  return addresses.map(formatOne).join(', ');
}

/** The entry being typed: the text after the last separator, for completion. */
export function lastEntry(text: string): { before: string; current: string } {
  const index = Math.max(text.lastIndexOf(','), text.lastIndexOf(';'));
  return index === -1
    ? { before: '', current: text.trim() }
    : { before: `${text.slice(0, index + 1)} `, current: text.slice(index + 1).trim() };
}

/** Replaces the entry being typed with the chosen address, ready for the next one. */
export function completeWith(text: string, choice: AddressEntry): string {
  return `${lastEntry(text).before}${formatOne(choice)}, `;
}

const UNITS = ['B', 'KB', 'MB', 'GB'];

/** 1536 -> "1.5 KB" (binary units, as mail clients show attachment sizes). */
export function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value).toString() : value.toFixed(1);
  return `${shown} ${UNITS[unit]}`;
}
