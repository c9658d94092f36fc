/**
 * The API contract's part for the message list beyond one folder in date order (issue 7): the
 * unified "All Inboxes" list and the conversation view (one row per thread). Spread into `methods`
 * in contract.ts. A plain folder keeps using `messages.page`.
 */
import { z } from 'zod';

const Id = z.number().int().positive();
const Count = z.number().int().nonnegative();

/** Which messages a list shows: one folder, or every account's Inbox together. */
export const ListScope = z.union([
  z.object({ folderId: Id }).strict(),
  z.object({ allInboxes: z.literal(true) }).strict(),
]);
export type ListScope = z.infer<typeof ListScope>;

const ListSort = z.object({
  by: z.enum(['date', 'sender', 'subject', 'size']),
  direction: z.enum(['asc', 'desc']),
});

/**
 * A list row: the message's summary (the same fields as contract.ts MessageRow, which cannot be
 * imported here without a cycle) plus, in the conversation view, its thread's size and unread count.
 */
export const ListRow = z.object({
  id: Id,
  folderId: Id,
  subject: z.string(),
  from: z.object({ name: z.string(), address: z.string() }).nullable(),
  date: z.number(),
  size: Count,
  isSeen: z.boolean(),
  isFlagged: z.boolean(),
  isAnswered: z.boolean(),
  hasAttachments: z.boolean(),
  snippet: z.string(),
  firstRecipient: z.object({ name: z.string(), address: z.string() }).nullable(),
  recipientCount: Count,
  /** Messages in this row's thread (1 outside the conversation view). */
  threadSize: Count,
  threadUnread: Count,
});
export type ListRow = z.infer<typeof ListRow>;

export const listMethods = {
  /** One page of a scope's messages, or of its threads (newest message each) when `threaded`. */
  'messages.listPage': {
    params: z
      .object({
        scope: ListScope,
        threaded: z.boolean().default(false),
        offset: Count.max(10_000_000),
        limit: z.number().int().min(1).max(500),
        sort: ListSort.optional(),
      })
      .strict(),
    result: z.object({ total: Count, rows: z.array(ListRow) }),
  },
  /** Every message of the threads these messages belong to, within the scope, oldest first. */
  'messages.threadMembers': {
    params: z.object({ messageIds: z.array(Id).min(1).max(500), scope: ListScope }).strict(),
    result: z.object({ rows: z.array(ListRow) }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
