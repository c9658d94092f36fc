/** The composer's shapes as main keeps them (the API's views mirror these). */
import type { AccountId } from '../../domain/ids';
import type { Address } from '../../domain/message';

/** One From the user may send as: an account's own address or one of its identities. */
export interface ComposeIdentity {
  /** "<accountId>:<index>", index 0 being the account's own address. */
  id: string;
  accountId: AccountId;
  name: string;
  email: string;
  signature: string;
}

export interface ComposeFields {
  identityId: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  text: string;
  /** Formatted text (HTML); null for plain text. */
  html: string | null;
}

export interface ComposeAttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export type ComposeRequest =
  | { kind: 'new' }
  | { kind: 'reply' | 'replyAll'; messageId: number }
  | { kind: 'forward'; messageId: number; asAttachment: boolean }
  | { kind: 'draft'; messageId: number }
  /** "Edit" on a message waiting or stopped in the Outbox: it becomes a draft again. */
  | { kind: 'outbox'; outboxId: number };

export interface ComposeStart {
  composeId: string;
  identities: ComposeIdentity[];
  fields: ComposeFields;
  attachments: ComposeAttachmentInfo[];
  /** The saved draft this composer continues, if any. */
  draftMessageId: number | null;
}
