/**
 * The API contract's part for Reading: remote content, attachments, reader and UI preferences (issue 7).
 * Spread into `methods` in contract.ts. This file imports nothing from contract.ts (which imports
 * it), so the shapes message.open shares with it (RemoteContentView, AttachedPath) are defined here.
 */
import { z } from 'zod';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

/** Deeper forwarded-inside-forwarded messages are not opened: no real mail nests this deep. */
export const MAX_ATTACHED_DEPTH = 8;
/** Raw bytes per attachment.content reply (base64 in JSON stays well under the frame limit). */
export const ATTACHMENT_CHUNK_BYTES = 1024 * 1024;

/**
 * Where an attached message (message/rfc822) sits: attachment indexes from the stored message
 * inwards. [] (or absent) is the stored message itself; [2] its third attachment; [2, 0] the
 * first attachment of that one.
 */
export const AttachedPath = z.array(Count.max(10_000)).max(MAX_ATTACHED_DEPTH);
export type AttachedPath = z.infer<typeof AttachedPath>;

/** An email address as typed by the user or taken from a From header. */
const SenderAddress = z
  .string()
  .trim()
  .min(3)
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address');

export const RemoteContentView = z.object({
  /** Remote images, backgrounds and style sheets not loaded, tracking pixels aside (0 once allowed). */
  blocked: Count,
  /** Remote 1x1 or hidden images that report the reading to the sender; never loaded. */
  trackingPixels: Count,
  /** Whether remote content was loaded, and why: asked for this message, or always for the sender. */
  allowed: z.enum(['no', 'message', 'sender']),
  /** The address "Always for this sender" would allow (the first From address), lower-cased. */
  sender: z.string().nullable(),
});
export type RemoteContentView = z.infer<typeof RemoteContentView>;

/**
 * What in a message could not be shown as sent (mime/parsed-message.ts MimeProblem), as a code
 * and its parameters: the renderer says it in the user's language.
 */
export const MessageProblem = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('not-mime'),
    reason: z.enum([
      'no-headers',
      'broken-structure',
      'over-limits',
      'too-many-parts',
      'header-too-large',
      'no-boundary',
      'no-parts',
    ]),
  }),
  z.object({ code: z.literal('raw-text-cut'), shownBytes: Count }),
  z.object({ code: z.literal('unreadable-date') }),
  z.object({ code: z.literal('text-conversion-failed') }),
  z.object({ code: z.literal('undecodable-characters') }),
  z.object({ code: z.literal('unclosed-multipart') }),
  z.object({ code: z.literal('empty') }),
  z.object({ code: z.literal('unreadable') }),
]);
export type MessageProblem = z.infer<typeof MessageProblem>;

const AttachmentHandle = z
  .object({ messageId: Id, attachedPath: AttachedPath.optional(), index: Count.max(10_000) })
  .strict();

export const readerMethods = {
  /** Mail from this sender loads remote content from now on ("Always for this sender"). */
  'remoteContent.allowSender': {
    params: z.object({ address: SenderAddress }).strict(),
    result: z.object({ address: z.string() }),
  },
  'remoteContent.listSenders': {
    params: z.object({}).strict(),
    result: z.array(z.object({ address: z.string(), addedAt: z.number() })),
  },
  'remoteContent.revokeSender': {
    params: z.object({ address: SenderAddress }).strict(),
    result: z.object({ removed: z.boolean() }),
  },
  /**
   * An attachment's bytes, ATTACHMENT_CHUNK_BYTES at a time from `offset`, for previews and for
   * saving from the page in browser mode.
   */
  'attachment.content': {
    params: AttachmentHandle.extend({ offset: Count.max(2 ** 40).optional() }).strict(),
    result: z.object({
      /** Sanitised, as in AttachmentRef. */
      filename: z.string(),
      contentType: z.string(),
      size: Count,
      offset: Count,
      /** Base64 of at most ATTACHMENT_CHUNK_BYTES bytes starting at offset. */
      data: z.string(),
      isLast: z.boolean(),
    }),
  },
  /** Electron: the native save dialog, then writes the attachment under its sanitised name. */
  'attachment.save': {
    params: AttachmentHandle,
    result: z.object({ saved: z.boolean(), fileName: z.string().nullable() }),
  },
  /** Electron: choose a folder, then every attachment is written there (never over an existing file). */
  'attachment.saveAll': {
    params: z.object({ messageId: Id, attachedPath: AttachedPath.optional() }).strict(),
    result: z.object({ saved: Count, fileNames: z.array(z.string()) }),
  },
  /** Electron: writes the attachment to a private temporary folder and opens it with the system. */
  'attachment.open': {
    params: AttachmentHandle,
    result: z.object({ opened: z.boolean() }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
