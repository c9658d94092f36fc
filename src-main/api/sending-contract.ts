/**
 * The API contract's part for Sending: the composer, drafts, the outbox (issue 6). Owned by the sending work.
 * Spread into `methods` in contract.ts.
 */
import type { z } from 'zod';

export const sendingMethods = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
