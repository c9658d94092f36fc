/**
 * The one API between the UI and the main process: every method's params and result, and every
 * pushed event's payload, as zod schemas. Types are inferred from the schemas so the two sides
 * cannot drift. The renderer imports this file with `import type` only.
 */
import { z } from 'zod';
import type { ErrorCode } from '../domain/errors';
import { accountMethods } from './account-contract';
import { listMethods } from './list-contract';
import { mailActionMethods, SyncStateView } from './mail-actions-contract';
import { AttachedPath, MessageProblem, readerMethods, RemoteContentView } from './reader-contract';
import { searchEvents, searchMethods } from './search-contract';
import { sendingEvents, sendingMethods } from './sending-contract';

export type {
  AccountSetup,
  CertificateView,
  ConnectionCheckView,
  DiscoveryView,
  FailureKindView,
  IncomingServerView,
  OutgoingServerView,
  SecurityView,
  ServerCheckView,
} from './account-contract';
export type { SyncStateView } from './mail-actions-contract';
export type { ListRow, ListScope } from './list-contract';
export type { QueryProblemView, SearchResultView, SearchScope } from './search-contract';
export type { AttachedPath, MessageProblem, RemoteContentView } from './reader-contract';

// ------------------------------------------------------------------ shared shapes
const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

export const AddressView = z.object({ name: z.string(), address: z.string() });
export type AddressView = z.infer<typeof AddressView>;

