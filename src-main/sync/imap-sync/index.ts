/** The IMAP sync engine's public surface; everything else in this folder is internal. */
export {
  createImapEngine,
  ImapAccountEngine,
  DEFAULT_TIMING,
  retryDelay,
  type EngineTiming,
  type ImapEngineDeps,
  type ImapEngineStore,
} from './imap-engine';
export {
  offlinePolicyOf,
  DEFAULT_OFFLINE_DAYS,
  type ImapAccountSource,
  type OfflinePolicy,
  type TrustLookup,
} from './account-connection';
