/**
 * What one check does with each message on the server, decided from the UIDL listing (RFC 1939
 * §7), the ledger and the account's options alone: pure, so every rule is unit-tested.
 *
 *   - a unique-id not stored here: download it (headers only when above the size limit);
 *   - a unique-id stored here: delete it from the server when the options say so, else keep it.
 *     This is also how an interrupted run finishes: what it stored but could not DELE (a crash or
 *     a cut connection before QUIT, RFC 1939 §6) is deleted now without downloading it again.
 */
import type { Pop3UidlEntry } from '../../store/pop3-uidls-repo';
import { BYTES_PER_KB, MS_PER_DAY } from './account-settings';
import type { Pop3AccountSettings } from './account-settings';

export interface ServerMessage {
  /** The message number of this session (RFC 1939 §3). */
  number: number;
  uidl: string;
  /** From LIST, in octets. */
  size: number;
}

export interface PlannedDownload extends ServerMessage {
  isHeadersOnly: boolean;
}

/** Why a stored message is deleted from the server. */
export type DeleteReason = 'stored' | 'expired' | 'deleted-here';

export interface PlannedDeletion extends ServerMessage {
  reason: DeleteReason;
}

export interface CheckPlan {
  downloads: PlannedDownload[];
  deletions: PlannedDeletion[];
  /** Stored here and left on the server. */
  kept: number;
  /** Later messages repeating a unique-id already listed (a broken server); left alone. */
  duplicates: number;
}

export type RetentionOptions = Pick<
  Pop3AccountSettings,
  'leaveOnServer' | 'deleteAfterDays' | 'deleteWhenDeletedHere' | 'maxMessageKb'
>;

export interface PlanInput {
  server: readonly ServerMessage[];
  ledger: ReadonlyMap<string, Pop3UidlEntry>;
  /** Unique-ids of stored messages (counted as downloaded even without a ledger entry). */
  stored: ReadonlySet<string>;
  options: RetentionOptions;
  now: number;
  /** The largest message the client retrieves whole; anything larger is stored as headers only. */
  maxWholeMessageBytes: number;
}

export function isOverSizeLimit(size: number, options: Pick<RetentionOptions, 'maxMessageKb'>): boolean {
  return options.maxMessageKb !== null && size > options.maxMessageKb * BYTES_PER_KB;
}

/** Whether a message just stored in full is deleted from the server in the same session. */
export function deletesRightAfterStoring(options: RetentionOptions): boolean {
  return !options.leaveOnServer || options.deleteAfterDays === 0;
}

/** For a message already stored here: why to delete it from the server now, or null to keep it. */
export function deletionReason(
  entry: Pop3UidlEntry,
  options: RetentionOptions,
  now: number,
): DeleteReason | null {
  // Only headers are here: the server has the only whole copy until downloadFull. Unless the
  // user deleted it here, in which case nobody needs the rest.
  if (entry.state === 'headers_only') return null;
  if (entry.state === 'deleted_here' && (!options.leaveOnServer || options.deleteWhenDeletedHere)) {
    return 'deleted-here';
  }
  if (!options.leaveOnServer) return 'stored';
  if (options.deleteAfterDays !== null && now - entry.firstSeenMs >= options.deleteAfterDays * MS_PER_DAY) {
    return 'expired';
  }
  return null;
}

export function planCheck(input: PlanInput): CheckPlan {
  const plan: CheckPlan = { downloads: [], deletions: [], kept: 0, duplicates: 0 };
  const seen = new Set<string>();
  const ordered = [...input.server].sort((a, b) => a.number - b.number);
  for (const message of ordered) {
    if (seen.has(message.uidl)) {
      plan.duplicates += 1;
      continue;
    }
    seen.add(message.uidl);
    const entry =
      input.ledger.get(message.uidl) ??
      (input.stored.has(message.uidl)
        ? { uidl: message.uidl, firstSeenMs: input.now, state: 'downloaded' as const, messageId: null }
        : undefined);
    if (entry === undefined) {
      const isHeadersOnly =
        isOverSizeLimit(message.size, input.options) || message.size > input.maxWholeMessageBytes;
      plan.downloads.push({ ...message, isHeadersOnly });
      continue;
    }
    const reason = deletionReason(entry, input.options, input.now);
    if (reason === null) plan.kept += 1;
    else plan.deletions.push({ ...message, reason });
  }
  return plan;
}
