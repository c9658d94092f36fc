// The SMTP adapter's public surface, for sync/outbox/ and account setup's "Connect" check.
// nodemailer types stay inside this folder.
export { SmtpSubmitter, type SmtpServerInfo } from './submission';
export {
  CONNECT_TIMEOUT_MS,
  GREETING_TIMEOUT_MS,
  REPLY_TIMEOUT_MS,
  DATA_END_TIMEOUT_MS,
  QUIT_TIMEOUT_MS,
  DEFAULT_SMTP_TIMEOUTS,
  type SmtpAuth,
  type SmtpSubmitterOptions,
  type SmtpTimeouts,
} from './session';
export type { SmtpEnvelope, SmtpSendOptions, SmtpSendResult } from './transaction';
export {
  SmtpDeliveryUnknownError,
  SmtpMessageTooLargeError,
  SmtpRecipientsRejectedError,
  isDeliveryUnknown,
  type RejectedRecipient,
} from './submission-errors';
export { toMailError } from './errors';
