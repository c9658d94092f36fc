/**
 * The API contract's part for Sending: the composer, drafts, the outbox (issue 6). Owned by the sending work.
 * Spread into `methods` in contract.ts.
 */
import { z } from 'zod';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();
/** Random hex handles main gives the page for a composer, an upload or an attachment. */
const Handle = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9a-f]+$/);

/** Base64 of at most ATTACH_CHUNK_BYTES raw bytes. */
export const ATTACH_CHUNK_BYTES = 1024 * 1024;
const Base64Chunk = z
  .string()
  .max(Math.ceil(ATTACH_CHUNK_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets. */
const EmailAddressText = z
  .string()
  .trim()
  .min(3)
  .max(256)
  .regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an address');
export const ComposeAddress = z.object({ name: z.string().max(200), address: EmailAddressText });
export type ComposeAddress = z.infer<typeof ComposeAddress>;
const Recipients = z.array(ComposeAddress).max(500);

export const ComposeFieldsView = z.object({
  identityId: z.string().max(40),
  to: Recipients,
  cc: Recipients,
  bcc: Recipients,
  subject: z.string().max(2_000),
  text: z.string().max(5_000_000),
  html: z.string().max(10_000_000).nullable(),
});
export type ComposeFieldsView = z.infer<typeof ComposeFieldsView>;

export const ComposeIdentityView = z.object({
  id: z.string(),
  accountId: Id,
  name: z.string(),
  email: z.string(),
  signature: z.string(),
});
export type ComposeIdentityView = z.infer<typeof ComposeIdentityView>;

export const ComposeAttachmentView = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: Count,
});
export type ComposeAttachmentView = z.infer<typeof ComposeAttachmentView>;

export const ComposeStartView = z.object({
  composeId: z.string(),
  identities: z.array(ComposeIdentityView),
  fields: ComposeFieldsView,
  attachments: z.array(ComposeAttachmentView),
  draftMessageId: Id.nullable(),
});
export type ComposeStartView = z.infer<typeof ComposeStartView>;

export const ComposeRequestView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('new') }).strict(),
  z.object({ kind: z.enum(['reply', 'replyAll', 'draft']), messageId: Id }).strict(),
  z.object({ kind: z.literal('forward'), messageId: Id, asAttachment: z.boolean().default(false) }).strict(),
  /** "Edit" on a message in the Outbox: it becomes a draft in this composer and leaves the Outbox. */
  z.object({ kind: z.literal('outbox'), outboxId: Id }).strict(),
]);

export const SavedDraftView = z.object({
  draftMessageId: Id,
  savedAt: z.number(),
  isOnServer: z.boolean().nullable(),
  serverError: z.string().nullable(),
});
export type SavedDraftView = z.infer<typeof SavedDraftView>;

export const OutboxStateView = z.enum(['queued', 'sending', 'data', 'sent', 'failed', 'unknown']);
export type OutboxStateView = z.infer<typeof OutboxStateView>;

export const OutboxItemView = z.object({
  id: Id,
  accountId: Id,
  messageId: Id.nullable(),
  subject: z.string(),
  recipients: z.array(z.string()),
  size: Count,
  state: OutboxStateView,
  attempts: Count,
  nextAttemptAt: z.number(),
  /** What went wrong last, with the server's own words in `detail`. */
  error: z.object({ code: z.string(), message: z.string(), detail: z.string().nullable() }).nullable(),
  createdAt: z.number(),
});
export type OutboxItemView = z.infer<typeof OutboxItemView>;

const ComposeId = z.object({ composeId: Handle }).strict();

export const sendingMethods = {
  /** Opens a composer: new, reply, reply to all, forward (inline or as .eml), or a saved draft. */
  'compose.start': { params: z.object({ request: ComposeRequestView }).strict(), result: ComposeStartView },
  /** Browser mode: the page streams a picked or dropped file in chunks. */
  'compose.attachBegin': {
    params: z
      .object({
        composeId: Handle,
        fileName: z.string().min(1).max(1024),
        contentType: z.string().max(255),
        size: Count,
      })
      .strict(),
    result: z.object({ uploadId: z.string() }),
  },
  'compose.attachChunk': {
    params: z.object({ uploadId: Handle, data: Base64Chunk }).strict(),
    result: z.object({ bytes: Count }),
  },
  'compose.attachFinish': { params: z.object({ uploadId: Handle }).strict(), result: ComposeAttachmentView },
  /** Electron: main shows the native open dialog and reads the files. */
  'compose.chooseFiles': { params: ComposeId, result: z.array(ComposeAttachmentView) },
  'compose.removeAttachment': {
    params: z.object({ composeId: Handle, attachmentId: Handle }).strict(),
    result: z.object({}),
  },
  'compose.saveDraft': {
    params: z.object({ composeId: Handle, fields: ComposeFieldsView }).strict(),
    result: SavedDraftView,
  },
  /** Stores the message in the Outbox (durably) and closes the composer; submission follows. */
  'compose.send': {
    params: z.object({ composeId: Handle, fields: ComposeFieldsView }).strict(),
    result: z.object({ outboxId: Id }),
  },
  /** Closes the composer; with discardDraft its saved draft is deleted too. */
  'compose.close': {
    params: z.object({ composeId: Handle, discardDraft: z.boolean() }).strict(),
    result: z.object({}),
  },
  'outbox.list': { params: z.object({}).strict(), result: z.array(OutboxItemView) },
  /** "Retry now", also for a message that failed or whose delivery is unknown. */
  'outbox.retry': { params: z.object({ outboxId: Id }).strict(), result: z.object({}) },
  'outbox.remove': { params: z.object({ outboxId: Id }).strict(), result: z.object({}) },
  /** Addresses already seen in From, To and Cc containing `query`, most used first. */
  'addresses.complete': {
    params: z
      .object({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(50).default(8) })
      .strict(),
    result: z.array(z.object({ name: z.string(), address: z.string() })),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

/** Events of this part, spread into `events` in contract.ts. */
export const sendingEvents = {
  /** The outbox changed (a message added, sent, failed or removed): reload outbox.list. */
  'outbox.changed': z.object({}),
} as const satisfies Record<string, z.ZodType>;
