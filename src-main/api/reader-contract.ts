/**
 * The API contract's part for Reading: remote content, attachments, reader and UI preferences (issue 7).
 * Spread into `methods` in contract.ts.
 */
import type { z } from 'zod';

export const readerMethods = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
