// Sending (issue 6): the durable outbox engine, the composers' state in main, drafts.
export { OutboxEngine, DEFAULT_RETRY_DELAYS_MS, type OutboxEvents, type NewOutgoing } from './outbox-engine';
export { ComposeSessions, MAX_ATTACHMENT_BYTES } from './compose-sessions';
export type {
  ComposeAttachmentInfo,
  ComposeFields,
  ComposeIdentity,
  ComposeRequest,
  ComposeStart,
} from './compose-fields';
export type { SavedDraft } from './drafts';
export type { AccountAccess } from './account-access';
