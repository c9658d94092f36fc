/** The POP3 engine's public surface; everything else in this folder is internal. */
export { Pop3Fetcher, type Pop3FetcherOptions, type Pop3FetchStore } from './pop3-fetcher';
export {
  assertValidSettings,
  MAX_DELETE_AFTER_DAYS,
  MAX_MESSAGE_KB_LIMIT,
  type Pop3AccountSettings,
} from './account-settings';
export type { CheckResult } from './check-result';
export { BATCH_MAX_BYTES, BATCH_MAX_MESSAGES, BATCH_MAX_WAIT_MS, type BatchLimits } from './check-session';
export {
  CheckScheduler,
  MAX_BACKOFF_MS,
  MAX_LOGIN_DELAY_MS,
  MIN_INTERVAL_MS,
  backoffDelay,
  loginDelayMs,
  type CheckRunOutcome,
  type CheckSchedulerOptions,
  type SchedulerTimers,
} from './check-scheduler';
export { POP3_PHASES, PROGRESS_INTERVAL_MS, type Pop3Phase, type Pop3Progress } from './progress';
export { ensurePop3Folders } from './pop3-folders';
export { Pop3Engine, createPop3Engine, stateOfFailure, type Pop3EngineDeps } from './pop3-engine';
export {
  DEFAULT_CHECK_EVERY_MINUTES,
  loadPop3Settings,
  type Pop3EngineSettings,
  type Pop3SettingsSource,
} from './engine-settings';
