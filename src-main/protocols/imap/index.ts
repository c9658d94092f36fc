// The IMAP adapter's public surface for sync/imap-sync/: a session, then one function per command
// family. imapflow types stay inside this folder.
export {
  ImapSession,
  CONNECT_TIMEOUT_MS,
  GREETING_TIMEOUT_MS,
  CONNECT_DEADLINE_MS,
  SOCKET_TIMEOUT_MS,
  IDLE_RESTART_MS,
  MAX_LITERAL_BYTES,
  type ImapAuth,
  type ImapConnectOptions,
  type ImapCapabilities,
  type SessionClosed,
} from './session';
export { toMailError } from './errors';
export { listFolders, folderStatus, createFolder, renameFolder, deleteFolder } from './folders';
export type { RemoteFolder, FolderStatus } from './folders';
export {
  openFolder,
  fetchHeadersNewestFirst,
  fetchSource,
  listUids,
  DEFAULT_HEADER_BATCH_SIZE,
  MAX_HEADER_BATCH_SIZE,
  SOURCE_BATCH_SIZE,
} from './fetch';
export type { OpenedFolder, KnownFolderState, HeaderFetchOptions, RemoteSource, FlagChange } from './fetch';
export { fetchFlagChanges, fetchVanished, FLAG_PAGE_SIZE } from './changes';
export type { FlagChangeOptions, FlagChangeResult, VanishedResult } from './changes';
export { setFlags, addFlags, removeFlags, copy, move, deleteForever, append } from './actions';
export type { CopyResult, AppendResult } from './actions';
export { watchMailbox, DEFAULT_POLL_INTERVAL_MS } from './idle';
export type { MailboxEvent, MailboxWatch, WatchOptions } from './idle';
export type { RemoteMessageHeader } from './message-header';
export {
  rangesFromUids,
  formatRanges,
  countUids,
  rangesInclude,
  descendingBatches,
  type UidRange,
} from './uid-set';
