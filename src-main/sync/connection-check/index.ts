// "Connect" in account setup: a login test of the incoming and outgoing servers.
export { ConnectionChecker, CHECK_DEADLINE_MS, type ConnectionCheckerOptions } from './connection-checker';
export {
  FAILURE_KINDS,
  failureOutcome,
  type CheckedProtocol,
  type CheckedServer,
  type ConnectionCheckResult,
  type FailureKind,
  type ServerCheckOutcome,
  type ServerRole,
} from './outcome';
export { realServerLogins, type LoginTarget, type ServerLogins } from './server-logins';
