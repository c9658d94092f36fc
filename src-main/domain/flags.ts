/**
 * The system flags Estafeta understands (RFC 3501 §2.3.2) plus $Forwarded (RFC 5788 registry).
 * Other keywords are kept as strings so a round trip through the store loses none of them.
 */
export interface MessageFlags {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  forwarded: boolean;
  draft: boolean;
  deleted: boolean;
  keywords: readonly string[];
}

export const SETTABLE_FLAGS = ['seen', 'flagged', 'answered', 'forwarded'] as const;
export type SettableFlag = (typeof SETTABLE_FLAGS)[number];

export const NO_FLAGS: MessageFlags = {
  seen: false,
  flagged: false,
  answered: false,
  forwarded: false,
  draft: false,
  deleted: false,
  keywords: [],
};

const IMAP_SYSTEM_FLAGS: ReadonlyArray<[keyof Omit<MessageFlags, 'keywords'>, string]> = [
  ['seen', '\\Seen'],
  ['flagged', '\\Flagged'],
  ['answered', '\\Answered'],
  ['forwarded', '$Forwarded'],
  ['draft', '\\Draft'],
  ['deleted', '\\Deleted'],
];

/** Lowercase system flag -> its key; built once (flagsFromImap runs for every synced message). */
const SYSTEM_FLAG_KEYS = new Map(IMAP_SYSTEM_FLAGS.map(([key, imap]) => [imap.toLowerCase(), key]));

/** IMAP flag strings -> MessageFlags; \Recent is session state and dropped. */
export function flagsFromImap(imapFlags: Iterable<string>): MessageFlags {
  const set = new Set(imapFlags);
  const flags: MessageFlags = { ...NO_FLAGS, keywords: [] };
  const keywords: string[] = [];
  for (const flag of set) {
    const key = SYSTEM_FLAG_KEYS.get(flag.toLowerCase());
    if (key) flags[key] = true;
    else if (flag.toLowerCase() !== '\\recent') keywords.push(flag);
  }
  return { ...flags, keywords };
}

export function flagsToImap(flags: MessageFlags): string[] {
  const out = IMAP_SYSTEM_FLAGS.filter(([key]) => flags[key]).map(([, imap]) => imap);
  return [...out, ...flags.keywords];
}

/** mbox Status/X-Status headers (as written by mutt, Thunderbird, Evolution) -> flags. */
export function flagsFromMboxStatus(status: string | undefined, xStatus: string | undefined): MessageFlags {
  const s = status ?? '';
  const x = xStatus ?? '';
  return {
    ...NO_FLAGS,
    keywords: [],
    seen: s.includes('R'),
    answered: x.includes('A'),
    flagged: x.includes('F'),
    deleted: x.includes('D'),
    draft: x.includes('T'),
  };
}
