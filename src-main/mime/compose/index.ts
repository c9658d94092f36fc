// Building outgoing mail (issue 6): the composer's fields -> RFC 5322 bytes, reply/forward rules,
// and reading a saved draft back.
export { buildMessage, trimReferences, MAX_REFERENCES, type BuildOptions } from './build-message';
export type { OutgoingAttachment, OutgoingMessage } from './outgoing-message';
export { newMessageId } from './message-id';
export {
  attributionLine,
  formatAddress,
  forwardBody,
  forwardSubject,
  quoteLines,
  replyBody,
  replyRecipients,
  replySubject,
  replyThreading,
  type ReplyRecipients,
} from './reply';
export {
  DRAFT_ORIGINAL_HEADER,
  formatDraftOriginal,
  parseDraftOriginal,
  readDraft,
  type DraftOriginal,
  type ReadDraft,
  type ResponseKind,
} from './draft-read';
