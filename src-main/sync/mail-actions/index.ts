// Store-level actions on messages and folders for every account kind (see message-actions.ts).
export { MessageActions } from './message-actions';
export { FolderActions } from './folder-actions';
export { copyMessages, COPY_CHUNK_SIZE } from './message-copies';
export type { ActionOutcome, MailActionDeps, MailActionStore, ServerActionQueue } from './action-context';