export const AccountView = z.object({
  id: Id,
  kind: z.enum(['local', 'imap', 'pop3']),
  displayName: z.string(),
  email: z.string().nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

export const FolderRoleView = z.enum(['inbox', 'drafts', 'sent', 'trash', 'junk', 'archive', 'outbox']);
export type FolderRoleView = z.infer<typeof FolderRoleView>;

export const FolderView = z.object({
  id: Id,
  accountId: Id,
  parentId: Id.nullable(),
  name: z.string(),
  path: z.string(),
  role: FolderRoleView.nullable(),
  unread: Count,
  total: Count,
});
export type FolderView = z.infer<typeof FolderView>;

export const MessageRow = z.object({
  id: Id,
  folderId: Id,
  subject: z.string(),
  from: AddressView.nullable(),
  date: z.number(),
  size: Count,
  isSeen: z.boolean(),
  isFlagged: z.boolean(),
  isAnswered: z.boolean(),
  hasAttachments: z.boolean(),
  snippet: z.string(),
  /** Who it went to, for Sent and Drafts: the first To address (Cc when there is no To)... */
  firstRecipient: AddressView.nullable(),
  /** ...and how many To (or Cc) addresses there are in all. */
  recipientCount: Count,
});
export type MessageRow = z.infer<typeof MessageRow>;

export const AttachmentRef = z.object({
  /** Position among the message's attachments; the handle for attachment.* methods. */
  index: Count,
  /** Sanitised: no path separators, no "..", no device names, length limited. */
  filename: z.string(),
  contentType: z.string(),
  size: Count,
  isInline: z.boolean(),
});
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const MessageView = z.object({
  id: Id,
  folderId: Id,
  headers: z.object({
    from: z.array(AddressView),
    to: z.array(AddressView),
    cc: z.array(AddressView),
    replyTo: z.array(AddressView),
    subject: z.string(),
    date: z.number().nullable(),
    messageId: z.string().nullable(),
  }),
  text: z.string(),
  /** HTML already sanitised in main, for a sandboxed iframe only; null for plain-text mail. */
  safeHtml: z.string().nullable(),
  attachments: z.array(AttachmentRef),
  isSeen: z.boolean(),
  isFlagged: z.boolean(),
  /** What could not be shown (broken MIME, unknown charset), as codes the renderer puts in words. */
  problems: z.array(MessageProblem),
  /** Reader (issue 7): what remote content was blocked or loaded, and where an attached message sits. */
  remoteContent: RemoteContentView,
  attachedPath: AttachedPath,
});
export type MessageView = z.infer<typeof MessageView>;

export const SortSpec = z.object({
  by: z.enum(['date', 'sender', 'subject', 'size']),
  direction: z.enum(['asc', 'desc']),
});
export type SortSpec = z.infer<typeof SortSpec>;

export const ImportFormat = z.enum(['mbox', 'eml']);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const ImportResult = z.object({
  importId: z.string(),
  imported: Count,
  /** Messages kept as raw mail although they could not be parsed fully. */
  damaged: Count,
  failed: Count,
  errors: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** Base64 of at most IMPORT_CHUNK_BYTES raw bytes. */
export const IMPORT_CHUNK_BYTES = 1024 * 1024;
const Base64Chunk = z
  .string()
  .max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

// ------------------------------------------------------------------ methods
const NoParams = z.object({}).strict();

export const methods = {
  'app.info': {
    params: NoParams,
    result: z.object({ version: z.string(), mode: z.enum(['electron', 'browser']) }),
  },
  'accounts.list': { params: NoParams, result: z.array(AccountView) },
  'folders.list': {
    params: z.object({ accountId: Id.optional() }).strict(),
    result: z.array(FolderView),
  },
  'messages.page': {
    params: z
      .object({
        folderId: Id,
        offset: Count.max(10_000_000),
        limit: z.number().int().min(1).max(500),
        sort: SortSpec.optional(),
      })
      .strict(),
    result: z.object({ total: Count, rows: z.array(MessageRow) }),
  },
  /** allowRemote: "Load remote content" for this message; attachedPath opens a message/rfc822 attachment. */
  'message.open': {
    params: z
      .object({ messageId: Id, allowRemote: z.boolean().optional(), attachedPath: AttachedPath.optional() })
      .strict(),
    result: MessageView,
  },
  'flags.set': {
    params: z
      .object({
        messageIds: z.array(Id).min(1).max(10_000),
        flag: z.enum(['seen', 'flagged', 'answered', 'forwarded']),
        value: z.boolean(),
      })
      .strict(),
    result: z.object({ changed: Count }),
  },
  /** Browser mode: the page streams a picked file in chunks; main parses as it arrives. */
  'import.begin': {
    params: z
      .object({
        folderId: Id,
        fileName: z.string().min(1).max(1024),
        format: ImportFormat,
        size: Count,
      })
      .strict(),
    result: z.object({ importId: z.string() }),
  },
  'import.chunk': {
    params: z.object({ importId: z.string().max(64), data: Base64Chunk }).strict(),
    result: z.object({ bytes: Count }),
  },
  'import.finish': { params: z.object({ importId: z.string().max(64) }).strict(), result: ImportResult },
  'import.cancel': { params: z.object({ importId: z.string().max(64) }).strict(), result: z.object({}) },
  /** Electron: main shows the native open dialog and reads the files itself. */
  'import.chooseFiles': {
    params: z.object({ folderId: Id }).strict(),
    result: z.array(ImportResult),
  },
  ...accountMethods,
  ...mailActionMethods,
  ...sendingMethods,
  ...searchMethods,
  ...readerMethods,
  ...listMethods,
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type MethodName = keyof typeof methods;
/** What a caller passes (before defaults apply). */
export type ParamsOf<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** What a handler receives (validated). */
export type ValidParamsOf<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<(typeof methods)[M]['result']>;

/** service.ts implements exactly this: a missing handler is a compile error. */
export type ApiHandlers = { [M in MethodName]: (params: ValidParamsOf<M>) => Promise<ResultOf<M>> };

// ------------------------------------------------------------------ events
export const events = {
  ...sendingEvents,
  'import.progress': z.object({
    importId: z.string(),
    fileName: z.string(),
    messages: Count,
    bytes: Count,
    totalBytes: Count,
    state: z.enum(['running', 'done', 'failed', 'cancelled']),
  }),
  'counts.changed': z.object({
    folders: z.array(z.object({ folderId: Id, unread: Count, total: Count })),
  }),
  'messages.changed': z.object({ folderIds: z.array(Id) }),
  'folders.changed': z.object({ accountId: Id }),
  /** An account was added, changed or removed: reload accounts.list. */
  'accounts.changed': z.object({ accountId: Id }),
  'sync.progress': z.object({
    accountId: Id,
    phase: z.string(),
    done: Count,
    total: Count,
  }),
  'mail.arrived': z.object({ accountId: Id, folderId: Id, count: Count }),
  /** A server account's connection state changed (see sync.status). */
  'sync.state': SyncStateView,
  ...searchEvents,
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

// ------------------------------------------------------------------ wire
export interface WireError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  detail?: string;
}

export type WireReply<T = unknown> = { ok: true; result: T } | { ok: false; error: WireError };

/** Transport frames (WebSocket; IPC carries the same objects). */
export interface CallFrame {
  id: number;
  method: string;
  params: unknown;
}
export interface ReplyFrame {
  id: number;
  reply: WireReply;
}
export interface EventFrame {
  event: EventName;
  payload: unknown;
}
