/** The POP3 client's public surface; everything else in this folder is internal. */
export {
  Pop3Client,
  CONNECT_TIMEOUT_MS,
  GREETING_TIMEOUT_MS,
  TLS_HANDSHAKE_TIMEOUT_MS,
  COMMAND_TIMEOUT_MS,
  IDLE_TIMEOUT_MS,
  MAX_PIPELINED_COMMANDS,
  MAX_PIPELINED_DELES,
  type Pop3ConnectOptions,
  type Pop3Timeouts,
  type Pop3MessageHandler,
} from './client';
export type { Pop3AuthMethod, Pop3AuthUsed } from './auth';
export type { Pop3Capabilities } from './capabilities';
export type { Pop3Stat } from './listings';
export {
  UntrustedCertificateError,
  isUntrustedCertificateError,
  isLoginDelayRefusal,
  toMailError,
  type CertificateSummary,
  type Pop3Command,
} from './errors';
export {
  ReplyReader,
  Pop3ProtocolError,
  DEFAULT_MAX_LINE_BYTES,
  DEFAULT_MAX_MULTI_LINE_BYTES,
  type StatusReply,
  type ReplyReaderOptions,
} from './reply-reader';
